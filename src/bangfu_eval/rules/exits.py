"""BF505–BF507: exits with their reasons and the archive requirement per source.

Only a 脱困 exit opens the 渐退期 (BF502 judges payments within it); after death (BF505) or any
other exit (BF506) payment stops on the exit date. Central and provincial money goes only to
archived households (BF501); other money (union, city: 送温暖 above all) may reach a worker who
is not archived, which is shown as information with what was paid (BF507). Which reasons open
the 渐退期 and which source kinds require the archive are policy (``graduation_reasons``,
``archive_required_kinds``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from bangfu_eval.findings import Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.money import fmt_yuan
from bangfu_eval.rules.base import Context


def stops_at_exit(reason: str | None, graduation_reasons: list[str]) -> bool:
    """True when an exit for ``reason`` stops payment at once (no 渐退期). No reason given is
    read as 脱困, the only exit older files recorded."""
    return reason is not None and reason not in graduation_reasons


def after_exit(ctx: Context) -> Iterator[Finding]:
    """BF505: paid after the household head's death; BF506: paid after an exit other than
    脱困 (不符合条件, 虚报冒领, other), which opens no 渐退期."""
    pol = ctx.year.policy
    stopped = {
        h.id: h
        for h in ctx.year.households.households
        if h.exited_on is not None and stops_at_exit(h.exit_reason, pol.graduation_reasons)
    }
    cols = ctx.cols
    if not stopped or not cols.rows:
        return
    index = {h.id: i for i, h in enumerate(ctx.year.households.households)}
    for i in flagged(map(stopped.__contains__, cols.household)):
        d = cols.rows[i]
        h = stopped[d.household]
        assert h.exited_on is not None
        if d.date <= h.exited_on:
            continue
        related = (ctx.at("households.yaml", "households", index[h.id], "exited_on"),)
        reason = pol.exit_reasons.get(h.exit_reason or "", h.exit_reason or "")
        code = "BF505" if h.exit_reason == "death" else "BF506"
        f = ctx.find(
            code,
            "disbursements.yaml",
            ("disbursements", i, "date"),
            f"{d.date} 向 {h.id} 发放 {fmt_yuan(d.amount)} 元，该户已于 {h.exited_on} 因{reason}退档"
            "（此类退档无渐退期）",
        )
        yield replace(f, related=related)


def not_archived(ctx: Context) -> Iterator[Finding]:
    """BF507: money whose source does not require the archive (union, city) paid to a worker
    who is not archived — information, with what was paid."""
    homes = {h.id for h in ctx.year.households.households}
    pol = ctx.year.policy
    free = {s.id: s for s in ctx.year.funds.sources if s.kind not in pol.archive_required_kinds}
    cols = ctx.cols
    if not free or not cols.rows:
        return
    outside = set(cols.household).difference(homes)
    if not outside:
        return
    for i in flagged(map(outside.__contains__, cols.household)):
        d = cols.rows[i]
        source = free.get(d.source)
        if source is None:
            continue  # central or provincial money, or an unknown source: BF501 / BF503
        kind = pol.disbursement_types.get(d.type, d.type)
        yield ctx.find(
            "BF507",
            "disbursements.yaml",
            ("disbursements", i, "household"),
            f"{d.household} 不是在档困难职工，{d.date} 由{source.name}发放{kind} {fmt_yuan(d.amount)} 元",
            "此来源资金可用于非在档职工；请确认对象符合该项资金的发放范围",
        )
