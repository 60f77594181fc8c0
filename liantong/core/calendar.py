"""Chinese working days (one module for every deadline; DESIGN-NOTES 10).

Which days are worked, in this order:

1. the arrangement a platform administrator entered on 系统管理 → 节假日安排 (``HolidayDay``: the State
   Council's notice for the year — holidays and 调休 working days), for any year;
2. the ``chinesecalendar`` package (it covers up to its last year, 2026 for 1.11);
3. otherwise Monday–Friday, except the fixed-date statutory holidays (元旦 1 January, 劳动节 1 May,
   国庆 1–3 October); a warning is logged once, and the home page warns administrators while the coming year
   has no arrangement (``missing_years``), so deadlines never fail.

The entered days are read once per process and again at most ``REFRESH_SECONDS`` later (another process's
entry reaches this one within that time; this process's own at once).
"""

from __future__ import annotations

import datetime
import logging
import re
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = datetime.time(23, 59, 59)
log = logging.getLogger(__name__)
# Statutory holidays on fixed Gregorian dates (国务院《全国年节及纪念日放假办法》), used only for years
# the package does not cover yet.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


REFRESH_SECONDS = 60
_entered: dict = {"at": None, "days": {}}


def _arrangement() -> dict[datetime.date, bool]:
    """The entered days: {date: is a working day}, cached in the process."""
    import time

    now = time.monotonic()
    if _entered["at"] is None or now - _entered["at"] > REFRESH_SECONDS:
        from django.db import DatabaseError

        from .models import HolidayDay

        try:
            days = {d: k == HolidayDay.WORKDAY for d, k in HolidayDay.objects.values_list("day", "kind")}
        except (DatabaseError, RuntimeError):  # no table yet (before migrate), or no database (a unit test)
            days = {}
        _entered.update(at=now, days=days)
    return _entered["days"]


def forget_arrangement() -> None:
    """Read the entered days again at the next question (after an entry, a restore, in tests)."""
    _entered["at"] = None


def is_workday(day: datetime.date) -> bool:
    entered = _arrangement()
    if entered and day in entered:
        return entered[day]
    return _package_workday(day)


def covered(year: int) -> bool:
    """Whether ``year``'s arrangement is known: entered by an administrator, or in the package."""
    if any(d.year == year for d in _arrangement()):
        return True
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def missing_years(today: datetime.date | None = None) -> list[int]:
    """This year and the coming one, those without a known arrangement (the home page's warning)."""
    today = today or datetime.datetime.now(SHANGHAI).date()
    return [y for y in (today.year, today.year + 1) if not covered(y)]


@lru_cache(maxsize=4096)
def _package_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_uncovered(day.year)
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


LINE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:\s*(?:至|~|-{2}|—)\s*(\d{4})-(\d{1,2})-(\d{1,2}))?\s+(休|班)\s*(.*)$")


def parse_arrangement(year: int, text: str) -> list[tuple[datetime.date, str, str]]:
    """Lines like ``2027-02-06 至 2027-02-12 休 春节`` or ``2027-02-14 班 春节`` → (day, kind, name). Raises
    ``ServiceError`` naming the first bad line (第N行)."""
    from .models import HolidayDay
    from .services import ServiceError

    out: dict[datetime.date, tuple[str, str]] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        m = LINE.match(raw)
        if not m:
            raise ServiceError(f"第{n}行：格式应为“2027-01-01 休 元旦”或“2027-02-06 至 2027-02-12 休 春节”，"
                               "调休上班写“班”", field="text")
        try:
            first = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            last = datetime.date(int(m[4]), int(m[5]), int(m[6])) if m[4] else first
        except ValueError:
            raise ServiceError(f"第{n}行：日期无效", field="text") from None
        if first.year != year or last.year != year or last < first or (last - first).days > 15:
            raise ServiceError(f"第{n}行：日期须在 {year} 年内，且一段不超过 16 天", field="text")
        kind = HolidayDay.HOLIDAY if m[7] == "休" else HolidayDay.WORKDAY
        day = first
        while day <= last:
            out[day] = (kind, m[8].strip()[:20])
            day += datetime.timedelta(days=1)
    if not out:
        raise ServiceError("请填写至少一行安排", field="text")
    return [(d, k, name) for d, (k, name) in sorted(out.items())]


def save_arrangement(year: int, text: str, *, actor) -> int:
    """Replace ``year``'s entered arrangement with the one in ``text`` (a platform administrator); audited
    with the old and new day counts. Returns the number of days entered."""
    from django.db import transaction

    from . import audit
    from .models import HolidayDay
    from .services import require_perm

    require_perm(actor, HOLIDAYS_PERM)
    days = parse_arrangement(year, text)
    with transaction.atomic():
        old = HolidayDay.objects.filter(day__year=year).count()
        HolidayDay.objects.filter(day__year=year).delete()
        HolidayDay.objects.bulk_create([HolidayDay(day=d, kind=k, name=name) for d, k, name in days])
        audit.record(actor, audit.AuditAction.UPDATE, None, object_type="core.holidayday",
                     object_repr=f"{year} 年节假日安排",
                     changes={"count": [old, len(days)], "detail": text.strip()[:2000]})
    transaction.on_commit(forget_arrangement)
    forget_arrangement()
    return len(days)


HOLIDAYS_PERM = "core.holidays"  # platform administrators enter the State Council's arrangement


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
