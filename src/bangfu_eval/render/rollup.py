"""The province table (省级汇总) as JSON, CSV (with a BOM, for Excel), .xlsx and Markdown; the
terminal one is in terminal.py. Rows come sorted by the caller; the totals row is always last.

JSON keeps amounts and rates as exact decimal strings (schema documented in docs/cli.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from decimal import Decimal

from bangfu_eval import __version__
from bangfu_eval.money import fmt_number, fmt_pct, fmt_wan
from bangfu_eval.render.scorecard import plain
from bangfu_eval.rollup import Province, UnitRow

SCHEMA = 1
SORT_KEYS = ("unit", "rank", "rate", "spent", "balance", "errors")


def sort_rows(rows: Sequence[UnitRow], key: str, reverse: bool = False) -> list[UnitRow]:
    """Units in the order asked: by unit name, rank (best first), 执行率 (lowest first), spent or
    balance (largest first), errors (most first). Units not scored come last, except by name and
    by errors."""
    scored = [r for r in rows if r.scored]
    failed = [r for r in rows if not r.scored]
    keys = {
        "unit": lambda r: r.unit,
        "rank": lambda r: (r.rank or 0, r.unit),
        "rate": lambda r: (r.execution_rate if r.execution_rate is not None else Decimal(-1), r.unit),
        "spent": lambda r: (-(r.spent or 0), r.unit),
        "balance": lambda r: (-(r.balance or 0), r.unit),
        "errors": lambda r: (-r.errors, -r.warnings, r.unit),
    }
    if key in ("unit", "errors"):  # every unit has a name and a count of errors
        return sorted(rows, key=keys[key], reverse=reverse)
    return sorted(scored, key=keys[key], reverse=reverse) + sorted(failed, key=lambda r: r.unit)


def categories(p: Province) -> list[str]:
    """The household categories of every unit, in order of first appearance."""
    seen: dict[str, None] = {}
    for r in p.rows:
        seen.update(dict.fromkeys(r.households))
    return list(seen)


def total_text(r: UnitRow) -> str:
    """The computed total, or its range when leaves that need the ledger are open: 40–100."""
    if r.total is None or not r.total_open:
        return fmt_number(r.total)
    return f"{fmt_number(r.total)}–{fmt_number(r.total + r.total_open)}"


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


UNKNOWN = {"spent": "支出和结余", "person_times": "帮扶人次", "households": "户数"}


def unknown_note(p: Province) -> str:
    """Which sums leave out units whose files do not give the figure (no ledger), or ''."""
    parts = [f"{UNKNOWN[k]}未计入 {n} 个无明细账的单位" for k, n in p.totals.unknown.items()]
    return "合计中" + "，".join(parts) + "。" if parts else ""


def problems_text(r: UnitRow, limit: int = 3) -> str:
    """The unit's most serious codes: 'BF304, BF402×2'; a failed unit: what failed."""
    if not r.scored:
        return r.failure
    parts = [p.code + (f"×{p.count}" if p.count > 1 else "") for p in r.problems if p.severity != "info"]
    return "、".join(parts[:limit]) + ("…" if len(parts) > limit else "")


HEAD = [
    "名次",
    "单位",
    "到位",
    "支出",
    "执行率",
    "结余",
    "人次",
    "户数",
    "总分",
    "申报",
    "等次",
    "错/警",
    "主要问题",
]


def table(p: Province, rows: Sequence[UnitRow]) -> tuple[list[str], list[list[str]]]:
    """Head and body of the province table for Markdown and Word (units, then 合计): amounts
    in 万元, households by category in one column (a/b/c), so that it fits an A4 page across.
    The files for machines (CSV, .xlsx, JSON) carry every figure in its own column."""
    cats = categories(p)
    body = []
    for r in rows:
        body.append(
            [
                str(r.rank) if r.rank else "—",
                r.unit,
                fmt_wan(r.arrived),
                fmt_wan(r.spent),
                fmt_pct(r.execution_rate),
                fmt_wan(r.balance),
                _n(r.person_times),
                "/".join(_n(r.households.get(c)) for c in cats) if r.scored else "—",
                total_text(r),
                fmt_number(r.declared_total),
                r.grade or "—",
                f"{r.errors}/{r.warnings}",
                problems_text(r) if r.scored else "未评分 " + "、".join(x.code for x in r.problems[:1]),
            ]
        )
    t = p.totals
    body.append(
        [
            "",
            "合计",
            fmt_wan(t.arrived),
            fmt_wan(t.spent),
            fmt_pct(t.execution_rate),
            fmt_wan(t.balance),
            f"{t.person_times:,}",
            "/".join(str(t.households.get(c, 0)) for c in cats),
            "",
            "",
            "",
            f"{t.errors}/{t.warnings}",
            f"计入 {t.scored}/{t.units}",
        ]
    )
    return list(HEAD), body


def to_json(p: Province, rows: Sequence[UnitRow]) -> str:
    doc = {
        "schema": SCHEMA,
        "version": __version__,
        "units": [plain(r) for r in rows],
        "totals": plain(p.totals),
        "grades": p.grades,
        "shared_problems": [plain(s) for s in p.shared],
        "cross_unit": [f.as_dict() for f in p.cross],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _raw_rows(p: Province, rows: Sequence[UnitRow]) -> tuple[list[str], list[list[object]]]:
    """Machine columns for CSV and .xlsx: exact numbers, rates as fractions, no formatting."""
    cats = categories(p)
    head = ["rank", "unit", "name", "arrived", "spent", "execution_rate", "balance", "person_times"]
    head += [f"households:{c}" for c in cats]
    head += ["total", "declared_total", "grade", "errors", "warnings", "infos", "problems", "failure"]
    out: list[list[object]] = []
    for r in rows:
        out.append(
            [
                r.rank,
                r.unit,
                r.name,
                r.arrived,
                r.spent,
                r.execution_rate,
                r.balance,
                r.person_times,
                *[r.households.get(c) for c in cats],
                r.total,
                r.declared_total,
                r.grade,
                r.errors,
                r.warnings,
                r.infos,
                " ".join(f"{x.code}×{x.count}" for x in r.problems),
                r.failure,
            ]
        )
    t = p.totals
    out.append(
        [
            None,
            "合计",
            f"{t.scored}/{t.units}",
            t.arrived,
            t.spent,
            t.execution_rate,
            t.balance,
            t.person_times,
            *[t.households.get(c, 0) for c in cats],
            t.mean_total,
            None,
            None,
            t.errors,
            t.warnings,
            t.infos,
            "",
            "",
        ]
    )
    return head, out


def to_csv(p: Province, rows: Sequence[UnitRow]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese text as UTF-8."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    head, body = _raw_rows(p, rows)
    w.writerow(head)
    for r in body:
        w.writerow(["" if v is None else plain(_cell(v) if isinstance(v, str) else v) for v in r])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def to_xlsx(p: Province, rows: Sequence[UnitRow], mask: Callable[[str], str] = str) -> bytes:
    """One sheet 省级汇总, numbers as numbers, rates as percentages; every text through
    ``mask`` (the output boundary's masking)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "省级汇总"
    head, body = _raw_rows(p, rows)
    ws.append(head)
    for r in body:
        ws.append([_cell(mask(v) if isinstance(v, str) else v) for v in r])
    rate_col = head.index("execution_rate") + 1
    for row in ws.iter_rows(min_row=2, min_col=rate_col, max_col=rate_col):
        for c in row:
            c.number_format = "0.00%"
    for name in ("arrived", "spent", "balance"):
        col = head.index(name) + 1
        for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            for c in row:
                c.number_format = "#,##0.00"
    ws.freeze_panes = "C2"
    for i, h in enumerate(head, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(h) + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v: object) -> object:
    # Excel keeps 15 significant digits: amounts (元, 2 decimals) fit up to 10^13 元; a rate
    # loses nothing a reader sees. Text that Excel would run as a formula (a unit's directory
    # named "=HYPERLINK(…)") is quoted, in the .xlsx and in the CSV.
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


def to_markdown(p: Province, rows: Sequence[UnitRow], title: str = "省级汇总") -> str:
    """The 省级汇总 document: the table, the grade distribution, the problems most units
    share, and the cross-unit findings. Amounts in 万元 to keep the table on an A4 page."""
    t = p.totals
    lines = ["<!-- landscape -->", f"# {title}", ""]  # the table needs an A4 page across
    lines.append(
        f"共 {t.units} 个单位，{t.scored} 个单位计入合计；到位资金 {fmt_wan(t.arrived)} 万元，"
        f"支出 {fmt_wan(t.spent)} 万元，执行率 {fmt_pct(t.execution_rate)}（支出合计 ÷ 到位或可用资金合计），"
        f"结余 {fmt_wan(t.balance)} 万元，帮扶 {t.person_times:,} 人次。"
    )
    if unknown_note(p):
        lines += ["", unknown_note(p)]
    lines += ["", "## 一、各单位情况", ""]
    lines.append(
        f"金额单位：万元。户数：{'/'.join(categories(p))}。总分为计算总分（无明细账的单位为可能的区间），"
        f"申报为指标表申报的总分；名次按计算总分。平均计算总分 {fmt_number(t.mean_total)}。"
    )
    lines.append("")
    head, body = table(p, rows)
    lines += _md_table(head, body)
    lines += ["", "## 二、评价等次分布", ""]
    lines += _md_table(["等次", "单位数"], [[g, str(n)] for g, n in p.grades.items()])
    lines += ["", "## 三、多数单位存在的问题", ""]
    if p.shared:
        lines += _md_table(
            ["代码", "问题", "级别", "单位数"],
            [[s.code, s.title, _SEVERITY_ZH[s.severity], str(s.units)] for s in p.shared],
        )
    else:
        lines.append("各单位均未发现问题。")
    lines += ["", "## 四、跨单位核查", ""]
    if p.cross:
        lines += _md_table(
            ["代码", "位置", "问题"],
            [[f.code, f"{f.location.file}:{f.location.line}", f.message] for f in p.cross],
        )
    else:
        lines.append("未发现同一身份证号同年在两个单位建档或受助。")
    failed = [r for r in rows if not r.scored]
    if failed:
        lines += ["", "## 五、未能评分的单位", ""]
        lines += _md_table(["单位", "原因"], [[r.unit, r.failure] for r in failed])
    return "\n".join(lines) + "\n"


_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return out
