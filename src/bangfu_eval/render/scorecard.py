"""The scorecard as JSON, CSV and Markdown strings (the terminal one is in terminal.py).

JSON keeps every amount and rate as an exact decimal string, so no precision is lost; the schema
is documented in docs/cli.md and versioned by ``schema``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bangfu_eval import __version__
from bangfu_eval.money import fmt_number, fmt_pct, fmt_ratio, fmt_unit, fmt_wan, fmt_yuan
from bangfu_eval.render.text import cell, one_line
from bangfu_eval.results import NodeResult, Results, TreeResult

SCHEMA = 1


def plain(value: Any) -> Any:
    """Dataclasses, dicts, tuples → JSON-ready values; Decimal → exact string."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def to_json(results: Results, counts: dict[str, int], directory: str) -> str:
    doc = {
        "schema": SCHEMA,
        "version": __version__,
        "directory": directory,
        "year": results.year,
        "total": plain(results.total),
        "grade": results.grade,
        "primary": results.primary.id,
        "trees": plain(results.trees),
        "funds": plain(results.funds),
        "payments": plain(results.payments),
        "beneficiaries": plain(results.beneficiaries),
        "targets": plain(results.targets),
        "figures": {k: plain(v) for k, v in results.figures.items()},
        "findings": counts,
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


def to_csv(results: Results) -> str:
    """Two sections in one sheet: every computed figure, then every indicator node."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "name", "label", "kind", "weight", "value"])
    for name, fig in results.figures.items():
        w.writerow(["figure", text_cell(name), text_cell(fig.label), fig.kind, "", plain(fig.value) or ""])
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


def tree_rows(tree: TreeResult, level: int | None) -> list[list[str]]:
    rows = []
    for number, n in node_rows(tree.nodes, level):
        lost = n.lost
        mark = f"−{fmt_number(lost)}" if lost else ""
        auto = "（计算）" if n.auto else ""
        rows.append(
            [number, "　" * (n.depth - 1) + n.label, fmt_number(n.weight), fmt_number(n.score) + auto, mark]
        )
    rows.append(["", "总分", fmt_number(tree.weight), fmt_number(tree.score), ""])
    return rows


def funds_rows(results: Results) -> list[list[str]]:
    f = results.funds
    rows = [
        [
            s.name,
            fmt_yuan(s.arrived),
            fmt_yuan(s.spent),
            fmt_yuan(s.balance),
            fmt_pct(s.utilisation),
            str(s.person_times),
        ]
        for s in f.sources
    ]
    rows.append(
        [
            "合计",
            fmt_yuan(f.arrived),
            fmt_yuan(f.spent),
            fmt_yuan(f.balance),
            fmt_pct(f.utilisation),
            str(results.beneficiaries.person_times),
        ]
    )
    return rows


def target_rows(results: Results) -> list[list[str]]:
    met = {True: "是", False: "否", None: "—"}
    return [
        [
            t.kind,
            t.name,
            t.target_text or fmt_unit(t.target, t.unit),
            fmt_unit(t.actual, t.unit),
            met[t.met],
            t.grade or "—",
        ]
        for t in results.targets
    ]


def summary_rows(results: Results) -> list[list[str]]:
    f, b = results.funds, results.beneficiaries
    return [
        ["到位资金", f"{fmt_yuan(f.arrived)} 元（{fmt_wan(f.arrived)} 万元）"],
        ["支出", f"{fmt_yuan(f.spent)} 元（{fmt_wan(f.spent)} 万元）"],
        ["结余", f"{fmt_yuan(f.balance)} 元（{fmt_wan(f.balance)} 万元）"],
        ["资金到位率", fmt_pct(f.arrival_rate)],
        [f"资金使用率（支出 ÷ {'到位' if f.rate_base == 'arrived' else '可用'}）", fmt_pct(f.utilisation)],
        ["配套比例（到位 / 支出）", f"{fmt_ratio(f.matching_arrived)}:1 / {fmt_ratio(f.matching_spent)}:1"],
        ["按时发放比例", fmt_pct(results.payments.on_time_share)],
        ["实名制卡发放比例", fmt_pct(results.payments.noncash_share)],
        ["在档户数 / 受助户数 / 覆盖率", f"{b.archived} / {b.helped} / {fmt_pct(b.coverage)}"],
        ["帮扶人次", str(b.person_times)],
        ["户均 / 人次均", f"{fmt_yuan(b.average_per_household)} / {fmt_yuan(b.average_per_person_time)} 元"],
    ]


def to_markdown(results: Results, level: int | None = None) -> str:
    out = [f"# {results.year} 年度评分", ""]
    out += [
        f"**总分 {fmt_number(results.total)}（满分 {fmt_number(results.primary.weight)}），"
        f"评价等次：{results.grade}**",
        "",
    ]
    for tree in results.trees:
        out += [f"## {one_line(tree.title)}（{one_line(tree.source)}）", ""]
        out += [*_table(["序号", "指标", "分值", "得分", "失分"], tree_rows(tree, level)), ""]
    out += ["## 资金", ""]
    out += [
        *_table(["来源", "到位（元）", "支出（元）", "结余（元）", "使用率", "人次"], funds_rows(results)),
        "",
    ]
    out += [*_table(["项目", "数值"], summary_rows(results)), ""]
    out += ["## 绩效目标", ""]
    out += _table(["指标类型", "指标", "目标", "实际", "完成", "等级"], target_rows(results))
    return "\n".join(out) + "\n"
