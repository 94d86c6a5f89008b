"""Chinese resident ID numbers (GB 11643-1999): length, birth date and check digit."""

from __future__ import annotations

import datetime as dt

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
    if not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        return "只能包含数字（最后一位可为 X）"
    try:
        dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "出生日期无效"
    if check_digit(v[:17]) != v[17]:
        return "校验位错误"
    return None
