"""BF8: project facts — plan against arrived money, evaluators' scores, the final grade."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.aggregates import open_weight, within
from bangfu_eval.compute import grade_of
from bangfu_eval.findings import ERROR, INFO, WARNING, Code, Finding
from bangfu_eval.money import fmt_number, fmt_pct, fmt_wan
from bangfu_eval.rules.base import Context

BF801 = Code(
    "BF801",
    INFO,
    "arrived differs from plan",
    "到位资金与计划不符",
    message="计划投资额 {planned} 万元，实际到位 {arrived} 万元（{rate}）",
    why="Money that arrived above or below the plan deserves a sentence in the report.",
    example="Planned 242万元, arrived 291.4797万元.",
    fix="Explain the difference in the narrative.",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（预算执行情况分析）",
    zh_why="到位资金高于或低于计划，报告中应有说明。",
    zh_example="计划 242 万元，到位 291.4797 万元。",
    remedy="在报告中说明差异原因。",
)


BF802 = Code(
    "BF802",
    WARNING,
    "evaluator score differs from computed total",
    "评价人员评分与计算总分不符",
    message="评价人员评分 {score}（{count} 人），{tree}计算总分 {total}",
    why=(
        "Evaluators sign a score; it should be the total the indicator table adds up to. All "
        "evaluators who signed the same differing score are one finding."
    ),
    example="Evaluators give 99; the table's leaves sum to 98.",
    fix="Correct the score or the table.",
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表（附"
        "件5 评价人员评分）"
    ),
    zh_why="评价人员签字确认的评分应等于指标表的合计；签了同一个不符分数的评价人员合为一条。",
    zh_example="评价人员评 99 分，指标表合计 98 分。",
    remedy="评价人员复核评分表，更正后重新签字确认",
)


BF803 = Code(
    "BF803",
    INFO,
    "final grade left blank",
    "评价等次未填写",
    message={
        "": "评价等次未填写；按计算总分 {total} 为“{grade}”",
        "range": ("评价等次未填写；总分在 {total}–{high} 之间（{open} 分汇总数无法核实），可能为“{grades}”"),
    },
    why="bangfu fills 评价等次 from the computed total and the grade bands.",
    example="grade: (blank)",
    fix="None needed; the report shows the computed grade.",
    policy="MOF 财预〔2020〕10号: 90–100 优, 80–<90 良, 60–<80 中, <60 差 (policy: grade_bands)",
    report=True,
    source=(
        "财预〔2020〕10号《项目支出绩效评价管理办法》（90 分及以上为优，80–90 分为良，60–80 分为"
        "中，60 分以下为差）"
    ),
    zh_why="评价等次未填写；bangfu 按计算总分和等级区间填写。",
    zh_example="评价等次：（空）",
    remedy="无需处理；报告显示计算的等次。",
)


BF804 = Code(
    "BF804",
    ERROR,
    "declared grade differs from computed",
    "评价等次与计算结果不符",
    message={
        "": "评价等次填写“{declared}”，按计算总分 {total} 应为“{grade}”",
        "range": "评价等次填写“{declared}”，总分在 {total}–{high} 之间，应为“{grades}”之一",
    },
    why="The grade follows from the total; a different one is an error.",
    example="grade: 良 with a total of 95.",
    fix="Correct the grade.",
    policy="MOF 财预〔2020〕10号 grade bands (policy: grade_bands)",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（评价等次划分）",
    zh_why="等次由总分决定，填写的等次与之不同即为错误。",
    zh_example="总分 95 分，等次填“良”。",
    remedy="按总分更正评价等次，评价人员重新确认。",
)


def plan(ctx: Context) -> Iterator[Finding]:
    """BF801: arrived money differs from the planned amount (计划投资额)."""
    planned = ctx.year.project.project.planned_amount
    arrived = ctx.results.funds.arrived
    if planned is not None and planned != arrived:
        yield BF801(
            ctx.at(ctx.year.project.project, "planned_amount"),
            planned=fmt_wan(planned),
            arrived=fmt_wan(arrived),
            rate=fmt_pct(arrived / planned) if planned else "—",
        )


def evaluators(ctx: Context) -> Iterator[Finding]:
    """BF802: evaluators' scores against the computed total of the primary tree; one finding
    per differing score, at the first evaluator who signed it, naming all who did."""
    total = ctx.results.total
    unknown = open_weight(ctx.results.primary.nodes)  # points only the ledger could confirm
    signed: dict[object, list[m.Evaluator]] = {}
    for e in ctx.year.project.evaluation.evaluators:
        if e.score is not None and not within(e.score, total, unknown):
            signed.setdefault(e.score, []).append(e)
    for people in signed.values():
        f = BF802(
            ctx.at(people[0], "score"),
            score=fmt_number(people[0].score),
            count=len(people),
            tree=ctx.results.primary.title,
            total=fmt_number(total),
        )
        yield replace(f, related=tuple(ctx.at(e, "score") for e in people[1:]))


def grade(ctx: Context) -> Iterator[Finding]:
    """BF803: 评价等次 left blank (filled from the computed total); BF804: a different one.
    Without the ledger the total is known to a range, and so may be the grade."""
    evaluation = ctx.year.project.evaluation
    declared, computed = evaluation.grade, ctx.results.grade
    total = fmt_number(ctx.results.total)
    primary = ctx.results.primary
    unknown = open_weight(primary.nodes)
    where = ctx.at(evaluation, "grade")
    if unknown and not computed:  # a year without its ledger: the total is known to a range
        possible = "、".join(_grades(primary.score, unknown, primary.weight, ctx.year.policy.grade_bands))
        high = fmt_number(primary.score + unknown)
        if not declared:
            yield BF803(
                where, variant="range", total=total, high=high, open=fmt_number(unknown), grades=possible
            )
        elif declared not in possible.split("、"):
            yield BF804(where, variant="range", declared=declared, total=total, high=high, grades=possible)
        return
    if not declared:
        yield BF803(where, total=total, grade=computed)
    elif declared != computed:
        yield BF804(where, declared=declared, total=total, grade=computed)


def _grades(low: Decimal, open: Decimal, weight: Decimal, bands: list[m.GradeBand]) -> list[str]:
    """The grades a total between ``low`` and ``low + open`` may reach, best first."""
    scale = weight / 100 if weight else Decimal(1)
    points = [low, low + open, *(b.min * scale for b in bands if low <= b.min * scale <= low + open)]
    found = {grade_of(p, weight, bands) for p in points}
    return [b.grade for b in sorted(bands, key=lambda b: b.min, reverse=True) if b.grade in found]


RULES = (plan, evaluators, grade)
