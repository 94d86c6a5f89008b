"""BF1 ids and codes, BF5 references: 先建档、后帮扶 — every payment names an archived,
eligible household, a known source and a known batch."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from operator import or_

from bangfu_eval import models as m
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
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="两条记录共用一个编号，所有引用都变得含糊。",
    zh_example="两户的编号都是 HK-001。",
    remedy="为每条记录编独立的编号。",
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
    source=(
        "policy.yaml（source_kinds、categories、statuses、exit_reasons、disbursement_types、payment_methods）"
    ),
    zh_why="类别、类型、状态、发放方式和资金来源类型取自政策参数；未定义的值不会被计入任何统计。",
    zh_example="type: livng",
    remedy="改用政策参数列出的值。",
)


BF501 = Code(
    "BF501",
    ERROR,
    "payment to an unarchived household",
    "帮扶对象未建档",
    message="帮扶对象 '{household}' 不在 {file} 中",
    why="先建档、后帮扶: every payment names an archived household.",
    example="household: HK-999 with no such household.",
    fix=(
        "Recover (追回) the money; if the household is archived after all, show its archive papers"
        " and correct the id."
    ),
    policy="national: 先建档、后帮扶 (archive before assisting)",
    needs=LEDGER,
    source=(
        "琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》（先建档、后帮扶）；总工"
        "发〔2020〕13号《中央财政专项帮扶资金使用管理办法》（资金使用对象）；policy.yaml "
        "archive_required_kinds"
    ),
    zh_why="先建档、后帮扶：中央和省财政资金只能发给在档困难职工；发给档案外的人，资金去向无据可查。",
    zh_example="中央财政资金发给 HK-999，档案中无此户。",
    remedy="追回资金；确属在档户的，提供建档材料并更正编号，书面说明。",
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
    fix=(
        "Explain in writing with the approval papers of the time; recover (追回) what was paid to"
        " someone not entitled. Never rewrite the dates."
    ),
    policy="national: 先建档、后帮扶; 渐退期 after 脱困 (policy: graduation_months, eligible_statuses)",
    needs=LEDGER,
    source=(
        "琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》（先建档、后帮扶；脱困给"
        "予渐退期）；琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件"
        "3 评分表「是否落实“困难职工脱困给予一定渐退期”要求」"
    ),
    zh_why=("只有在档期间或脱困后的渐退期内才能发放；建档前或渐退期满后发放，属于向不符合条件的对象发放。"),
    zh_example="2022-03-01 发放，2022-05-10 才建档。",
    remedy="书面说明并提供当时的认定审批材料；不符合条件的追回。不得改写发放或建档日期。",
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
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="funds.yaml 未列出的来源支出的钱无从核算。",
    zh_example="source: county",
    remedy="在 funds.yaml 中补上该来源，或更正编号。",
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
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="发放批次记载其公示日期；找不到批次就无法核对公示。",
    zh_example="batch: 2022-13",
    remedy="补上该批次，或更正编号。",
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
        if h.exit_reason is not None and h.exit_reason not in pol.exit_reasons:
            yield _unknown(ctx, h, "exit_reason", h.exit_reason, pol.exit_reasons)
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
    suspect = _suspects(ctx, homes)  # only their rows are read
    free = {s.id for s in ctx.year.funds.sources if s.kind not in pol.archive_required_kinds}
    for i in flagged(map(suspect.__contains__, cols.household)):
        d = cols.rows[i]
        h = homes.get(d.household)
        if h is None:
            if d.source not in free:  # else money that may reach others: exits.not_archived
                yield BF501(ctx.at(d, "household"), household=d.household, file=archive)
            continue
        if d.date < h.archived_on:
            yield BF502(
                ctx.at(d, "date"), variant="before", date=d.date, household=h.id, archived_on=h.archived_on
            )
        elif h.exited_on is not None and not stops_at_exit(h.exit_reason, pol.graduation_reasons):
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
        elif h.exited_on is None and h.status not in pol.eligible_statuses:
            status = pol.statuses.get(h.status, h.status)
            yield BF502(ctx.at(d, "household"), variant="status", household=h.id, status=status)


def stops_at_exit(reason: str | None, graduation_reasons: list[str]) -> bool:
    """True when an exit for ``reason`` stops payment at once (no 渐退期). No reason given is
    read as 脱困, the only exit older files recorded."""
    return reason is not None and reason not in graduation_reasons


def _suspects(ctx: Context, homes: dict[str, m.Household]) -> set[str]:
    """The households whose payments need a look: unknown, archived after the first payment of
    the year, out of their graduation period before the last one, or not eligible. A household
    that left without a 渐退期 is exits.after_exit's."""
    pol, cols = ctx.year.policy, ctx.cols
    first, last = min(cols.date), max(cols.date)
    suspect = set(cols.household).difference(homes)
    for home in homes.values():
        if home.exited_on is not None and stops_at_exit(home.exit_reason, pol.graduation_reasons):
            ok = True
        elif home.exited_on is not None:
            ok = last <= add_months(home.exited_on, pol.graduation_months)
        else:
            ok = home.status in pol.eligible_statuses
        if not ok or first < home.archived_on:
            suspect.add(home.id)
    return suspect


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
