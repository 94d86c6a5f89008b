"""BF7: payments — cash with signature, publicity before payment, dates, double payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import repeat
from operator import le, or_

from bangfu_eval.aggregates import DISBURSEMENTS
from bangfu_eval.compute import deadline
from bangfu_eval.findings import ERROR, WARNING, Code, Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.rules.base import Context

BF701 = Code(
    "BF701",
    ERROR,
    "cash without signature",
    "现金发放无签名",
    message="{payment} 现金发放，未记录领取人签名",
    why="Cash is allowed only with the recipient's signature on the real-name list.",
    example="method: cash, signed: false",
    fix="Record the signature or correct the method.",
    help="签名后写 signed: true",
    policy="national: 实名制 payment; cash only with the recipient's signature (policy: cash_methods)",
    needs=(DISBURSEMENTS,),
)


BF702 = Code(
    "BF702",
    ERROR,
    "paid before publicity ended",
    "公示期未满即发放",
    message={
        "none": "{payment} 没有公示记录",
        "early": "{payment} 于 {date} 发放，批次 {batch} 公示至 {end}",
    },
    why="Recipients and amounts are publicly noticed before payment.",
    example="publicity_end 2022-03-10, paid 2022-03-08.",
    fix="Correct the dates.",
    policy="national: recipients and amounts are publicly noticed before payment",
    needs=(DISBURSEMENTS,),
)


BF703 = Code(
    "BF703",
    ERROR,
    "paid before the year",
    "发放日期早于年度",
    message="{payment} 发放日期 {date} 早于 {year} 年度",
    why=(
        "A payment dated before the evaluation year belongs to an earlier year's accounts. (A "
        "payment dated after the deadline, also in the next year, is late: BF704.)"
    ),
    example="date: 2021-12-20 in data/2022.",
    fix="Move it to its year.",
    needs=(DISBURSEMENTS,),
)


BF704 = Code(
    "BF704",
    WARNING,
    "paid after the deadline",
    "超过发放时限",
    message="{payment} 于 {date} 发放，晚于时限 {deadline}",
    why="All the year's money is to be paid by the deadline (12-31 by default).",
    example="A deadline of 12-20 and a payment on 12-28.",
    fix="Pay earlier or adjust the policy deadline.",
    policy="efficiency target: all paid by 12-31 (policy: payment_deadline)",
    needs=(DISBURSEMENTS,),
)


BF705 = Code(
    "BF705",
    ERROR,
    "paid twice in one batch",
    "同一批次重复发放",
    message="{household} 在批次 {batch} 中第二次领取{use}（第 {first} 行已有）",
    why="The same household paid twice for the same type in one batch is a double payment.",
    example="Two living-aid payments to HK-001 in batch 2022-03.",
    fix="Remove the duplicate.",
    needs=(DISBURSEMENTS,),
)


BF706 = Code(
    "BF706",
    WARNING,
    "publicity period too short",
    "公示期不足",
    message="批次 {batch} 公示 {days}{unit}，少于 {least}{unit}",
    why="Some localities require a minimum publicity period (policy: publicity_min_days).",
    example="3 working days with a minimum of 5.",
    fix="Lengthen the publicity period.",
    policy="local rules, e.g. at least 5 working days (policy: publicity_min_days)",
    needs=(DISBURSEMENTS,),
)


def cash(ctx: Context) -> Iterator[Finding]:
    """BF701: a cash payment without the recipient's signature."""
    cols, cash_methods = ctx.cols, set(ctx.year.policy.cash_methods)
    if cash_methods.isdisjoint(cols.method):
        return
    for i in flagged(map(cash_methods.__contains__, cols.method)):
        d = cols.rows[i]
        if not d.signed:
            yield BF701(ctx.at(d, "method"), payment=d.id)


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from start to end, both included (public holidays not known)."""
    days = (end - start).days + 1
    weeks, rest = divmod(max(days, 0), 7)
    count = weeks * 5
    for k in range(rest):
        if (start + dt.timedelta(days=weeks * 7 + k)).weekday() < 5:
            count += 1
    return count


def publicity(ctx: Context) -> Iterator[Finding]:
    """BF706: a batch's publicity shorter than the policy minimum; BF702: a payment on or
    before its batch's publicity end, or in a batch with no publicity dates."""
    if not ctx.year.disbursements:
        return
    pol = ctx.year.policy
    batches = {b.id: b for b in ctx.year.disbursements.batches}
    for batch in ctx.year.disbursements.batches:
        if batch.publicity_start and batch.publicity_end:
            days = (
                working_days(batch.publicity_start, batch.publicity_end)
                if pol.publicity_working_days
                else (batch.publicity_end - batch.publicity_start).days + 1
            )
            if days < pol.publicity_min_days:
                unit = "个工作日" if pol.publicity_working_days else "天"
                yield BF706(
                    ctx.at(batch, "publicity_end"),
                    batch=batch.id,
                    days=days,
                    unit=unit,
                    least=pol.publicity_min_days,
                )
    # a payment is in question when paid on or before its batch's publicity end, or in no
    # batch or a batch without dates (never for an unknown batch: that is BF504's)
    end: dict[str | None, dt.date] = {b.id: b.publicity_end or dt.date.max for b in batches.values()}
    end[None] = dt.date.max
    cols = ctx.cols
    for i in flagged(map(le, cols.date, map(end.get, cols.batch, repeat(dt.date.min)))):
        d = cols.rows[i]
        b = batches.get(d.batch) if d.batch else None
        if d.batch is None or (b is not None and b.publicity_end is None):
            yield BF702(
                ctx.at(d, "date"),
                variant="none",
                help="在批次中记录 publicity_start / publicity_end",
                payment=d.id,
            )
        elif b is not None and b.publicity_end is not None and d.date <= b.publicity_end:
            yield BF702(
                ctx.at(d, "date"), variant="early", payment=d.id, date=d.date, batch=b.id, end=b.publicity_end
            )


def dates(ctx: Context) -> Iterator[Finding]:
    """BF703: paid before the evaluation year; BF704: paid after the policy deadline, also in
    the next year (a ledger may run past year end: such a payment is late, not invalid)."""
    if not ctx.year.disbursements:
        return
    year = ctx.year.project.year
    last = deadline(ctx.year)
    start, cols = dt.date(year, 1, 1), ctx.cols
    if not cols.rows or (start <= min(cols.date) and max(cols.date) <= last):
        return
    for i in flagged(map(or_, map(start.__gt__, cols.date), map(last.__lt__, cols.date))):
        d = cols.rows[i]
        if d.date < start:
            yield BF703(ctx.at(d, "date"), payment=d.id, date=d.date, year=year)
        elif d.date > last:
            yield BF704(ctx.at(d, "date"), payment=d.id, date=d.date, deadline=last)


def double_payments(ctx: Context) -> Iterator[Finding]:
    """BF705: the same household paid twice for the same type in the same batch."""
    cols = ctx.cols
    # a screen on the keys' hashes (zip reuses its tuple, so no key is kept): no two payments
    # share all three when no two hashes are equal (a shared key with no batch is let through)
    if len(set(map(hash, zip(cols.household, cols.type, cols.batch, strict=True)))) == len(cols):
        return
    seen: dict[tuple[str, str, str], int] = {}
    for i, d in enumerate(cols.rows):
        if d.batch is None:
            continue
        key = (d.household, d.type, d.batch)
        if key in seen:
            yield BF705(
                ctx.at(d, "household"),
                household=d.household,
                batch=d.batch,
                use=ctx.year.policy.disbursement_types.get(d.type, d.type),
                first=ctx.at(cols.rows[seen[key]]).line,
            )
        else:
            seen[key] = i


RULES = (cash, publicity, dates, double_payments)
