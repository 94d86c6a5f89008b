"""BF7: payments — cash with signature, publicity before payment, dates, double payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import repeat
from operator import le, or_

from bangfu_eval.compute import deadline
from bangfu_eval.findings import Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.rules.base import Context

D = "disbursements.yaml"


def cash(ctx: Context) -> Iterator[Finding]:
    """BF701: a cash payment without the recipient's signature."""
    cols, cash_methods = ctx.cols, set(ctx.year.policy.cash_methods)
    if cash_methods.isdisjoint(cols.method):
        return
    for i in flagged(map(cash_methods.__contains__, cols.method)):
        d = cols.rows[i]
        if not d.signed:
            yield ctx.find(
                "BF701",
                D,
                ("disbursements", i, "method"),
                f"{d.id} 现金发放，未记录领取人签名",
                "签名后写 signed: true",
            )


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
    for i, batch in enumerate(ctx.year.disbursements.batches):
        if batch.publicity_start and batch.publicity_end:
            days = (
                working_days(batch.publicity_start, batch.publicity_end)
                if pol.publicity_working_days
                else (batch.publicity_end - batch.publicity_start).days + 1
            )
            if days < pol.publicity_min_days:
                unit = "个工作日" if pol.publicity_working_days else "天"
                yield ctx.find(
                    "BF706",
                    D,
                    ("batches", i, "publicity_end"),
                    f"批次 {batch.id} 公示 {days}{unit}，少于 {pol.publicity_min_days}{unit}",
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
            yield ctx.find(
                "BF702",
                D,
                ("disbursements", i, "date"),
                f"{d.id} 没有公示记录",
                "在批次中记录 publicity_start / publicity_end",
            )
        elif b is not None and b.publicity_end is not None and d.date <= b.publicity_end:
            yield ctx.find(
                "BF702",
                D,
                ("disbursements", i, "date"),
                f"{d.id} 于 {d.date} 发放，批次 {b.id} 公示至 {b.publicity_end}",
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
        path = ("disbursements", i, "date")
        if d.date < start:
            yield ctx.find("BF703", D, path, f"{d.id} 发放日期 {d.date} 早于 {year} 年度")
        elif d.date > last:
            yield ctx.find("BF704", D, path, f"{d.id} 于 {d.date} 发放，晚于时限 {last}")


def double_payments(ctx: Context) -> Iterator[Finding]:
    """BF705: the same household paid twice for the same type in the same batch."""
    cols = ctx.cols
    if len(set(zip(cols.household, cols.type, cols.batch, strict=True))) == len(cols):
        return  # no two payments share all three (a shared key with no batch is let through)
    seen: dict[tuple[str, str, str], int] = {}
    for i, d in enumerate(cols.rows):
        if d.batch is None:
            continue
        key = (d.household, d.type, d.batch)
        if key in seen:
            first = ctx.at(D, "disbursements", seen[key]).line
            yield ctx.find(
                "BF705",
                D,
                ("disbursements", i, "household"),
                f"{d.household} 在批次 {d.batch} 中第二次领取"
                f"{ctx.year.policy.disbursement_types.get(d.type, d.type)}（第 {first} 行已有）",
            )
        else:
            seen[key] = i
