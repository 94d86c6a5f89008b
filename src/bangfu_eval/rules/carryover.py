"""BF609, BF610: matching on new money when a carry-over is inside ``arrived``.

The 1:1 matching rule is about the money this year brings; a source whose ``arrived`` already
includes last year's carry-over (``carried_in_included: true``, as the 2022 seed's union money)
adds old money to the local side. With the carry-over's amount given, the ratio on new money is
arrived − carried in; without it, the ratio on new money is not verifiable (BF609) and is never
computed as if the carry-over were 0."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval.findings import INFO, WARNING, Code, Finding
from bangfu_eval.money import fmt_ratio, ratio
from bangfu_eval.rules.base import Context

_REVIEW = "琼工办发〔2023〕33号附件3 评分表「央财资金带动本省各级工会经费、地方财政等资金投入是否达到1：1」"

BF609 = Code(
    "BF609",
    INFO,
    "matching on new money not verifiable",
    "按新增资金计的配套比例无法核实",
    message=(
        "{source}的到位资金含上年结转，金额未列明：按新增资金计的配套比例无法核实（到位口径 {"
        "arrived}:1 含结转资金）"
    ),
    help="在 funds.yaml 中写明 carried_in（上年结转金额），bangfu 即可按新增资金核对配套比例",
    why=(
        "Matching measures the money a year brings; when a local source's arrived money includes"
        " last year's carry-over of unknown size, the ratio on new money cannot be told, and"
        " computing it as if the carry-over were 0 would overstate it."
    ),
    example="省总工会 1030097 元（含2021年结转资金）, the carry-over's size not given.",
    fix="Give the carry-over's amount (carried_in) with carried_in_included: true.",
    policy="Hainan: matching 1:1 (policy: matching); the carry-over's amount makes new money known",
    source=f"{_REVIEW}；policy.yaml matching",
    zh_why=(
        "配套比例衡量的是当年新增资金；到位资金含数额不明的上年结转时，新增资金的配套比例无法得知"
        "，按结转为 0 计算会高估。"
    ),
    zh_example="省总工会 1030097 元（含2021年结转资金），结转金额未列明。",
    remedy="在报告和 funds.yaml 中写明上年结转金额；无法查明的，书面说明。",
)

BF610 = Code(
    "BF610",
    WARNING,
    "matching on new money below the ratio",
    "按新增资金计的配套比例未达到要求",
    message="按新增资金计（到位减上年结转），地方资金与中央资金之比 {value}:1，低于 {ratio}:1",
    why=(
        "With the carry-over's amount known, old money is taken out of the local side: the ratio"
        " on new money is the one the 1:1 rule is about."
    ),
    example="Local arrived 1.3 million including 0.5 million carried in; central 1.0 million.",
    fix="Raise local funding, or explain in writing why the year's new money fell short.",
    policy="Hainan: matching 1:1 (policy: matching)",
    source=f"{_REVIEW}；policy.yaml matching",
    zh_why="上年结转金额已知时，从地方资金中减去旧钱，按新增资金计算的比例才是 1:1 规定所指的比例。",
    zh_example="地方到位 130 万元，其中上年结转 50 万元；中央 100 万元。",
    remedy="书面说明当年新增配套不足的原因及补足计划。",
)


def new_money(ctx: Context) -> Iterator[Finding]:
    """BF609: matching on new money not verifiable (a carry-over inside arrived, amount not
    given); BF610: matching on new money below the policy ratio."""
    match = ctx.year.policy.matching
    matched = [s for s in ctx.year.funds.sources if s.kind in (*match.central_kinds, *match.local_kinds)]
    unknown = [s for s in matched if s.carried_in_included and s.carried_in is None]
    if unknown:
        yield BF609(
            ctx.at(unknown[0], "carried_in_included"),
            source="、".join(s.name for s in unknown),
            arrived=fmt_ratio(ctx.results.funds.matching_arrived),
        )
        return
    if not any(s.carried_in_included for s in matched):
        return  # arrived is new money already: BF605 / BF606 say it
    central = local = Decimal(0)
    for s in matched:
        new = s.arrived - (s.carried_in or 0) if s.carried_in_included else s.arrived
        if s.kind in match.central_kinds:
            central += new
        else:
            local += new
    value = ratio(local, central)
    if value is not None and value < match.ratio:
        where = next(s for s in matched if s.carried_in_included)
        yield BF610(ctx.at(where, "carried_in"), value=fmt_ratio(value), ratio=fmt_ratio(match.ratio))


RULES = (new_money,)
