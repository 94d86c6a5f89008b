"""The report's context: everything a template may show, prepared from the pipeline's outcome.

Templates never compute: tables arrive as rows of text cells (``MERGE_UP`` marks a cell merged
with the one above, as the seed's Word tables merge them), figures as Decimals that the
template formats with the filters of ``money.FORMATS``. Personal data is masked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bangfu_eval import models as m
from bangfu_eval.aggregates import report_note
from bangfu_eval.catalogue import CODES
from bangfu_eval.money import fmt_number, fmt_unit, fmt_wan
from bangfu_eval.narrative import fill
from bangfu_eval.pipeline import Outcome
from bangfu_eval.privacy import Masker
from bangfu_eval.results import NodeResult, Results, TreeResult


class _Mark(str):
    """The merge mark's own type: a cell of data that reads '^^' is not the mark."""


MERGE_UP: str = _Mark("^^")
"""A table cell merged with the cell above it (Word output); blank in Markdown. The table
filter escapes '^^' from data (\\^^), so only this object merges cells."""


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[str]]


def indicator_table(tree: TreeResult) -> Table:
    """附件3-style table: one row per leaf; for each group level a name and a weight column
    (merged down over the leaves it holds), then the leaf's criterion, weight, requirement and
    score. Groups deeper than the named levels are folded into the criterion cell."""
    levels = list(tree.levels) or ["一级指标", "二级指标", "评价标准"]
    groups = max(len(levels) - 1, 1)
    head: list[str] = []
    for name in levels[:groups]:
        head += [name, "分值"]
    head += [levels[groups] if len(levels) > groups else "评价标准", "分值", "评价要求", "得分"]
    rows = _rows(tree, groups)
    rows.append(["总分", fmt_number(tree.weight), *[""] * (len(head) - 3), fmt_number(tree.score)])
    if not any(r[-2] for r in rows[:-1]):  # no requirement anywhere: drop the column
        head = head[:-2] + head[-1:]
        rows = [r[:-2] + r[-1:] for r in rows]
    return Table(head, rows)


def _leaves(
    nodes: tuple[NodeResult, ...], path: tuple[NodeResult, ...]
) -> Iterator[tuple[tuple[NodeResult, ...], NodeResult]]:
    for n in nodes:
        if n.children:
            yield from _leaves(n.children, (*path, n))
        else:
            yield path, n


def _weight(n: NodeResult) -> str:
    return fmt_number(n.weight_declared) if n.weight_declared is not None else ""


def _rows(tree: TreeResult, groups: int) -> list[list[str]]:
    rows: list[list[str]] = []
    previous: tuple[NodeResult, ...] = ()
    for path, leaf in _leaves(tree.nodes, ()):
        named, folded = path[:groups], path[groups:]
        row: list[str] = []
        for i in range(groups):
            if i >= len(named):
                row += ["", ""]
            elif [id(x) for x in named[: i + 1]] == [id(x) for x in previous[: i + 1]]:
                row += [MERGE_UP, MERGE_UP]
            else:
                row += [named[i].name or "", _weight(named[i])]
        text = leaf.criterion or leaf.name or ""
        if folded:
            text = "（" + "／".join(p.name or "" for p in folded if p.name) + "）" + text
        row += [text, _weight(leaf), leaf.requirement, fmt_number(leaf.score)]
        rows.append(row)
        previous = named
    return rows


def target_table(results: Results) -> Table:
    """附件4 with the actual values and the grade they reach."""
    head = ["指标类型", "指标名称", "绩效目标", "优", "良", "中", "差", "实际完成", "等级"]
    rows = []
    previous = ""
    for t in results.targets:
        bands = dict(t.bands)
        kind = MERGE_UP if t.kind == previous else t.kind
        previous = t.kind
        rows.append(
            [
                kind,
                t.name,
                t.target_text or fmt_unit(t.target, t.unit),
                *(bands.get(g, "") for g in ("优", "良", "中", "差")),
                fmt_unit(t.actual, t.unit) if t.actual is not None else "（无数据）",
                t.grade or "—",
            ]
        )
    return Table(head, rows)


def funds_table(results: Results, planned: Any) -> Table:
    """附件5's money block: planned, arrived and spent, by source, in 万元."""
    f = results.funds
    head = ["资金来源", "计划投资额（万元）", "实际到位资金（万元）", "实际使用情况（万元）"]
    spent = {name: fig.value for name, fig in results.figures.items()}  # None: unknown without a ledger
    plan = fmt_wan(planned) if planned is not None else ""
    rows = [["合计", plan, fmt_wan(f.arrived), fmt_wan(spent["funds.spent"])]]
    # the plan is known in total only (附件5 leaves the by-source plan cells blank)
    rows += [[s.name, "", fmt_wan(s.arrived), fmt_wan(spent[f"funds.{s.id}.spent"])] for s in f.sources]
    return Table(head, rows)


def _section(s: m.Section, figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "heading": s.heading,
        "paragraphs": [fill(p, figures) for p in s.paragraphs],
        "sections": [_section(c, figures) for c in s.sections],
    }


def context(outcome: Outcome, mask: Masker, draft: bool) -> dict[str, Any]:
    """The names a template can use (documented in docs/report.md)."""
    year, results = outcome.year, outcome.results
    assert year is not None and results is not None
    figs = results.figures
    n, p, ev = year.narrative, year.project.project, year.project.evaluation
    primary = results.primary
    others = [t for t in results.trees if t is not primary]
    shown = [f for f in outcome.findings if CODES[f.code].in_report]
    return {
        "draft": draft,
        "masked": not mask.show,
        "year": year.project.year,
        "title": n.title,
        "subtitle": n.subtitle,
        "preamble": [fill(x, figs) for x in n.preamble],
        "sections": [_section(s, figs) for s in n.sections],
        "project": {
            "name": p.name,
            "unit": p.unit,
            "supervisor": p.supervisor,
            "issuer": p.issuer,
            "responsible_person": mask("responsible_person", p.responsible_person),
            "phone": mask("phone", p.phone),
            "address": p.address,
            "postcode": p.postcode,
            "recurring": p.project_type == "recurring",
            "planned_amount": p.planned_amount,
        },
        "evaluation": {
            "date": ev.date,
            "evaluators": [
                {"name": mask("name", e.name), "title": e.title, "unit": e.unit, "score": e.score}
                for e in ev.evaluators
            ],
        },
        "grade": results.grade,
        "total": results.total,
        "results": results,
        "primary": primary,
        "primary_table": indicator_table(primary),
        "summary_trees": [(t, indicator_table(t)) for t in others],
        "targets_table": target_table(results),
        "targets_title": year.targets.title,
        "funds_table": funds_table(results, p.planned_amount),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "file": f.location.file,
                "line": f.location.line,
                "message": f.message,
                "acknowledged": f.acknowledged,
            }
            for f in shown
        ],
        "counts": outcome.counts,
        "ledger_note": report_note(outcome.ledger_missing),
    }
