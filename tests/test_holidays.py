"""Holidays after the calendar package's last year (core/calendar.py): a platform administrator enters the
State Council's arrangement on 系统管理 → 节假日安排; deadlines follow it; the home page warns while this or the
coming year has none."""

import datetime

import pytest

from liantong.core import calendar
from liantong.core.models import AuditLog, HolidayDay

ARRANGEMENT_2027 = """2027-01-01 休 元旦
2027-02-06 至 2027-02-12 休 春节
2027-02-14 班 春节
"""


@pytest.fixture
def admin(db):
    from liantong.accounts.models import User

    return User.objects.get(username="admin")


def test_without_an_arrangement_2027_falls_back_to_weekdays(db):
    assert calendar.is_workday(datetime.date(2027, 2, 8))  # a Monday in the 2027 spring festival
    assert not calendar.is_workday(datetime.date(2027, 2, 14))  # a Sunday
    assert calendar.missing_years(datetime.date(2026, 12, 4)) == [2027]


def test_an_entered_arrangement_moves_the_deadlines(db, admin):
    start = datetime.datetime(2027, 2, 5, 9, 0, tzinfo=calendar.SHANGHAI)  # Friday before the festival
    before = calendar.deadline(start, 2).astimezone(calendar.SHANGHAI).date()
    assert before == datetime.date(2027, 2, 9)
    assert calendar.save_arrangement(2027, ARRANGEMENT_2027, actor=admin) == 9
    assert not calendar.is_workday(datetime.date(2027, 2, 8))
    assert calendar.is_workday(datetime.date(2027, 2, 14))  # 调休: the Sunday is worked
    after = calendar.deadline(start, 2).astimezone(calendar.SHANGHAI).date()
    assert after == datetime.date(2027, 2, 15)  # Sunday 14th (worked) and Monday 15th
    assert calendar.missing_years(datetime.date(2026, 12, 4)) == []
    row = AuditLog.objects.filter(object_type="core.holidayday").latest("id")
    assert row.object_repr == "2027 年节假日安排" and row.changes["count"] == [0, 9]


def test_the_page_saves_the_arrangement_and_refuses_a_bad_line_in_chinese(personas, client_for):
    c = client_for(personas["admin"])
    resp = c.post("/system/holidays/", {"year": "2027", "text": "2027-13-01 休 坏日期"})
    assert resp.status_code == 400 and "第1行" in resp.content.decode()
    resp = c.post("/system/holidays/", {"year": "2027", "text": "2028-01-01 休 元旦"})
    assert resp.status_code == 400 and "2027 年内" in resp.content.decode()
    assert not HolidayDay.objects.exists()
    resp = c.post("/system/holidays/", {"year": "2027", "text": ARRANGEMENT_2027})
    assert resp.status_code == 302
    assert HolidayDay.objects.filter(day__year=2027).count() == 9
    assert "2027-02-14 班 春节" in c.get("/system/holidays/?year=2027").content.decode()


def test_only_platform_administrators_enter_it(personas, client_for):
    assert client_for(personas["zone_staff"]).get("/system/holidays/").status_code == 404
    from liantong.core.services import Forbidden

    with pytest.raises(Forbidden):
        calendar.save_arrangement(2027, ARRANGEMENT_2027, actor=personas["zone_staff"])


def test_the_home_page_warns_the_administrator_while_the_coming_year_has_none(personas, client_for, monkeypatch):
    monkeypatch.setattr(calendar, "missing_years", lambda today=None: [2027])
    body = client_for(personas["admin"]).get("/").content.decode()
    assert "尚无 2027 年的节假日安排" in body
    assert "尚无 2027 年的节假日安排" not in client_for(personas["zone_staff"]).get("/").content.decode()
