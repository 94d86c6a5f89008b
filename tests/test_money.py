from __future__ import annotations

from decimal import Decimal as D

import pytest

from bangfu_eval.money import (
    capital_yuan,
    fmt_pct,
    fmt_wan,
    fmt_yuan,
    parse_money,
    parse_rate,
    ratio,
    round_half_up,
)


def test_round_half_up_not_bankers() -> None:
    assert round_half_up(D("0.125"), 2) == D("0.13")
    assert round_half_up(D("2.5"), 0) == D("3")
    assert round_half_up(D("-2.5"), 0) == D("-3")


def test_formats() -> None:
    assert fmt_yuan(D("2914797")) == "2,914,797.00"
    assert fmt_wan(D("2914797")) == "291.4797"
    assert fmt_pct(D("0.73755")) == "73.76%"
    assert fmt_pct(None) == "—"


def test_parse() -> None:
    assert parse_money("291.4797万元") == D("2914797")
    assert parse_money("2,914,797元") == D("2914797")
    assert parse_rate("73.76%") == D("0.7376")
    with pytest.raises(ValueError):
        parse_money("1e5")


def test_ratio_with_zero_denominator() -> None:
    assert ratio(D(1), D(0)) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2914797", "贰佰玖拾壹万肆仟柒佰玖拾柒元整"),
        ("1000005", "壹佰万零伍元整"),
        ("100000000", "壹亿元整"),
        ("1010", "壹仟零壹拾元整"),
        ("0.05", "伍分"),
        ("10.50", "壹拾元伍角"),
        ("0", "零元整"),
    ],
)
def test_capital_amounts(value: str, text: str) -> None:
    assert capital_yuan(D(value)) == text
