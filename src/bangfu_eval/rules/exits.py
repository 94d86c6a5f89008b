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

from bangfu_eval.aggregates import LEDGER
from bangfu_eval.findings import ERROR, INFO, Code, Finding
from bangfu_eval.ledger import flagged
from bangfu_eval.money import fmt_yuan
from bangfu_eval.rules.base import Context
from bangfu_eval.rules.references import stops_at_exit

_ARCHIVE_RULES = "琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》"

BF505 = Code(
    "BF505",
    ERROR,
    "paid after the household head's death",
    "死亡退档后仍发放",
    message=(
        "{date} 向 {household} 发放 {amount} 元，该户已于 {exited_on} 因{reason}退档（此类退档无渐退期）"
    ),
    why=(
        "A household that left the archive because its head died opens no graduation period; a"
        " payment after the date of death is money paid to nobody entitled, a serious audit finding."
    ),
    example="exit_reason: death, exited_on 2022-05-10; a living-aid payment on 2022-06-15.",
    fix="Recover the money (追回) and explain in writing how it was paid.",
    policy="national and Hainan: only 脱困 opens the 渐退期 (policy: graduation_reasons)",
    needs=LEDGER,
    source=f"{_ARCHIVE_RULES}（退档；只有脱困退档给予渐退期）；policy.yaml graduation_reasons",
    zh_why="因户主死亡退档的没有渐退期；死亡之后的发放是把钱发给了无权领取的人，是严重的审计问题。",
    zh_example="2022-05-10 因死亡退档，2022-06-15 仍发放生活救助。",
    remedy="追回资金，并书面说明发放经过及责任。",
)

BF506 = Code(
    "BF506",
    ERROR,
    "paid after an exit without graduation period",
    "非脱困退档后仍发放",
    message=(
        "{date} 向 {household} 发放 {amount} 元，该户已于 {exited_on} 因{reason}退档（此类退档无渐退期）"
    ),
    why=(
        "Only a 脱困 exit opens the 渐退期; after 不符合条件, 虚报冒领 or another exit, payment"
        " stops on the exit date."
    ),
    example="exit_reason: ineligible, exited_on 2022-05-10; a payment on 2022-07-01.",
    fix="Recover the money (追回) or explain in writing why the household was still entitled.",
    policy="national and Hainan: only 脱困 opens the 渐退期 (policy: graduation_reasons)",
    needs=LEDGER,
    source=f"{_ARCHIVE_RULES}（退档；只有脱困退档给予渐退期）；policy.yaml graduation_reasons",
    zh_why="只有脱困退档才有渐退期；因不符合条件、虚报冒领等退档的，自退档之日起停止发放。",
    zh_example="2022-05-10 因不符合条件退档，2022-07-01 仍发放。",
    remedy="追回资金；确有理由仍应享受的，书面说明并附审批材料。",
)

BF507 = Code(
    "BF507",
    INFO,
    "union or city money paid to a worker not archived",
    "非在档职工获得非财政专项资金",
    message="{household} 不是在档困难职工，{date} 由{source}发放{kind} {amount} 元",
    help="此来源资金可用于非在档职工；请确认对象符合该项资金的发放范围",
    why=(
        "Only central and provincial money requires the archive (policy: archive_required_kinds);"
        " union and city money, 送温暖 above all, may reach other workers. Shown so the reviewer"
        " sees what was paid outside the archive."
    ),
    example="festival relief of 800 元 from union money to W-017, who is not in households.yaml.",
    fix="None if the recipient is within that money's scope; keep the approval on file.",
    policy=(
        "Hainan: central and provincial money only to archived households (policy: archive_required_kinds)"
    ),
    needs=LEDGER,
    source=(
        "琼工办发〔2022〕98号《海南省工会困难职工专项帮扶资金使用管理办法》（资金使用对象）；"
        "policy.yaml archive_required_kinds"
    ),
    zh_why=(
        "只有中央和省财政资金要求在档；工会经费和市县财政资金（尤其送温暖）可以发给非在档职工。"
        "列出发放内容，供审核人员确认对象属于该项资金的范围。"
    ),
    zh_example="工会经费送温暖 800 元发给 W-017，档案中无此人。",
    remedy="对象属于该资金范围的无需处理，保存审批材料备查。",
)


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
    for i in flagged(map(stopped.__contains__, cols.household)):
        d = cols.rows[i]
        h = stopped[d.household]
        if h.exited_on is None or d.date <= h.exited_on:
            continue
        code = BF505 if h.exit_reason == "death" else BF506
        f = code(
            ctx.at(d, "date"),
            date=d.date,
            household=h.id,
            amount=fmt_yuan(d.amount),
            exited_on=h.exited_on,
            reason=pol.exit_reasons.get(h.exit_reason or "", h.exit_reason or ""),
        )
        yield replace(f, related=(ctx.at(h, "exited_on"),))


def not_archived(ctx: Context) -> Iterator[Finding]:
    """BF507: money whose source does not require the archive (union, city) paid to a worker
    who is not archived — information, with what was paid."""
    homes = set(ctx.year.households.households.columns["id"])
    pol = ctx.year.policy
    free = {s.id: s for s in ctx.year.funds.sources if s.kind not in pol.archive_required_kinds}
    cols = ctx.cols
    if not free or not cols.rows:
        return
    outside = set(cols.household).difference(homes)
    for i in flagged(map(outside.__contains__, cols.household)) if outside else ():
        d = cols.rows[i]
        source = free.get(d.source)
        if source is None:
            continue  # central or provincial money, or an unknown source: BF501 / BF503
        yield BF507(
            ctx.at(d, "household"),
            household=d.household,
            date=d.date,
            source=source.name,
            kind=pol.disbursement_types.get(d.type, d.type),
            amount=fmt_yuan(d.amount),
        )


RULES = (after_exit, not_archived)
