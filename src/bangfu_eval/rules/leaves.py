"""BF3: leaf scores against their method — qualitative tiers, evidence, scoring specs."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval.findings import ERROR, INFO, WARNING, Code, Finding
from bangfu_eval.money import fmt_number as n
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.indicators import _walk

TIER_NAMES = ("达成", "部分达成", "未达成")

BF308 = Code(
    "BF308",
    WARNING,
    "qualitative score outside its tier",
    "定性指标得分不在其等级区间",
    message="“{label}”定性为{tier}，得分 {score} 不在 {low}–{high} 之间",
    why=(
        "A qualitative indicator is judged in tiers: 达成 earns 80–100% of its weight, 部分达成 "
        "60–80%, 未达成 0–60% (policy qualitative_tiers); a score outside its tier contradicts "
        "the judgement written beside it."
    ),
    example="A 10-point leaf marked 部分达成 with 9 points.",
    fix="Change the score or the tier.",
    policy="MOF 财预〔2020〕10号: qualitative indicators judged in three tiers (policy: qualitative_tiers)",
)


BF309 = Code(
    "BF309",
    INFO,
    "full marks without evidence in the data",
    "满分但数据中没有依据",
    message="“{label}”满分 {score}，但数据中没有{what}",
    why=(
        "Full marks need evidence; the data holds none for this leaf (no survey result, no "
        "payment of the type), so the score rests on the evaluators' word alone."
    ),
    example="Satisfaction scored 10 of 10 with no 2022 survey result.",
    fix="Record the result (measure.actual) or say in evidence where it is documented.",
    help="填写 measure.actual（如调查结果），或在 evidence 中写明依据",
)


BF310 = Code(
    "BF310",
    ERROR,
    "leaf cannot be scored by its method",
    "指标无法按其评分方法计算",
    message={"method": "“{label}”：{problem}", "evidence": "“{label}”：{code} 不能作为评分依据"},
    why=(
        "A leaf's method needs a figure or a target it does not have, or names a code that "
        "cannot be evidence; the leaf then keeps its declared score unchecked."
    ),
    example="method: reverse with no target; measure.figure: funds.typo; contradicted_by: [BF304].",
    fix="Name a computed figure (bangfu score --format json lists them) and a target.",
)


def tiers(ctx: Context) -> Iterator[Finding]:
    """BF308: a qualitative leaf's declared score outside its tier (达成 80–100% of the weight,
    部分达成 60–80%, 未达成 0–60%; policy ``qualitative_tiers``)."""
    for _, walk in _walk(ctx):
        for ind, res in walk:
            if res.status == "tier" and ind.tier is not None:
                low, high = ctx.year.policy.qualitative_tiers.get(ind.tier, [0, 1])
                yield BF308(
                    ctx.at(ind, "score"),
                    label=res.label,
                    tier=ind.tier,
                    score=n(res.leaf_declared),
                    low=n(low * res.weight),
                    high=n(high * res.weight),
                )


def no_evidence(ctx: Context) -> Iterator[Finding]:
    """BF309: full declared marks on a leaf for which the data holds no evidence at all (its
    figure is unknown or zero: no survey result, no payment of the type)."""
    for _, walk in _walk(ctx):
        for ind, res in walk:
            if res.status == "no_evidence" and not res.unverifiable:  # without a ledger: ※, not BF309
                ms = ind.measure
                what = ctx.results.figures.get(ms.figure) if ms and ms.figure else None
                target = next((t for t in ctx.results.targets if ms and t.id == ms.target_id), None)
                name = what.label if what else (f"{target.name}的实际值" if target else "实际值")
                yield BF309(ctx.at(ind, "score"), label=res.label, score=n(res.leaf_declared), what=name)


def methods(ctx: Context) -> Iterator[Finding]:
    """BF310: a leaf whose method cannot be applied (unknown figure or target, no target, a
    code in contradicted_by that is unknown or depends on the scores)."""
    from bangfu_eval.catalogue import CODES  # the catalogue collects this module's codes
    from bangfu_eval.rules import SCORE_FAMILIES

    for _, walk in _walk(ctx):
        for ind, res in walk:
            if res.children:
                continue
            if res.problem:
                yield BF310(ctx.at(ind, "measure"), variant="method", label=res.label, problem=res.problem)
            for i, code in enumerate(ind.contradicted_by):
                if code not in CODES or code.startswith(SCORE_FAMILIES):
                    yield BF310(
                        ctx.at(ind, "contradicted_by", i),
                        variant="evidence",
                        help="可用数据规则的代码（BF4–BF7、BF9），见 bangfu rules",
                        label=res.label,
                        code=code,
                    )


RULES = (tiers, no_evidence, methods)
