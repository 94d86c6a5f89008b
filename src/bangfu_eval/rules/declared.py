"""BF2: declared figures — every figure the document states is compared with the computed one."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from decimal import Decimal

from bangfu_eval.findings import ERROR, WARNING, Code, Finding, Location
from bangfu_eval.money import DEFAULT_FORMAT, FORMATS, PROSE_FORMATS
from bangfu_eval.narrative import (
    FACTS,
    Declaration,
    agrees,
    declarations,
    paragraphs,
    parse_declared,
    placeholders,
    value_of,
)
from bangfu_eval.rules.base import Context

BF201 = Code(
    "BF201",
    ERROR,
    "declared figure differs from computed",
    "申报数与计算数不符",
    message={
        "figure": "{label}：申报 {declared}，计算 {computed}{unit}，差额 {diff}{unit}",
        "source": "{name}{label}：申报 {declared}，计算 {computed}，差额 {diff}",
    },
    why=(
        "The published report states a figure that does not follow from the rows beneath it, like a "
        "ledger's failed balance assertion. The computed figure is used downstream."
    ),
    example="The narrative says 共计{{ funds.arrived = 2914797 }}元 but the sources sum to 2914796.",
    fix="Correct the declared figure or the rows; or acknowledge the difference with a reason.",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（评价结论应以真实数据为依据）",
    zh_why="报告中的数字与其下的明细不符，如同账簿余额断言失败；报告应使用计算数。",
    zh_example="报告写“共计2914797元”，各资金来源合计为2914796元。",
    remedy="更正报告中的数字并重新报送；报告是对外申报，不以明细账迁就报告",
)


BF206 = Code(
    "BF206",
    WARNING,
    "two declarations of one figure disagree",
    "同一数字两处申报不一致",
    message="{label}：此处申报 {declared}，另一处申报 {other}{unit}，相差 {diff}{unit}",
    help="另一处：{names}；报告各处保留各自的原文",
    why=(
        "The report states a figure that is itself declared elsewhere (附件2's 计划投资额 against 附件5's): "
        "neither follows from the data, so each place keeps the unit's own words and a reviewer decides "
        "which is right."
    ),
    example=(
        "附件2 says 计划使用帮扶资金{{ project.planned_amount | 万元 = 200万元 }}万元; project.yaml says "
        "planned_amount: 242万元."
    ),
    fix="Make the two declarations agree, or acknowledge the difference with a reason.",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（评价结论应以真实数据为依据）",
    zh_why="同一数字在报告两处（如附件2正文与附件5）申报不同，二者都不是计算数；报告各处保留单位原文，由审核人判断哪一处正确。",
    zh_example="附件2写“计划使用帮扶资金200万元”，附件5计划投资额为242万元。",
    remedy="核实后统一两处申报（如年初计划与调整后计划应写明口径），或在 acknowledge 中写明理由",
)


BF202 = Code(
    "BF202",
    ERROR,
    "unknown figure or bad placeholder",
    "未知数字名称或占位符错误",
    message={
        "unknown": "未知的数字名称：{names}",
        "number": "申报值不是数字：{text}",
        "placeholder": "{error}",
    },
    why="A placeholder that names no computed figure cannot be filled in the report.",
    example="{{ funds.arived }}",
    fix="Use a figure name that 'bangfu score --format json' lists under figures.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="占位符指向不存在的数字，报告无法填写。",
    zh_example="{{ funds.arived }}",
    remedy="使用 bangfu score --format json 列出的数字名称。",
)


def declared_figures(ctx: Context) -> Iterator[Finding]:
    """BF201/BF202: each declaration (project.yaml, funds.yaml, narrative placeholders with
    '= value') against the computed figure, at the precision printed."""
    for d in declarations(ctx.year):
        loc = _where(ctx, d)
        fig = value_of(d.names, ctx.results.figures)
        if fig is None:
            unknown = [n for n in d.names if n not in ctx.results.figures]
            yield BF202(loc, variant="unknown", help=_suggest(ctx, unknown[0]), names="、".join(unknown))
            continue
        try:
            value, unit, places = parse_declared(d.text, fig.kind)
        except ValueError:
            yield BF202(loc, variant="number", text=d.text)
            continue
        if fig.value is None or fig.origin != "computed":
            continue  # unknown without the ledger: declarations are checked by identities (BF203)
        if agrees(value, unit, places, fig.value):
            continue
        fmt = PROSE_FORMATS[unit or DEFAULT_FORMAT[fig.kind]]  # as a sentence writes it: 242万元
        suffix = unit if unit in ("元", "万元") else ""
        diff = _signed(fmt, fig.value - value)
        if set(d.names) <= FACTS:  # two declarations of one figure: neither is computed
            yield BF206(
                loc,
                label=fig.label,
                declared=d.text,
                other=fmt(fig.value),
                diff=diff,
                unit=suffix,
                names=" + ".join(d.names),
            )
            continue
        yield BF201(
            loc,
            variant="figure",
            help=f"计算依据：{' + '.join(d.names)}；报告中使用计算数",
            label=fig.label,
            declared=d.text,
            computed=fmt(fig.value),
            diff=diff,
            unit=suffix,
        )


def source_declarations(ctx: Context) -> Iterator[Finding]:
    """BF201: a source's declared spent / carried_out against disbursements and balance."""
    by_id = {s.id: s for s in ctx.results.funds.sources}
    fmt = FORMATS["元"]
    for s in ctx.year.funds.sources:
        r = by_id[s.id]
        pairs = (("spent", s.spent, r.spent, "支出"), ("carried_out", s.carried_out, r.balance, "结转下年"))
        for field, declared, computed, label in pairs:
            if declared is None or declared == computed:
                continue
            if field == "spent" and not ctx.results.funds.spent_from_ledger:
                continue
            if not r.spent_known:
                continue  # no ledger and no declared spent: the balance is unknown
            yield BF201(
                ctx.at(s, field),
                variant="source",
                help="支出按 disbursements.yaml 逐笔合计；结转 = 上年结转 + 到位 − 支出",
                name=s.name,
                label=label,
                declared=fmt(declared),
                computed=fmt(computed),
                diff=_signed(fmt, computed - declared),
            )


def placeholder_syntax(ctx: Context) -> Iterator[Finding]:
    """BF202: placeholders that are malformed, use an unknown format or name no figure."""
    for record, fields, text in paragraphs(ctx.year.narrative):
        for p in placeholders(text):
            loc = _where(ctx, Declaration(p.names, "", record, fields, p.start, ""))
            if p.error:
                yield BF202(loc, variant="placeholder", error=p.error)
                continue
            unknown = [n for n in p.names if n not in ctx.results.figures]
            if unknown and p.declared is None:
                yield BF202(loc, variant="unknown", help=_suggest(ctx, unknown[0]), names="、".join(unknown))


def _where(ctx: Context, d: Declaration) -> Location:
    loc = ctx.at(d.record, *d.fields)
    return loc if d.offset is None else ctx.places.in_text(loc, d.offset)


def _signed(fmt: Callable[[Decimal | None], str], value: Decimal) -> str:
    text = fmt(value)
    return text if text.startswith("-") else "+" + text


def _suggest(ctx: Context, name: str) -> str:
    near = difflib.get_close_matches(name, list(ctx.results.figures), n=1, cutoff=0.6)
    return f"是否想写 '{near[0]}'？" if near else "数字名称见 bangfu score --format json 的 figures"


RULES = (declared_figures, source_declarations, placeholder_syntax)
