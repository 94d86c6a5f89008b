"""BF3: leaf scores against their method — qualitative tiers, evidence, scoring specs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from bangfu_eval.findings import ERROR, INFO, WARNING, Code, Finding, Location
from bangfu_eval.money import fmt_number as n
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.funds import BF602
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
    source=(
        "财预〔2020〕10号《项目支出绩效评价管理办法》（定性指标分档，按通行做法）；policy.yaml "
        "qualitative_tiers"
    ),
    zh_why=(
        "定性指标分档评分：达成得分值的 80–100%，部分达成 60–80%，未达成 0–60%；得分不在所选档次区间内。"
    ),
    zh_example="选“部分达成”却得满分。",
    remedy="评价人员复核评分表，更正后重新签字确认",
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
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（评价应有佐证材料）",
    zh_why="满分需要依据；数据中没有该指标的依据（无调查结果、无该类发放），得分只凭评价人员一句话。",
    zh_example="“服务对象满意度”满分，但没有满意度调查结果。",
    remedy="补充佐证材料（measure.actual 或 evidence 写明出处）；无佐证的，评价人员书面说明评分依据。",
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
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="指标的评分方法缺少所需的数字或目标，该指标的申报得分未经核对。",
    zh_example="method: ratio 但没有 figure。",
    remedy="指明计算数和目标值。",
)


BF311 = Code(
    "BF311",
    INFO,
    "leaf judged by a check the policy leaves without its standard",
    "无标准，无法判断",
    message="{label}以 {code}（{what}）为依据，但本年政策未规定{setting}，无法判断",
    help="在本年 policy.yaml 中写明 {key}，bangfu 才能核对",
    why=(
        "A leaf that names a check in contradicted_by keeps full marks while the check finds"
        " nothing; when the year's policy declares no standard for that check (no caps for"
        " 超标准), the check cannot find anything and the marks rest on no evidence."
    ),
    example="是否存在超标准开支情况 scored 2 of 2 with contradicted_by: [BF602] and caps: [].",
    fix="Declare the year's standards (policy.yaml caps), or have the evaluators state the evidence.",
    policy="the leaf's own criterion; standards are year policy (policy: caps)",
    source="实践：评分须有依据（财预〔2020〕10号 评价应有佐证材料）；标准为年度政策（policy.yaml caps）",
    zh_why=(
        "指标以“没有超标准开支”为满分依据，但本年政策没有规定标准，bangfu 无从核对，满分只凭评价人员一句话。"
    ),
    zh_example="“是否存在超标准开支情况”2 分得 2 分，但 policy.yaml 的 caps 为空。",
    remedy="在本年政策中写明救助标准；或由评价人员书面说明评分依据。",
)

NEEDS_POLICY = {BF602.code: ("caps", "救助标准（caps）", "超标准发放")}
"""Checks that cannot find anything unless the year's policy declares their standard."""


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


def unjudgeable(ctx: Context) -> Iterator[Finding]:
    """BF311: leaves whose evidence is a check that the year's policy leaves without its
    standard (contradicted_by: [BF602] and no caps) cannot be judged — one finding per such
    check (one missing standard), at the first leaf, naming the others."""
    pol = ctx.year.policy
    places: dict[str, list[tuple[str, Location]]] = {}
    for _, walk in _walk(ctx):
        for ind, res in walk:
            for i, code in enumerate(ind.contradicted_by):
                need = NEEDS_POLICY.get(code)
                if need and not getattr(pol, need[0]):
                    places.setdefault(code, []).append((res.label, ctx.at(ind, "contradicted_by", i)))
    for code, leaves in places.items():
        key, setting, what = NEEDS_POLICY[code]
        label = f"“{leaves[0][0]}”" + (f"等 {len(leaves)} 个指标" if len(leaves) > 1 else "")
        f = BF311(leaves[0][1], label=label, code=code, what=what, setting=setting, key=key)
        yield replace(f, related=tuple(loc for _, loc in leaves[1:]))


RULES = (tiers, no_evidence, methods, unjudgeable)
