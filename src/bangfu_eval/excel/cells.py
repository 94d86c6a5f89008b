"""One cell of a workbook → one typed value, with the Excel damage it carried named.

Each reader returns ``(value, repair)``: the value and, when bangfu had to repair the cell, the
code and message saying what it did. A cell that cannot be read without guessing raises
``Refused`` (the value is lost or ambiguous); the importer reports it at its cell. Messages
never repeat a personal value (ID and card numbers, names).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from bangfu_eval.idnumber import problem as id_problem
from bangfu_eval.money import parse_decimal

Repair = tuple[str, str] | None


class Refused(ValueError):
    """A cell that cannot be read without guessing."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # the 1900 date system, past its 1900-02-29 bug
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+0{1,2}:00(:00)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEARS = range(1990, 2101)


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def half_width(text: str) -> tuple[str, Repair]:
    """Full-width digits and punctuation (１２３，４) → ASCII, said so."""
    converted = text.translate(_FULL_WIDTH)
    if converted != text and any("０" <= c <= "９" for c in text):
        return converted, ("XL108", "全角数字已按半角读取")
    return converted, None


def _number_text(value: float | int) -> str:
    """A whole number as Excel shows it (1001.0 → '1001')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(value: object) -> tuple[str, Repair]:
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, (int, float)):
        return _number_text(value), None
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    return str(value).strip(), None


def digits(value: object, what: str) -> tuple[str, Repair]:
    """An ID or card number: text only. A number cell has lost digits past the 15th (Excel
    keeps 15 significant digits), so it is refused, as are scientific notation and a number
    whose tail Excel has turned into zeros."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= 1e15:
            raise Refused(
                "XL101",
                f"{what}存为数字，Excel 只保留 15 位有效数字，后几位已丢失",
            )
        return _number_text(value), None
    raw = str(value).strip().replace(" ", "")
    t, repair = half_width(raw)
    if _SCIENTIFIC.match(t):
        raise Refused("XL102", f"{what}是科学计数法（如 4.60E+17），原数字已丢失")
    t = t.upper()
    # Excel keeps 15 significant digits: an 18- or 19-digit number saved as a number ends
    # in 000 or 0000 (three zeros by chance: one time in a thousand; a valid ID never fails)
    zeros = len(t) >= 18 and t.isdigit() and set(t[15:]) == {"0"}
    if zeros and (what != "身份证号" or id_problem(t) is not None):
        raise Refused("XL103", f"{what}第 16 位起全为 0，疑为 Excel 按数字保存时截断（只保留 15 位）")
    return t, repair


def phone(value: object) -> tuple[str, Repair]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(value), None
    return half_width(str(value).strip().replace(" ", "").replace("-", ""))


def date(value: object) -> tuple[dt.date, Repair]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value)) if 0 < value < 2958466 else None
        if day is None or day.year not in YEARS:
            raise Refused("XL109", f"日期无法识别：{_number_text(value)}")
        return day, ("XL104", f"日期是 Excel 序列号 {_number_text(value)}，读作 {day.isoformat()}")
    t, repair = half_width(str(value).strip())
    if _ISO_DATE.match(t):
        try:
            return dt.date.fromisoformat(t), repair
        except ValueError:
            raise Refused("XL109", f"日期无效：{t}") from None
    m = _DATE_TEXT.match(t) or _COMPACT_DATE.match(t)
    if m is None:
        raise Refused("XL109", f"日期无法识别：{t[:20]}")
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise Refused("XL109", f"日期无效：{t}") from None
    if day.year not in YEARS:
        raise Refused("XL109", f"日期年份超出范围：{t}")
    return day, repair or ("XL105", f"日期写作文本“{t}”，读作 {day.isoformat()}")


def dates(value: object) -> tuple[tuple[dt.date, ...], Repair]:
    """Several dates in one cell, separated by ; 、 , or line breaks."""
    if not isinstance(value, str):
        day, repair = date(value)
        return (day,), repair
    out, repair = [], None
    for part in re.split(r"[;；、,，\n]+", value):
        if part.strip():
            day, r = date(part)
            out.append(day)
            repair = repair or r
    return tuple(out), repair


_CENT = Decimal("0.01")


def money(value: object) -> tuple[Decimal, Repair]:
    """An amount in 元. A number cell is taken as Excel shows it (binary noise below a
    millionth of a fen dropped); text may carry separators, ¥, 元 or 万元, full-width digits."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) >= 1e15:  # an error cell, or no amount
            raise Refused("XL109", f"金额无法识别：{value!r}"[:40])
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        q = d.quantize(_CENT)
        d = q if d != q and abs(d - q) < Decimal("1e-6") else d
        return (d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()), None
    t, repair = half_width(str(value).strip().replace(" ", ""))
    t = t.lstrip("¥￥")
    scale, unit = Decimal(1), ""
    for suffix in ("万元", "万", "元"):
        if t.endswith(suffix):
            t, unit = t[: -len(suffix)], suffix
            break
    if unit.startswith("万"):
        scale = Decimal(10000)
    separated = "," in t or "，" in t
    try:
        amount = parse_decimal(t.replace("，", ","))
    except (ValueError, InvalidOperation):
        raise Refused("XL109", f"金额无法识别：{str(value)[:20]}") from None
    amount *= scale
    if scale != 1:
        return amount, ("XL107", f"金额以万元书写（{value}），已换算为 {amount:f} 元")
    if separated or unit or str(value).strip().startswith(("¥", "￥")):
        return amount, repair or ("XL106", f"金额“{value}”带千分位或单位，读作 {amount:f}")
    return amount, repair


_YES = {"是", "已签", "已签字", "已签名", "签", "√", "✓", "y", "yes", "true", "1", "有"}
_NO = {"否", "未签", "未签字", "未签名", "×", "✗", "n", "no", "false", "0", "无"}


def yes_no(value: object) -> tuple[bool | None, Repair]:
    if isinstance(value, bool):
        return value, None
    t = text(value)[0].lower()
    if t in _YES:
        return True, None
    if t in _NO:
        return False, None
    raise Refused("XL109", f"应为 是/否：{t[:20]}")
