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
    source=(
        "总工发〔2020〕13号《中央财政专项帮扶资金使用管理办法》（资金使用范围）；琼工办发〔2022〕"
        "98号《海南省工会困难职工专项帮扶资金使用管理办法》；policy.yaml allowed_uses"
    ),
    zh_why="每项资金只能用于当年政策允许的用途，超出即超范围使用。",
    zh_example="2022 年用中央财政资金发放送温暖。",
    remedy="调整账务，改由允许该用途的资金列支并书面说明；无法调整的，归还原资金渠道。",
)


BF602 = Code(
    "BF602",
    ERROR,
    "cap exceeded",
    "超标准发放",
    message={
        "": "{household} 全年{use}累计 {total} 元，超过上限 {cap} 元",
        "payment": "{household} 单笔{use} {total} 元，超过每笔上限 {cap} 元",
    },
    why="Payments above the policy's cap per household and year are 超标准开支.",
    example="Living aid of 20000 元 to one household with a cap of 12000.",
    fix="Recover (追回) the part above the cap, or explain in writing with the approval of an exception.",
    policy="national and local standards (policy: caps)",
    needs=LEDGER,
    source=(
        "琼工办发〔2022〕98号《海南省工会困难职工专项帮扶资金使用管理办法》（救助标准）；policy.yaml caps"
    ),
    zh_why="超过政策标准的发放属于超标准开支。",
    zh_example="深度困难户全年生活救助 12000 元，标准为 9000 元。",
    remedy="追回超标准部分；经批准的特殊情况，书面说明并附审批材料。",
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
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表「"
        "2022年央财、省财帮扶资金无结余、无跨年度使用的情况说明」；policy.yaml zero_balance_kinds"
    ),
    zh_why="中央和省财政帮扶资金年末不应有结余。",
    zh_example="中央财政资金年末结余 5 万元。",
    remedy="书面说明结余原因；按规定办理结转审批或上缴。",
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
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表「上"
        "报省总帮扶资金结余、结转申请」；policy.yaml carry_over_report_kinds"
    ),
    zh_why="工会帮扶资金结余须报上级工会并有结转报告方可结转下年。",
    zh_example="省总工会资金结余 764963 元，无结转报告。",
    remedy="补报结转申请（报省总工会），在 carry_over_report 中记录文号。",
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
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表「央"
        "财资金带动本省各级工会经费、地方财政等资金投入是否达到1：1」；policy.yaml matching"
    ),
    zh_why="中央财政资金须带动不少于 1:1 的其他资金投入。",
    zh_example="中央 129.56 万元，其他资金 100 万元。",
    remedy="书面说明配套不足的原因及补足计划。",
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
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表（配"
        "套 1:1）；口径为 bangfu 的选择（policy.yaml matching.basis）"
    ),
    zh_why="规定未说明按到位资金还是支出资金计算配套比例；两种口径都列出，供财务复核。",
    zh_example="到位口径 1.25:1，支出口径 0.66:1。",
    remedy="无需处理；与财务部门共同复核。",
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
    source="bangfu 自定（policy.yaml min_utilisation，默认 80%）",
    zh_why=(
        "资金大部分未使用，没有送到应受助的人手中。80% 的提示线是 bangfu 的默认选择，各地可在 "
        "policy.yaml 调整。"
    ),
    zh_example="省总工会资金使用率 25.74%。",
    remedy="在报告中书面说明结转原因及下年使用计划。",
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
    source="会计核算基本要求（实践）",
    zh_why="一项资金的支出不能超过其可用资金。",
    zh_example="到位 10 万元，支出 12 万元。",
    remedy="查明差错（串用其他资金或记账错误），调整账务并书面说明。",
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
    """BF602: Σ amount per household, type and year above the policy's cap (by category), or
    one payment above a cap per payment (``per: payment``)."""
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
            if cap.per == "payment":
                if d.amount > cap.amount:
                    yield BF602(
                        ctx.at(d, "amount"),
                        variant="payment",
                        household=d.household,
                        use=types.get(d.type, d.type),
                        total=fmt_yuan(d.amount),
                        cap=fmt_yuan(cap.amount),
                    )
            elif before <= cap.amount < after:
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
