"""BF3: leaf scores against their method — qualitative tiers, evidence, scoring specs."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding
from bangfu_eval.money import fmt_number as n
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.indicators import F, _walk

TIER_NAMES = ("达成", "部分达成", "未达成")


def tiers(ctx: Context) -> Iterator[Finding]:
    """BF308: a qualitative leaf's declared score outside its tier (达成 80–100% of the weight,
    部分达成 60–80%, 未达成 0–60%; policy ``qualitative_tiers``)."""
    for _, walk in _walk(ctx):
        for ind, res, path in walk:
            if res.status == "tier" and ind.tier is not None:
                low, high = ctx.year.policy.qualitative_tiers.get(ind.tier, [0, 1])
                yield ctx.find(
                    "BF308",
                    F,
                    (*path, "score"),
                    f"“{res.label}”定性为{ind.tier}，得分 {n(res.leaf_declared)} 不在"
                    f" {n(low * res.weight)}–{n(high * res.weight)} 之间",
                )


def no_evidence(ctx: Context) -> Iterator[Finding]:
    """BF309: full declared marks on a leaf for which the data holds no evidence at all (its
    figure is unknown or zero: no survey result, no payment of the type)."""
    for _, walk in _walk(ctx):
        for ind, res, path in walk:
            if res.status == "no_evidence" and not res.unverifiable:  # without a ledger: ※, not BF309
                ms = ind.measure
                what = ctx.results.figures.get(ms.figure) if ms and ms.figure else None
                target = next((t for t in ctx.results.targets if ms and t.id == ms.target_id), None)
                name = what.label if what else (f"{target.name}的实际值" if target else "实际值")
                yield ctx.find(
                    "BF309",
                    F,
                    (*path, "score"),
                    f"“{res.label}”满分 {n(res.leaf_declared)}，但数据中没有{name}",
                    "填写 measure.actual（如调查结果），或在 evidence 中写明依据",
                )


def methods(ctx: Context) -> Iterator[Finding]:
    """BF310: a leaf whose method cannot be applied (unknown figure or target, no target, a
    code in contradicted_by that is unknown or depends on the scores)."""
    from bangfu_eval.rules import SCORE_FAMILIES

    for _, walk in _walk(ctx):
        for ind, res, path in walk:
            if res.children:
                continue
            if res.problem:
                yield ctx.find("BF310", F, (*path, "measure"), f"“{res.label}”：{res.problem}")
            for i, code in enumerate(ind.contradicted_by):
                if code not in CODES or code.startswith(SCORE_FAMILIES):
                    yield ctx.find(
                        "BF310",
                        F,
                        (*path, "contradicted_by", i),
                        f"“{res.label}”：{code} 不能作为评分依据",
                        "可用数据规则的代码（BF4–BF7、BF9），见 bangfu rules",
                    )
