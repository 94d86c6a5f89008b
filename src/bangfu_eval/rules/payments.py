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
from bangfu_eval.workdays import working_days

BF701 = Code(
    "BF701",
    ERROR,
    "cash without signature",
    "现金发放无签名",
    message="{payment} 现金发放，未记录领取人签名",
    why="Cash is allowed only with the recipient's signature on the real-name list.",
    example="method: cash, signed: false",
    fix=(
        "Have the recipient confirm and sign, with the paying officer's written explanation;"
        " without a confirmed receipt, recover the money."
    ),
    help="签名后写 signed: true",
    policy="national: 实名制 payment; cash only with the recipient's signature (policy: cash_methods)",
    needs=(DISBURSEMENTS,),
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表「特"
        "殊情况下发放现金职工是否在实名制表上签名」；琼工办发〔2022〕98号《海南省工会困难职工专项"
        "帮扶资金使用管理办法》（实名制发放）"
    ),
    zh_why="现金发放只在特殊情况下允许，且须领款人在实名制名单上签名。",
    zh_example="现金发放 800 元，无签名。",
    remedy="由领款人补签确认并由经办人书面说明；无法确认领取的，视为发放依据不足，追究并追回。",
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
    fix="Explain in writing and publish the notice late (补公示); never rewrite the dates.",
    policy="national: recipients and amounts are publicly noticed before payment",
    needs=(DISBURSEMENTS,),
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表「帮"
        "扶资金发放前是否公示」"
    ),
    zh_why="受助对象和金额须在发放前公示。",
    zh_example="公示期截至 1 月 9 日，1 月 5 日已发放。",
    remedy="书面说明原因并补公示；不得改写公示或发放日期。",
)


BF703 = Code(
    "BF703",
    ERROR,
    "paid before the year",
    "发放日期早于年度",
    message="{payment} 发放日期 {date} 早于项目起始日期 {start}",
    why=(
        "A payment dated before the project's period (period_start) belongs to an earlier year's"
        " accounts. (A payment dated after the deadline or the period's end, also in the next"
        " year, is late: BF704.)"
    ),
    example="date: 2021-12-20 in data/2022.",
    fix="Move it to its year.",
    needs=(DISBURSEMENTS,),
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（项目实施期）",
    zh_why="早于评价年度的发放属于以前年度的账目。",
    zh_example="2021-12-30 的发放记在 2022 年。",
    remedy="调整到所属年度的账目。",
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
    source=(
        "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表「"
        "2022年12月31日前完成100%发放」；policy.yaml payment_deadline"
    ),
    zh_why="当年资金应在期限前（默认 12 月 31 日）发放完毕。",
    zh_example="2023-01-15 发放 2022 年资金。",
    remedy="书面说明延迟原因。",
)


BF705 = Code(
    "BF705",
    ERROR,
    "paid twice in one batch",
    "同一批次重复发放",
    message="{household} 在批次 {batch} 中第二次领取{use}（第 {first} 行已有）",
    why="The same household paid twice for the same type in one batch is a double payment.",
    example="Two living-aid payments to HK-001 in batch 2022-03.",
    fix="Recover (追回) the second payment, or explain in writing why two were due.",
    needs=(DISBURSEMENTS,),
    source="琼工办发〔2022〕98号《海南省工会困难职工专项帮扶资金使用管理办法》（不得重复享受）",
    zh_why="同一户在同一批次同一类型领取两次，属于重复发放。",
    zh_example="HK-001 在 2022-03 批次领取两笔生活救助。",
    remedy="追回重复发放部分；确属两项不同救助的，书面说明并附审批材料。",
)


BF706 = Code(
    "BF706",
    WARNING,
    "publicity period too short",
    "公示期不足",
    message="批次 {batch} 公示 {days}{unit}，少于 {least}{unit}",
    why=(
        "Some localities require a minimum publicity period (policy: publicity_min_days), counted"
        " in working days: public holidays and 调休 workdays as the State Council arranges them"
        " (chinesecalendar), Monday to Friday for a year not yet published."
    ),
    example="3 working days with a minimum of 5.",
    fix="Lengthen the publicity period.",
    policy="local rules, e.g. at least 5 working days (policy: publicity_min_days)",
    needs=(DISBURSEMENTS,),
    source="地方规定（policy.yaml publicity_min_days，默认 5 个工作日，bangfu 的默认选择）",
    zh_why=(
        "一些地方规定最短公示期，按工作日计：法定节假日和调休上班日按国务院办公厅的安排（"
        "chinesecalendar），尚未公布的年份按周一至周五计。"
    ),
    zh_example="公示 3 个工作日，规定至少 5 个。",
    remedy="书面说明；以后按规定公示。",
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


def publicity(ctx: Context) -> Iterator[Finding]:
    """BF706: a batch's publicity shorter than the policy minimum; BF702: a payment on or
    before its batch's publicity end, or in a batch with no publicity dates."""
    if not ctx.year.disbursements:
        return
    pol = ctx.year.policy
    batches = {b.id: b for b in ctx.year.disbursements.batches}
    for batch in ctx.year.disbursements.batches:
        if batch.publicity_start and batch.publicity_end:
            days, calendar = working_days(batch.publicity_start, batch.publicity_end)
            if not pol.publicity_working_days:
                days, calendar = (batch.publicity_end - batch.publicity_start).days + 1, True
            if days < pol.publicity_min_days:
                unit = "个工作日" if pol.publicity_working_days else "天"
                yield BF706(
                    ctx.at(batch, "publicity_end"),
                    batch=batch.id,
                    days=days,
                    unit=unit,
                    least=pol.publicity_min_days,
                    help=None if calendar else "该年的节假日安排尚未收录，按周一至周五计",
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
    """BF703: paid before the project's period starts (``period_start``); BF704: paid after the
    policy deadline or the period's end, also in the next year (a ledger may run past year end:
    such a payment is late, not invalid)."""
    if not ctx.year.disbursements:
        return
    last = deadline(ctx.year)
    start, cols = ctx.year.project.project.period_start, ctx.cols
    if not cols.rows or (start <= min(cols.date) and max(cols.date) <= last):
        return
    for i in flagged(map(or_, map(start.__gt__, cols.date), map(last.__lt__, cols.date))):
        d = cols.rows[i]
        if d.date < start:
            yield BF703(ctx.at(d, "date"), payment=d.id, date=d.date, start=start)
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
