"""BF4: the performance-target table — bands in order, without overlaps or gaps; actuals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.findings import Finding
from bangfu_eval.money import fmt_number, fmt_unit
from bangfu_eval.rules.base import Context

F = "targets.yaml"
_MIRROR = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}
_UPPER = ("ge", "gt")


def _normalised(t: m.Target) -> list[tuple[str, Decimal]]:
    """Bands as (op, value) with 'higher is better', mirroring a lower-is-better target."""
    if t.bands and t.bands[0].op in _UPPER:
        return [(b.op, b.value) for b in t.bands]
    return [(_MIRROR[b.op], -b.value) for b in t.bands]


def _show(t: m.Target, b: m.Band) -> str:
    return f"{b.grade}“{b.text or b.op + ' ' + fmt_number(b.value)}”"


def bands(ctx: Context) -> Iterator[Finding]:
    """BF401 order, BF402 overlap, BF403 gap. Bands are read best first: the upper bands
    (以上) must fall strictly; a lower band (以下) may only be the last; the last upper band and
    the lower band must meet without overlap or gap."""
    for ti, t in enumerate(ctx.year.targets.targets):
        norm = _normalised(t)
        path = ("targets", ti, "bands")
        last_upper: tuple[int, str, Decimal] | None = None
        floor: tuple[int, str, Decimal] | None = None
        top_floor: tuple[int, str, Decimal] | None = None
        for i, (op, value) in enumerate(norm):
            here = (*path, i)
            if op in _UPPER:
                if floor is not None or (last_upper and value >= last_upper[2]):
                    yield ctx.find("BF401", F, here, f"{t.name}：{_show(t, t.bands[i])} 与上一等级顺序颠倒")
                last_upper = (i, op, value)
                continue
            if floor is not None:
                yield ctx.find(
                    "BF401", F, (*path, floor[0]), f"{t.name}：{_show(t, t.bands[floor[0]])} 之后还有更低等级"
                )
                yield ctx.find(
                    "BF402",
                    F,
                    here,
                    f"{t.name}：{_show(t, t.bands[i])} 与 {_show(t, t.bands[floor[0]])} 重叠",
                )
            floor = (i, op, value)
            if top_floor is None or value > top_floor[2]:
                top_floor = floor
        if last_upper and top_floor:
            yield from _meet(ctx, t, path, last_upper, top_floor)


def _meet(
    ctx: Context,
    t: m.Target,
    path: tuple[object, ...],
    upper: tuple[int, str, Decimal],
    floor: tuple[int, str, Decimal],
) -> Iterator[Finding]:
    ui, uop, uval = upper
    fi, fop, fval = floor
    lo, hi = t.bands[ui], t.bands[fi]
    if fval > uval or (fval == uval and uop == "ge" and fop == "le"):
        yield ctx.find("BF402", F, (*path, fi), f"{t.name}：{_show(t, hi)} 与 {_show(t, lo)} 重叠")
    elif fval < uval or (uop == "gt" and fop == "lt"):
        yield ctx.find(
            "BF403", F, (*path, fi), f"{t.name}：{_show(t, hi)} 与 {_show(t, lo)} 之间的值没有等级"
        )


def actuals(ctx: Context) -> Iterator[Finding]:
    """BF404: a target without actual value; BF405: an actual that misses its target."""
    for ti, (t, r) in enumerate(zip(ctx.year.targets.targets, ctx.results.targets, strict=True)):
        if r.actual is None:
            fig = ctx.results.figures.get(t.actual_figure or "")
            unknown = fig is not None and fig.origin == "unknown"
            yield ctx.find(
                "BF404",
                F,
                ("targets", ti, "id"),
                f"{t.name}：没有实际值" + (f"（{t.actual_figure} 需要明细账）" if unknown else ""),
                "没有明细账时，在 actual 中填写报告申报的实际值"
                if unknown
                else "填写 actual，或用 actual_figure 指向计算数",
            )
        elif r.met is False:
            yield ctx.find(
                "BF405",
                F,
                ("targets", ti, "target"),
                f"{t.name}：目标 {t.target_text or fmt_unit(t.target, t.unit)}，"
                f"实际 {fmt_unit(r.actual, t.unit)}",
            )
