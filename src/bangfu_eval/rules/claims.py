"""BF204, BF205: claims the narrative makes in words, tied to the figure they speak of.

narrative.yaml's ``claims`` ties words of a paragraph ("基本使用完毕") to a computed figure and a
threshold (the union money's utilisation at least 90%): words the figure contradicts are a
finding at those words (BF204); words not found, or a figure bangfu does not compute, are
BF205."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval.findings import ERROR, WARNING, Code, Finding, Location
from bangfu_eval.money import fmt_number, fmt_pct
from bangfu_eval.narrative import paragraphs
from bangfu_eval.results import Figure
from bangfu_eval.rules.base import Context

BF204 = Code(
    "BF204",
    WARNING,
    "narrative claim contradicted by a figure",
    "叙述与计算数不符",
    message="“{text}”与计算数不符：{label} {value}，{claim}",
    help="改写这句叙述，或在报告中说明",
    why=(
        "The report says in words what its figures contradict (基本使用完毕 while most of the money"
        " is carried over); a reviewer reads the words first."
    ),
    example="基本使用完毕 with the union money's utilisation at 25.74% (claim: at least 90%).",
    fix="Rewrite the sentence to say what the figures say, or explain in the report.",
    policy="MOF 财预〔2020〕10号: the evaluation's conclusions follow from the data",
    source=(
        "财预〔2020〕10号《项目支出绩效评价管理办法》（评价结论应以真实数据为依据）；阈值见 "
        "narrative.yaml claims"
    ),
    zh_why="报告的文字与其数字相矛盾（说“基本使用完毕”，而大部分资金结转下年），审核人员先读的是文字。",
    zh_example="“基本使用完毕”，而省总工会资金使用率为 25.74%（约定至少 90%）。",
    remedy="改写叙述，使之与数字一致；或在报告中说明。",
)

BF205 = Code(
    "BF205",
    ERROR,
    "claim that cannot be checked",
    "叙述声明无法核对",
    message={
        "text": "声明的文字“{text}”不在叙述中",
        "figure": "声明“{text}”所指的数字 {figure} 不存在",
        "threshold": "声明“{text}”没有给出 at_least 或 at_most",
    },
    why="A claim ties words to a figure and a threshold; one part missing and nothing is checked.",
    example="claims: [{text: 基本使用完毕, figure: funds.unoin.utilisation, at_least: 90%}]",
    fix="Quote the words as they stand, name a figure bangfu score --format json lists, give a threshold.",
    source="实践：无政策条文，为核对叙述所需（bangfu 自定）",
    zh_why="声明把叙述的文字与数字和阈值相连；缺少任一部分就什么也核对不了。",
    zh_example="figure 写成 funds.unoin.utilisation。",
    remedy="照原文引用文字，使用 bangfu score --format json 列出的数字名称，并给出阈值。",
)


def _find(ctx: Context, text: str) -> Location | None:
    for record, fields, paragraph in paragraphs(ctx.year.narrative):
        at = paragraph.find(text)
        if at >= 0:
            return ctx.places.in_text(ctx.at(record, *fields), at)
    return None


def _show(fig: Figure, value: Decimal) -> str:
    return fmt_pct(value) if fig.kind == "rate" else fmt_number(value)


def narrative_claims(ctx: Context) -> Iterator[Finding]:
    """BF204: words the figure they are tied to contradicts; BF205: a claim that cannot be
    checked (words not in the narrative, unknown figure, no threshold)."""
    for claim in ctx.year.narrative.claims:
        where = _find(ctx, claim.text)
        fig = ctx.results.figures.get(claim.figure)
        if where is None:
            yield BF205(ctx.at(claim, "text"), variant="text", text=claim.text)
        elif fig is None:
            yield BF205(ctx.at(claim, "figure"), variant="figure", text=claim.text, figure=claim.figure)
        elif claim.at_least is None and claim.at_most is None:
            yield BF205(ctx.at(claim, "text"), variant="threshold", text=claim.text)
        elif fig.value is not None:
            parts = []
            if claim.at_least is not None and fig.value < claim.at_least:
                parts.append(f"声明至少 {_show(fig, claim.at_least)}")
            if claim.at_most is not None and fig.value > claim.at_most:
                parts.append(f"声明至多 {_show(fig, claim.at_most)}")
            if parts:
                yield BF204(
                    where,
                    text=claim.text,
                    label=fig.label,
                    value=_show(fig, fig.value),
                    claim="，".join(parts),
                )


RULES = (narrative_claims,)
