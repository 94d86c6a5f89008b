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
from operator import methodcaller

from bangfu_eval import idnumber
from bangfu_eval import models as m
from bangfu_eval.findings import Finding, Location
from bangfu_eval.ledger import flagged
from bangfu_eval.money import fmt_yuan
from bangfu_eval.privacy import mask_tail
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.references import add_months

H, D = "households.yaml", "disbursements.yaml"


def shared_contacts(ctx: Context) -> Iterator[Finding]:
    """BF903: one bank or social-security card under two households; BF904: one phone."""
    for field, code, what in (("card_number", "BF903", "银行卡/社保卡"), ("phone", "BF904", "联系电话")):
        first: dict[str, int] = {}
        homes = ctx.year.households.households
        for i, h in enumerate(homes):
            value = "".join(getattr(h, field).split())
            if not value:
                continue
            j = first.setdefault(value, i)
            if j != i:
                f = ctx.find(
                    code,
                    H,
                    ("households", i, field),
                    f"{h.id} 与 {homes[j].id} 使用同一{what}（尾号 {mask_tail(value)}）",
                )
                yield replace(f, related=(ctx.at(H, "households", j, field),))


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
        if len({cols.rows[i].batch for i in rows}) == 1:
            continue  # all in one batch: BF705 (paid twice in one batch) says it
        sources = list(dict.fromkeys(cols.rows[i].source for i in rows))
        second = next(i for i in rows if cols.rows[i].source != cols.rows[rows[0]].source)
        total = sum((cols.rows[i].amount for i in rows), start=cols.rows[0].amount * 0)
        f = ctx.find(
            "BF708",
            D,
            ("disbursements", second, "source"),
            f"{household} {month.year}年{month.month}月由 {'、'.join(sources)} {len(sources)} 个来源"
            f"发放{kinds.get(kind, kind)} {len(rows)} 笔，共 {fmt_yuan(total)} 元",
            "同一需求只能由一个来源救助一次；不是重复的，书面说明各笔的用途",
        )
        related: tuple[Location, ...] = tuple(
            ctx.at(D, "disbursements", i, "source") for i in rows if i != second
        )
        yield replace(f, related=related)


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
    retired = {}
    for h in ctx.year.households.households:
        day = retirement_date(h, ages)
        if day is not None and day <= last:
            retired[h.id] = day
    if not retired:
        return
    paid: dict[str, list[int]] = {}
    for i in flagged(map(retired.__contains__, cols.household)):
        d = cols.rows[i]
        if d.date >= retired[d.household]:
            paid.setdefault(d.household, []).append(i)
    for household, rows in paid.items():
        total = sum((cols.rows[i].amount for i in rows), start=cols.rows[rows[0]].amount * 0)
        yield ctx.find(
            "BF508",
            D,
            ("disbursements", rows[0], "household"),
            f"{household} 户主于 {retired[household]} 已达法定退休年龄（按身份证号推算），"
            f"此后发放 {len(rows)} 笔，共 {fmt_yuan(total)} 元",
            "请核实其是否仍为在职职工或符合退休困难职工的帮扶条件",
        )


def office_work_units(ctx: Context) -> Iterator[Finding]:
    """BF509: a work unit that looks like a government office or a union."""
    words = ctx.year.policy.office_unit_words
    for i, h in enumerate(ctx.year.households.households):
        hit = next((w for w in words if w in h.work_unit), None)
        if hit:
            yield ctx.find(
                "BF509",
                H,
                ("households", i, "work_unit"),
                f"{h.id} 的工作单位含“{hit}”，请核实户主及家庭成员是否为公职人员",
            )
