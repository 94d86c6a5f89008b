"""BF6: fund use — allowed uses per source and year, caps, balances, matching, utilisation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.findings import Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.money import fmt_pct, fmt_ratio, fmt_yuan
from bangfu_eval.rules.base import Context

F = "funds.yaml"
D = "disbursements.yaml"


def allowed_uses_for(policy: m.Policy, year: int) -> dict[str, list[str]]:
    """The allowed-use table in force in ``year``: the latest whose from_year ≤ year."""
    tables = sorted((t for t in policy.allowed_uses if t.from_year <= year), key=lambda t: t.from_year)
    return tables[-1].uses if tables else {}


def uses(ctx: Context) -> Iterator[Finding]:
    """BF601: a payment of a type its source's kind may not pay for in this year."""
    if not ctx.year.disbursements:
        return
    table = allowed_uses_for(ctx.year.policy, ctx.year.project.year)
    kinds = {s.id: s.kind for s in ctx.year.funds.sources}
    types = ctx.year.policy.disbursement_types
    cols = ctx.cols
    wrong = {
        (source, use)
        for source, use in cols.by_source_and_type
        if kinds.get(source) in table and use not in table[kinds[source]]
    }
    if not wrong:
        return
    for i in flagged(map(wrong.__contains__, zip(cols.source, cols.type, strict=True))):
        d = cols.rows[i]
        kind = kinds[d.source]
        allowed = "、".join(types.get(t, t) for t in table[kind])
        yield ctx.find(
            "BF601",
            D,
            ("disbursements", i, "type"),
            f"{d.source} 资金（{kind}）在 {ctx.year.project.year} 年不能用于{types.get(d.type, d.type)}",
            f"允许用途：{allowed}",
        )


def caps(ctx: Context) -> Iterator[Finding]:
    """BF602: Σ amount per household, type and year above the policy's cap (by category)."""
    if not ctx.year.disbursements or not ctx.year.policy.caps:
        return
    cats = {h.id: h.category for h in ctx.year.households.households}
    types = ctx.year.policy.disbursement_types
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    capped = {cap.type for cap in ctx.year.policy.caps}
    cols = ctx.cols
    for i in flagged(map(capped.__contains__, cols.type)):
        d = cols.rows[i]
        before = totals[(d.household, d.type)]
        totals[(d.household, d.type)] = after = before + d.amount
        for cap in ctx.year.policy.caps:
            if cap.type != d.type or (cap.category and cap.category != cats.get(d.household)):
                continue
            if before <= cap.amount < after:
                yield ctx.find(
                    "BF602",
                    D,
                    ("disbursements", i, "amount"),
                    f"{d.household} 全年{types.get(d.type, d.type)}累计 {fmt_yuan(after)} 元，"
                    f"超过上限 {fmt_yuan(cap.amount)} 元",
                )


def balances(ctx: Context) -> Iterator[Finding]:
    """BF603: central/provincial balance at year end; BF604: a carried-over balance of a
    union source without a carry-over report; BF608: spent more than available."""
    pol = ctx.year.policy
    for i, (s, r) in enumerate(zip(ctx.year.funds.sources, ctx.results.funds.sources, strict=True)):
        if not r.spent_known:
            continue  # no ledger and no declared spent: the balance is not known
        if r.balance < 0:
            yield ctx.find(
                "BF608",
                F,
                ("sources", i, "arrived"),
                f"{s.name}支出 {fmt_yuan(r.spent)} 元，超过可用 {fmt_yuan(r.available)} 元",
            )
        elif r.balance > 0 and s.kind in pol.zero_balance_kinds:
            yield ctx.find(
                "BF603", F, ("sources", i, "arrived"), f"{s.name}年末结余 {fmt_yuan(r.balance)} 元"
            )
        elif r.balance > 0 and s.kind in pol.carry_over_report_kinds and not s.carry_over_report:
            yield ctx.find(
                "BF604",
                F,
                ("sources", i, "id"),
                f"{s.name}结余 {fmt_yuan(r.balance)} 元结转下年，没有结转报告",
                "在 carry_over_report 中记录结转报告",
            )


def matching(ctx: Context) -> Iterator[Finding]:
    """BF605 / BF606: local ÷ central money below the policy ratio, on the policy's basis
    (warning) and on the other basis (info); both ratios are shown."""
    f, match = ctx.results.funds, ctx.year.policy.matching
    if f.matching_arrived is None:
        return
    both = f"到位口径 {fmt_ratio(f.matching_arrived)}:1，支出口径 {fmt_ratio(f.matching_spent)}:1"
    path = _first_central(ctx)
    for basis, value in (("arrived", f.matching_arrived), ("spent", f.matching_spent)):
        if value is None or value >= match.ratio:
            continue
        code = "BF605" if basis == match.basis else "BF606"
        label = "到位" if basis == "arrived" else "支出"
        yield ctx.find(
            code,
            F,
            path,
            f"按{label}资金计，地方配套与中央资金之比 {fmt_ratio(value)}:1，"
            f"低于 {fmt_ratio(match.ratio)}:1（{both}）",
        )


def _first_central(ctx: Context) -> tuple[object, ...]:
    kinds = ctx.year.policy.matching.central_kinds
    for i, s in enumerate(ctx.year.funds.sources):
        if s.kind in kinds:
            return ("sources", i, "arrived")
    return ("sources",)


def utilisation(ctx: Context) -> Iterator[Finding]:
    """BF607: a source that spent less than the policy's min_utilisation of its base."""
    least = ctx.year.policy.min_utilisation
    for i, r in enumerate(ctx.results.funds.sources):
        if r.utilisation is not None and r.utilisation < least:
            yield ctx.find(
                "BF607",
                F,
                ("sources", i, "spent"),
                f"{r.name}资金使用率 {fmt_pct(r.utilisation)}，低于 {fmt_pct(least)}；"
                f"结余 {fmt_yuan(r.balance)} 元结转下年",
            )
