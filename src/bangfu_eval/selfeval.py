"""The tables of a self-evaluation after the Ministry of Finance's outline (财预〔2020〕10号):
预算执行情况, 绩效目标完成情况 and the standard 项目支出绩效自评表, built from the results.

Everything here is laid out from computed records (funds, targets, the primary indicator tree):
no figure is typed in and none is scored here. The 自评表's 分值 and 得分 of 预算执行率 are those
of the primary tree's execution_rate indicator when it has one (— otherwise), as in the
workbook of ``bangfu score --out 自评表.xlsx``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from bangfu_eval.money import fmt_number, fmt_pct, fmt_unit, fmt_wan, fmt_yuan, round_half_up
from bangfu_eval.report_tables import MERGE_LEFT, MERGE_UP, Table, leaves
from bangfu_eval.results import Figure, NodeResult, Results, SourceResult, TargetResult

GOVERNMENT_KINDS = frozenset({"central", "provincial", "city", "county"})
"""Source kinds that are 财政拨款 in the form's funds block; other kinds are 其他资金."""
TO_FILL = "【待填写】"
"""Shown where the unit has still to write its own words (narrative.yaml)."""
INDICATOR_HEAD = (
    *("一级指标", "二级指标", "三级指标", "年度指标值"),
    *("实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
)
"""The column titles of the 自评表's indicator rows (the MOF form), for Word, Markdown and Excel."""


@dataclass(frozen=True)
class Budget:
    """全年预算数, 执行数 and 执行率; None where the figure is not known (a year without its
    ledger that does not declare it)."""

    budget: Decimal
    spent: Decimal | None
    rate: Decimal | None


def _value(figs: dict[str, Figure], name: str) -> Decimal | None:
    fig = figs.get(name)
    return None if fig is None else fig.value


def budget(results: Results, source: SourceResult | None = None) -> Budget:
    """The budget execution of all funds, or of one source: 全年预算数 = carried in + arrived,
    执行率 = the figure ``funds[.<source>].execution_rate`` (spent ÷ that); spent and rates are
    read from the figures, which know when the ledger is missing."""
    f = results.funds
    base, prefix = (f.available, "funds.") if source is None else (source.available, f"funds.{source.id}.")
    rate = _value(results.figures, prefix + "execution_rate")
    return Budget(base, _value(results.figures, prefix + "spent"), rate)


def execution_leaf(results: Results) -> NodeResult | None:
    """The primary tree's 预算执行率 indicator (scored by the execution_rate method), if any: its
    分值 and 得分 are the funds block's (the score belongs to the tree, not to the form)."""
    return next((leaf for _, leaf in leaves(results.primary.nodes) if leaf.method == "execution_rate"), None)


def budget_table(results: Results) -> Table:
    """预算执行情况 by source, in 元: budget, spent, rate, balance."""
    head = ["资金来源", "全年预算数（元）", "全年执行数（元）", "执行率", "结余（元）"]
    rows = []
    parts: list[tuple[str, SourceResult | None, str]] = [
        (s.name, s, f"funds.{s.id}.balance") for s in results.funds.sources
    ]
    for name, source, balance in [*parts, ("合计", None, "funds.balance")]:
        b = budget(results, source)
        rows.append(
            [
                name,
                fmt_yuan(b.budget),
                fmt_yuan(b.spent),
                fmt_pct(b.rate),
                fmt_yuan(_value(results.figures, balance)),
            ]
        )
    return Table(head, rows)


def _actual(t: TargetResult) -> str:
    return fmt_unit(t.actual, t.unit) if t.actual is not None else "无数据"


def _done(t: TargetResult) -> str:
    if t.met is None:
        return "无实际值"
    return ("已完成" if t.met else "未完成") + (f"（{t.grade}）" if t.grade else "")


def _needs_words(t: TargetResult) -> bool:
    return t.met is not True


def target_rows(results: Results, deviations: dict[str, str]) -> Iterator[list[str]]:
    """One row per target of 附件4: type, name, 年度指标值, 实际完成值, 分值 and 得分 (a target of
    附件4 carries no weight: —), 完成情况, 偏差原因."""
    previous = ""
    for t in results.targets:
        kind = MERGE_UP if t.kind == previous else t.kind
        previous = t.kind
        words = deviations.get(t.id, "")
        if not words:
            words = TO_FILL if _needs_words(t) else "—"
        target = t.target_text or fmt_unit(t.target, t.unit)
        yield [kind, t.name, target, _actual(t), "—", "—", _done(t), words]


def leaf_target_rows(results: Results, deviations: dict[str, str]) -> Iterator[list[str]]:
    """One row per indicator of the primary tree scored against a target (年度指标值 from the
    scoring by method), with its 分值 and 得分."""
    previous = None
    for path, leaf in leaves(results.primary.nodes):
        target = _target_text(leaf)
        if target == "—":
            continue
        group = (path[0].name or "—") if path else "—"  # the 一级指标 (the seed leaves one unnamed)
        kind = MERGE_UP if group == previous else group
        previous = group
        done = {True: "已完成", False: "未完成", None: "无数据"}[leaf.measure_met]
        words = _deviation(leaf, deviations) or "—"
        name = leaf.name or leaf.criterion
        yield [
            kind,
            name,
            target,
            _measure(leaf),
            fmt_number(leaf.weight),
            fmt_number(leaf.score),
            done,
            words,
        ]


def targets_done_table(results: Results, deviations: dict[str, str]) -> Table:
    """绩效目标完成情况: the targets of 附件4 and the indicators scored against a target."""
    head = [
        "指标类型",
        "指标名称",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "完成情况",
        "偏差原因分析及改进措施",
    ]
    rows = [*target_rows(results, deviations), *leaf_target_rows(results, deviations)]
    return Table(head, rows)


def _target_text(leaf: NodeResult) -> str:
    """The leaf's 年度指标值 where the scoring gives one (≥95.00%, 815人次), else —."""
    return leaf.target_text or "—"


def _measure(leaf: NodeResult) -> str:
    """实际完成值: the measured value in its target's unit, or 达成 / 未达成 when only that is known."""
    v, target = leaf.measure_value, _target_text(leaf)
    if v is None:
        return "—"
    if "%" in target:
        return fmt_pct(v)
    if target != "—":
        return fmt_number(round_half_up(v, 2))
    return {True: "达成", False: "未达成", None: "—"}[leaf.measure_met]


def _deviation(leaf: NodeResult, deviations: dict[str, str]) -> str:
    words = deviations.get(leaf.label, "")
    if words:
        return words
    lost = leaf.lost
    return TO_FILL if lost is not None and lost > 0 else ""


def _funds_rows(results: Results, planned: Decimal | None) -> list[list[str]]:
    f = results.funds
    b = budget(results)
    leaf = execution_leaf(results)
    gov = sum((s.arrived for s in f.sources if s.kind in GOVERNMENT_KINDS), Decimal(0))
    other = sum((s.arrived for s in f.sources if s.kind not in GOVERNMENT_KINDS), Decimal(0))
    carried = fmt_wan(f.carried_in) if f.carried_in else "—"
    dash = "—"
    return [
        ["项目资金（万元）", MERGE_LEFT, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [
            "年度资金总额",
            MERGE_LEFT,
            fmt_wan(planned) if planned is not None else dash,
            fmt_wan(b.budget),
            fmt_wan(b.spent),
            fmt_number(leaf.weight) if leaf else dash,
            fmt_pct(b.rate),
            fmt_number(leaf.score) if leaf else dash,
        ],
        ["其中：本年财政拨款", MERGE_LEFT, dash, fmt_wan(gov), dash, dash, dash, dash],
        ["上年结转资金", MERGE_LEFT, dash, carried, dash, dash, dash, dash],
        ["其他资金", MERGE_LEFT, dash, fmt_wan(other), dash, dash, dash, dash],
    ]


def _goal_text(results: Results, actual: bool) -> str:
    parts = []
    for t in results.targets:
        value = _actual(t) if actual else t.target_text or fmt_unit(t.target, t.unit)
        parts.append(f"{t.name}{value}" if value[:1].isdigit() else f"{t.name}：{value}")
    return "；".join(parts) + ("。" if parts else "")


def _group_cell(path: tuple[NodeResult, ...], previous: tuple[NodeResult, ...], level: int) -> str:
    """The 一级 / 二级 cell of a row: merged with the row above while it is the same group."""
    if len(path) <= level:
        return ""
    same = len(previous) > level and all(a is b for a, b in zip(path[: level + 1], previous, strict=False))
    return MERGE_UP if same else path[level].name or ""


def form_table(
    results: Results,
    names: tuple[str, str, str],
    planned: Decimal | None,
    goal: str,
    deviations: dict[str, str],
) -> Table:
    """项目支出绩效自评表: header block, funds block, overall goal against result, one row per
    indicator of the primary tree (一级 / 二级 / 三级), total. Eight columns; ``MERGE_LEFT``
    widens a cell over its neighbours, as the printed form does."""
    project, supervisor, unit = names
    span = [MERGE_LEFT] * 5
    rows: list[list[str]] = [
        ["项目名称", MERGE_LEFT, project, *span],
        ["主管部门", MERGE_LEFT, supervisor, MERGE_LEFT, "实施单位", unit, MERGE_LEFT, MERGE_LEFT],
        *_funds_rows(results, planned),
        [
            "年度总体目标",
            MERGE_LEFT,
            "预期目标",
            MERGE_LEFT,
            MERGE_LEFT,
            "实际完成情况",
            MERGE_LEFT,
            MERGE_LEFT,
        ],
        [
            MERGE_UP,
            MERGE_LEFT,
            goal or _goal_text(results, False),
            MERGE_LEFT,
            MERGE_LEFT,
            _goal_text(results, True),
            MERGE_LEFT,
            MERGE_LEFT,
        ],
        list(INDICATOR_HEAD),
    ]
    tree = results.primary
    previous: tuple[NodeResult, ...] = ()
    for path, leaf in leaves(tree.nodes):
        groups = [_group_cell(path, previous, level) for level in (0, 1)]
        third = "／".join(n.name for n in (*path[2:], leaf) if n.name)
        if leaf.criterion and leaf.criterion != third:
            third = f"{third}：{leaf.criterion}" if third else leaf.criterion
        first, second = groups
        previous = path
        rows.append(
            [
                first,
                second,
                third,
                _target_text(leaf),
                _measure(leaf),
                fmt_number(leaf.weight),
                fmt_number(leaf.score),
                _deviation(leaf, deviations),
            ]
        )
    rows.append(
        [
            "总分",
            MERGE_LEFT,
            MERGE_LEFT,
            MERGE_LEFT,
            MERGE_LEFT,
            fmt_number(tree.weight),
            fmt_number(tree.score),
            f"评价等次：{tree.grade}",
        ]
    )
    return Table(rows[0], rows[1:])


FORM_LABELS = ("项目资金（万元）", "年度总体目标", "一级指标")
"""First cells of the 自评表's rows of column titles."""


def label_rows(t: Table) -> list[int]:
    """Indices (the head being row 0) of a form's rows of column titles, set like headers."""
    return [i for i, row in enumerate([t.head, *t.rows]) if row[0] in FORM_LABELS]
