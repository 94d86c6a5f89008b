"""Working days follow the State Council's holiday arrangement (chinesecalendar), not weekdays."""

from __future__ import annotations

import datetime as dt

from bangfu_eval.workdays import working_days

D = dt.date


def test_spring_festival_week_is_not_working_days() -> None:
    # 2023-01-21..27 is the Spring Festival holiday; 01-28 and 01-29 (weekend) are 调休 workdays
    assert working_days(D(2023, 1, 20), D(2023, 1, 29)) == (3, True)


def test_national_day_holiday_and_its_make_up_saturday() -> None:
    # 2022-10-01..07 holiday, 10-08 and 10-09 (Sat, Sun) are workdays
    assert working_days(D(2022, 9, 30), D(2022, 10, 10)) == (4, True)


def test_a_year_not_yet_published_counts_monday_to_friday() -> None:
    count, known = working_days(D(2031, 1, 6), D(2031, 1, 12))  # a Monday to a Sunday
    assert (count, known) == (5, False)


def test_an_empty_period() -> None:
    assert working_days(D(2022, 5, 2), D(2022, 5, 1)) == (0, True)
