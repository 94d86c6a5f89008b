"""``# 待填`` marks: what ``bangfu init`` leaves for the user to fill, reported by ``check`` as
infos at their lines (like a linter's TODO), until the value is written and the mark removed.
A finding of another rule on a marked line is folded into the mark: the line is known to be
unfinished."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bangfu_eval.findings import INFO, Code, Finding, Location

BF015 = Code(
    "BF015",
    INFO,
    "value left to fill",
    "待填",
    message="待填：{what}",
    why=(
        "bangfu init carries last year over and marks with '# 待填' each value only the new year"
        " can give (amounts arrived, scores, actuals, dates); check lists them until they are filled."
    ),
    example="funds.yaml: arrived: 0  # 待填：到位资金",
    fix="Write the value and delete the '# 待填' comment.",
    source="实践：无政策条文，bangfu init 的标记（bangfu 自定）",
    zh_why=(
        "bangfu init 沿用上一年度的文件，只有新年度才能给出的数值（到位资金、得分、实际值、日期）"
        "标为“# 待填”；填好之前 check 逐项列出。"
    ),
    zh_example="funds.yaml：arrived: 0  # 待填：到位资金",
    remedy="填写该值并删除“# 待填”注释。",
)

MARK = re.compile(r"#\s*待填[：:]?\s*(.*)$")


def marks(data: bytes, rel: str) -> list[Finding]:
    """One info per marked line of a YAML file (its UTF-8 bytes), at the line's first character."""
    if "待填".encode() not in data:
        return []
    out = []
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        found = MARK.search(line)
        if found and not line.lstrip().startswith("#"):
            what = found.group(1).strip() or line.split(":", 1)[0].strip(" -")
            col = len(line) - len(line.lstrip(" -")) + 1
            out.append(BF015(Location(rel, n, col), what=what))
    return out


def fold(findings: Iterable[Finding]) -> list[Finding]:
    """Drop the findings of other rules that stand on a marked line."""
    findings = list(findings)
    marked = {(f.location.file, f.location.line) for f in findings if f.code == BF015.code}
    if not marked:
        return findings
    return [f for f in findings if f.code == BF015.code or (f.location.file, f.location.line) not in marked]


def left_to_fill(findings: Iterable[Finding]) -> int:
    """How many values are still marked to fill."""
    return sum(1 for f in findings if f.code == BF015.code)
