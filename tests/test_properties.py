"""Properties (hypothesis): parts sum to totals, rates stay in range, roll-ups equal their
leaves, presentation rounding moves a figure by at most half a unit of its last digit."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu_eval import models as m
from bangfu_eval.compute import funds, leaves, node
from bangfu_eval.load import load_year
from bangfu_eval.money import WAN, fmt_wan, fmt_yuan, round_half_up
from casekit import BASE

POLICY = load_year(BASE).policy
assert POLICY is not None
cents = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def _year(sources: list[m.Source]) -> m.Year:
    base = load_year(BASE)
    return m.Year(
        project=base.models["project.yaml"],
        funds=m.FundsFile(sources=sources),
        indicators=base.models["indicators.yaml"],
        targets=base.models["targets.yaml"],
        narrative=base.models["narrative.yaml"],
        policy=POLICY,
    )


@st.composite
def sources(draw: st.DrawFn) -> list[m.Source]:
    n = draw(st.integers(1, 6))
    out = []
    for i in range(n):
        arrived = draw(cents)
        spent = draw(st.decimals(min_value=0, max_value=arrived, places=2))
        kind = draw(st.sampled_from(["central", "provincial", "city", "union"]))
        out.append(m.Source(id=f"s{i}", name=f"来源{i}", kind=kind, arrived=arrived, spent=spent))
    return out


@settings(max_examples=60, deadline=None)
@given(sources())
def test_totals_are_sums_and_rates_in_range(srcs: list[m.Source]) -> None:
    f = funds(_year(srcs))
    assert f.arrived == sum((s.arrived for s in srcs), Decimal(0))
    assert f.spent == sum((s.spent or Decimal(0) for s in srcs), Decimal(0))
    assert f.balance == f.arrived - f.spent
    for r in (f.utilisation, *(s.utilisation for s in f.sources)):
        assert r is None or Decimal(0) <= r <= Decimal(1)


@settings(max_examples=30, deadline=None)
@given(sources(), st.randoms())
def test_order_of_sources_changes_no_total(srcs: list[m.Source], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(srcs)
    rnd.shuffle(shuffled)
    a, b = funds(_year(srcs)), funds(_year(shuffled))
    assert (a.arrived, a.spent, a.balance, a.utilisation) == (b.arrived, b.spent, b.balance, b.utilisation)


scores = st.decimals(min_value=0, max_value=20, places=1)


def indicators(depth: int = 3) -> st.SearchStrategy[m.Indicator]:
    # scores are NOT clamped to the weight: a score above it must reach the roll-up as written
    # (BF302 reports it), never be cut down silently
    leaf = st.builds(lambda w, s: m.Indicator(name="叶", weight=w, score=s), scores, scores)
    if depth == 0:
        return leaf
    group = st.builds(
        lambda kids: m.Indicator(name="组", children=kids),
        st.lists(indicators(depth - 1), min_size=1, max_size=4),
    )
    return st.one_of(leaf, group)


@settings(max_examples=80, deadline=None)
@given(indicators())
def test_roll_up_equals_sum_of_leaves(ind: m.Indicator) -> None:
    n = node(ind, 1, {})
    ls = list(leaves(n))
    assert n.score == sum((x.score or Decimal(0) for x in ls), Decimal(0))
    assert n.weight == sum((x.weight for x in ls), Decimal(0))
    declared = [x.score for x in _declared_leaves(ind)]
    assert [x.score for x in ls] == declared  # compute keeps every declared score as it is


def _declared_leaves(ind: m.Indicator) -> list[m.Indicator]:
    return [ind] if not ind.children else [x for c in ind.children for x in _declared_leaves(c)]


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False))
def test_presentation_rounding_moves_at_most_half_a_unit(v: Decimal) -> None:
    shown_yuan = Decimal(fmt_yuan(v).replace(",", ""))
    assert abs(shown_yuan - v) <= Decimal("0.005")
    shown_wan = Decimal(fmt_wan(v).replace(",", "")) * WAN
    assert abs(shown_wan - v) <= Decimal("0.00005") * WAN
    assert round_half_up(v, 2) == shown_yuan
