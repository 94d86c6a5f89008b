"""BF6: fund use — allowed uses per source and year, caps, balances, matching, utilisation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.aggregates import DISBURSEMENTS, LEDGER
from bangfu_eval.findings import ERROR, INFO, WARNING, Code, Finding, Location
from bangfu_eval.ledger import flagged
from bangfu_eval.money import fmt_pct, fmt_ratio, fmt_yuan
from bangfu_eval.rules.base import Context

BF601 = Code(
    "BF601",
    ERROR,
    "use not allowed for the source",
    "资金用途不符合规定",
    message="{source} 资金（{kind}）在 {year} 年不能用于{use}",
    why="Each source may pay only for the uses the policy allows it that year.",
    example="Central money paying festival relief (送温暖) in 2022.",
    fix="Pay it from a source that allows the use.",
    help="允许用途：{allowed}",
    policy=(
        "Hainan (≤2022): central and provincial money only for living, medical and schooling aid;"
        " the national scheme from 2023 (policy: allowed_uses)"
    ),
    needs=(DISBURSEMENTS,),
)


BF602 = Code(
    "BF602",
    ERROR,
    "cap exceeded",
    "超标准发放",
    message="{household} 全年{use}累计 {total} 元，超过上限 {cap} 元",
    why="Payments above the policy's cap per household and year are 超标准开支.",
    example="Living aid of 20000 元 to one household with a cap of 12000.",
    fix="Correct the payments or the cap in policy.yaml.",
    policy="national and local standards (policy: caps)",
    needs=LEDGER,
)


BF603 = Code(
    "BF603",
    WARNING,
    "government money left at year end",
    "中央和省级资金年末有结余",
    message="{source}年末结余 {balance} 元",
    why="Central and provincial money should leave no balance at year end.",
    example="central: arrived 100000, spent 90000.",
    fix="Spend it, or document the reason.",
    policy="Hainan: central and provincial money leave no balance (policy: zero_balance_kinds)",
)


BF604 = Code(
    "BF604",
    WARNING,
    "carry-over without a report",
    "结转资金无结转报告",
    message="{source}结余 {balance} 元结转下年，没有结转报告",
    why="A union balance is carried over only with a carry-over report.",
    example="union carried_out 764963 with no carry_over_report.",
    fix="Record the report in carry_over_report.",
    help="在 carry_over_report 中记录结转报告",
    policy=(
        "Hainan: a union balance is carried over with a report to the provincial union"
        " (policy: carry_over_report_kinds)"
    ),
)


BF605 = Code(
    "BF605",
    WARNING,
    "matching ratio below policy",
    "配套资金比例未达到要求",
    message="按{basis}资金计，地方配套与中央资金之比 {value}:1，低于 {ratio}:1（{both}）",
    why="Central money must draw other money at the policy ratio (1:1) on the policy's basis.",
    example="central arrived 100, others 80.",
    fix="Raise local funding, or document why.",
    policy="Hainan: central money draws at least as much other money, 1:1 (policy: matching)",
)


BF606 = Code(
    "BF606",
    INFO,
    "matching ratio below policy on the other basis",
    "按另一口径配套比例未达标",
    message="按{basis}资金计，地方配套与中央资金之比 {value}:1，低于 {ratio}:1（{both}）",
    why="The rule does not say whether arrived or spent money counts; both are shown.",
    example="Met on arrived money, not on spent money.",
    fix="None needed; review with the finance office.",
    policy="Hainan: matching 1:1; the basis is not stated (policy: matching.basis)",
)


BF607 = Code(
    "BF607",
    WARNING,
    "low utilisation",
    "资金使用率偏低",
    message="{source}资金使用率 {rate}，低于 {least}；结余 {balance} 元结转下年",
    why="A source whose money is largely unspent did not reach the people it was for.",
    example="union: spent 25.74% of arrived.",
    fix="Spend it or explain the carry-over in the narrative.",
    policy="policy: min_utilisation",
)


BF608 = Code(
    "BF608",
    ERROR,
    "spent more than available",
    "支出超过可用资金",
    message="{source}支出 {spent} 元，超过可用 {available} 元",
    why="A source cannot pay out more than it holds.",
    example="spent 120 of 100.",
    fix="Correct the figures.",
)


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
    wrong = {  # an unknown type is BF107's, an unknown source BF503's
        (source, use)
        for source, use in cols.by_source_and_type
        if kinds.get(source) in table and use in types and use not in table[kinds[source]]
    }
    if not wrong:
        return
    for i in flagged(map(wrong.__contains__, zip(cols.source, cols.type, strict=True))):
        d = cols.rows[i]
        kind = kinds[d.source]
        allowed = "、".join(types.get(t, t) for t in table[kind])
        yield BF601(
            ctx.at(d, "type"),
            source=d.source,
            kind=kind,
            year=ctx.year.project.year,
            use=types.get(d.type, d.type),
            allowed=allowed,
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
                yield BF602(
                    ctx.at(d, "amount"),
                    household=d.household,
                    use=types.get(d.type, d.type),
                    total=fmt_yuan(after),
                    cap=fmt_yuan(cap.amount),
                )


def balances(ctx: Context) -> Iterator[Finding]:
    """BF603: central/provincial balance at year end; BF604: a carried-over balance of a
    union source without a carry-over report; BF608: spent more than available."""
    pol = ctx.year.policy
    for s, r in zip(ctx.year.funds.sources, ctx.results.funds.sources, strict=True):
        if not r.spent_known:
            continue  # no ledger and no declared spent: the balance is not known
        if r.balance < 0:
            yield BF608(
                ctx.at(s, "arrived"), source=s.name, spent=fmt_yuan(r.spent), available=fmt_yuan(r.available)
            )
        elif r.balance > 0 and s.kind in pol.zero_balance_kinds:
            yield BF603(ctx.at(s, "arrived"), source=s.name, balance=fmt_yuan(r.balance))
        elif r.balance > 0 and s.kind in pol.carry_over_report_kinds and not s.carry_over_report:
            yield BF604(ctx.at(s, "id"), source=s.name, balance=fmt_yuan(r.balance))


def matching(ctx: Context) -> Iterator[Finding]:
    """BF605 / BF606: local ÷ central money below the policy ratio, on the policy's basis
    (warning) and on the other basis (info); both ratios are shown."""
    f, match = ctx.results.funds, ctx.year.policy.matching
    if f.matching_arrived is None:
        return
    both = f"到位口径 {fmt_ratio(f.matching_arrived)}:1，支出口径 {fmt_ratio(f.matching_spent)}:1"
    where = _first_central(ctx)
    for basis, value in (("arrived", f.matching_arrived), ("spent", f.matching_spent)):
        if value is None or value >= match.ratio:
            continue
        code = BF605 if basis == match.basis else BF606
        label = "到位" if basis == "arrived" else "支出"
        yield code(where, basis=label, value=fmt_ratio(value), ratio=fmt_ratio(match.ratio), both=both)


def _first_central(ctx: Context) -> Location:
    kinds = ctx.year.policy.matching.central_kinds
    for s in ctx.year.funds.sources:
        if s.kind in kinds:
            return ctx.at(s, "arrived")
    return ctx.at(ctx.year.funds, "sources")


def utilisation(ctx: Context) -> Iterator[Finding]:
    """BF607: a source that spent less than the policy's min_utilisation of its base."""
    least = ctx.year.policy.min_utilisation
    for s, r in zip(ctx.year.funds.sources, ctx.results.funds.sources, strict=True):
        if r.utilisation is not None and r.utilisation < least:
            yield BF607(
                ctx.at(s, "spent"),
                source=r.name,
                rate=fmt_pct(r.utilisation),
                least=fmt_pct(least),
                balance=fmt_yuan(r.balance),
            )


RULES = (uses, caps, balances, matching, utilisation)
