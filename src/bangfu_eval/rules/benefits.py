"""重复享受 and false benefit, as auditors look for them (BF508, BF509, BF708, BF903, BF904):

- one bank card (BF903) or phone (BF904) under two households: one person or family archived
  twice, or a card that is not the recipient's own;
- one household paid for one type by several sources in one month (BF708);
- a household head past the statutory retirement age when paid (BF508, info: the age comes from
  the ID number, the retirement ages from the policy);
- a work unit that looks like a government office or a union (BF509, info: a prompt to check
  that no 公职人员 is among the recipients).

Messages name household ids and masked values only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from operator import methodcaller

from bangfu_eval import idnumber
from bangfu_eval import models as m
from bangfu_eval.aggregates import DISBURSEMENTS, HOUSEHOLDS, LEDGER
from bangfu_eval.findings import INFO, WARNING, Code, Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.money import fmt_yuan
from bangfu_eval.privacy import mask_tail
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.references import add_months

_FUNDS_RULES = "琼工办发〔2022〕98号《海南省工会困难职工专项帮扶资金使用管理办法》"
_ARCHIVE_RULES = "琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》"

BF508 = Code(
    "BF508",
    INFO,
    "household head past retirement age when paid",
    "户主已达法定退休年龄",
    message=(
        "{household} 户主于 {retired} 已达法定退休年龄（按身份证号推算），此后发放 {count} 笔，共 {amount} 元"
    ),
    help="请核实其是否仍为在职职工或符合退休困难职工的帮扶条件",
    why=(
        "Assistance is for workers (职工); a head past the statutory retirement age (from the ID"
        " number's birth date and sex; policy: retirement_ages) may no longer be one. A prompt to"
        " check, not a verdict."
    ),
    example="A head born 1960-05 (male) paid living aid in 2022-06.",
    fix=(
        "Check that the head is still employed or within the scheme for retired workers; keep the evidence."
    ),
    policy=(
        "eligibility of 职工; retirement ages 国发〔1978〕104号, from 2025 rising (policy: retirement_ages)"
    ),
    needs=LEDGER,
    source=(
        f"{_ARCHIVE_RULES}（困难职工认定条件）；退休年龄：国发〔1978〕104号（男 60 岁、女工人 50 岁），"
        "2025 年起按渐进式延迟退休调整；policy.yaml retirement_ages"
    ),
    zh_why=(
        "帮扶对象是职工；户主已过法定退休年龄（按身份证号的出生日期和性别推算），可能已不是职工。"
        "这是核查提示，不是结论。"
    ),
    zh_example="1960 年 5 月出生的男性户主，2022 年 6 月领取生活救助。",
    remedy="核实户主是否仍在职或属于退休困难职工帮扶范围，留存核实材料。",
)

BF509 = Code(
    "BF509",
    INFO,
    "work unit looks like an office or a union",
    "工作单位疑似机关或工会",
    message="{household} 的工作单位含“{word}”，请核实户主及家庭成员是否为公职人员",
    why=(
        "Staff of government offices or of the union itself (公职人员) and their relatives among"
        " recipients is a finding auditors look for (policy: office_unit_words)."
    ),
    example="work_unit: 某区人民政府办公室",
    fix="Check whether the head or a family member is a 公职人员; keep the result on file.",
    policy="audit practice: 公职人员 among recipients (policy: office_unit_words, bangfu's choice)",
    needs=(HOUSEHOLDS,),
    source=f"{_ARCHIVE_RULES}（认定条件）；关键词为 bangfu 的选择（policy.yaml office_unit_words）",
    zh_why="机关、工会工作人员（公职人员）及其亲属领取帮扶资金，是审计关注的问题。这是核查提示。",
    zh_example="工作单位：某区人民政府办公室。",
    remedy="核实户主及家庭成员是否为公职人员，留存核实结果。",
)

BF708 = Code(
    "BF708",
    WARNING,
    "one need paid by several sources in one month",
    "同月同类救助由多个来源发放",
    message="{household} {month} 由 {sources} {n_sources} 个来源发放{kind} {count} 笔，共 {amount} 元",
    help="同一需求只能由一个来源救助一次；不是重复的，书面说明各笔的用途",
    why=(
        "One household paid for one type by two or more sources in one month is the commonest"
        " form of 重复享受. All its payments are one finding (not where they share one batch:"
        " BF705 says that)."
    ),
    example="HK-001 living aid in 2022-03 from central and from union money.",
    fix="Recover (追回) a duplicate; if the payments met different needs, explain each in writing.",
    policy="national and Hainan: no 重复享受 of one benefit",
    needs=(DISBURSEMENTS,),
    source=f"{_FUNDS_RULES}（不得重复享受）",
    zh_why="同一户同一月同一类救助由两个以上来源发放，是最常见的重复享受。该户该月的几笔发放合为一条。",
    zh_example="HK-001 在 2022 年 3 月由中央财政和工会经费各发放一笔生活救助。",
    remedy="追回重复部分；确为不同需求的，逐笔书面说明用途。",
)

BF903 = Code(
    "BF903",
    WARNING,
    "one card under two households",
    "同一银行卡用于多户",
    message="{household} 与 {other} 使用同一{what}（尾号 {masked}）",
    why=(
        "A card paid for two households means one family archived twice, or money paid to a card"
        " that is not the recipient's own."
    ),
    example="HK-001 and HK-057 with the same social-security card.",
    fix="Check whose card it is; recover (追回) what was paid twice, or explain in writing.",
    policy="national: 实名制 payment to the recipient's own card; no 重复享受",
    needs=(HOUSEHOLDS,),
    source=f"{_FUNDS_RULES}（实名制发放，不得重复享受）",
    zh_why="同一张卡用于两户，说明同一家庭建档两次，或钱打到了非本人的卡上。",
    zh_example="HK-001 与 HK-057 登记同一张社保卡。",
    remedy="核实卡的户主；重复领取的追回，或书面说明。",
)

BF904 = Code(
    "BF904",
    INFO,
    "one phone under two households",
    "同一联系电话用于多户",
    message="{household} 与 {other} 使用同一{what}（尾号 {masked}）",
    why=(
        "Two households with one phone may be one family archived twice, or an intermediary's"
        " number. A prompt to check."
    ),
    example="HK-001 and HK-057 with the same phone number.",
    fix="Check the two archives; merge or explain.",
    policy="national: one household, one archive",
    needs=(HOUSEHOLDS,),
    source=f"{_ARCHIVE_RULES}（一户一档）",
    zh_why="两户登记同一个联系电话，可能是同一家庭建档两次，或是中间人的号码。这是核查提示。",
    zh_example="HK-001 与 HK-057 登记同一个手机号。",
    remedy="核对两户档案；合并档案或书面说明。",
)


def shared_contacts(ctx: Context) -> Iterator[Finding]:
    """BF903: one bank or social-security card under two households; BF904: one phone."""
    homes = list(ctx.year.households.households)
    for field, code, what in (("card_number", BF903, "银行卡/社保卡"), ("phone", BF904, "联系电话")):
        first: dict[str, m.Household] = {}
        for h in homes:
            value = "".join(getattr(h, field).split())
            if not value:
                continue
            earlier = first.setdefault(value, h)
            if earlier is not h:
                f = code(
                    ctx.at(h, field), household=h.id, other=earlier.id, what=what, masked=mask_tail(value)
                )
                yield replace(f, related=(ctx.at(earlier, field),))


def several_sources(ctx: Context) -> Iterator[Finding]:
    """BF708: one household paid for one type by two or more sources in one month — one
    finding per household, type and month, at its second payment, naming the others (not when
    they share one batch: BF705 reports that)."""
    cols = ctx.cols
    if not cols.rows:
        return
    months = list(map(methodcaller("replace", day=1), cols.date))
    distinct = set(zip(cols.household, cols.type, months, cols.source, strict=True))
    twice = {k for k, n in Counter(k[:3] for k in distinct).items() if n > 1}
    if not twice:
        return
    groups: dict[tuple[str, str, dt.date], list[int]] = {}
    keys = list(zip(cols.household, cols.type, months, strict=True))
    for i in flagged(map(twice.__contains__, keys)):
        groups.setdefault(keys[i], []).append(i)
    kinds = ctx.year.policy.disbursement_types
    for (household, kind, month), rows in groups.items():
        payments = [cols.rows[i] for i in rows]
        if len({d.batch for d in payments}) == 1:
            continue  # all in one batch: BF705 (paid twice in one batch) says it
        sources = list(dict.fromkeys(d.source for d in payments))
        second = next(d for d in payments if d.source != payments[0].source)
        f = BF708(
            ctx.at(second, "source"),
            household=household,
            month=f"{month.year}年{month.month}月",
            sources="、".join(sources),
            n_sources=len(sources),
            kind=kinds.get(kind, kind),
            count=len(payments),
            amount=fmt_yuan(sum((d.amount for d in payments), Decimal(0))),
        )
        yield replace(f, related=tuple(ctx.at(d, "source") for d in payments if d is not second))


def retirement_date(h: m.Household, ages: dict[str, int]) -> dt.date | None:
    """The day the head reaches the statutory retirement age, from the ID number's birth date
    and sex (17th digit: odd male, even female); None when the number is not valid."""
    v = h.id_number.strip().upper()
    if not v or idnumber.problem(v) is not None:
        return None
    born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    age = ages.get("male" if int(v[16]) % 2 else "female")
    return None if age is None else add_months(born, 12 * age)


def past_retirement(ctx: Context) -> Iterator[Finding]:
    """BF508: a household head past the retirement age when paid — one finding per household,
    at its first such payment, with how many payments and how much."""
    cols = ctx.cols
    if not cols.rows:
        return
    last = max(cols.date)
    ages = ctx.year.policy.retirement_ages
    retired: dict[str, dt.date] = {}
    for h in ctx.year.households.households:
        day = retirement_date(h, ages)
        if day is not None and day <= last:
            retired[h.id] = day
    paid: dict[str, list[m.Disbursement]] = {}
    for i in flagged(map(retired.__contains__, cols.household)) if retired else ():
        d = cols.rows[i]
        if d.date >= retired[d.household]:
            paid.setdefault(d.household, []).append(d)
    for household, payments in paid.items():
        yield BF508(
            ctx.at(payments[0], "household"),
            household=household,
            retired=retired[household],
            count=len(payments),
            amount=fmt_yuan(sum((d.amount for d in payments), Decimal(0))),
        )


def office_work_units(ctx: Context) -> Iterator[Finding]:
    """BF509: a work unit that looks like a government office or a union."""
    words = ctx.year.policy.office_unit_words
    for h in ctx.year.households.households:
        hit = next((w for w in words if w in h.work_unit), None)
        if hit:
            yield BF509(ctx.at(h, "work_unit"), household=h.id, word=hit)


RULES = (shared_contacts, several_sources, past_retirement, office_work_units)
