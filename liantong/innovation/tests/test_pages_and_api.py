"""Pages and API of the innovation strand per persona: the university publishes challenges and results, bids
and follows its consortia; the firm-side self-assessment keeps its history; qualifications remind before they
expire; refusals are Chinese and never a 500."""

import datetime

import pytest

from liantong.innovation import services
from liantong.innovation.models import Achievement, Assessment, Challenge, Consortium, Qualification

pytestmark = pytest.mark.django_db


def test_the_university_publishes_a_challenge_on_the_page_in_its_own_name(personas, client_for):
    uni = personas["uni"]
    r = client_for(uni).post("/innovation/challenge/new/", {
        "title": "船舶焊缝智能检测（高校出题）", "field": "testing", "problem": "焊缝缺陷人工检测效率低",
        "publisher_institution": uni.institution_id})
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Challenge.objects.get(title="船舶焊缝智能检测（高校出题）")
    assert c.publisher_institution_id == uni.institution_id and c.state == "collecting"


def test_the_university_registers_a_result_through_the_api_and_moves_it_to_pilot(personas, client_for):
    c = client_for(personas["uni"])
    r = c.post("/api/v1/achievements", {"title": "船用复合材料螺旋桨", "field": "materials"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert Achievement.objects.get(pk=pk).owner_institution_id == personas["uni"].institution_id
    r = c.post(f"/api/v1/achievements/{pk}/transitions", {"action": "advance"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["stage"] == "pilot"


def test_the_university_follows_its_consortia_and_a_firm_outside_them_does_not(personas, client_for):
    mine = set(Consortium.objects.filter(bid__lead_institution_id=personas["uni"].institution_id)
               .values_list("pk", flat=True))
    assert len(mine) == 3  # the two solved challenges and the VOCs one (demo)
    listed = {row["id"] for row in client_for(personas["uni"]).get("/api/v1/consortia").json()["items"]}
    assert listed == mine
    assert client_for(personas["firm_b"]).get("/api/v1/consortia").json()["count"] == 0


def test_a_firm_cannot_bid_through_the_api_on_a_challenge_not_open(personas, client_for):
    solved = Challenge.objects.get(title="大型邮轮电磁矫平技术攻关")
    r = client_for(personas["firm_b"]).post(f"/api/v1/challenges/{solved.pk}/bids", {
        "team_name": "迟到的团队", "leader_name": "张三", "plan": "方案"}, content_type="application/json")
    assert r.status_code == 409 and "不接受揭榜申请" in r.json()["detail"]


def test_a_department_may_not_bid_and_is_told_so(personas, client_for):
    open_ = Challenge.objects.get(title="绿色甲醇燃料动力船舶关键技术")
    r = client_for(personas["dept_staff"]).post(f"/api/v1/challenges/{open_.pk}/bids", {
        "team_name": "部门团队", "leader_name": "张三", "plan": "方案"}, content_type="application/json")
    assert r.status_code in (400, 403) and any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])


def test_the_firm_assesses_itself_on_its_page_and_finds_the_result_in_its_history(personas, client_for):
    firm = personas["firm_b"]
    before = Assessment.objects.filter(enterprise=firm.enterprise).count()
    r = client_for(firm).post("/innovation/assess/", {
        "registered_on": "2015-04-01", "assessed_on": "2025-06-01", "core_ip": "on", "field_in_catalogue": "on",
        "staff_total": "150", "rd_staff": "15", "revenue": "4000,4500,5000", "rd_spend": "200,225,250",
        "rd_spend_domestic": "200,225,250", "hightech_revenue_last_year": "3000", "total_income_last_year": "5000",
        "innovation_score": "70"})
    assert r.status_code == 302
    a = Assessment.objects.filter(enterprise=firm.enterprise).order_by("-id").first()
    assert Assessment.objects.filter(enterprise=firm.enterprise).count() == before + 1
    assert not a.qualified and a.failed == 1  # the score of 70 is not above 70
    page = client_for(firm).get(r["Location"]).content.decode()
    assert "创新能力评价得分" in page and "未达标" in page
    r = client_for(firm).post("/innovation/assess/", {"registered_on": "2015-04-01", "assessed_on": "2025-06-01",
                                                      "staff_total": "10", "rd_staff": "1", "revenue": "x",
                                                      "rd_spend": "1", "rd_spend_domestic": "1",
                                                      "hightech_revenue_last_year": "1",
                                                      "total_income_last_year": "1", "innovation_score": "80"})
    assert r.status_code == 400 and "应为以逗号分隔的数字" in r.content.decode()


def test_the_pool_shows_firms_close_to_the_line_and_the_certified_with_expiry(personas, client_for):
    r = client_for(personas["zone_staff"]).get("/innovation/pool/")
    assert r.status_code == 200 and "镇江海帆船舶配件有限公司" in r.content.decode()
    assert client_for(personas["firm_a"]).get("/innovation/pool/").status_code == 404


def test_a_qualification_close_to_expiry_is_reminded_once(personas):
    from liantong.services.models import Notification

    zone_staff = personas["zone_staff"]
    today = datetime.date.today()
    q = services.save_qualification(actor=zone_staff, zone=zone_staff.zone, kind="srdi", level="provincial",
                                    title="专精特新中小企业（测试）", enterprise=personas["firm_b"].enterprise,
                                    granted_on=today - datetime.timedelta(days=1000),
                                    expires_on=today + datetime.timedelta(days=30))
    now = datetime.datetime.now(datetime.UTC)
    assert services.remind_expiring(now)["reminded"] >= 1
    assert services.remind_expiring(now)["reminded"] == 0
    q.refresh_from_db()
    assert q.reminded_on == today
    assert Notification.objects.filter(kind="qualification_expiry", user=personas["firm_b"],
                                       title__contains="专精特新中小企业（测试）").count() == 1


def test_a_qualification_expiring_before_its_grant_is_refused_in_chinese(personas):
    zone_staff = personas["zone_staff"]
    with pytest.raises(services.ServiceError) as exc:
        services.save_qualification(actor=zone_staff, zone=zone_staff.zone, kind="srdi", level="provincial",
                                    title="倒挂资质", holder_name="某单位", granted_on=datetime.date(2025, 1, 1),
                                    expires_on=datetime.date(2024, 1, 1))
    assert exc.value.field == "expires_on"
    assert not Qualification.objects.filter(title="倒挂资质").exists()


def test_the_committee_keeps_incubation_qualifications_coaching_and_contracts_through_the_api(personas, client_for):
    c = client_for(personas["zone_staff"])
    firm = personas["firm_b"].enterprise
    r = c.post("/api/v1/incubated-firms", {"name": "镇江测试孵化科技有限公司", "incubator": "科创园",
                                           "incubated_on": "2025-03-01"}, content_type="application/json")
    assert r.status_code == 201, r.content
    r = c.post("/api/v1/qualifications", {"kind": "srdi", "level": "provincial", "title": "专精特新（API）",
                                          "enterprise": firm.pk, "granted_on": "2025-01-01",
                                          "expires_on": "2027-12-31"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["holder"] == firm.name
    r = c.post("/api/v1/coachings", {"kind": "one_on_one", "held_on": "2025-05-01", "topic": "研发费用归集"},
               content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "enterprise" and "辅导企业" in r.json()["detail"]
    a = Achievement.objects.get(title="船舶压载水处理系统")
    r = c.post("/api/v1/transfer-contracts", {"achievement": a.pk, "buyer": firm.pk, "amount": "88.5",
                                              "signed_on": "2025-07-01"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["buyer_name"] == firm.name
    # a firm keeps none of these
    r = client_for(personas["firm_b"]).post("/api/v1/qualifications", {
        "kind": "srdi", "level": "provincial", "title": "自封资质", "enterprise": firm.pk, "granted_on": "2025-01-01"},
        content_type="application/json")
    assert r.status_code == 403 and "无权" in r.json()["detail"]


def test_the_board_is_searched_through_the_token_index(personas, client_for):
    r = client_for(personas["uni"]).get("/api/v1/challenges", {"q": "电磁矫平"})
    assert [row["title"] for row in r.json()["items"]] == ["大型邮轮电磁矫平技术攻关"]
    page = client_for(personas["uni"]).get("/innovation/challenge/", {"q": "双燃料"}).content.decode()
    assert "船用中速双燃料发动机关键技术攻关" in page and "大型邮轮电磁矫平技术攻关" not in page
