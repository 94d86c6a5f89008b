"""The import report: every finding at its cell, then what was read, skipped and written."""

from __future__ import annotations

import json
from pathlib import Path

from bangfu_eval.excel.importer import ImportResult
from bangfu_eval.findings import Severity

TITLES = {
    "households": "户（花名册）",
    "visits": "条走访核查记录",
    "batches": "个发放批次",
    "disbursements": "笔发放（台账）",
    "funds": "个资金来源",
}


def text(result: ImportResult, into: Path) -> str:
    order: dict[object, int] = {}
    for f in result.findings:  # sheets in workbook order, cells in reading order
        order.setdefault(f.cell.sheet, len(order))
    lines = [str(f) for f in sorted(result.findings, key=lambda f: (order[f.cell.sheet], f.cell))]
    for t in result.tables:
        skipped = "，".join(f"{why} {n} 行" for why, n in t.skipped.items())
        rows = f"第 {t.header_row + 2}–{t.rows[-1].place.row} 行" if t.rows else "无数据行"
        lines.append(
            f"{t.label} → {t.spec.title}：{len(t.rows)} 行（{rows}）"
            + (f"；跳过 {skipped}" if skipped else "")
        )
    counts = {s: sum(f.severity is s for f in result.findings) for s in Severity}
    tally = (
        f"{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，{counts[Severity.INFO]} 条提示"
    )
    if result.refused:
        lines.append(f"未写入任何文件：{result.refused}")
    elif result.failed:
        lines.append(f"未写入任何文件：{tally}（导入要么全部写入，要么都不写）")
    else:
        read = "，".join(f"{n} {TITLES.get(k, k)}" for k, n in result.counts.items())
        lines.append(f"已导入 {read}；{tally}")
        lines += [f"已写出 {into / name}" for name in result.written]
        lines += [f"已删除 {into / name}（由新文件替代）" for name in result.removed]
        lines.append(f"下一步：bangfu check {into}")
    return "\n".join(lines) + "\n"


def as_json(result: ImportResult) -> str:
    doc = {
        "ok": not result.failed,
        "findings": [f.as_dict() for f in sorted(result.findings, key=lambda f: f.cell)],
        "tables": [
            {"sheet": t.label, "table": t.spec.key, "rows": len(t.rows), "skipped": t.skipped}
            for t in result.tables
        ],
        "counts": result.counts,
        "written": result.written,
        "removed": result.removed,
        "refused": result.refused,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
