"""The report's context: everything a template may show, prepared from the pipeline's outcome.

Templates never compute: tables arrive as rows of text cells (``MERGE_UP`` marks a cell merged
with the one above, as the seed's Word tables merge them), figures as Decimals that the
template formats with the filters of ``money.FORMATS``. Households' personal data never reaches
the report's context; the officials, evaluators and contacts who sign it are shown in full.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bangfu_eval import models as m
from bangfu_eval import selfeval
from bangfu_eval.aggregates import report_note
from bangfu_eval.catalogue import CODES
from bangfu_eval.money import fmt_number, fmt_pct, fmt_unit, fmt_wan, ratio
from bangfu_eval.narrative import declarations, fill
from bangfu_eval.pipeline import Outcome
from bangfu_eval.privacy import Masker
from bangfu_eval.problems import problem_list, problem_paragraphs
from bangfu_eval.report_tables import MERGE_LEFT, MERGE_UP, Table, leaves
from bangfu_eval.results import NodeResult, Results, TreeResult
from bangfu_eval.rules.declared import BF201


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
    # the printed total row: the tree's weight under every group's 分值 (100 / 100 / 100)
    total = ["总分"] + [fmt_number(tree.weight) if i % 2 else "" for i in range(1, 2 * groups)]
    rows.append([*total, *[""] * (len(head) - len(total) - 1), fmt_number(tree.score)])
    if not any(r[-2] for r in rows[:-1]):  # no requirement anywhere: drop the column
        head = head[:-2] + head[-1:]
        rows = [r[:-2] + r[-1:] for r in rows]
    return Table(head, rows)


def _weight(n: NodeResult) -> str:
    return fmt_number(n.weight_declared) if n.weight_declared is not None else ""


def _rows(tree: TreeResult, groups: int) -> list[list[str]]:
    rows: list[list[str]] = []
    previous: tuple[NodeResult, ...] = ()
    for path, leaf in leaves(tree.nodes):
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


Kept = dict[tuple[int, tuple[object, ...]], set[int]]
"""(id of the record holding a paragraph, its field) → offsets of the placeholders whose
declared figure is kept."""


def _section(s: m.Section, figures: dict[str, Any], kept: Kept) -> dict[str, Any]:
    return {
        "heading": s.heading,
        "paragraphs": [
            fill(p, figures, kept.get((id(s), ("paragraphs", j)), ())) for j, p in enumerate(s.paragraphs)
        ],
        "sections": [_section(c, figures, kept) for c in s.sections],
    }


def acknowledged_declarations(outcome: Outcome) -> Kept:
    """The narrative's declared figures whose difference from the computed one (BF201) was
    acknowledged with a reason: the report keeps the unit's own figure there."""
    acked = {
        (f.location.file, f.location.line, f.location.column)
        for f in outcome.findings
        if f.code == BF201.code and f.acknowledged
    }
    kept: Kept = {}
    if not acked or outcome.year is None:
        return kept
    for d in declarations(outcome.year):
        if d.offset is None:
            continue  # not in a paragraph
        loc = outcome.loaded.in_text(outcome.loaded.at(d.record, *d.fields), d.offset)
        if (loc.file, loc.line, loc.column) in acked:
            kept.setdefault((id(d.record), d.fields), set()).add(d.offset)
    return kept


CHINESE_NUMBERS = "一二三四五六七八九十"


def chapter_number(n: int) -> str:
    """一 … 十, 十一 … 十九 (chapter numbers of a report)."""
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    return "十" + CHINESE_NUMBERS[n - 11] if n < 20 else str(n)


def summary_table(tree: TreeResult, grade: str) -> Table:
    """附件5's indicator table with its 评价等次 row, as the printed form has it."""
    t = indicator_table(tree)
    rows = [*t.rows, ["评价等次", *[MERGE_LEFT] * (len(t.head) - 2), grade]]
    return Table(t.head, rows)


def previous_year(year_dir: Path, run: Callable[[Path], Outcome]) -> Outcome | None:
    """The previous year's outcome when its directory sits beside this one (data/2021 beside
    data/2022) and loads; None otherwise."""
    if not year_dir.name.isdigit():
        return None
    before = year_dir.parent / str(int(year_dir.name) - 1)
    if not (before / "project.yaml").is_file():
        return None
    outcome = run(before)
    r = outcome.results
    return outcome if r is not None and r.year == int(year_dir.name) - 1 else None


def yoy_table(now: Results, before: Results) -> Table:
    """同比: this year against the previous one."""
    head = ["项目", f"{before.year}年", f"{now.year}年", "增减", "增减率"]
    pairs: list[tuple[str, Any, Any, Callable[[Any], str]]] = [
        ("到位资金（万元）", before.funds.arrived, now.funds.arrived, fmt_wan),
        ("支出（万元）", before.figures["funds.spent"].value, now.figures["funds.spent"].value, fmt_wan),
        (
            "资金使用率",
            before.figures["funds.utilisation"].value,
            now.figures["funds.utilisation"].value,
            fmt_pct,
        ),
        ("帮扶人次", before.beneficiaries.person_times, now.beneficiaries.person_times, fmt_number),
        ("在档困难职工（户）", before.beneficiaries.archived, now.beneficiaries.archived, fmt_number),
        ("评价总分", before.total, now.total, fmt_number),
    ]
    rows = []
    for label, a, b, fmt in pairs:
        if a is None or b is None:
            rows.append([label, fmt(a), fmt(b), "—", "—"])
            continue
        a, b = Decimal(a), Decimal(b)
        diff = fmt(b - a)
        rate = "—" if fmt is fmt_pct else fmt_pct(ratio(b - a, a))
        rows.append([label, fmt(a), fmt(b), diff if diff.startswith("-") else "+" + diff, rate])
    return Table(head, rows)


def context(outcome: Outcome, mask: Masker, draft: bool, before: Outcome | None = None) -> dict[str, Any]:
    """The names a template can use (documented in docs/report.md). Officials, evaluators and
    the unit's contacts sign the report and are shown in full; households are masked."""
    year, results = outcome.year, outcome.results
    assert year is not None and results is not None
    figs = results.figures
    n, p, ev = year.narrative, year.project.project, year.project.evaluation
    primary = results.primary
    others = [t for t in results.trees if t is not primary]
    shown = [f for f in outcome.findings if CODES[f.code].in_report]
    b = selfeval.budget(results)
    kept = acknowledged_declarations(outcome)
    form = selfeval.form_table(
        results, (p.name, p.supervisor, p.unit), p.planned_amount, n.goal, n.deviations
    )
    return {
        "draft": draft,
        "masked": not mask.show,
        "year": year.project.year,
        "title": n.title,
        "subtitle": n.subtitle,
        "issuer": p.issuer,
        "preamble": [fill(x, figs, kept.get((id(n), ("preamble", i)), ())) for i, x in enumerate(n.preamble)],
        "sections": [_section(s, figs, kept) for s in n.sections],
        "chapter": chapter_number(len(n.sections) + 1),
        "improvements": [fill(x, figs) for x in n.improvements],
        "to_fill": selfeval.TO_FILL,
        "project": {
            "name": p.name,
            "unit": p.unit,
            "supervisor": p.supervisor,
            "issuer": p.issuer,
            "responsible_person": p.responsible_person,
            "phone": p.phone,
            "address": p.address,
            "postcode": p.postcode,
            "recurring": p.project_type == "recurring",
            "planned_amount": p.planned_amount,
        },
        "evaluation": {
            "date": ev.date,
            "evaluators": [
                {"name": e.name, "title": e.title, "unit": e.unit, "score": e.score} for e in ev.evaluators
            ],
        },
        "grade": results.grade,
        "total": results.total,
        "results": results,
        "budget": b,
        "budget_table": selfeval.budget_table(results),
        "targets_done_table": selfeval.targets_done_table(results, n.deviations),
        "form_table": form,
        "form_labels": ",".join(str(i) for i in selfeval.label_rows(form)),
        "problems": problem_paragraphs(outcome.findings),
        "problem_list": problem_list(shown),
        "before": before.results if before else None,
        "yoy_table": yoy_table(results, before.results) if before and before.results else None,
        "primary": primary,
        "primary_table": indicator_table(primary),
        "summary_trees": [(t, summary_table(t, results.grade)) for t in others],
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
