"""Leaf scores by the method a leaf names, and the roll-up of an indicator tree.

Methods (财预〔2020〕10号 as commonly applied; docs/data-format.md gives an example of each):

    proportional    正向定量: met → weight; else weight × actual ÷ target
    reverse         反向定量 (ceilings such as cost): met → weight; else weight × target ÷ actual
    execution_rate  预算执行率: weight × min(1, figure), figure funds.execution_rate by default
    banded          weight × the policy's fraction for the grade band of a targets.yaml target
    all_or_nothing  met → weight, else 0
    qualitative     定性: the declared score, which must lie in its tier (达成 80–100% …)
    manual          the declared score

A leaf with no method is all_or_nothing when its measure has a target, otherwise manual (a
measure with a figure only is the leaf's evidence: unknown or zero → "no evidence"). A computed
leaf score is rounded half-up to 2 decimals here, once (money.round_half_up); groups and trees
add the rounded leaves. When a finding the leaf names in ``contradicted_by`` is present, the
leaf scores 0 whatever its method.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval import targetspec
from bangfu_eval.money import round_half_up, round_places
from bangfu_eval.results import Figure, NodeResult, TargetResult
from bangfu_eval.targetspec import TargetSpec

ZERO, ONE = Decimal(0), Decimal(1)
METHOD_ZH = {
    "proportional": "正向",
    "reverse": "反向",
    "execution_rate": "执行率",
    "banded": "分档",
    "all_or_nothing": "达标",
    "qualitative": "定性",
    "manual": "人工",
}
"""The methods' short Chinese names, as messages and the scorecard show them."""
DATA_METHODS = frozenset({"proportional", "reverse", "execution_rate", "banded", "all_or_nothing"})
DEFAULT_BAND_SCORES = {"优": ONE, "良": Decimal("0.8"), "中": Decimal("0.6"), "差": ZERO}
DEFAULT_TIERS = {
    "达成": [Decimal("0.8"), ONE],
    "部分达成": [Decimal("0.6"), Decimal("0.8")],
    "未达成": [ZERO, Decimal("0.6")],
}


@dataclass(frozen=True)
class Inputs:
    """What leaf scores are computed from: figures, targets by id, the policy's fractions and
    the codes of the findings present (the evidence)."""

    figures: dict[str, Figure]
    targets: dict[str, TargetResult] = field(default_factory=dict)
    band_scores: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_BAND_SCORES))
    tiers: dict[str, list[Decimal]] = field(default_factory=lambda: dict(DEFAULT_TIERS))
    present: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        figures: dict[str, Figure],
        targets: dict[str, TargetResult],
        policy: m.Policy,
        present: frozenset[str] = frozenset(),
    ) -> Inputs:
        return cls(figures, targets, dict(policy.band_scores), dict(policy.qualitative_tiers), present)


@dataclass(frozen=True)
class LeafScore:
    method: str
    computed: Decimal | None
    actual: Decimal | None
    met: bool | None
    spec: TargetSpec | None
    contradicted: tuple[str, ...]
    status: str
    problem: str


def method_of(ind: m.Indicator) -> str:
    """The leaf's method: as named; else all_or_nothing when its measure has a target; else
    manual (a measure with a figure only is evidence)."""
    if ind.method is not None:
        return ind.method
    ms = ind.measure
    has_target = ms is not None and (
        ms.target is not None or ms.target_id or ms.at_least is not None or ms.at_most is not None
    )
    return "all_or_nothing" if has_target else "manual"


def fraction(actual: Decimal, spec: TargetSpec) -> Decimal:
    """The share of the weight a missed quantitative target earns: actual ÷ target below a
    floor, target ÷ actual above a ceiling; 1 when met; always within [0, 1]."""
    if spec.met(actual):
        return ONE
    low, high = spec.lower, spec.upper
    if low is not None and actual < low:
        share = actual / low if low > 0 else ZERO
    elif high is not None and actual > high:
        share = high / actual if actual > 0 and high > 0 else ZERO
    else:
        share = ONE  # a strict bound (> or <) missed by equality
    return min(ONE, max(ZERO, share))


def _spec(ms: m.Measure | None, default: targetspec.Op) -> tuple[TargetSpec | None, str]:
    if ms is None:
        return None, ""
    if ms.target is not None:
        spec = targetspec.parse(ms.target, default)
        return spec, "" if spec else f"目标“{ms.target}”中没有数字"
    if ms.at_least is not None and ms.at_most is not None:
        return targetspec.explicit("range", ms.at_least, ms.at_most), ""
    if ms.at_least is not None:
        return targetspec.explicit("ge", ms.at_least), ""
    if ms.at_most is not None:
        return targetspec.explicit("le", ms.at_most), ""
    return None, ""


def _actual(ms: m.Measure | None, inp: Inputs, default_figure: str | None) -> tuple[Decimal | None, str]:
    name = ms.figure if ms is not None and ms.figure else default_figure
    if ms is not None and ms.actual is not None:
        return ms.actual, ""
    if name is None:
        return None, ""
    fig = inp.figures.get(name)
    if fig is None:
        return None, f"未知的数字名称：{name}"
    return fig.value, ""


def target_spec(t: TargetResult) -> TargetSpec:
    return TargetSpec(t.direction, t.target, t.target_high, t.unit in ("%", "％"))  # type: ignore[arg-type]


def _is_rate(ms: m.Measure | None, inp: Inputs, default_figure: str | None) -> bool:
    name = ms.figure if ms is not None and ms.figure else default_figure
    fig = inp.figures.get(name) if name else None
    return fig is not None and fig.kind == "rate"


@dataclass(frozen=True)
class _Reading:
    """What the data says of a leaf: its actual, its target, the grade of its target."""

    actual: Decimal | None
    spec: TargetSpec | None
    grade: str | None
    target: TargetResult | None
    problem: str


def _read(ind: m.Indicator, method: str, inp: Inputs) -> _Reading:
    ms = ind.measure
    target = inp.targets.get(ms.target_id) if ms is not None and ms.target_id else None
    problem = f"未知的绩效目标：{ms.target_id}" if ms is not None and ms.target_id and target is None else ""
    default_figure = "funds.execution_rate" if method == "execution_rate" else None
    actual, missing = _actual(ms, inp, default_figure)
    spec, bad = _spec(ms, "le" if method == "reverse" else "ge")
    problem = problem or missing or bad
    grade = None
    if target is not None:
        own = ms is not None and (ms.figure or ms.actual is not None)
        actual = actual if own else target.actual
        spec = spec or target_spec(target)
        grade = target.grade
    if method == "execution_rate" and spec is None:
        spec = targetspec.explicit("ge", ONE, percent=True)
    if spec is not None and not spec.percent and _is_rate(ms, inp, default_figure):
        spec = replace(spec, percent=True)
    return _Reading(actual, spec, grade, target, problem)


def _computed(
    method: str, weight: Decimal, declared: Decimal | None, r: _Reading, inp: Inputs
) -> tuple[Decimal | None, str]:
    """(score by the method, unrounded; why it cannot be computed)."""
    if method in ("manual", "qualitative"):
        return declared, ""
    if method == "banded":
        if r.target is None:
            return None, r.problem or "分档评分（banded）需要 measure.target_id"
        return (weight * inp.band_scores.get(r.grade, ZERO) if r.grade is not None else None), r.problem
    if method == "execution_rate":
        return (None if r.actual is None else weight * min(ONE, max(ZERO, r.actual))), r.problem
    if r.spec is None:
        need = f"{METHOD_ZH[method]}评分（{method}）需要目标（measure.target 或 at_least / at_most）"
        return None, r.problem or need
    if r.actual is None:
        return None, r.problem
    if method == "all_or_nothing":
        return (weight if r.spec.met(r.actual) else ZERO), r.problem
    return weight * fraction(r.actual, r.spec), r.problem


def leaf(ind: m.Indicator, weight: Decimal, inp: Inputs) -> LeafScore:
    """The score a leaf earns by its method (see the module docstring), with its evidence."""
    method = method_of(ind)
    r = _read(ind, method, inp)
    met = None if r.actual is None or r.spec is None else r.spec.met(r.actual)
    computed, problem = _computed(method, weight, ind.score, r, inp)
    if computed is not None and method in DATA_METHODS:
        computed = round_places(computed, 2)
    contradicted = tuple(c for c in ind.contradicted_by if c in inp.present)
    if contradicted:
        computed = ZERO
    status = _status(ind, method, weight, ind.score, computed, r.actual, contradicted, inp)
    if problem and status != "contradicted":
        status = ""  # BF310 says what is wrong; nothing else can be judged
    return LeafScore(method, computed, r.actual, met, r.spec, contradicted, status, problem)


def _status(
    ind: m.Indicator,
    method: str,
    weight: Decimal,
    declared: Decimal | None,
    computed: Decimal | None,
    actual: Decimal | None,
    contradicted: tuple[str, ...],
    inp: Inputs,
) -> str:
    if contradicted and declared:
        return "contradicted"
    full = declared is not None and declared == weight and weight > 0
    if method == "qualitative" and ind.tier is not None and declared is not None:
        low, high = inp.tiers.get(ind.tier, [ZERO, ONE])
        if not low * weight <= declared <= high * weight:
            return "tier"
    if method in DATA_METHODS:
        if computed is None:
            return "no_evidence" if full else ""
        if declared is None:
            return ""
        shown = round_half_up(computed, max(0, -int(declared.as_tuple().exponent)))
        return "missed" if declared > shown else ("differs" if declared < shown else "")
    if full and ind.measure is not None and ind.measure.figure and not actual:
        return "no_evidence"  # an evidence figure that is unknown or zero
    return ""


def node(ind: m.Indicator, depth: int, inp: Inputs, label: str | None = None) -> NodeResult:
    """Roll-up: a leaf's score is its computed score, or the declared one when the data cannot
    give it; a group's score is Σ children's scores (None if any child has none) and its
    weight the printed one or Σ children's weights."""
    kids = tuple(node(c, depth + 1, inp) for c in ind.children)
    name = label or ind.name or ind.criterion or "（未命名）"
    if kids:
        weight = ind.weight if ind.weight is not None else sum((k.weight for k in kids), ZERO)
        return NodeResult(
            label=name,
            name=ind.name,
            depth=depth,
            weight=weight,
            weight_declared=ind.weight,
            score=total_of(k.score for k in kids),
            score_declared=ind.score,
            criterion=ind.criterion,
            requirement=ind.requirement,
            evidence=ind.evidence,
            auto=False,
            measure_value=None,
            measure_met=None,
            children=kids,
            method="",
            declared_sum=total_of(k.declared_sum for k in kids),
        )
    weight = ind.weight if ind.weight is not None else ZERO
    s = leaf(ind, weight, inp)
    score = s.computed if s.computed is not None else ind.score
    return NodeResult(
        label=name,
        name=ind.name,
        depth=depth,
        weight=weight,
        weight_declared=ind.weight,
        score=score,
        score_declared=None,
        criterion=ind.criterion,
        requirement=ind.requirement,
        evidence=ind.evidence,
        auto=s.computed is not None and s.method in DATA_METHODS,
        measure_value=s.actual,
        measure_met=s.met,
        children=(),
        method=s.method,
        computed=s.computed,
        leaf_declared=ind.score,
        declared_sum=ind.score if ind.score is not None else s.computed,
        target_text=s.spec.show() if s.spec is not None else "",
        contradicted=s.contradicted,
        status=s.status,
        tier=ind.tier,
        problem=s.problem,
    )


def total_of(values: Iterable[Decimal | None]) -> Decimal | None:
    total: Decimal | None = ZERO
    for v in values:
        total = None if total is None or v is None else total + v
    return total
