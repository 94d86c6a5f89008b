"""BF8: project facts — plan against arrived money, evaluators' scores, the final grade."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.aggregates import open_weight, within
from bangfu_eval.compute import grade_of
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
    unknown = open_weight(ctx.results.primary.nodes)  # points only the ledger could confirm
    signed: dict[object, list[int]] = {}
    for i, e in enumerate(ctx.year.project.evaluation.evaluators):
        if e.score is not None and not within(e.score, total, unknown):
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
    primary = ctx.results.primary
    unknown = open_weight(primary.nodes)
    if unknown and not computed:  # a year without its ledger: the total is known to a range
        possible = _grades(primary.score, unknown, primary.weight, ctx.year.policy.grade_bands)
        if not declared:
            yield ctx.find(
                "BF803",
                P,
                ("evaluation", "grade"),
                f"评价等次未填写；总分在 {total}–{fmt_number(primary.score + unknown)} 之间"
                f"（{fmt_number(unknown)} 分汇总数无法核实），可能为“{'、'.join(possible)}”",
            )
        elif declared not in possible:
            yield ctx.find(
                "BF804",
                P,
                ("evaluation", "grade"),
                f"评价等次填写“{declared}”，总分在 {total}–{fmt_number(primary.score + unknown)} 之间，"
                f"应为“{'、'.join(possible)}”之一",
            )
        return
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


def _grades(low: Decimal, open: Decimal, weight: Decimal, bands: list[m.GradeBand]) -> list[str]:
    """The grades a total between ``low`` and ``low + open`` may reach, best first."""
    scale = weight / 100 if weight else Decimal(1)
    points = [low, low + open, *(b.min * scale for b in bands if low <= b.min * scale <= low + open)]
    found = {grade_of(p, weight, bands) for p in points}
    return [b.grade for b in sorted(bands, key=lambda b: b.min, reverse=True) if b.grade in found]
