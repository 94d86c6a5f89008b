"""Working days (工作日) in mainland China: public holidays and 调休 workdays from the
``chinesecalendar`` library (the State Council's yearly arrangement, kept up to date by its
maintainers), Monday to Friday for a year it does not cover yet."""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def known(day: dt.date) -> bool:
    """True when the library has the State Council's arrangement for ``day``'s year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def working_days(start: dt.date, end: dt.date) -> tuple[int, bool]:
    """The working days from ``start`` to ``end``, both included, and whether holidays and 调休
    were known for all of them (else Monday to Friday were counted)."""
    if end < start:
        return 0, True
    if known(start) and known(end):
        return len(chinese_calendar.get_workdays(start, end)), True
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5 + sum(
        1 for k in range(rest) if (start + dt.timedelta(days=weeks * 7 + k)).weekday() < 5
    )
    return count, False
