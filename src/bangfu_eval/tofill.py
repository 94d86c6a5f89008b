"""``# 待填`` marks: what ``bangfu init`` leaves for the user to fill, reported by ``check`` as
infos at their lines (like a linter's TODO), until the value is written and the mark removed.
A finding of another rule on a marked line is folded into the mark: the line is known to be
unfinished."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding, Location

MARK = re.compile(r"#\s*待填[：:]?\s*(.*)$")


def marks(text: str, rel: str) -> list[Finding]:
    """One info per marked line of a YAML file's text, at the line's first character."""
    if "待填" not in text:
        return []
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        found = MARK.search(line)
        if found and not line.lstrip().startswith("#"):
            what = found.group(1).strip() or line.split(":", 1)[0].strip(" -")
            col = len(line) - len(line.lstrip(" -")) + 1
            out.append(Finding("BF015", CODES["BF015"].severity, Location(rel, n, col), f"待填：{what}"))
    return out


def fold(findings: Iterable[Finding]) -> list[Finding]:
    """Drop the findings of other rules that stand on a marked line."""
    findings = list(findings)
    marked = {(f.location.file, f.location.line) for f in findings if f.code == "BF015"}
    if not marked:
        return findings
    return [f for f in findings if f.code == "BF015" or (f.location.file, f.location.line) not in marked]
