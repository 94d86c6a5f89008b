"""The scorecard as JSON, CSV and Markdown strings (the terminal one is in terminal.py).

JSON keeps every amount, count and score as an exact decimal string; a quotient that does not
end within 10 decimals (a rate such as 2149834 ÷ 2914797) is given to 6 decimals, ROUND_HALF_UP,
and every figure also as displayed ("73.76%"). The schema is documented in docs/cli.md and
versioned by ``schema``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from bangfu_eval import __version__
from bangfu_eval.aggregates import mode_json, mode_line, open_weight, unverifiable
from bangfu_eval.money import (
    DEFAULT_FORMAT,
    FORMATS,
    fmt_number,
    fmt_pct,
    fmt_ratio,
    fmt_unit,
    fmt_wan,
    fmt_yuan,
    round_half_up,
    round_places,
)
from bangfu_eval.render.text import cell, one_line
from bangfu_eval.results import Figure, NodeResult, Results, TreeResult
from bangfu_eval.scoring import METHOD_ZH as METHOD
from bangfu_eval.targetspec import SYMBOL

SCHEMA = 2
QUOTIENT_PLACES = 6
"""Decimals of a quotient in JSON when it does not end within 10 decimals."""

STATUS = {
    "contradicted": "矛盾",
    "missed": "高报",
    "differs": "低报",
    "no_evidence": "无据",
    "tier": "超档",
}
"""What the 标记 column says of a leaf (see NodeResult.status): 矛盾 a finding the leaf names is
present; 高报 / 低报 declared above / below the computed score; 无据 full marks with nothing in
the data; 超档 a qualitative score outside its tier."""

DECLARED = "*"
"""Marks a figure that only the ledger gives, shown as the report declares it."""
UNVERIFIABLE = "※"
"""Marks a leaf whose measure needs the ledger in a year without one (汇总数无法核实)."""


def fig(results: Results, name: str, fmt: Callable[[Decimal | None], str]) -> str:
    """A figure as shown: computed; declared (a year without its ledger) with （申报）; or —."""
    f = results.figures.get(name)
    if f is None or f.value is None:
        return "—"
    return fmt(f.value) + (DECLARED if f.origin == "declared" else "")


def count(value: Decimal | None) -> str:
    return fmt_number(value)


def total_text(results: Results) -> str:
    """The total, or in a year without its ledger the range it lies in while some leaves'
    scores are unknown ('40–100'); the grade, or — where the range spans more than one."""
    low, unknown = results.total, open_weight(results.primary.nodes)
    score = fmt_number(low) + (f"–{fmt_number(low + unknown)}" if unknown else "")
    return f"总分 {score}（满分 {fmt_number(results.primary.weight)}），评价等次：{results.grade or '—'}"


def mode_lines(results: Results) -> list[str]:
    """The year's mode and the mark of unverifiable leaves, when the year has no ledger."""
    line = mode_line(results.ledger_missing)
    if not line:
        return []
    out = [line, f"{DECLARED} 申报数（明细账才能计算，按报告所载）"]
    count, weight = unverifiable(results.primary)
    if count:
        out.append(
            f"{UNVERIFIABLE} 汇总数无法核实：{results.primary.title}中 {count} 项末级指标、"
            f"共 {fmt_number(weight)} 分的计算依据需要明细账（已填得分按所报，未填的不计入总分）"
        )
    return out


def plain(value: Any) -> Any:
    """Dataclasses, dicts, tuples → JSON-ready values; Decimal → exact string (a quotient that
    runs past 10 decimals to 6)."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -10:
            value = round_places(value, QUOTIENT_PLACES)
        return format(value, "f")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def display(fig: Figure) -> str:
    """A figure as the scorecard shows it: 73.76%, 2,914,797.00, 1.25."""
    return FORMATS[DEFAULT_FORMAT[fig.kind]](fig.value)


def to_json(results: Results, counts: dict[str, int], directory: str) -> str:
    doc = {
        "schema": SCHEMA,
        "version": __version__,
        "directory": directory,
        "year": results.year,
        "total": plain(results.total),
        "grade": results.grade,
        "totals": {
            "computed": plain(results.total),
            "declared": plain(results.declared_total),
            "declared_leaves": plain(results.declared_leaves),
            "grade": results.grade,
            "declared_grade": results.declared_grade,
        },
        "primary": results.primary.id,
        "trees": plain(results.trees),
        "funds": plain(results.funds),
        "payments": plain(results.payments),
        "beneficiaries": plain(results.beneficiaries),
        "targets": plain(results.targets),
        "figures": {k: {**plain(v), "display": display(v)} for k, v in results.figures.items()},
        "findings": counts,
        "ledger": mode_json(results.ledger_missing),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def node_rows(
    nodes: tuple[NodeResult, ...], level: int | None, prefix: str = ""
) -> Iterator[tuple[str, NodeResult]]:
    """(number, node) depth first, as '1', '1.2', '1.2.3'; nodes below ``level`` folded."""
    for i, n in enumerate(nodes, 1):
        number = f"{prefix}{i}"
        yield number, n
        if level is None or n.depth < level:
            yield from node_rows(n.children, level, number + ".")


_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def text_cell(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula: one that begins with = + - @
    (or a tab, or their full-width forms) gets a leading apostrophe, as OWASP advises.
    Numbers are written by ``plain`` and never pass through here."""
    return "'" + value if value.startswith(_FORMULA) else value


def csv_value(value: Decimal | None, kind: str) -> str:
    """A figure as a CSV cell, rounded as it is displayed (ROUND_HALF_UP): money to the fen,
    rates as percentages with 2 decimals (Excel reads '73.76%' as a number), ratios to 2."""
    if value is None:
        return ""
    if kind == "money":
        return format(round_half_up(value, 2), "f")
    if kind == "rate":
        return fmt_pct(value)
    if kind == "ratio":
        return format(round_half_up(value, 2), "f")
    return plain(value)  # type: ignore[no-any-return]


def to_csv(results: Results) -> str:
    """Two sections in one sheet: every computed figure, then every indicator node. With a
    UTF-8 BOM, so that Excel on Chinese Windows does not read it as GBK."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "name", "label", "kind", "weight", "value"])
    for name, fig in results.figures.items():
        w.writerow(
            ["figure", text_cell(name), text_cell(fig.label), fig.kind, "", csv_value(fig.value, fig.kind)]
        )
    for tree in results.trees:
        for number, n in node_rows(tree.nodes, None):
            w.writerow(
                [
                    text_cell(f"indicator:{tree.id}"),
                    number,
                    text_cell(n.label),
                    "score",
                    plain(n.weight),
                    plain(n.score) or "",
                ]
            )
    return buf.getvalue()


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return out


def tree_rows(tree: TreeResult, level: int | None, indent: str = "　") -> list[list[str]]:
    """序号, 指标, 分值, 得分 (computed), 申报 (declared), 方法, 标记 — then the total."""
    rows = []
    for number, n in node_rows(tree.nodes, level):
        if n.is_leaf:
            declared, method = n.leaf_declared, METHOD.get(n.method, n.method)
            mark = UNVERIFIABLE if n.unverifiable else STATUS.get(n.status, "")
        else:
            declared = n.score_declared if n.score_declared is not None else n.declared_sum
            method = mark = ""
            if level is not None and n.depth >= level:  # folded: say what its leaves are marked
                marks = dict.fromkeys(_mark(leaf) for leaf in _leaves(n) if _mark(leaf))
                mark = "下级" + "、".join(marks) if marks else ""
        shown = fmt_number(declared) if declared != n.score else ""
        rows.append(
            [
                number,
                indent * (n.depth - 1) + n.label,
                fmt_number(n.weight),
                fmt_number(n.score),
                shown,
                method,
                mark,
            ]
        )
    declared_total = tree.declared_score if tree.declared_score is not None else tree.declared_leaves
    rows.append(
        [
            "",
            "总分",
            fmt_number(tree.weight),
            fmt_number(tree.score),
            fmt_number(declared_total) if declared_total != tree.score else "",
            "",
            "",
        ]
    )
    return rows


def _mark(leaf: NodeResult) -> str:
    return UNVERIFIABLE if leaf.unverifiable else STATUS.get(leaf.status, "")


def _leaves(n: NodeResult) -> Iterator[NodeResult]:
    if n.is_leaf:
        yield n
    for c in n.children:
        yield from _leaves(c)


def headline(results: Results) -> list[str]:
    """The total and the grade first; then, labelled, the declared totals and grade where
    they differ from the computed ones."""
    lines = [total_text(results)]
    declared = (results.declared_total, results.declared_leaves)
    if any(d is not None and d != results.total for d in declared):
        parts = [f"计算总分 {fmt_number(results.total)}"]
        if results.declared_total is not None:
            parts.append(f"申报总分 {fmt_number(results.declared_total)}")
        if results.declared_leaves is not None:
            parts.append(f"申报末级得分合计 {fmt_number(results.declared_leaves)}")
        lines.append("；".join(parts))
    if results.declared_grade and results.declared_grade != results.grade:
        lines.append(f"评价等次：计算“{results.grade}”，申报“{results.declared_grade}”")
    return lines


def funds_rows(results: Results) -> list[list[str]]:
    f = results.funds
    rows = [
        [
            s.name,
            fmt_yuan(s.arrived),
            fig(results, f"funds.{s.id}.spent", fmt_yuan),
            fig(results, f"funds.{s.id}.balance", fmt_yuan),
            fig(results, f"funds.{s.id}.execution_rate", fmt_pct),
            fig(results, f"person_times.{s.id}", count),
        ]
        for s in f.sources
    ]
    rows.append(
        [
            "合计",
            fmt_yuan(f.arrived),
            fig(results, "funds.spent", fmt_yuan),
            fig(results, "funds.balance", fmt_yuan),
            fig(results, "funds.execution_rate", fmt_pct),
            fig(results, "person_times.total", count),
        ]
    )
    return rows


def target_rows(results: Results) -> list[list[str]]:
    """类型, 指标, 目标 (with its direction), 实际, 完成, 等级."""
    met = {True: "是", False: "否", None: "—"}
    rows = []
    for t in results.targets:
        goal = SYMBOL.get(t.direction, "") + fmt_unit(t.target, t.unit)
        if t.direction == "range":
            goal = f"{fmt_unit(t.target, t.unit)}–{fmt_unit(t.target_high, t.unit)}"
        rows.append([t.kind, t.name, goal, fmt_unit(t.actual, t.unit), met[t.met], t.grade or "—"])
    return rows


def summary_rows(results: Results) -> list[list[str]]:
    f, b = results.funds, results.beneficiaries
    ledger = "disbursements.yaml" not in results.ledger_missing
    per = (
        f"{fmt_yuan(b.average_per_household)} / {fmt_yuan(b.average_per_person_time)} 元"
        if ledger and "households.yaml" not in results.ledger_missing
        else "—"
    )

    def pct(name: str) -> str:
        return fig(results, name, fmt_pct)

    return [
        ["到位资金", f"{fmt_yuan(f.arrived)} 元（{fmt_wan(f.arrived)} 万元）"],
        ["支出", _yuan_wan(results, "funds.spent")],
        ["结余", _yuan_wan(results, "funds.balance")],
        ["预算执行率（执行数 ÷ 上年结转与到位）", pct("funds.execution_rate")],
        [
            "资金到位率（到位 ÷ 安排）",
            fmt_pct(f.arrival_rate) if f.arrival_rate is not None else "未知（未申报安排数）",
        ],
        [f"资金使用率（支出 ÷ {'到位' if f.rate_base == 'arrived' else '可用'}）", pct("funds.utilisation")],
        ["配套比例（到位 / 支出）", f"{fmt_ratio(f.matching_arrived)}:1 / {fmt_ratio(f.matching_spent)}:1"],
        ["及时率（笔数 / 金额）", f"{pct('payments.timely.count')} / {pct('payments.timely.amount')}"],
        ["发放完成率（时限内发放 ÷ 预算数）", pct("payments.completion")],
        ["实名制卡发放比例", pct("payments.noncash_share")],
        [
            "在档户数 / 受助户数 / 覆盖率",
            " / ".join(
                fig(results, n, fmt)
                for n, fmt in (
                    ("households.archived", count),
                    ("households.helped", count),
                    ("households.coverage", fmt_pct),
                )
            ),
        ],
        ["入户核查覆盖率", pct("households.visit_coverage")],
        ["帮扶人次", fig(results, "person_times.total", count)],
        ["户均 / 人次均", per],
    ]


def _yuan_wan(results: Results, name: str) -> str:
    f = results.figures.get(name)
    if f is None or f.value is None:
        return "—"
    mark = DECLARED if f.origin == "declared" else ""
    return f"{fmt_yuan(f.value)} 元（{fmt_wan(f.value)} 万元）{mark}"


def to_markdown(results: Results, level: int | None = None) -> str:
    out = [f"# {results.year} 年度评分", ""]
    for line in mode_lines(results):  # one paragraph each; a leading * is not a list item
        out += ["> " + ("\\" + line if line.startswith(DECLARED) else line), ""]
    lines = headline(results)
    out += [f"**{lines[0]}**", ""]
    out += [*(f"- {line}" for line in lines[1:]), ""] if len(lines) > 1 else []
    for tree in results.trees:
        out += [f"## {one_line(tree.title)}" + (f"（{one_line(tree.source)}）" if tree.source else ""), ""]
        out += [*_table(TREE_HEAD, tree_rows(tree, level)), ""]
    out += ["## 资金", ""]
    out += [
        *_table(["来源", "到位（元）", "支出（元）", "结余（元）", "执行率", "人次"], funds_rows(results)),
        "",
    ]
    out += [*_table(["项目", "数值"], summary_rows(results)), ""]
    out += ["## 绩效目标", ""]
    out += _table(["指标类型", "指标", "目标", "实际", "完成", "等级"], target_rows(results))
    return "\n".join(out) + "\n"


TREE_HEAD = ["序号", "指标", "分值", "得分", "申报", "方法", "标记"]
