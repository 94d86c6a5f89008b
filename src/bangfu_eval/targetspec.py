"""Targets with a direction: the texts units write ("≥200人次", "≤3000元", "95%以上", "85%以下",
"90%-110%", "2022年12月31日前完成98%以上发放") as a comparison and a number.

以上 / 以下 / 不低于 / 不超过 include the number itself (domain notes §7); 超过 / 高于 and
不足 / 低于 / 未达 do not. A text without a direction word takes the default the caller gives
(a ``proportional`` leaf reads "815人次" as at least 815, a ``reverse`` leaf "3000元" as at most
3000). Percentages become fractions (95% → 0.95) and 万元 becomes 元, as everywhere in bangfu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from bangfu_eval.money import HUNDRED, WAN, fmt_number, fmt_pct

Op = Literal["ge", "gt", "le", "lt", "eq", "range"]

SYMBOL: dict[str, str] = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "range": "–"}

# Longer words first: 不超过 must win over 超过, 不低于 over 低于.
_WORDS: tuple[tuple[str, Op], ...] = (
    ("不低于", "ge"),
    ("不少于", "ge"),
    ("不小于", "ge"),
    ("至少", "ge"),
    ("以上", "ge"),
    ("≥", "ge"),
    (">=", "ge"),
    ("＞＝", "ge"),
    ("不高于", "le"),
    ("不超过", "le"),
    ("不多于", "le"),
    ("不大于", "le"),
    ("至多", "le"),
    ("以内", "le"),
    ("以下", "le"),
    ("≤", "le"),
    ("<=", "le"),
    ("＜＝", "le"),
    ("超过", "gt"),
    ("高于", "gt"),
    ("多于", "gt"),
    ("大于", "gt"),
    (">", "gt"),
    ("＞", "gt"),
    ("不足", "lt"),
    ("低于", "lt"),
    ("少于", "lt"),
    ("小于", "lt"),
    ("未达", "lt"),
    ("未", "lt"),
    ("<", "lt"),
    ("＜", "lt"),
    ("等于", "eq"),
    ("=", "eq"),
    ("＝", "eq"),
)
# A number, its unit, and whether a date part (年/月/日) follows it (dates are not targets).
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|％|万元|元|万|[年月日]|人次|户|人|次|个|项|天)?")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|万元|元)?\s*(?:-|－|–|—|~|～|至|到)\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class TargetSpec:
    """A target as a comparison: ``actual op value`` (or ``value ≤ actual ≤ high`` for a range).

    ``value`` and ``high`` are in bangfu's units: fractions for %, 元 for money."""

    op: Op
    value: Decimal
    high: Decimal | None = None
    percent: bool = False
    text: str = ""
    unit: str = ""
    """The unit written after the number (人次, 元, 户), for display."""

    def met(self, actual: Decimal) -> bool:
        """Whether ``actual`` meets the target, in the target's direction."""
        v = self.value
        if self.op == "range":
            return v <= actual <= (self.high if self.high is not None else v)
        return {
            "ge": actual >= v,
            "gt": actual > v,
            "le": actual <= v,
            "lt": actual < v,
            "eq": actual == v,
        }[self.op]

    @property
    def lower(self) -> Decimal | None:
        """The bound an actual must not fall below (None for a ceiling)."""
        return self.value if self.op in ("ge", "gt", "eq", "range") else None

    @property
    def upper(self) -> Decimal | None:
        """The bound an actual must not rise above (None for a floor)."""
        if self.op == "range":
            return self.high
        return self.value if self.op in ("le", "lt", "eq") else None

    def show(self, unit: str = "") -> str:
        """'≥95.00%', '≤3000元', '90.00%–110.00%'."""
        unit = unit or self.unit

        def num(x: Decimal | None) -> str:
            return fmt_pct(x) if self.percent else fmt_number(x) + unit

        if self.op == "range":
            return f"{num(self.value)}–{num(self.high)}"
        return SYMBOL[self.op] + num(self.value)


def _scaled(number: str, unit: str | None) -> Decimal:
    value = Decimal(number.replace(",", ""))
    if unit in ("%", "％"):
        return value / HUNDRED
    if unit in ("万元", "万"):
        return value * WAN
    return value


def parse(text: str, default: Op = "ge") -> TargetSpec | None:
    """The comparison a target text states, or None when it holds no number.

    The number is the percentage in the text when there is one (dates such as 2022年12月31日
    are skipped); the direction is the first direction word, or ``default``."""
    t = text.strip()
    m = _RANGE.search(t)
    if m and not re.search(r"[年月日]", t[m.end() : m.end() + 1]):
        unit = m.group(2)
        tail = t[m.end() :]
        if unit is None and tail[:1] in ("%", "％"):
            unit = "%"
        low, high = _scaled(m.group(1), unit or tail[:2]), _scaled(m.group(3), unit or tail[:2])
        if low <= high:
            return TargetSpec("range", low, high, unit in ("%", "％"), t)
    numbers = [(n, u) for n, u in _NUMBER.findall(t) if u not in ("年", "月", "日")]
    if not numbers:
        return None
    percents = [(n, u) for n, u in numbers if u in ("%", "％")]
    number, unit = (percents or numbers)[-1]
    op = next((o for word, o in _WORDS if word in t), default)
    shown = "元" if unit in ("万元", "万") else ("" if unit in ("%", "％") else unit)
    return TargetSpec(op, _scaled(number, unit), None, unit in ("%", "％"), t, shown)


def explicit(op: Op, value: Decimal, high: Decimal | None = None, percent: bool = False) -> TargetSpec:
    """A target given as data rather than text."""
    return TargetSpec(op, value, high, percent)
