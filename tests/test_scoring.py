"""Leaf scoring and target texts: properties (hypothesis) and the parsing of what units write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu_eval import models as m
from bangfu_eval import scoring
from bangfu_eval.results import Figure, TargetResult
from bangfu_eval.targetspec import parse

D = Decimal
amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
METHODS = ("proportional", "reverse", "all_or_nothing", "execution_rate")


def _leaf(method: str, weight: Decimal, actual: Decimal, target: str) -> Decimal | None:
    ind = m.Indicator(name="x", weight=weight, method=method, measure=m.Measure(actual=actual, target=target))
    return scoring.leaf(ind, weight, scoring.Inputs({})).computed


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(METHODS), weights, amounts, amounts, st.sampled_from(["≥", "≤", "", "="]))
def test_a_computed_leaf_score_lies_within_its_weight(
    method: str, weight: Decimal, actual: Decimal, target: Decimal, op: str
) -> None:
    score = _leaf(method, weight, actual, f"{op}{target}")
    assert score is not None and D(0) <= score <= weight


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["proportional", "all_or_nothing"]), weights, amounts, amounts, amounts)
def test_raising_the_actual_never_lowers_an_at_least_leaf(
    method: str, weight: Decimal, a: Decimal, b: Decimal, target: Decimal
) -> None:
    low, high = sorted((a, b))
    assert _leaf(method, weight, high, f"≥{target}") >= _leaf(method, weight, low, f"≥{target}")  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["reverse", "all_or_nothing"]), weights, amounts, amounts, amounts)
def test_lowering_the_actual_never_lowers_an_at_most_leaf(
    method: str, weight: Decimal, a: Decimal, b: Decimal, target: Decimal
) -> None:
    low, high = sorted((a, b))
    assert _leaf(method, weight, low, f"≤{target}") >= _leaf(method, weight, high, f"≤{target}")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "op", "value", "high"),
    [
        ("≥200人次", "ge", "200", None),
        ("≤3000元", "le", "3000", None),
        ("100%", "ge", "1", None),
        ("95%以上", "ge", "0.95", None),
        ("85%以下", "le", "0.85", None),
        ("不超过3万元", "le", "30000", None),
        ("不足2人次", "lt", "2", None),
        ("超过5户", "gt", "5", None),
        ("=100%", "eq", "1", None),
        ("90%-110%", "range", "0.9", "1.1"),
        ("3000～5000元", "range", "3000", "5000"),
        ("2022年12月31日前完成98%以上发放", "ge", "0.98", None),
        ("2022年12月31日前完未85%发放", "lt", "0.85", None),
        ("815人次", "ge", "815", None),
    ],
)
def test_target_texts_parse_with_their_direction(text: str, op: str, value: str, high: str | None) -> None:
    spec = parse(text)
    assert spec is not None
    assert (spec.op, spec.value, spec.high) == (op, D(value), D(high) if high else None)


def test_以上_and_以下_include_the_number() -> None:
    at_least, at_most = parse("95%以上"), parse("85%以下")
    assert at_least is not None and at_least.met(D("0.95")) and not at_least.met(D("0.9499"))
    assert at_most is not None and at_most.met(D("0.85")) and not at_most.met(D("0.8501"))


def test_a_plain_number_takes_the_method_s_direction() -> None:
    assert _leaf("reverse", D(10), D(2500), "3000元") == D(10)  # a ceiling met at 2,500
    assert _leaf("reverse", D(10), D(4000), "3000元") == D("7.5")
    assert parse("no number here") is None


def test_banded_scores_the_policy_fraction_of_the_grade() -> None:
    target = TargetResult("t", "产出指标", "生活救助", "人次", "", D(800), D(750), False, "良", ())
    ind = m.Indicator(name="x", weight=D(10), method="banded", measure=m.Measure(target_id="t"))
    assert scoring.leaf(ind, D(10), scoring.Inputs({}, {"t": target})).computed == D(8)


def test_rounding_is_half_up_to_two_decimals() -> None:
    # 5 × 1 ÷ 8 = 0.625 → 0.63 (half-up; half-even would give 0.62)
    assert _leaf("proportional", D(5), D(1), "≥8") == D("0.63")


def test_execution_rate_reads_its_figure_and_caps_at_the_weight() -> None:
    ind = m.Indicator(name="x", weight=D(10), method="execution_rate")
    figs = {"funds.execution_rate": Figure(D("0.7376"), "rate", "预算执行率")}
    assert scoring.leaf(ind, D(10), scoring.Inputs(figs)).computed == D("7.38")
    figs = {"funds.execution_rate": Figure(D("1.2"), "rate", "预算执行率")}
    assert scoring.leaf(ind, D(10), scoring.Inputs(figs)).computed == D(10)


def test_a_payment_in_the_next_year_is_late_not_invalid(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bangfu_eval.pipeline import run
    from casekit import build

    case = {"edit": {"disbursements.yaml": [["{id: D1, date: 2023-01-16", "{id: D1, date: 2024-01-05"]]}}
    outcome = run(build(case, tmp_path / "y"))
    codes = [f.code for f in outcome.findings if f.location.file == "disbursements.yaml"]
    assert "BF704" in codes and "BF703" not in codes
    r = outcome.results
    assert r is not None
    # 6 of the base year's 7 payments on time; by amount 241000 − 30000 of 241000
    assert r.figures["payments.timely.count"].value == D(6) / D(7)
    assert r.figures["payments.timely.amount"].value == D(211000) / D(241000)
    assert r.figures["payments.completion"].value == D(211000) / D(250000)


def test_arrival_rate_is_unknown_unless_every_source_declares_its_allocation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bangfu_eval.pipeline import run
    from casekit import build

    old = "{id: city, name: 市财政, kind: city, allocated: 60000, arrived: 60000"
    case = {"edit": {"funds.yaml": [[old, old.replace("allocated: 60000, ", "")]]}}
    r = run(build(case, tmp_path / "y")).results
    assert r is not None
    assert r.funds.arrival_rate is None and r.figures["funds.arrival_rate"].value is None
