"""BF2: declared figures — every figure the document states is compared with the computed one."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from decimal import Decimal

from bangfu_eval.findings import Finding, Location
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


def declared_figures(ctx: Context) -> Iterator[Finding]:
    """BF201/BF202: each declaration (project.yaml, funds.yaml, narrative placeholders with
    '= value') against the computed figure, at the precision printed."""
    for d in declarations(ctx.year):
        loc = _where(ctx, d)
        fig = value_of(d.names, ctx.results.figures)
        if fig is None:
            unknown = [n for n in d.names if n not in ctx.results.figures]
            yield ctx.find_at(
                "BF202", loc, f"未知的数字名称：{'、'.join(unknown)}", _suggest(ctx, unknown[0])
            )
            continue
        try:
            value, unit, places = parse_declared(d.text, fig.kind)
        except ValueError:
            yield ctx.find_at("BF202", loc, f"申报值不是数字：{d.text}")
            continue
        if fig.value is None or fig.origin != "computed":
            continue  # unknown without the ledger: declarations are checked by identities (BF203)
        if agrees(value, unit, places, fig.value):
            continue
        fmt = PROSE_FORMATS[unit or DEFAULT_FORMAT[fig.kind]]
        suffix = unit if unit in ("元", "万元") else ""
        diff = _signed(fmt, fig.value - value)
        if set(d.names) <= FACTS:  # two declarations of one figure: neither is computed
            yield ctx.find_at(
                "BF204",
                loc,
                f"{fig.label}：此处申报 {d.text}，另一处申报 {fmt(fig.value)}{suffix}，相差 {diff}{suffix}",
                f"另一处：{' + '.join(d.names)}；报告各处保留各自的原文",
            )
            continue
        yield ctx.find_at(
            "BF201",
            loc,
            f"{fig.label}：申报 {d.text}，计算 {fmt(fig.value)}{suffix}，差额 {diff}{suffix}",
            f"计算依据：{' + '.join(d.names)}；报告中使用计算数",
        )


def source_declarations(ctx: Context) -> Iterator[Finding]:
    """BF201: a source's declared spent / carried_out against disbursements and balance."""
    by_id = {s.id: s for s in ctx.results.funds.sources}
    fmt = FORMATS["元"]
    for i, s in enumerate(ctx.year.funds.sources):
        r = by_id[s.id]
        pairs = (("spent", s.spent, r.spent, "支出"), ("carried_out", s.carried_out, r.balance, "结转下年"))
        for field, declared, computed, label in pairs:
            if declared is None or declared == computed:
                continue
            if field == "spent" and not ctx.results.funds.spent_from_ledger:
                continue
            if not r.spent_known:
                continue  # no ledger and no declared spent: the balance is unknown
            yield ctx.find(
                "BF201",
                "funds.yaml",
                ("sources", i, field),
                f"{s.name}{label}：申报 {fmt(declared)}，计算 {fmt(computed)}，"
                f"差额 {_signed(fmt, computed - declared)}",
                "支出按 disbursements.yaml 逐笔合计；结转 = 上年结转 + 到位 − 支出",
            )


def placeholder_syntax(ctx: Context) -> Iterator[Finding]:
    """BF202: placeholders that are malformed, use an unknown format or name no figure."""
    for path, text in paragraphs(ctx.year.narrative):
        for p in placeholders(text):
            loc = _where(ctx, Declaration(p.names, "", "narrative.yaml", path, p.start, ""))
            if p.error:
                yield ctx.find_at("BF202", loc, p.error)
                continue
            unknown = [n for n in p.names if n not in ctx.results.figures]
            if unknown and p.declared is None:
                yield ctx.find_at(
                    "BF202", loc, f"未知的数字名称：{'、'.join(unknown)}", _suggest(ctx, unknown[0])
                )


def _where(ctx: Context, d: Declaration) -> Location:
    loc = ctx.at(d.file, *d.path)
    if d.file != "narrative.yaml":
        return loc
    return ctx.loaded.text_location(loc, d.offset)


def _signed(fmt: Callable[[Decimal | None], str], value: Decimal) -> str:
    text = fmt(value)
    return text if text.startswith("-") else "+" + text


def _suggest(ctx: Context, name: str) -> str:
    near = difflib.get_close_matches(name, list(ctx.results.figures), n=1, cutoff=0.6)
    return f"是否想写 '{near[0]}'？" if near else "数字名称见 bangfu score --format json 的 figures"
