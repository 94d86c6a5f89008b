"""BF3: indicator trees — weights add up, scores within weights, totals agree."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.aggregates import open_weight, within
from bangfu_eval.compute import leaves
from bangfu_eval.findings import ERROR, WARNING, Code, Finding
from bangfu_eval.money import fmt_number as n
from bangfu_eval.money import fmt_pct
from bangfu_eval.narrative import render_figure
from bangfu_eval.results import NodeResult, TreeResult
from bangfu_eval.rules.base import Context
from bangfu_eval.scoring import METHOD_ZH

Walk = Iterator[tuple[m.Indicator, NodeResult]]

BF301 = Code(
    "BF301",
    ERROR,
    "weights of children differ from parent",
    "下级分值合计与上级不符",
    message={
        "node": "“{label}”分值 {weight}，下级合计 {total}",
        "tree": "{title}总分值申报 {declared}，一级指标合计 {total}",
    },
    why="An indicator's weight must equal the sum of its children's weights.",
    example="A group of weight 6 whose leaves weigh 2 + 2 + 1.",
    fix="Correct the weights.",
    policy="MOF 财预〔2020〕10号: a node's weight is the sum of its children's",
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表；财"
        "预〔2020〕10号《项目支出绩效评价管理办法》（指标体系）"
    ),
    zh_why="指标的分值必须等于其下级分值之和。",
    zh_example="一级指标 25 分，下级合计 24 分。",
    remedy="评价人员复核评分表，更正后重新签字确认",
)


BF302 = Code(
    "BF302",
    ERROR,
    "score outside 0..weight",
    "得分超出分值范围",
    message="“{label}”得分 {score} 超出 0–{weight}",
    why="An awarded score cannot be negative or exceed the indicator's weight.",
    example="weight: 2, score: 3",
    fix="Correct the score.",
    source="琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表",
    zh_why="得分不能为负，也不能超过指标分值。",
    zh_example="分值 2 分的指标得 3 分。",
    remedy="评价人员复核评分表，更正后重新签字确认",
)


BF303 = Code(
    "BF303",
    ERROR,
    "leaf without score",
    "末级指标未评分",
    message="“{label}”没有得分",
    why="A leaf indicator without an awarded score leaves the total incomplete.",
    example="A criterion with a weight and no score.",
    fix="Add the score (or a measure that computes it).",
    help="填写 score，或给出可计算的 measure",
    source="琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表",
    zh_why="末级指标没有得分，总分不完整。",
    zh_example="“档案动态管理”未填得分。",
    remedy="评价人员复核评分表，更正后重新签字确认",
)


BF304 = Code(
    "BF304",
    ERROR,
    "declared score differs from leaves",
    "申报得分与下级合计不符",
    message={
        "node": "“{label}”申报得分 {declared}，下级合计 {total}",
        "tree": "{tree}总分申报 {declared}，末级得分合计 {total}{open}",
    },
    why="A group or tree total that does not equal the sum of its leaves is a wrong total.",
    example="附件3 states 99 while its leaves sum to 98.",
    fix="Correct the declared total or the leaf scores.",
    source="琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表",
    zh_why="分组或总分与其末级得分之和不等，即总分算错。",
    zh_example="附件3 总分写 99，末级得分合计 98。",
    remedy="评价人员复核评分表，更正后重新签字确认",
)


BF305 = Code(
    "BF305",
    WARNING,
    "trees disagree",
    "指标体系之间不一致",
    message="两处申报的总分不一致：{tree}合计 {score}，{primary}合计 {primary_score}",
    help="两张表应得出同一总分；请核对，并书面说明以哪一处为准",
    why="Two indicator tables of one evaluation are two declarations; they should give the same total.",
    example="附件3 sums to 98 while 附件5 sums to 99.",
    fix="Reconcile the two tables.",
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表（附"
        "件3 评分表与附件5 评分汇总）"
    ),
    zh_why="同一次评价的两张指标表是两处申报，应得出同一总分；不一致时须说明以哪一处为准。",
    zh_example="附件5 合计 99，附件3 合计 98。",
    remedy="核对两张表，更正错误的一处，并书面说明以哪一处为准。",
)


BF306 = Code(
    "BF306",
    WARNING,
    "declared score above what the data supports",
    "申报得分高于数据计算得分",
    message={
        "contradicted": "“{label}”申报 {declared}，但存在 {codes}，计算得分 {computed}",
        "missed": "“{label}”申报 {declared}，按{method}方法计算 {computed}（实际 {actual}，目标 {target}）",
    },
    why=(
        "A leaf's declared score is above the score its method computes from the data (a missed "
        "target, a lower rate), or a finding the leaf names in contradicted_by is present."
    ),
    example=(
        "Full marks on '资金是否及时到位' with timeliness at 90%; full marks on cash signatures "
        "with an unsigned cash payment (BF701)."
    ),
    fix="Lower the score to the computed one, or correct the data.",
    policy="MOF 财预〔2020〕10号: a quantitative indicator scores weight × actual ÷ target when missed",
    source=(
        "财预〔2020〕10号《项目支出绩效评价管理办法》（评分方法）；琼工办发〔2023〕33号《关于开展"
        "2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表"
    ),
    zh_why=("申报得分高于按评分方法从数据计算的得分（目标未完成、比率偏低），或该指标所指的问题确实存在。"),
    zh_example="到位率 95%，“资金到位率”仍得满分。",
    remedy="按计算得分更正，或补充数据依据并书面说明。",
)


BF307 = Code(
    "BF307",
    ERROR,
    "indicator without weight",
    "指标缺少分值",
    message="“{label}”缺少分值",
    why="A leaf needs a weight to be scored.",
    example="A criterion row with no 分值.",
    fix="Add the weight.",
    source="琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表",
    zh_why="末级指标没有分值就无法评分。",
    zh_example="末级指标缺少 weight。",
    remedy="评价人员复核评分表，更正后重新签字确认",
)


def _walk(ctx: Context) -> Iterator[tuple[int, Walk]]:
    for ti, (tree, result) in enumerate(zip(ctx.year.indicators.trees, ctx.results.trees, strict=True)):
        yield ti, _nodes(tree.nodes, result.nodes)


def _nodes(inds: list[m.Indicator], results: tuple[NodeResult, ...]) -> Walk:
    for ind, res in zip(inds, results, strict=True):
        yield ind, res
        yield from _nodes(ind.children, res.children)


def tree_name(tree: TreeResult) -> str:
    return f"{tree.title}（{tree.source}）" if tree.source else tree.title


def weights(ctx: Context) -> Iterator[Finding]:
    """BF301: a printed weight differs from the sum of the children's; BF307: leaf without one.
    Also the tree's declared total weight against the sum of its top-level weights."""
    for ti, walk in _walk(ctx):
        for ind, res in walk:
            if res.children and ind.weight is not None:
                total = sum((c.weight for c in res.children), Decimal(0))
                if total != ind.weight:
                    yield BF301(
                        ctx.at(ind, "weight"),
                        variant="node",
                        label=res.label,
                        weight=n(ind.weight),
                        total=n(total),
                    )
            if not res.children and ind.weight is None:
                yield BF307(ctx.at(ind), label=res.label)
        model = ctx.year.indicators.trees[ti]
        tree = ctx.results.trees[ti]
        if model.declared.weight is not None and model.declared.weight != tree.weight:
            yield BF301(
                ctx.at(model, "declared", "weight"),
                variant="tree",
                title=tree.title,
                declared=n(model.declared.weight),
                total=n(tree.weight),
            )


def scores(ctx: Context) -> Iterator[Finding]:
    """BF302: a leaf's score outside 0..weight; BF303: a leaf without score or measure."""
    for _, walk in _walk(ctx):
        for ind, res in walk:
            if res.children:
                continue
            if ind.score is not None and ind.weight is not None and not 0 <= ind.score <= ind.weight:
                yield BF302(ctx.at(ind, "score"), label=res.label, score=n(ind.score), weight=n(res.weight))
            if res.score is None and not res.unverifiable:
                yield BF303(ctx.at(ind), label=res.label)


def totals(ctx: Context) -> Iterator[Finding]:
    """BF304: a group's or tree's declared score against the sum of its leaves' declared scores
    (without the ledger: within the points only the ledger could confirm)."""
    for ti, walk in _walk(ctx):
        for ind, res in walk:
            if (
                res.children
                and res.score_declared is not None
                and res.declared_sum is not None
                and not within(res.score_declared, res.declared_sum, open_weight(res.children))
            ):
                yield BF304(
                    ctx.at(ind, "score"),
                    variant="node",
                    label=res.label,
                    declared=n(res.score_declared),
                    total=n(res.declared_sum),
                )
        tree = ctx.results.trees[ti]
        model = ctx.year.indicators.trees[ti]
        declared = model.declared.score
        leaf_sum = tree.declared_leaves
        unknown = open_weight(tree.nodes)
        if declared is not None and leaf_sum is not None and not within(declared, leaf_sum, unknown):
            lost = [
                f"{_short(leaf.label)} {n(leaf.declared_sum)}/{n(leaf.weight)}"
                for node in tree.nodes
                for leaf in leaves(node)
                if leaf.declared_sum is not None and leaf.declared_sum < leaf.weight
            ]
            yield BF304(
                ctx.at(model, "declared", "score"),
                variant="tree",
                help="失分项：" + "；".join(lost) if lost else "",
                tree=tree_name(tree),
                declared=n(declared),
                total=n(leaf_sum),
                open=f"（另有 {n(unknown)} 分汇总数无法核实）" if unknown else "",
            )


def trees_agree(ctx: Context) -> Iterator[Finding]:
    """BF305: every other tree's computed total against the primary tree's."""
    primary = ctx.results.primary
    for model, tree in zip(ctx.year.indicators.trees, ctx.results.trees, strict=True):
        if tree is not primary and not _overlap(tree, primary):
            yield BF305(
                ctx.at(model, "id"),
                tree=tree_name(tree),
                score=n(tree.score),
                primary=tree_name(primary),
                primary_score=n(primary.score),
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
        for ind, res in walk:
            if res.status == "contradicted":
                yield BF306(
                    ctx.at(ind, "score"),
                    variant="contradicted",
                    help="bangfu check --select " + ",".join(res.contradicted) + " 列出这些问题",
                    label=res.label,
                    declared=n(res.leaf_declared),
                    codes="、".join(res.contradicted),
                    computed=n(res.computed),
                )
            elif res.status == "missed":
                yield BF306(
                    ctx.at(ind, "score"),
                    variant="missed",
                    label=res.label,
                    declared=n(res.leaf_declared),
                    method=METHOD_ZH.get(res.method, res.method),
                    computed=n(res.computed),
                    actual=_actual(ctx, ind, res),
                    target=res.target_text or "—",
                )


def _actual(ctx: Context, ind: m.Indicator, res: NodeResult) -> str:
    ms = ind.measure
    fig = ctx.results.figures.get(ms.figure) if ms and ms.figure else None
    if fig is not None:
        return render_figure(fig, None) + ("元" if fig.kind == "money" else "")
    if res.target_text.endswith("%") and res.measure_value is not None:
        return fmt_pct(res.measure_value)
    return n(res.measure_value)


RULES = (weights, scores, totals, trees_agree, evidence)


def _short(label: str, most: int = 16) -> str:
    """A leaf's label for a help line: whole when short, else cut before an opening bracket it
    would leave unclosed (医疗帮扶政策（含… → 医疗帮扶政策…), with an ellipsis."""
    if len(label) <= most:
        return label
    cut = label[:most]
    bracket = cut.find("（")
    return (cut[:bracket] if bracket > 0 else cut) + "…"
