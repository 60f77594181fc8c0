import datetime

from liantong.core.calendar import SHANGHAI, add_workdays, deadline, is_workday, workdays_between


def test_national_day_holidays_and_the_make_up_saturday_are_counted():
    # 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are make-up working days (调休)
    assert is_workday(datetime.date(2025, 9, 28))
    assert not is_workday(datetime.date(2025, 10, 3))
    assert is_workday(datetime.date(2025, 10, 11))
    assert add_workdays(datetime.date(2025, 9, 30), 1) == datetime.date(2025, 10, 9)
    assert add_workdays(datetime.date(2025, 9, 30), 3) == datetime.date(2025, 10, 11)
    assert workdays_between(datetime.date(2025, 9, 30), datetime.date(2025, 10, 11)) == 3


def test_a_deadline_is_the_end_of_the_nth_working_day_in_shanghai():
    start = datetime.datetime(2025, 9, 30, 9, 0, tzinfo=SHANGHAI)
    due = deadline(start, 1)
    assert due.astimezone(SHANGHAI) == datetime.datetime(2025, 10, 9, 23, 59, 59, tzinfo=SHANGHAI)


def test_years_the_package_does_not_cover_fall_back_to_weekdays_without_the_fixed_holidays():
    assert is_workday(datetime.date(2031, 1, 6))  # a Monday
    assert not is_workday(datetime.date(2031, 1, 5))  # a Sunday
    assert not is_workday(datetime.date(2027, 1, 1))  # 元旦, a Friday
    assert not is_workday(datetime.date(2031, 10, 2))  # 国庆, a Thursday
    assert add_workdays(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 4)
