"""Chinese working days (one module for every deadline; DESIGN-NOTES 10).

Holidays and 调休 make-up days come from the ``chinesecalendar`` package. For a year the package
does not yet cover, Monday–Friday are working days except the fixed-date statutory holidays (元旦
1 January, 劳动节 1 May, 国庆 1–3 October), and a warning is logged once, so deadlines never fail;
upgrade the package when the State Council publishes the next year's arrangement (lunar holidays and
调休 are only known then).
"""

from __future__ import annotations

import datetime
import logging
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = datetime.time(23, 59, 59)
log = logging.getLogger(__name__)
# Statutory holidays on fixed Gregorian dates (国务院《全国年节及纪念日放假办法》), used only for years
# the package does not cover yet.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


@lru_cache(maxsize=4096)
def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_uncovered(day.year)
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


@cache
def _warn_uncovered(year: int) -> None:
    log.warning("chinesecalendar 未覆盖 %s 年的节假日安排，暂按周一至周五计算工作日", year)


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The date ``n`` working days after ``start`` (``start`` itself not counted; n=0 gives start)."""
    day, left = start, n
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: how many working days pass from ``start`` to ``end``."""
    if end <= start:
        return -workdays_between(end, start) if end < start else 0
    n, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        n += is_workday(day)
    return n


def deadline(start: datetime.datetime, workdays: int) -> datetime.datetime:
    """The end (23:59:59 Shanghai time) of the ``workdays``-th working day after ``start``, as aware UTC.

    Work arriving on a rest day starts counting from the next working day, as hotlines do.
    """
    local = start.astimezone(SHANGHAI).date()
    due = add_workdays(local, workdays)
    return datetime.datetime.combine(due, END_OF_DAY, tzinfo=SHANGHAI).astimezone(datetime.UTC)


def workdays_elapsed(start: datetime.datetime, end: datetime.datetime) -> int:
    return workdays_between(start.astimezone(SHANGHAI).date(), end.astimezone(SHANGHAI).date())
