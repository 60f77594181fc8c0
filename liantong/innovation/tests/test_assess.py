"""The high-tech self-assessment is exact at every boundary (Decimal arithmetic, ``POST /api/v1/hightech/assess``).

Each boundary of 《高新技术企业认定管理办法》第十一条 and its 工作指引 is one test, just below and at the line:
5,000 万元 and 2 亿元 of the latest year's sales revenue exactly, 4.99 % / 5.00 % R&D spending, 9.9 % / 10 %
R&D staff, exactly one year since registration (29 February included), a score of 70 (not enough: 70分以上
不含70分) and 71."""

import datetime
from decimal import Decimal

import pytest

from liantong.core.services import ServiceError
from liantong.innovation import assess

D = datetime.date


def good(**over) -> dict:
    """A firm meeting every criterion; ``over`` moves one input to a boundary."""
    data = dict(registered_on=D(2020, 1, 1), assessed_on=D(2025, 6, 1), core_ip=True, field_in_catalogue=True,
                staff_total=100, rd_staff=10, revenue=[Decimal(1000), Decimal(1000), Decimal(1000)],
                rd_spend=[Decimal(50), Decimal(50), Decimal(50)], rd_spend_domestic=[Decimal(30), Decimal(30), Decimal(30)],
                hightech_revenue_last_year=Decimal(600), total_income_last_year=Decimal(1000), innovation_score=71,
                major_violation=False)
    data.update(over)
    return data


def criterion(result, code):
    return next(c for c in result.criteria if c.code == code)


def test_a_firm_meeting_every_criterion_qualifies_with_nine_criteria_in_order():
    r = assess.evaluate(**good())
    assert r.qualified
    assert [c.code for c in r.criteria] == list(assess.CODES)


# --- R&D spending ratio: the revenue band is read from the latest year, exactly at 5,000 万元 and 2 亿元

@pytest.mark.parametrize(("latest", "line"), [
    (Decimal("5000"), 5), (Decimal("5000.01"), 4), (Decimal("20000"), 4), (Decimal("20000.01"), 3)])
def test_the_rd_spending_line_follows_the_latest_years_revenue_band_exactly_at_its_edges(latest, line):
    assert assess.rd_threshold(latest) == line
    r = assess.evaluate(**good(revenue=[latest], rd_spend=[latest * line / 100], rd_spend_domestic=[latest * line / 100],
                               registered_on=D(2024, 6, 1)))
    c = criterion(r, "rd_spend_ratio")
    assert c.passed and c.threshold.startswith(f"≥ {line}%")


def test_latest_revenue_of_exactly_5000_wan_needs_5_percent_so_4_99_fails_and_5_00_passes():
    rev = [Decimal(5000)] * 3
    below = assess.evaluate(**good(revenue=rev, rd_spend=[Decimal("249.5")] * 3, rd_spend_domestic=[Decimal(200)] * 3))
    at = assess.evaluate(**good(revenue=rev, rd_spend=[Decimal("250")] * 3, rd_spend_domestic=[Decimal(200)] * 3))
    assert not criterion(below, "rd_spend_ratio").passed and criterion(below, "rd_spend_ratio").value == "4.99%"
    assert criterion(below, "rd_spend_ratio").gap == "1.50 万元"  # 3 × 0.5 万元 short
    assert criterion(at, "rd_spend_ratio").passed and criterion(at, "rd_spend_ratio").value == "5.00%"


def test_a_ratio_a_hair_below_5_percent_fails_although_it_rounds_to_5_00():
    r = assess.evaluate(**good(revenue=[Decimal(5000)] * 3, rd_spend=[Decimal("249.99")] * 3,
                               rd_spend_domestic=[Decimal(200)] * 3))
    c = criterion(r, "rd_spend_ratio")
    assert not c.passed and c.value == "4.99%"  # 4.9998 %: cut, never rounded up to a passing look


def test_latest_revenue_of_exactly_2_yi_needs_4_percent_so_3_99_fails_and_4_00_passes():
    rev = [Decimal(20000)] * 3
    assert not criterion(assess.evaluate(**good(revenue=rev, rd_spend=[Decimal(798)] * 3,
                                                rd_spend_domestic=[Decimal(798)] * 3)), "rd_spend_ratio").passed
    assert criterion(assess.evaluate(**good(revenue=rev, rd_spend=[Decimal(800)] * 3,
                                            rd_spend_domestic=[Decimal(800)] * 3)), "rd_spend_ratio").passed


def test_above_2_yi_3_percent_is_enough():
    rev = [Decimal("20000.01")] * 3
    r = assess.evaluate(**good(revenue=rev, rd_spend=[Decimal("600.0003")] * 3, rd_spend_domestic=[Decimal(600)] * 3))
    assert criterion(r, "rd_spend_ratio").passed


def test_the_ratio_is_taken_over_the_three_years_summed_not_year_by_year():
    # year 1 alone is 2 %, the three years together exactly 5 %
    r = assess.evaluate(**good(revenue=[Decimal(1000)] * 3, rd_spend=[Decimal(20), Decimal(65), Decimal(65)],
                               rd_spend_domestic=[Decimal(20), Decimal(65), Decimal(65)]))
    assert criterion(r, "rd_spend_ratio").passed


def test_domestic_rd_spending_is_60_percent_at_least():
    assert criterion(assess.evaluate(**good(rd_spend_domestic=[Decimal(30)] * 3)), "rd_domestic_ratio").passed
    assert not criterion(assess.evaluate(**good(rd_spend_domestic=[Decimal("29.99")] * 3)), "rd_domestic_ratio").passed


# --- R&D staff: 10 %

def test_rd_staff_of_9_9_percent_fails_and_10_percent_passes():
    below = assess.evaluate(**good(staff_total=1000, rd_staff=99))
    at = assess.evaluate(**good(staff_total=1000, rd_staff=100))
    assert not criterion(below, "rd_staff_ratio").passed
    assert criterion(below, "rd_staff_ratio").value == "9.90%" and criterion(below, "rd_staff_ratio").gap == "1 人"
    assert criterion(at, "rd_staff_ratio").passed and criterion(at, "rd_staff_ratio").value == "10.00%"


# --- registered one year: 一年以上 includes exactly one year

def test_registered_exactly_one_year_before_passes_and_one_day_less_fails():
    assert criterion(assess.evaluate(**good(registered_on=D(2024, 6, 1), assessed_on=D(2025, 6, 1),
                                            revenue=[Decimal(1000)], rd_spend=[Decimal(50)],
                                            rd_spend_domestic=[Decimal(50)])), "registered_1y").passed
    r = assess.evaluate(**good(registered_on=D(2024, 6, 2), assessed_on=D(2025, 6, 1), revenue=[Decimal(1000)],
                               rd_spend=[Decimal(50)], rd_spend_domestic=[Decimal(50)]))
    c = criterion(r, "registered_1y")
    assert not c.passed and c.gap == "1 天"


def test_a_firm_registered_on_29_february_has_its_year_on_28_february():
    young = dict(revenue=[Decimal(1000)], rd_spend=[Decimal(50)], rd_spend_domestic=[Decimal(50)])
    assert criterion(assess.evaluate(**good(registered_on=D(2024, 2, 29), assessed_on=D(2025, 2, 28), **young)),
                     "registered_1y").passed
    assert not criterion(assess.evaluate(**good(registered_on=D(2024, 2, 29), assessed_on=D(2025, 2, 27), **young)),
                         "registered_1y").passed


def test_a_firm_younger_than_three_years_gives_its_actual_years_and_an_older_one_must_give_three():
    ok = assess.evaluate(**good(registered_on=D(2023, 6, 1), assessed_on=D(2025, 6, 1), revenue=[Decimal(1000)] * 2,
                                rd_spend=[Decimal(50)] * 2, rd_spend_domestic=[Decimal(50)] * 2))
    assert ok.qualified
    with pytest.raises(ServiceError) as exc:
        assess.evaluate(**good(revenue=[Decimal(1000)] * 2, rd_spend=[Decimal(50)] * 2,
                               rd_spend_domestic=[Decimal(50)] * 2))
    assert exc.value.field == "revenue" and "最近3个会计年度" in exc.value.message


# --- the innovation score: 70分以上（不含70分）

def test_a_score_of_70_fails_and_71_passes():
    at70 = criterion(assess.evaluate(**good(innovation_score=70)), "innovation_score")
    assert not at70.passed and at70.gap == "1 分"
    assert criterion(assess.evaluate(**good(innovation_score=71)), "innovation_score").passed


def test_hightech_income_of_60_percent_passes_and_just_below_fails():
    assert criterion(assess.evaluate(**good(hightech_revenue_last_year=Decimal(600))), "hightech_revenue_ratio").passed
    r = assess.evaluate(**good(hightech_revenue_last_year=Decimal("599.99")))
    assert not criterion(r, "hightech_revenue_ratio").passed and criterion(r, "hightech_revenue_ratio").gap == "0.01 万元"


def test_core_ip_field_and_violation_fail_with_advice():
    r = assess.evaluate(**good(core_ip=False, field_in_catalogue=False, major_violation=True))
    assert [c.code for c in r.failed] == ["core_ip", "field", "no_violation"]
    assert all(c.advice for c in r.failed)


# --- the API

URL = "/api/v1/hightech/assess"


def body(**over):
    d = good(**over)
    return {k: (v.isoformat() if isinstance(v, datetime.date) else [str(x) for x in v] if isinstance(v, list)
                else str(v) if isinstance(v, Decimal) else v) for k, v in d.items()}


@pytest.mark.django_db
def test_the_api_answers_each_criterion_without_saving(client_for, personas):
    from liantong.innovation.models import Assessment

    before = Assessment.objects.count()
    r = client_for(personas["firm_a"]).post(URL, body(innovation_score=70), content_type="application/json")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["qualified"] is False
    assert [c["code"] for c in out["criteria"]] == list(assess.CODES)
    score = next(c for c in out["criteria"] if c["code"] == "innovation_score")
    assert score == {"code": "innovation_score", "passed": False, "value": "70 分", "threshold": "70 分以上（不含 70 分）",
                     "gap": "1 分", "advice": score["advice"]} and score["advice"]
    assert Assessment.objects.count() == before


@pytest.mark.django_db
def test_the_api_refuses_bad_input_in_chinese(client_for, personas):
    c = client_for(personas["firm_a"])
    r = c.post(URL, body(rd_spend=["50", "50"]), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "rd_spend" and "年数" in r.json()["detail"]
    r = c.post(URL, body(staff_total=0), content_type="application/json")
    assert r.status_code == 422 and "staff_total" in r.json()["detail"]
    r = c.post(URL, body(innovation_score=70.5), content_type="application/json")
    assert r.status_code == 422
    r = c.post(URL, "not json", content_type="application/json")
    assert r.status_code == 400
    r = c.post(URL, body(rd_staff=101), content_type="application/json")
    assert r.status_code == 400 and "科技人员" in r.json()["detail"]
