"""BF4: the performance-target table — bands in order, without overlaps or gaps; actuals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.findings import ERROR, WARNING, Code, Finding
from bangfu_eval.money import fmt_number, fmt_unit
from bangfu_eval.rules.base import Context

_MIRROR = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}
_UPPER = ("ge", "gt")

BF401 = Code(
    "BF401",
    ERROR,
    "grade bands out of order",
    "绩效标准等级顺序错误",
    message={
        "order": "{target}：{band} 与上一等级顺序颠倒",
        "lower": "{target}：{band} 之后还有更低等级",
    },
    why="Bands must run 优 > 良 > 中 > 差 in the target's direction.",
    example="中 '600人以下' below 差 '500人以下'.",
    fix="Rewrite the band thresholds in order.",
)


BF402 = Code(
    "BF402",
    ERROR,
    "grade bands overlap",
    "绩效标准等级重叠",
    message="{target}：{band} 与 {other} 重叠",
    why="A value in two bands has two grades.",
    example="中 '85%以上' and 差 '85%以下' both hold 85%.",
    fix="Make one bound exclusive (以上 / 不足).",
)


BF403 = Code(
    "BF403",
    WARNING,
    "gap between grade bands",
    "绩效标准等级之间有空档",
    message="{target}：{band} 与 {other} 之间的值没有等级",
    why="A value in a gap gets no grade.",
    example="中 '3人以上' and 差 '1人以下' leave 2 without a grade.",
    fix="Close the gap.",
)


BF404 = Code(
    "BF404",
    WARNING,
    "target without actual value",
    "绩效目标缺少实际值",
    message={"": "{target}：没有实际值", "ledger": "{target}：没有实际值（{figure} 需要明细账）"},
    why="A target cannot be judged met or missed without its actual value.",
    example="职工满意度 with no survey result.",
    fix="Give the actual value, or the figure it is computed from.",
    help="填写 actual，或用 actual_figure 指向计算数",
)


BF405 = Code(
    "BF405",
    WARNING,
    "target missed",
    "绩效目标未完成",
    message="{target}：目标 {goal}，实际 {actual}",
    why="The actual value misses the declared target.",
    example="生活救助 target 815, actual 790.",
    fix="Explain in the narrative, or correct the data.",
    policy="MOF 财预〔2020〕10号: a missed target needs its 偏差原因分析",
)


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
    for t in ctx.year.targets.targets:
        norm = _normalised(t)
        last_upper: tuple[int, str, Decimal] | None = None
        floor: tuple[int, str, Decimal] | None = None
        top_floor: tuple[int, str, Decimal] | None = None
        for i, (op, value) in enumerate(norm):
            band = t.bands[i]
            if op in _UPPER:
                if floor is not None or (last_upper and value >= last_upper[2]):
                    yield BF401(ctx.at(band), variant="order", target=t.name, band=_show(t, band))
                last_upper = (i, op, value)
                continue
            if floor is not None:
                lower = t.bands[floor[0]]
                yield BF401(ctx.at(lower), variant="lower", target=t.name, band=_show(t, lower))
                yield BF402(ctx.at(band), target=t.name, band=_show(t, band), other=_show(t, lower))
            floor = (i, op, value)
            if top_floor is None or value > top_floor[2]:
                top_floor = floor
        if last_upper and top_floor:
            yield from _meet(ctx, t, last_upper, top_floor)


def _meet(
    ctx: Context,
    t: m.Target,
    upper: tuple[int, str, Decimal],
    floor: tuple[int, str, Decimal],
) -> Iterator[Finding]:
    ui, uop, uval = upper
    fi, fop, fval = floor
    lo, hi = t.bands[ui], t.bands[fi]
    if fval > uval or (fval == uval and uop == "ge" and fop == "le"):
        yield BF402(ctx.at(hi), target=t.name, band=_show(t, hi), other=_show(t, lo))
    elif fval < uval or (uop == "gt" and fop == "lt"):
        yield BF403(ctx.at(hi), target=t.name, band=_show(t, hi), other=_show(t, lo))


def actuals(ctx: Context) -> Iterator[Finding]:
    """BF404: a target without actual value; BF405: an actual that misses its target."""
    for t, r in zip(ctx.year.targets.targets, ctx.results.targets, strict=True):
        if r.actual is None:
            fig = ctx.results.figures.get(t.actual_figure or "")
            if fig is not None and fig.origin == "unknown":
                yield BF404(
                    ctx.at(t, "id"),
                    variant="ledger",
                    help="没有明细账时，在 actual 中填写报告申报的实际值",
                    target=t.name,
                    figure=t.actual_figure,
                )
            else:
                yield BF404(ctx.at(t, "id"), target=t.name)
        elif r.met is False:
            goal = t.target_text or fmt_unit(t.target, t.unit)
            yield BF405(ctx.at(t, "target"), target=t.name, goal=goal, actual=fmt_unit(r.actual, t.unit))


RULES = (bands, actuals)
