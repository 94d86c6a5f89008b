"""Chinese resident ID numbers (GB 11643-1999): length, birth date and check digit."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from itertools import repeat
from operator import eq, itemgetter, mod, mul

_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2): Σ digit × 2^(18−i)
    mod 11. Since 13 ≡ 2 (mod 11), reading the digits in base 13 gives that sum divided by 2,
    modulo 11, in one call into C."""
    return _CHECK[2 * int(first17, 13) % 11]


def problem(value: str) -> str | None:
    """None when ``value`` is a valid 18-character ID number, else what is wrong (in Chinese).

    The message never contains the number itself."""
    v = value.strip().upper()
    if len(v) != 18:
        return f"长度应为 18 位，实为 {len(v)} 位"
    if not _SHAPE.fullmatch(v + "\n"):  # ASCII digits: '²' or '８' is no digit of an ID
        return "只能包含数字（最后一位可为 X）"
    try:
        dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "出生日期无效"
    if check_digit(v[:17]) != v[17]:
        return "校验位错误"
    return None


_SHAPE = re.compile(r"(?:[0-9]{17}[0-9X]\n)*")


def all_valid(values: list[str]) -> bool:
    """True when every one of ``values`` is a valid ID number as it stands (no spaces, capital
    X), decided over the whole list by built-ins: the shape by one regular expression, birth
    dates by date.fromisoformat (YYYYMMDD), check digits in base 13. False means: ask
    ``problem`` of each."""
    if not _SHAPE.fullmatch("\n".join(values) + "\n" if values else ""):
        return False
    try:
        deque(map(dt.date.fromisoformat, map(itemgetter(slice(6, 14)), values)), maxlen=0)
    except ValueError:
        return False
    sums = map(int, map(itemgetter(slice(0, 17)), values), repeat(13))
    digits = map(_CHECK.__getitem__, map(mod, map(mul, sums, repeat(2)), repeat(11)))
    return all(map(eq, digits, map(itemgetter(17), values)))
