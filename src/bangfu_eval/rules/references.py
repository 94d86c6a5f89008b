"""BF1 ids and codes, BF5 references: 先建档、后帮扶 — every payment names an archived,
eligible household, a known source and a known batch."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from operator import or_

from bangfu_eval.aggregates import DISBURSEMENTS, LEDGER
from bangfu_eval.findings import ERROR, Code, Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.rules.base import Context

BF106 = Code(
    "BF106",
    ERROR,
    "duplicate id",
    "编号重复",
    message="编号 '{id}' 重复（第 {first} 行已有）",
    why="Two records with one id make every reference to it ambiguous.",
    example="Two households with id HK-001.",
    fix="Give each record its own id.",
)


BF107 = Code(
    "BF107",
    ERROR,
    "unknown code value",
    "代码值未定义",
    message="'{value}' 不是已定义的值",
    why=(
        "Categories, types, statuses, payment methods and source kinds come from the policy; an unknown "
        "one is not counted anywhere."
    ),
    example="type: livng",
    fix="Use one of the values the policy lists (bangfu rules shows the policy file).",
    help="可用：{allowed}",
    policy="policy.yaml (source_kinds, categories, statuses, disbursement_types, payment_methods)",
)


BF501 = Code(
    "BF501",
    ERROR,
    "payment to an unarchived household",
    "帮扶对象未建档",
    message="帮扶对象 '{household}' 不在 {file} 中",
    why="先建档、后帮扶: every payment names an archived household.",
    example="household: HK-999 with no such household.",
    fix="Archive the household first, or correct the id.",
    policy="national: 先建档、后帮扶 (archive before assisting)",
    needs=LEDGER,
)


BF502 = Code(
    "BF502",
    ERROR,
    "household not eligible on payment date",
    "发放日帮扶对象不在档",
    message={
        "before": "{date} 发放时 {household} 尚未建档（建档日期 {archived_on}）",
        "graduated": (
            "{date} 发放时 {household} 已过渐退期（{exited_on} 退档，渐退期 {months} 个月至 {until}）"
        ),
        "status": "{household} 状态为 {status}，且无退档日期",
    },
    why="A household is paid only while archived or within its graduation period (渐退期).",
    example="Paid 2022-03-01, archived 2022-05-10.",
    fix="Correct the dates or the payment.",
    policy="national: 先建档、后帮扶; 渐退期 after 脱困 (policy: graduation_months, eligible_statuses)",
    needs=LEDGER,
)


BF503 = Code(
    "BF503",
    ERROR,
    "unknown fund source",
    "资金来源未定义",
    message="资金来源 '{source}' 未在 funds.yaml 中定义",
    why="Money from a source that funds.yaml does not list is not accounted for.",
    example="source: county",
    fix="Add the source to funds.yaml or correct the id.",
    help="已定义：{defined}",
    needs=(DISBURSEMENTS,),
)


BF504 = Code(
    "BF504",
    ERROR,
    "unknown batch",
    "发放批次未定义",
    message="发放批次 '{batch}' 未定义",
    why="A payment's batch carries its publicity dates.",
    example="batch: 2022-13",
    fix="Add the batch or correct the id.",
    needs=(DISBURSEMENTS,),
)


def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    """BF106: two records with one id in sources, households, disbursements, batches, targets,
    indicator trees."""
    y = ctx.year
    groups: list[tuple[Sequence[object], Iterable[str]]] = [
        (y.funds.sources, (s.id for s in y.funds.sources)),
        (y.households.households, y.households.households.columns["id"]),
        (y.targets.targets, (t.id for t in y.targets.targets)),
        (y.indicators.trees, (t.id for t in y.indicators.trees)),
    ]
    if y.disbursements:
        groups.append((y.disbursements.batches, y.disbursements.batches.columns["id"]))
        groups.append((ctx.cols.rows, ctx.cols.id))
    for records, column in groups:
        ids = list(column)
        if records is not ctx.cols.rows:  # 'Ｈ001' and 'H001' are one household, source or batch
            ids = [unicodedata.normalize("NFKC", i).strip() for i in ids]
        if len(set(ids)) == len(ids):
            continue
        seen: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in seen:
                first = ctx.at(records[seen[ident]]).line
                yield BF106(ctx.at(records[i], "id"), id=ident, first=first)
            else:
                seen[ident] = i


def code_values(ctx: Context) -> Iterator[Finding]:
    """BF107: kinds, categories, statuses, types and methods must be listed in the policy."""
    pol = ctx.year.policy
    for s in ctx.year.funds.sources:
        if s.kind not in pol.source_kinds:
            yield _unknown(ctx, s, "kind", s.kind, pol.source_kinds)
    for h in ctx.year.households.households:
        if h.category not in pol.categories:
            yield _unknown(ctx, h, "category", h.category, pol.categories)
        if h.status not in pol.statuses:
            yield _unknown(ctx, h, "status", h.status, pol.statuses)
    cols = ctx.cols
    bad_types = set(cols.type).difference(pol.disbursement_types)
    bad_methods = set(cols.method).difference(pol.payment_methods)
    if not bad_types and not bad_methods:
        return
    for i in flagged(
        map(or_, map(bad_types.__contains__, cols.type), map(bad_methods.__contains__, cols.method))
    ):
        d = cols.rows[i]
        if d.type not in pol.disbursement_types:
            yield _unknown(ctx, d, "type", d.type, pol.disbursement_types)
        if d.method not in pol.payment_methods:
            yield _unknown(ctx, d, "method", d.method, pol.payment_methods)


def _unknown(ctx: Context, record: object, field: str, value: str, allowed: dict[str, str]) -> Finding:
    listed = "、".join(f"{k}（{v}）" for k, v in allowed.items())
    return BF107(ctx.at(record, field), value=value, allowed=listed)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end."""
    y, mo = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, mo + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def households(ctx: Context) -> Iterator[Finding]:
    """BF501: payment to an unknown household; BF502: paid before the household was archived,
    after its graduation period (渐退期) ended, or after it left without a recorded date."""
    homes = {h.id: h for h in ctx.year.households.households}
    listed = ctx.year.households.households
    archive = ctx.at(listed[0]).file if len(listed) else "households.yaml"  # or households.csv
    pol = ctx.year.policy
    cols = ctx.cols
    if not cols.rows:
        return
    # a household can be in the wrong only if archived after the first payment of the year,
    # out of its graduation period before the last one, or not eligible; only its rows are read
    first, last = min(cols.date), max(cols.date)
    suspect = set(cols.household).difference(homes)
    for home in homes.values():
        if home.exited_on is not None:
            ok = last <= add_months(home.exited_on, pol.graduation_months)
        else:
            ok = home.status in pol.eligible_statuses
        if not ok or first < home.archived_on:
            suspect.add(home.id)
    for i in flagged(map(suspect.__contains__, cols.household)):
        d = cols.rows[i]
        h = homes.get(d.household)
        if h is None:
            yield BF501(ctx.at(d, "household"), household=d.household, file=archive)
            continue
        if d.date < h.archived_on:
            yield BF502(
                ctx.at(d, "date"), variant="before", date=d.date, household=h.id, archived_on=h.archived_on
            )
        elif h.exited_on is not None:
            until = add_months(h.exited_on, pol.graduation_months)
            if d.date > until:
                yield BF502(
                    ctx.at(d, "date"),
                    variant="graduated",
                    date=d.date,
                    household=h.id,
                    exited_on=h.exited_on,
                    months=pol.graduation_months,
                    until=until,
                )
        elif h.status not in pol.eligible_statuses:
            status = pol.statuses.get(h.status, h.status)
            yield BF502(ctx.at(d, "household"), variant="status", household=h.id, status=status)


def sources_and_batches(ctx: Context) -> Iterator[Finding]:
    """BF503: unknown fund source; BF504: unknown batch."""
    sources = {s.id for s in ctx.year.funds.sources}
    batches = {b.id for b in ctx.year.disbursements.batches} if ctx.year.disbursements else set()
    cols = ctx.cols
    bad_sources = set(cols.source).difference(sources)
    bad_batches = set(cols.batch).difference(batches, [None])
    if not bad_sources and not bad_batches:
        return
    for i in flagged(
        map(or_, map(bad_sources.__contains__, cols.source), map(bad_batches.__contains__, cols.batch))
    ):
        d = cols.rows[i]
        if d.source not in sources:
            yield BF503(ctx.at(d, "source"), source=d.source, defined="、".join(sorted(sources)))
        if d.batch is not None and d.batch not in batches:
            yield BF504(ctx.at(d, "batch"), batch=d.batch)


RULES = (duplicate_ids, code_values, households, sources_and_batches)
