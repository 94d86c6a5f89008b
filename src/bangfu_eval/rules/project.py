"""BF8: project facts — plan against arrived money, evaluators' scores, the final grade."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval.findings import Finding
from bangfu_eval.money import fmt_number, fmt_pct, fmt_wan
from bangfu_eval.rules.base import Context

P = "project.yaml"


def plan(ctx: Context) -> Iterator[Finding]:
    """BF801: arrived money differs from the planned amount (计划投资额)."""
    planned = ctx.year.project.project.planned_amount
    arrived = ctx.results.funds.arrived
    if planned is not None and planned != arrived:
        yield ctx.find(
            "BF801",
            P,
            ("project", "planned_amount"),
            f"计划投资额 {fmt_wan(planned)} 万元，实际到位 {fmt_wan(arrived)} 万元"
            f"（{fmt_pct(arrived / planned) if planned else '—'}）",
        )


def evaluators(ctx: Context) -> Iterator[Finding]:
    """BF802: evaluators' scores against the computed total of the primary tree; one finding
    per differing score, at the first evaluator who signed it, naming all who did."""
    total = ctx.results.total
    signed: dict[object, list[int]] = {}
    for i, e in enumerate(ctx.year.project.evaluation.evaluators):
        if e.score is not None and e.score != total:
            signed.setdefault(e.score, []).append(i)
    people = ctx.year.project.evaluation.evaluators
    for idx in signed.values():
        yield ctx.find(
            "BF802",
            P,
            ("evaluation", "evaluators", idx[0], "score"),
            f"评价人员评分 {fmt_number(people[idx[0]].score)}（{len(idx)} 人），{ctx.results.primary.title}"
            f"计算总分 {fmt_number(total)}",
        )


def grade(ctx: Context) -> Iterator[Finding]:
    """BF803: 评价等次 left blank (filled from the computed total); BF804: a different one."""
    declared = ctx.year.project.evaluation.grade
    computed = ctx.results.grade
    total = fmt_number(ctx.results.total)
    if not declared:
        yield ctx.find(
            "BF803", P, ("evaluation", "grade"), f"评价等次未填写；按计算总分 {total} 为“{computed}”"
        )
    elif declared != computed:
        yield ctx.find(
            "BF804",
            P,
            ("evaluation", "grade"),
            f"评价等次填写“{declared}”，按计算总分 {total} 应为“{computed}”",
        )
