"""How rules shorten what they quote: never a bracket left open mid-label."""

from __future__ import annotations

import pytest

from bangfu_eval.rules.indicators import _short


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("社保政策", "社保政策"),
        ("医疗帮扶政策（含困难职工医疗救助系统录入和调整、使用情况）", "医疗帮扶政策…"),
        ("是否对困难职工档案实行动态管理并及时更新系统", "是否对困难职工档案实行动态管理并…"),
        ("（一）帮扶对象是否明确，是否实现在档困难职工帮扶全覆盖", "（一）帮扶对象是否明确，是否实现…"),
    ],
)
def test_a_long_label_is_cut_before_an_open_bracket(label: str, shown: str) -> None:
    assert _short(label) == shown
