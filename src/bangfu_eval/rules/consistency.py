"""BF203: declared figures checked against each other, where the ledger cannot check them."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval.findings import Finding, Location
from bangfu_eval.identities import check
from bangfu_eval.narrative import Declaration
from bangfu_eval.rules.base import Context


def identities(ctx: Context) -> Iterator[Finding]:
    """BF203: a broken identity between figures one of which (at least) is a declaration
    standing in for an unknown figure; one finding at the total, naming where the others stand."""
    for broken in check(ctx.year, ctx.results.figures):
        where = [_where(ctx, d) for d in broken.others]
        help = "其他申报数：" + "；".join(f"{w.file}:{w.line}:{w.column}" for w in where) if where else ""
        yield ctx.find_at("BF203", _where(ctx, broken.at), broken.message, help)


def _where(ctx: Context, d: Declaration) -> Location:
    loc = ctx.at(d.file, *d.path)
    return ctx.loaded.text_location(loc, d.offset) if d.file == "narrative.yaml" else loc
