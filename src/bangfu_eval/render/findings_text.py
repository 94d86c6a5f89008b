"""Findings as text (file:line:col: severity CODE message, with the source line and a caret,
as ruff and rustc print them), as JSON (a documented, stable schema) and as GitHub workflow
annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from bangfu_eval import __version__
from bangfu_eval.aggregates import mode_json, mode_line
from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding
from bangfu_eval.pipeline import Outcome
from bangfu_eval.privacy import PERSONAL_KEYS

LABEL = {"error": "error", "warning": "warning", "info": "info"}


def summary_line(outcome: Outcome) -> str:
    c = outcome.counts
    acked = sum(1 for f in outcome.findings if f.acknowledged)
    parts = [
        f"{c['error']} 个错误",
        f"{c['warning']} 个警告",
        f"{c['info']} 条提示",
    ]
    if acked:
        parts.append(f"{acked} 条已确认")
    return f"{outcome.directory}: " + "，".join(parts)


def text(outcome: Outcome, snippets: bool = True, lines: Callable[[str], list[str]] | None = None) -> str:
    """The human format; ``lines`` gives a file's lines for the snippet under each finding."""
    out = []
    for f in outcome.findings:
        loc = f.location
        head = f"{loc.file}:{loc.line}:{loc.column}: {LABEL[f.severity.value]} {f.code} {f.message}"
        if f.acknowledged:
            head += f"  [已确认：{f.acknowledged}]"
        out.append(head)
        if snippets and lines and loc.line > 0:
            out.extend(_snippet(f, lines(loc.file)))
        out.extend(f"   = 另见: {r.file}:{r.line}:{r.column}" for r in f.related)
        if f.help:
            out.append(f"   = help: {f.help}")
    mode = mode_line(outcome.ledger_missing)
    if mode:
        out.append(mode)
    out.append(summary_line(outcome))
    return "\n".join(out) + "\n"


def _snippet(f: Finding, source: list[str]) -> list[str]:
    loc = f.location
    if not 0 < loc.line <= len(source):
        return []
    if loc.personal or loc.file.startswith("households."):
        return []  # never echo a line that may hold personal data (privacy.py says which)
    line = source[loc.line - 1]
    if len(line) > 160:  # a window of a long line: the work per finding never grows with it
        start = max(0, loc.column - 60)
        line, col = line[start : start + 160], loc.column - start
    else:
        col = loc.column
    if _PERSONAL_LINE.search(line):
        return []
    gutter = f"{loc.line:>5} | "
    pad = (
        " " * (len(gutter) - 2)
        + "| "
        + "".join("\u3000" if _wide(ch) else " " for ch in line[: max(col - 1, 0)])
    )
    return [gutter + line, pad + "^"]


def _wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F


_PERSONAL_LINE = re.compile(r"\b(" + "|".join(sorted(PERSONAL_KEYS)) + r")\s*:")


def to_json(outcome: Outcome) -> str:
    """{"version", "directory", "findings": [...], "summary": {...}} — see docs/cli.md."""
    c = outcome.counts
    doc = {
        "version": __version__,
        "directory": str(outcome.directory),
        "findings": [f.as_dict() for f in outcome.findings],
        "ledger": mode_json(outcome.ledger_missing),
        "summary": {
            **c,
            "acknowledged": sum(1 for f in outcome.findings if f.acknowledged),
            "total": len(outcome.findings),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def github(outcome: Outcome) -> str:
    """GitHub Actions workflow commands: ::error file=…,line=…,col=…,title=…::message"""
    kind = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for f in outcome.findings:
        loc = f.location
        path = f"{outcome.directory}/{loc.file}"
        title = f"{f.code} {CODES[f.code].title}"
        msg = f.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        out.append(
            f"::{kind[f.severity.value]} file={path},line={loc.line},col={loc.column},title={title}::{msg}"
        )
    mode = mode_line(outcome.ledger_missing)
    if mode:
        out.append(f"::notice title=bangfu::{mode}")
    return "\n".join(out) + ("\n" if out else "")


RENDERERS = {"text": text, "json": to_json, "github": github}
