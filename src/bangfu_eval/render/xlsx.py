"""The scorecard as an Excel workbook (openpyxl): the standard 项目支出绩效自评表 first, then a
sheet per indicator tree, the funds by source, the targets and every computed figure.

Figures are stored as numbers rounded as they are shown (ROUND_HALF_UP, money.py), so a sum
Excel makes of the cells is the sum of what the reader sees; number formats show 元 with
separators, 万元 with 4 decimals and rates as percentages. Header rows are frozen.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bangfu_eval import models as m
from bangfu_eval.aggregates import open_weight
from bangfu_eval.money import WAN, fmt_number, round_half_up
from bangfu_eval.render.scorecard import node_rows
from bangfu_eval.results import NodeResult, Results, TreeResult
from bangfu_eval.selfeval import INDICATOR_HEAD

YUAN, WAN_FMT, PCT, SCORE = "#,##0.00", "#,##0.0000", "0.00%", "0.##"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def yuan(v: Decimal | None) -> Decimal | None:
    return None if v is None else round_half_up(v, 2)


def wan(v: Decimal | None) -> Decimal | None:
    return None if v is None else round_half_up(v / WAN, 4)


def rate(v: Decimal | None) -> Decimal | None:
    return None if v is None else round_half_up(v, 4)  # 0.7376 shown as 73.76%


def render(
    results: Results, project: m.ProjectFile | None = None, mask: Callable[[str], str] = str
) -> bytes:
    """The workbook's bytes. Every text cell passes ``mask`` (the output boundary's masking of
    personal values) and stays text: a cell that starts with '=' is never written as a formula."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    _self_evaluation(first, results, project)
    for tree in results.trees:
        _tree(wb.create_sheet(_sheet_title(tree)), tree)
    _funds(wb.create_sheet("资金来源"), results)
    _targets(wb.create_sheet("绩效目标"), results)
    _figures(wb.create_sheet("计算数"), results)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.value = mask(c.value)
                    c.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(tree: TreeResult) -> str:
    title = (tree.source or tree.id).translate(str.maketrans("", "", "[]:*?/\\"))
    return f"指标体系-{title}"[:31]


def _head(ws: Worksheet, row: int, values: list[str]) -> None:
    for j, v in enumerate(values, 1):
        c = ws.cell(row, j, v)
        c.font, c.fill, c.border, c.alignment = BOLD, HEAD, BOX, CENTER


def _put(ws: Worksheet, row: int, values: list[Any], formats: dict[int, str] | None = None) -> None:
    for j, v in enumerate(values, 1):
        c = ws.cell(row, j, v)
        c.border, c.alignment = BOX, WRAP
        if formats and j in formats:
            c.number_format = formats[j]


def _title(ws: Worksheet, text: str, width: int, row: int = 1) -> None:
    ws.cell(row, 1, text).font = TITLE
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 28


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _self_evaluation(ws: Worksheet, r: Results, project: m.ProjectFile | None) -> None:
    """项目支出绩效自评表 (财预〔2020〕10号): header, funds block, one row per indicator of the
    primary tree, total and grade."""
    ws.title = "项目支出绩效自评表"
    _widths(ws, [16, 22, 16, 16, 16, 10, 12, 12])
    _title(ws, "项目支出绩效自评表", 8)
    ws.cell(2, 1, f"（{r.year}年度）").alignment = CENTER
    ws.merge_cells("A2:H2")
    p = project.project if project else None
    rows = [
        ("项目名称", p.name if p else ""),
        ("主管部门", p.supervisor if p else ""),
        ("实施单位", p.unit if p else ""),
    ]
    for i, (label, value) in enumerate(rows, 3):
        _head(ws, i, [label])
        c = ws.cell(i, 2, value)
        c.border, c.alignment = BOX, WRAP
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=8)
    f = r.funds
    _head(ws, 6, ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.merge_cells("A6:B6")
    planned = p.planned_amount if p else None
    budget = f.allocated if f.allocated is not None else f.arrived
    _put(
        ws,
        7,
        ["年度资金总额", "", wan(planned), wan(budget), wan(f.spent), *_execution(r, f.utilisation)],
        {3: WAN_FMT, 4: WAN_FMT, 5: WAN_FMT, 6: SCORE, 7: PCT, 8: SCORE},
    )
    ws.merge_cells("A7:B7")
    row = 8
    for s in f.sources:
        allocated = s.allocated if s.allocated is not None else s.arrived
        _put(
            ws,
            row,
            ["其中", s.name, None, wan(allocated), wan(s.spent), None, rate(s.utilisation), None],
            {4: WAN_FMT, 5: WAN_FMT, 7: PCT},
        )
        row += 1
    _put(ws, row, ["上年结转资金", "", None, wan(f.carried_in), None, None, None, None], {4: WAN_FMT})
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    row = _indicator_block(ws, row + 2, r.primary)
    row += 2
    _head(ws, row, ["总分", "", "", "", "", "满分", "得分", "评价等次"])
    _put(
        ws,
        row + 1,
        [r.primary.title, "", "", "", "", r.primary.weight, _total(r), r.grade or "—"],
        {6: SCORE, 7: SCORE},
    )
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=5)
    ws.freeze_panes = "A3"


def _execution(r: Results, utilisation: Decimal | None) -> list[Any]:
    """分值, 执行率, 得分 of the funds block: the primary tree's 预算执行率 leaf when it has one
    (scored by its method), else the rate alone."""
    leaf = next((n for _, n in node_rows(r.primary.nodes, None) if n.method == "execution_rate"), None)
    if leaf is None:
        return [None, rate(utilisation), None]
    value = leaf.measure_value if leaf.measure_value is not None else utilisation
    return [leaf.weight, rate(value), leaf.score]


def _indicator_block(ws: Worksheet, row: int, tree: TreeResult) -> int:
    """一级 / 二级 / 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施: a row per
    leaf, its groups merged down over their leaves; levels below the third joined into it.
    Returns the last row written."""
    _head(ws, row, list(INDICATOR_HEAD))
    first = row + 1
    for path in _leaf_paths(tree.nodes, ()):
        row += 1
        labels = [n.label for n in path]
        levels = (
            [*labels[:2], "／".join(labels[2:])] if len(labels) > 3 else labels + [""] * (3 - len(labels))
        )
        leaf = path[-1]
        pct = "%" in leaf.target_text
        actual = rate(leaf.measure_value) if pct and leaf.measure_value is not None else leaf.measure_value
        why = "未达到年度指标值：请写明偏差原因及改进措施" if leaf.measure_met is False else None
        values = [*levels, leaf.target_text or None, actual, leaf.weight, leaf.score, why]
        _put(ws, row, values, {5: PCT if pct else SCORE, 6: SCORE, 7: SCORE})
    _merge_groups(ws, tree.nodes, first, 1, max_col=2)
    return row


def _total(r: Results) -> Decimal | str:
    """The total; in a year without its ledger, the range it lies in ('40–100')."""
    unknown = open_weight(r.primary.nodes)
    return f"{fmt_number(r.total)}–{fmt_number(r.total + unknown)}" if unknown else r.total


def _tree(ws: Worksheet, tree: TreeResult) -> None:
    """One column per level; a group's name merged down over its rows."""
    depth = max((n.depth for _, n in node_rows(tree.nodes, None)), default=1)
    levels = list(tree.levels[:depth]) + [f"{i}级指标" for i in range(len(tree.levels) + 1, depth + 1)]
    head = [*levels, "分值", "得分", "失分", "评价标准", "评分依据"]
    _title(ws, tree.title, len(head))
    _head(ws, 2, head)
    _widths(ws, [18] * depth + [8, 8, 8, 50, 30])
    row = 3
    for leaf_path in _leaf_paths(tree.nodes, ()):
        leaf = leaf_path[-1]
        cells: list[Any] = [n.label for n in leaf_path] + [None] * (depth - len(leaf_path))
        lost = leaf.lost
        _put(
            ws,
            row,
            [*cells, leaf.weight, leaf.score, lost or None, leaf.criterion, leaf.evidence],
            {depth + 1: SCORE, depth + 2: SCORE, depth + 3: SCORE},
        )
        row += 1
    _merge_groups(ws, tree.nodes, 3, 1)
    _put(
        ws,
        row,
        ["合计", *[None] * (depth - 1), tree.weight, tree.score, None, f"评价等次：{tree.grade}", None],
        {depth + 1: SCORE, depth + 2: SCORE},
    )
    ws.cell(row, 1).font = BOLD
    ws.freeze_panes = "A3"


def _leaf_paths(
    nodes: tuple[NodeResult, ...], path: tuple[NodeResult, ...]
) -> Iterator[tuple[NodeResult, ...]]:
    for n in nodes:
        if n.children:
            yield from _leaf_paths(n.children, (*path, n))
        else:
            yield (*path, n)


def _leaves(n: NodeResult) -> int:
    return 1 if not n.children else sum(_leaves(c) for c in n.children)


def _merge_groups(
    ws: Worksheet, nodes: tuple[NodeResult, ...], row: int, col: int, max_col: int | None = None
) -> None:
    """Merge each group's cell down over its leaves' rows (merged headers of the form), in
    columns up to ``max_col``."""
    for n in nodes:
        span = _leaves(n)
        if n.children and (max_col is None or col <= max_col):
            if span > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row + span - 1, end_column=col)
            _merge_groups(ws, n.children, row, col + 1, max_col)
        row += span


def _funds(ws: Worksheet, r: Results) -> None:
    head = [
        "资金来源",
        "上年结转（元）",
        "下达（元）",
        "到位（元）",
        "支出（元）",
        "结余（元）",
        "使用率",
        "人次",
    ]
    _title(ws, f"{r.year}年度帮扶资金", len(head))
    _head(ws, 2, head)
    _widths(ws, [18, 16, 16, 16, 16, 16, 10, 8])
    fmt = {2: YUAN, 3: YUAN, 4: YUAN, 5: YUAN, 6: YUAN, 7: PCT}
    row = 3
    for s in r.funds.sources:
        _put(
            ws,
            row,
            [
                s.name,
                yuan(s.carried_in),
                yuan(s.allocated),
                yuan(s.arrived),
                yuan(s.spent),
                yuan(s.balance),
                rate(s.utilisation),
                s.person_times,
            ],
            fmt,
        )
        row += 1
    f = r.funds
    _put(
        ws,
        row,
        [
            "合计",
            yuan(f.carried_in),
            yuan(f.allocated),
            yuan(f.arrived),
            yuan(f.spent),
            yuan(f.balance),
            rate(f.utilisation),
            r.beneficiaries.person_times,
        ],
        fmt,
    )
    ws.cell(row, 1).font = BOLD
    ws.freeze_panes = "A3"


def _targets(ws: Worksheet, r: Results) -> None:
    head = ["指标类型", "指标", "绩效目标", "目标值", "实际值", "单位", "完成", "等级"]
    _title(ws, "绩效目标完成情况", len(head))
    _head(ws, 2, head)
    _widths(ws, [12, 20, 36, 10, 10, 8, 8, 8])
    for i, t in enumerate(r.targets, 3):
        pct = t.unit == "%"
        fmt = {4: PCT if pct else SCORE, 5: PCT if pct else SCORE}
        values = [t.kind, t.name, t.target_text, rate(t.target) if pct else t.target]
        values += [(rate(t.actual) if pct else t.actual) if t.actual is not None else None, t.unit]
        _put(ws, i, [*values, {True: "是", False: "否", None: "—"}[t.met], t.grade or "—"], fmt)
    ws.freeze_panes = "A3"


_FORMATS = {"money": YUAN, "rate": PCT, "count": "0", "score": SCORE, "ratio": "0.00"}


def _figures(ws: Worksheet, r: Results) -> None:
    _title(ws, "计算数（bangfu 从数据计算）", 3)
    _head(ws, 2, ["名称", "说明", "数值"])
    _widths(ws, [34, 30, 18])
    for i, (name, fig) in enumerate(r.figures.items(), 3):
        value = {"money": yuan, "rate": rate}.get(fig.kind, lambda v: v)(fig.value)
        _put(ws, i, [name, fig.label, value], {3: _FORMATS[fig.kind]})
    ws.freeze_panes = "A3"
