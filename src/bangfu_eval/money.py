"""Decimal helpers: the one place where text becomes money and money becomes text.

Money and every rate stay exact ``Decimal`` values through the whole pipeline; rounding happens
only when a figure is shown, always ROUND_HALF_UP (四舍五入): 元 to 2 decimals, 万元 to 4,
percentages to 2. No float is ever built.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

WAN = Decimal(10000)
HUNDRED = Decimal(100)

# ASCII digits only: full-width and other scripts' digits are refused, never read silently
_NUMBER = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$")
_PLAIN = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,10})?")  # the common case, parsed without more ado
_UNITS = {"元": Decimal(1), "万元": WAN, "万": WAN}


MAX_INTEGER_DIGITS, MAX_DECIMALS = 15, 10


def parse_decimal(text: str) -> Decimal:
    """Parse plain decimal text ('1,234.5', '-3'); refuse exponents, NaN, infinities and
    numbers longer than any amount (15 integer digits, 10 decimals): they are typos, and exact
    arithmetic on them would overflow the decimal context."""
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    t = text.strip()
    if not _NUMBER.match(t):
        raise ValueError(f"不是数字：{text[:40]!r}")
    whole, _, frac = t.replace(",", "").lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(frac) > MAX_DECIMALS:
        raise ValueError(f"不是数字：数字过长（{len(whole)} 位整数，{len(frac)} 位小数）")
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes these
        raise ValueError(f"不是数字：{text!r}") from exc


def parse_money(text: str) -> Decimal:
    """Parse an amount in 元: '2914797', '2,914,797元', '291.4797万元' (×10000)."""
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    t = text.strip()
    for unit in ("万元", "万", "元"):
        if t.endswith(unit):
            return parse_decimal(t[: -len(unit)]) * _UNITS[unit]
    return parse_decimal(t)


def parse_rate(text: str) -> Decimal:
    """Parse a rate: '73.76%' → 0.7376; '0.5' → 0.5."""
    t = text.strip()
    if t.endswith("%") or t.endswith("％"):
        return parse_decimal(t[:-1]) / HUNDRED
    return parse_decimal(t)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """The one rounding rule: ROUND_HALF_UP to ``places`` decimals. The precision is as large
    as the result needs (a rate over a tiny base, a 25-digit product), so it never overflows."""
    if not value.is_finite():
        return value
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() + places + 2)
        ctx.Emax = max(ctx.Emax, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_places(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals when it has more; otherwise unchanged,
    so that a score of 2 stays 2 and not 2.00."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= places:
        return value
    return round_half_up(value, places)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator, or None when the denominator is zero (shown as —)."""
    if denominator == 0:
        return None
    return numerator / denominator


def fmt_yuan(value: Decimal | None) -> str:
    """元 with thousands separators and 2 decimals: 2,914,797.00"""
    if value is None:
        return "—"
    return f"{round_half_up(value, 2):,.2f}"


def fmt_wan(value: Decimal | None) -> str:
    """万元 with 4 decimals: 291.4797"""
    if value is None:
        return "—"
    return f"{round_half_up(value / WAN, 4):,.4f}"


def fmt_pct(value: Decimal | None) -> str:
    """A rate as a percentage with 2 decimals: 73.76%"""
    if value is None:
        return "—"
    return f"{round_half_up(value * HUNDRED, 2):.2f}%"


def fmt_number(value: Decimal | None) -> str:
    """A count or score: integers without decimals, others as written (normalised)."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value.normalize():f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def capital_yuan(value: Decimal) -> str:
    """Chinese capital amount (大写) as on Chinese financial documents: 贰佰玖拾壹万肆仟柒佰玖拾柒元整."""
    v = round_half_up(value, 2)
    sign = "负" if v < 0 else ""
    v = abs(v)
    integer = int(v)
    cents = int((v - integer) * 100)
    out = _integer_capital(integer) + "元" if integer else ""
    jiao, fen = divmod(cents, 10)
    if not cents:
        out = (out or "零元") + "整"
    else:
        if jiao:
            out += _DIGITS[jiao] + "角"
        elif integer:
            out += "零"
        if fen:
            out += _DIGITS[fen] + "分"
    return sign + out


def _integer_capital(n: int) -> str:
    if n >= 10**16:  # 亿亿 and above: how many 亿亿, then the rest below 10^16
        high, low = divmod(n, 10**16)
        rest = _integer_capital(low) if low else ""
        return _integer_capital(high) + "亿亿" + ("零" if low and low < 10**15 else "") + rest
    groups: list[int] = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out = ""
    zero_pending = False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or g < 1000):
            out += "零"
        out += _group_capital(g) + _BIG[idx]
        zero_pending = False
    return out


def _group_capital(g: int) -> str:
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = (g // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL[pos]
    return out


def fmt_ratio(value: Decimal | None) -> str:
    """A ratio with 2 decimals, as local : central: 1.25"""
    if value is None:
        return "—"
    return f"{round_half_up(value, 2):.2f}"


def fmt_capital(value: Decimal | None) -> str:
    return "—" if value is None else capital_yuan(value)


FORMATS = {
    "元": fmt_yuan,
    "万元": fmt_wan,
    "%": fmt_pct,
    "大写": fmt_capital,
    "数": fmt_number,
    "比": fmt_ratio,
}
"""Format names usable in narrative placeholders ({{ x | 万元 }}) and as template filters."""

DEFAULT_FORMAT = {"money": "元", "rate": "%", "count": "数", "score": "数", "ratio": "比"}
"""The format of a figure when none is named, by the figure's kind."""


def fmt_unit(value: Decimal | None, unit: str) -> str:
    """A target's value in its unit: '%' → 95.00%, others → the number and the unit."""
    if unit in ("%", "％"):
        return fmt_pct(value)
    return fmt_number(value) + ("" if value is None else unit)


def fmt_date(value: object) -> str:
    """A date as Chinese official documents write it: 2023年3月24日."""
    import datetime as dt

    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "—" if value is None else str(value)


def _plain(value: Decimal, places: int) -> str:
    """Rounded to ``places`` (ROUND_HALF_UP), trailing zeros and a bare point dropped."""
    text = f"{round_half_up(value, places):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def prose_yuan(value: Decimal | None) -> str:
    """元 as a unit writes it in a sentence: 2914797, 1234.5 (no separators, no .00)."""
    return "—" if value is None else _plain(value, 2)


def prose_wan(value: Decimal | None) -> str:
    """万元 in a sentence: 242, 291.4797 (up to 4 decimals, no trailing zeros)."""
    return "—" if value is None else _plain(value / WAN, 4)


def prose_pct(value: Decimal | None) -> str:
    """A rate in a sentence: 100%, 73.76% (up to 2 decimals, no trailing zeros)."""
    return "—" if value is None else _plain(value * HUNDRED, 2) + "%"


PROSE_FORMATS = {**FORMATS, "元": prose_yuan, "万元": prose_wan, "%": prose_pct}
"""The formats of figures in sentences (the narrative, the report's own sentences): the unit's
style, as the seed writes 2914797元 and 200万元; tables keep FORMATS' fixed decimals."""


FILTER_NAMES = {"yuan": "元", "wan": "万元", "pct": "%", "capital": "大写", "num": "数", "ratio": "比"}
FILTERS = {
    **{name: FORMATS[fmt] for name, fmt in FILTER_NAMES.items()},
    **{f"p{name}": PROSE_FORMATS[FILTER_NAMES[name]] for name in ("yuan", "wan", "pct")},
    "cndate": fmt_date,
}
"""Template filters: the placeholder formats under ASCII names (pyuan, pwan, ppct: the prose
style, without separators and trailing zeros), plus Chinese dates."""
