"""BF4: the performance-target table — bands in order, without overlaps or gaps; actuals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.findings import INFO, WARNING, Code, Finding
from bangfu_eval.money import fmt_number, fmt_unit
from bangfu_eval.rules.base import Context

_MIRROR = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}
_UPPER = ("ge", "gt")

BF401 = Code(
    "BF401",
    WARNING,
    "grade bands out of order",
    "绩效标准等级顺序错误",
    message={
        "order": "{target}：{band} 与上一等级顺序颠倒",
        "lower": "{target}：{band} 之后还有更低等级",
    },
    why=(
        "Bands must run 优 > 良 > 中 > 差 in the target's direction. A warning: the targets table"
        " is fixed at budget time and cannot be changed now. One target's band problems are one"
        " finding naming every place."
    ),
    example="中 '600人以下' below 差 '500人以下'.",
    fix="Rewrite the band thresholds in order.",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（绩效目标应清晰、可衡量）",
    zh_why=(
        "等级须按指标方向依次为 优 > 良 > 中 > 差。目标表在预算编制时已确定，本年不能修改，故为警"
        "告；同一指标的等级问题合为一条并列出各处位置。"
    ),
    zh_example="中“600人以下”排在差“500人以下”之前。",
    remedy="目标表在预算编制时已确定，本年不改；在自评报告中说明，下一年编制目标时改正",
)


BF402 = Code(
    "BF402",
    WARNING,
    "grade bands overlap",
    "绩效标准等级重叠",
    message="{target}：{band} 与 {other} 重叠",
    why=(
        "A range of values falls in two bands and has two grades. A warning: the targets table is"
        " fixed at budget time."
    ),
    example="中 '600人以下' and 差 '500人以下' both hold 500 and less.",
    fix="Make one bound exclusive (以上 / 不足).",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（绩效目标应清晰、可衡量）",
    zh_why="一段数值同时落在两个等级，有两个等次。目标表在预算编制时已确定，故为警告。",
    zh_example="中“600人以下”与差“500人以下”都包含 500 及以下。",
    remedy="目标表在预算编制时已确定，本年不改；在自评报告中说明，下一年编制目标时改正",
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
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（绩效目标应清晰、可衡量）",
    zh_why="落在空档中的数值没有等级。",
    zh_example="中“3人以上”与差“1人以下”之间的 2 没有等级。",
    remedy="目标表在预算编制时已确定，本年不改；在自评报告中说明，下一年编制目标时改正",
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
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（自评表“实际完成值”）",
    zh_why="没有实际值，无法判断目标是否完成。",
    zh_example="职工满意度没有调查结果。",
    remedy="填写实际值（调查结果等）或其计算依据；确无的，在报告中说明。",
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
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（自评表“偏差原因分析及改进措施”）",
    zh_why="实际值未达到申报的目标。",
    zh_example="生活救助目标 815 人次，实际 790 人次。",
    remedy="在自评表和报告中写明偏差原因及改进措施。",
)


BF406 = Code(
    "BF406",
    INFO,
    "inclusive bands share their boundary",
    "相邻等级共用边界值",
    message="{target}：{band} 与 {other} 都含边界值 {value}，该值同时属于两个等级",
    help="bangfu 取先列出的等级；今后编制目标时较低等级写“不足”以免歧义",
    why=(
        "以上 and 以下 both include the number itself, so two bands written with them share one"
        " value; bangfu gives it the band listed first. Only that value is ambiguous."
    ),
    example="中 '85%以上' and 差 '85%以下' both hold 85%.",
    fix="None now; in next year's targets write the lower band as 不足 (85%以上 / 不足85%).",
    policy="MOF 财预〔2020〕10号: targets clear and measurable; 以上/以下 include the number",
    source=(
        "财预〔2020〕10号《项目支出绩效评价管理办法》（绩效目标应清晰、可衡量）；“以上”“以下”含本数为通行用法"
    ),
    zh_why=(
        "“以上”和“以下”都包含本数，两个等级共用一个边界值；bangfu 取先列出的等级，只有这一个值有"
        "歧义，故为提示。"
    ),
    zh_example="中“85%以上”与差“85%以下”都包含 85%。",
    remedy="本年无需处理；下一年编制目标时较低等级写“不足85%”。",
)


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
    for t in ctx.year.targets.targets:
        found = list(_target_bands(ctx, t))
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
    return replace(first, message=message, help=f"同一指标的等级问题合为一条（含 {codes}）", related=others)


def _target_bands(ctx: Context, t: m.Target) -> Iterator[Finding]:
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
    if fval == uval and uop == "ge" and fop == "le":
        yield BF406(
            ctx.at(hi), target=t.name, band=_show(t, hi), other=_show(t, lo), value=fmt_unit(hi.value, t.unit)
        )
    elif fval > uval:
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
