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
    """BF401 order, BF402 overlap, BF403 gap, BF406 inclusive bands sharing only their boundary.
    Bands are read best first: the upper bands (以上) must fall strictly; a lower band (以下) may
    only be the last; the last upper band and the lower band must meet without overlap or gap.
    One target's band problems are one finding (one mistake in the wording shows as several):
    the most severe, first in the file, carries the others' messages and places."""
    for ti, t in enumerate(ctx.year.targets.targets):
        found = list(_target_bands(ctx, ti, t))
        if found:
            yield _one(found)


_RANK = {"error": 0, "warning": 1, "info": 2}


def _one(found: list[Finding]) -> Finding:
    ordered = sorted(found, key=lambda f: (_RANK[f.severity.value], f.location.line, f.code))
    first, rest = ordered[0], ordered[1:]
    if not rest:
        return first
    others = tuple(dict.fromkeys(f.location for f in rest if f.location != first.location))
    message = "；".join([first.message, *(f.message.split("：", 1)[-1] for f in rest)])
    codes = "、".join(dict.fromkeys(f.code for f in rest))
    return Finding(
        first.code,
        first.severity,
        first.location,
        message,
        f"同一指标的等级问题合为一条（含 {codes}）",
        related=others,
    )


def _target_bands(ctx: Context, ti: int, t: m.Target) -> Iterator[Finding]:
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
    if fval == uval and uop == "ge" and fop == "le":
        yield ctx.find(
            "BF406",
            F,
            (*path, fi),
            f"{t.name}：{_show(t, hi)} 与 {_show(t, lo)} 都含边界值 {fmt_unit(hi.value, t.unit)}，"
            "该值同时属于两个等级",
            "bangfu 取先列出的等级；今后编制目标时较低等级写“不足”以免歧义",
        )
    elif fval > uval:
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
