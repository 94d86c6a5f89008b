"""BF3: indicator trees — weights add up, scores within weights, totals agree."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.aggregates import open_weight, within
from bangfu_eval.compute import leaves
from bangfu_eval.findings import Finding
from bangfu_eval.money import fmt_number as n
from bangfu_eval.money import fmt_pct
from bangfu_eval.narrative import render_figure
from bangfu_eval.results import NodeResult, TreeResult
from bangfu_eval.rules.base import Context
from bangfu_eval.scoring import METHOD_ZH

F = "indicators.yaml"
Walk = Iterator[tuple[m.Indicator, NodeResult, tuple[object, ...]]]


def _walk(ctx: Context) -> Iterator[tuple[int, Walk]]:
    for ti, (tree, result) in enumerate(zip(ctx.year.indicators.trees, ctx.results.trees, strict=True)):
        yield ti, _nodes(tree.nodes, result.nodes, ("trees", ti, "nodes"))


def _nodes(inds: list[m.Indicator], results: tuple[NodeResult, ...], path: tuple[object, ...]) -> Walk:
    for i, (ind, res) in enumerate(zip(inds, results, strict=True)):
        here = (*path, i)
        yield ind, res, here
        yield from _nodes(ind.children, res.children, (*here, "children"))


def tree_name(tree: TreeResult) -> str:
    return f"{tree.title}（{tree.source}）" if tree.source else tree.title


def weights(ctx: Context) -> Iterator[Finding]:
    """BF301: a printed weight differs from the sum of the children's; BF307: leaf without one.
    Also the tree's declared total weight against the sum of its top-level weights."""
    for ti, walk in _walk(ctx):
        for ind, res, path in walk:
            if res.children and ind.weight is not None:
                total = sum((c.weight for c in res.children), Decimal(0))
                if total != ind.weight:
                    yield ctx.find(
                        "BF301",
                        F,
                        (*path, "weight"),
                        f"“{res.label}”分值 {n(ind.weight)}，下级合计 {n(total)}",
                    )
            if not res.children and ind.weight is None:
                yield ctx.find("BF307", F, path, f"“{res.label}”缺少分值")
        declared = ctx.year.indicators.trees[ti].declared.weight
        tree = ctx.results.trees[ti]
        if declared is not None and declared != tree.weight:
            yield ctx.find(
                "BF301",
                F,
                ("trees", ti, "declared", "weight"),
                f"{tree.title}总分值申报 {n(declared)}，一级指标合计 {n(tree.weight)}",
            )


def scores(ctx: Context) -> Iterator[Finding]:
    """BF302: a leaf's score outside 0..weight; BF303: a leaf without score or measure."""
    for _, walk in _walk(ctx):
        for ind, res, path in walk:
            if res.children:
                continue
            if ind.score is not None and ind.weight is not None and not 0 <= ind.score <= ind.weight:
                yield ctx.find(
                    "BF302", F, (*path, "score"), f"“{res.label}”得分 {n(ind.score)} 超出 0–{n(res.weight)}"
                )
            if res.score is None and not res.unverifiable:
                yield ctx.find(
                    "BF303", F, path, f"“{res.label}”没有得分", "填写 score，或给出可计算的 measure"
                )


def totals(ctx: Context) -> Iterator[Finding]:
    """BF304: a group's or tree's declared score against the sum of its leaves."""
    for ti, walk in _walk(ctx):
        for _, res, path in walk:
            if (
                res.children
                and res.score_declared is not None
                and res.declared_sum is not None
                and not within(res.score_declared, res.declared_sum, open_weight(res.children))
            ):
                yield ctx.find(
                    "BF304",
                    F,
                    (*path, "score"),
                    f"“{res.label}”申报得分 {n(res.score_declared)}，下级合计 {n(res.declared_sum)}",
                )
        tree = ctx.results.trees[ti]
        declared = ctx.year.indicators.trees[ti].declared.score
        leaf_sum = tree.declared_leaves
        if (
            declared is not None
            and leaf_sum is not None
            and not within(declared, leaf_sum, open_weight(tree.nodes))
        ):
            lost = [
                f"{leaf.label[:16]} {n(leaf.declared_sum)}/{n(leaf.weight)}"
                for node in tree.nodes
                for leaf in leaves(node)
                if leaf.declared_sum is not None and leaf.declared_sum < leaf.weight
            ]
            yield ctx.find(
                "BF304",
                F,
                ("trees", ti, "declared", "score"),
                f"{tree_name(tree)}总分申报 {n(declared)}，末级得分合计 {n(leaf_sum)}"
                + (f"（另有 {n(unknown)} 分汇总数无法核实）" if (unknown := open_weight(tree.nodes)) else ""),
                "失分项：" + "；".join(lost) if lost else "",
            )


def trees_agree(ctx: Context) -> Iterator[Finding]:
    """BF305: every other tree's computed total against the primary tree's."""
    primary = ctx.results.primary
    for ti, tree in enumerate(ctx.results.trees):
        if tree is not primary and not _overlap(tree, primary):
            yield ctx.find(
                "BF305",
                F,
                ("trees", ti, "id"),
                f"{tree_name(tree)}合计 {n(tree.score)}，{tree_name(primary)}合计 {n(primary.score)}",
            )


def _overlap(a: TreeResult, b: TreeResult) -> bool:
    """Two totals agree; without the ledger, their possible ranges overlap."""
    open_a, open_b = open_weight(a.nodes), open_weight(b.nodes)
    if not open_a and not open_b:
        return a.score == b.score
    return a.score <= b.score + open_b and b.score <= a.score + open_a


def evidence(ctx: Context) -> Iterator[Finding]:
    """BF306: a leaf's declared score above the score its method computes from the data, or
    with a finding present that the leaf names in contradicted_by (compared at the precision
    the score was declared with)."""
    for _, walk in _walk(ctx):
        for ind, res, path in walk:
            if res.status == "contradicted":
                yield ctx.find(
                    "BF306",
                    F,
                    (*path, "score"),
                    f"“{res.label}”申报 {n(res.leaf_declared)}，但存在 {'、'.join(res.contradicted)}"
                    f"，计算得分 {n(res.computed)}",
                    "bangfu check --select " + ",".join(res.contradicted) + " 列出这些问题",
                )
            elif res.status == "missed":
                yield ctx.find(
                    "BF306",
                    F,
                    (*path, "score"),
                    f"“{res.label}”申报 {n(res.leaf_declared)}，"
                    f"按{METHOD_ZH.get(res.method, res.method)}方法计算 {n(res.computed)}"
                    f"（实际 {_actual(ctx, ind, res)}，目标 {res.target_text or '—'}）",
                )


def _actual(ctx: Context, ind: m.Indicator, res: NodeResult) -> str:
    ms = ind.measure
    fig = ctx.results.figures.get(ms.figure) if ms and ms.figure else None
    if fig is not None:
        return render_figure(fig, None) + ("元" if fig.kind == "money" else "")
    if res.target_text.endswith("%") and res.measure_value is not None:
        return fmt_pct(res.measure_value)
    return n(res.measure_value)
