"""BF1 ids and codes, BF5 references: 先建档、后帮扶 — every payment names an archived,
eligible household, a known source and a known batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from operator import or_

from bangfu_eval import models as m
from bangfu_eval.findings import Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.exits import stops_at_exit


def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    """BF106: two records with one id in sources, households, disbursements, batches, targets,
    indicator trees."""
    y = ctx.year
    groups: list[tuple[str, str, Iterable[str]]] = [
        ("funds.yaml", "sources", (s.id for s in y.funds.sources)),
        ("households.yaml", "households", (h.id for h in y.households.households)),
        ("targets.yaml", "targets", (t.id for t in y.targets.targets)),
        ("indicators.yaml", "trees", (t.id for t in y.indicators.trees)),
    ]
    if y.disbursements:
        groups.append(("disbursements.yaml", "batches", (b.id for b in y.disbursements.batches)))
        groups.append(("disbursements.yaml", "disbursements", ctx.cols.id))
    for file, key, column in groups:
        ids = list(column)
        if len(set(ids)) == len(ids):
            continue
        seen: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in seen:
                first = ctx.at(file, key, seen[ident]).line
                yield ctx.find("BF106", file, (key, i, "id"), f"编号 '{ident}' 重复（第 {first} 行已有）")
            else:
                seen[ident] = i


def code_values(ctx: Context) -> Iterator[Finding]:
    """BF107: kinds, categories, statuses, types and methods must be listed in the policy."""
    pol = ctx.year.policy
    for i, s in enumerate(ctx.year.funds.sources):
        if s.kind not in pol.source_kinds:
            yield _unknown(ctx, "funds.yaml", ("sources", i, "kind"), s.kind, pol.source_kinds)
    for i, h in enumerate(ctx.year.households.households):
        if h.category not in pol.categories:
            yield _unknown(ctx, "households.yaml", ("households", i, "category"), h.category, pol.categories)
        if h.status not in pol.statuses:
            yield _unknown(ctx, "households.yaml", ("households", i, "status"), h.status, pol.statuses)
        if h.exit_reason is not None and h.exit_reason not in pol.exit_reasons:
            yield _unknown(
                ctx, "households.yaml", ("households", i, "exit_reason"), h.exit_reason, pol.exit_reasons
            )
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
            yield _unknown(
                ctx, "disbursements.yaml", ("disbursements", i, "type"), d.type, pol.disbursement_types
            )
        if d.method not in pol.payment_methods:
            yield _unknown(
                ctx, "disbursements.yaml", ("disbursements", i, "method"), d.method, pol.payment_methods
            )


def _unknown(
    ctx: Context, file: str, path: tuple[object, ...], value: str, allowed: dict[str, str]
) -> Finding:
    listed = "、".join(f"{k}（{v}）" for k, v in allowed.items())
    return ctx.find("BF107", file, path, f"'{value}' 不是已定义的值", f"可用：{listed}")


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
    pol = ctx.year.policy
    cols = ctx.cols
    if not cols.rows:
        return
    suspect = _suspects(ctx, homes)  # only their rows are read
    free = {s.id for s in ctx.year.funds.sources if s.kind not in pol.archive_required_kinds}
    for i in flagged(map(suspect.__contains__, cols.household)):
        d = cols.rows[i]
        path = ("disbursements", i, "household")
        h = homes.get(d.household)
        if h is None:
            if d.source in free:
                continue  # money that may reach a worker who is not archived: exits.not_archived
            yield ctx.find(
                "BF501", "disbursements.yaml", path, f"帮扶对象 '{d.household}' 不在 households.yaml 中"
            )
            continue
        if d.date < h.archived_on:
            yield ctx.find(
                "BF502",
                "disbursements.yaml",
                ("disbursements", i, "date"),
                f"{d.date} 发放时 {h.id} 尚未建档（建档日期 {h.archived_on}）",
            )
        elif h.exited_on is not None and not stops_at_exit(h.exit_reason, pol.graduation_reasons):
            until = add_months(h.exited_on, pol.graduation_months)
            if d.date > until:
                yield ctx.find(
                    "BF502",
                    "disbursements.yaml",
                    ("disbursements", i, "date"),
                    f"{d.date} 发放时 {h.id} 已过渐退期（{h.exited_on} 退档，"
                    f"渐退期 {pol.graduation_months} 个月至 {until}）",
                )
        elif h.exited_on is None and h.status not in pol.eligible_statuses:
            yield ctx.find(
                "BF502",
                "disbursements.yaml",
                path,
                f"{h.id} 状态为 {pol.statuses.get(h.status, h.status)}，且无退档日期",
            )


def _suspects(ctx: Context, homes: dict[str, m.Household]) -> set[str]:
    """The households whose payments need a look: unknown, archived after the first payment of
    the year, out of their graduation period before the last one, or not eligible."""
    pol, cols = ctx.year.policy, ctx.cols
    first, last = min(cols.date), max(cols.date)
    suspect = set(cols.household).difference(homes)
    for home in homes.values():
        if home.exited_on is not None and stops_at_exit(home.exit_reason, pol.graduation_reasons):
            ok = True  # paid after such an exit: exits.after_exit
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
            yield ctx.find(
                "BF503",
                "disbursements.yaml",
                ("disbursements", i, "source"),
                f"资金来源 '{d.source}' 未在 funds.yaml 中定义",
                "已定义：" + "、".join(sorted(sources)),
            )
        if d.batch is not None and d.batch not in batches:
            yield ctx.find(
                "BF504", "disbursements.yaml", ("disbursements", i, "batch"), f"发放批次 '{d.batch}' 未定义"
            )
