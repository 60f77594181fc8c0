"""The people strand's rules and figures, each derived from the rows the test reads itself."""

import datetime
import io

import pytest
from django.db.models import Sum
from django.utils import timezone
from docx import Document

from liantong.core.models import AuditLog, Zone
from liantong.core.services import Conflict, ServiceError
from liantong.orgs.models import Enterprise, Member, OrgKind, PartyOrg
from liantong.people import reminders, services
from liantong.people.models import (
    Activity,
    ActivityKind,
    Attendance,
    CommitteePost,
    Manager,
    Placement,
    Reminder,
    TrainingProgram,
    Venue,
)

JINJIAN = "河南金建中晟构件混凝土有限公司"


# --- 双向进入、交叉任职 --------------------------------------------------------------------------------------


def test_jinjian_s_manager_committee_rate_is_85_computed_from_its_managers_and_committee_posts(db, client):
    ent = Enterprise.objects.get(name=JINJIAN)
    managers = Manager.objects.filter(enterprise=ent)
    today = timezone.localdate()
    seated = managers.filter(committee_posts__party_org__enterprise=ent, committee_posts__term_start__lte=today,
                             committee_posts__term_end__gte=today).distinct().count()
    expected = round(100 * seated / managers.count())
    assert expected == 85
    assert services.manager_committee_rate(ent) == expected


def test_the_enterprise_api_and_page_show_the_rate(db, client_for):
    from liantong.accounts.models import User

    ent = Enterprise.objects.get(name=JINJIAN)
    admin = User.objects.get(username="admin")
    body = client_for(admin).get(f"/api/v1/enterprises/{ent.pk}").json()
    assert body["manager_committee_rate"] == services.manager_committee_rate(ent) == 85
    html = client_for(admin).get(f"/orgs/enterprise/{ent.pk}/").content.decode()
    assert "85%" in html and "双向进入、交叉任职" in html


def test_a_firm_without_managers_has_no_rate_rather_than_zero(db, personas, client_for):
    ent = Enterprise.objects.get(name="镇江蓝海船用涂料有限公司")
    assert not Manager.objects.filter(enterprise=ent).exists()
    assert client_for(personas["zone_staff"]).get(f"/api/v1/enterprises/{ent.pk}").json()[
        "manager_committee_rate"] is None


def test_dropping_a_manager_s_seat_lowers_the_rate(db):
    ent = Enterprise.objects.get(name=JINJIAN)
    before = services.manager_committee_rate(ent)
    CommitteePost.objects.filter(party_org__enterprise=ent, manager__isnull=False).order_by("id").last().delete()
    total = Manager.objects.filter(enterprise=ent).count()
    assert services.manager_committee_rate(ent) == round(100 * (round(before * total / 100) - 1) / total)


# --- zone figures -----------------------------------------------------------------------------------------


def test_zhenjiang_s_stats_count_activities_attendance_training_and_placements_from_rows(db, personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    stats = client_for(personas["zone_staff"]).get(f"/api/v1/zones/{zone.pk}/stats").json()
    checked_in = Attendance.objects.filter(zone=zone, checked_in_at__isnull=False).count()
    guests = Activity.objects.filter(zone=zone).aggregate(n=Sum("guests"))["n"]
    assert stats["activities"] == Activity.objects.filter(zone=zone).count() >= 24
    assert stats["attendance"] == checked_in + guests >= 800
    assert checked_in >= 800  # the members checked in alone make the article's 800+ person-times
    assert stats["training_programs"] == TrainingProgram.objects.filter(zone=zone).count() >= 16
    assert stats["placements"] == Placement.objects.filter(zone=zone).count() >= 60
    assert stats["mentors"] >= 16 and stats["trainees"] >= stats["placements"]
    assert set(stats["cultivation"]) == {"backbone", "activist", "candidate", "probationary", "full", "trainee",
                                         "manager"}


def test_baiyin_has_a_catalogue_on_each_of_its_12_chains_and_roadshows_of_6_firms_to_beijing_and_shanghai(db):
    zone = Zone.objects.get(short_name="白银")
    from liantong.core.stats import zone_stats

    stats = zone_stats(zone)
    assert stats["talent_needs"] >= 12
    roadshows = Activity.objects.filter(zone=zone, kind=ActivityKind.ROADSHOW)
    assert stats["roadshows"] == roadshows.count() == 2
    assert {a.cities for a in roadshows} == {"北京", "上海"}
    assert {a.firms.count() for a in roadshows} == {6}
    assert sum(stats["cultivation"].values()) > 0


# --- activities ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_orgs(db):
    a = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    b = PartyOrg.objects.get(name="中船动力研发中心党支部")
    return a, b


def test_a_joint_activity_counts_its_person_times_for_each_organiser(two_orgs, personas):
    a, b = two_orgs
    act = services.save_activity(actor=personas["chain_staff"], zone=a.zone, title="联合主题党日（测试）",
                                 kind=ActivityKind.THEMED_DAY, lead_org=a, organisers=[b],
                                 held_on=datetime.date(2026, 5, 8), guests=3)
    ma, mb = a.members.order_by("id").first(), b.members.order_by("id").first()
    for m in (ma, mb, ma):  # twice is once
        services.check_in(actor=personas["chain_staff"], activity=act, member=m)
    assert services.person_times(act) == 2 + 3
    for org in (a, b):
        record = services.org_record(org, Activity.objects.all())
        row = next(x for x in record["activities"] if x.pk == act.pk)
        assert row.person_times == 5


def test_a_member_outside_the_organisers_cannot_be_checked_in_through_the_api(two_orgs, personas, client_for):
    a, b = two_orgs
    act = services.save_activity(actor=None, zone=a.zone, title="仅设计所", kind=ActivityKind.MEMBER_MEETING,
                                 lead_org=a, held_on=datetime.date(2026, 5, 9))
    outsider = b.members.order_by("id").first()
    r = client_for(personas["chain_staff"]).post(f"/api/v1/activities/{act.pk}/attendances",
                                                 {"member": outsider.pk}, content_type="application/json")
    assert r.status_code == 400 and "不属于活动的组织单位" in r.json()["detail"]


def test_a_venue_is_booked_once_a_day_and_the_second_booking_is_refused_in_chinese(two_orgs):
    a, _ = two_orgs
    venue = Venue.objects.get(name="镇江高新区企业发展服务中心")
    day = datetime.date(2026, 6, 3)
    services.save_activity(actor=None, zone=a.zone, title="上午场", kind=ActivityKind.TRAINING, lead_org=a,
                           held_on=day, venue=venue)
    with pytest.raises(Conflict) as exc:
        services.save_activity(actor=None, zone=a.zone, title="下午场", kind=ActivityKind.TRAINING, lead_org=a,
                               held_on=day, venue=venue)
    assert "已被“上午场”预约" in exc.value.message
    assert not Activity.objects.filter(title="下午场").exists()


def test_the_api_creates_a_joint_activity_and_answers_its_person_times(two_orgs, personas, client_for):
    a, b = two_orgs
    client = client_for(personas["chain_staff"])
    r = client.post("/api/v1/activities", {"title": "API联合活动", "kind": "themed_day", "lead_org": a.pk,
                                           "organisers": [b.pk], "held_on": "2026-07-01", "guests": 4},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body["organiser_ids"]) == {a.pk, b.pk} and body["person_times"] == 4
    r = client.post("/api/v1/activities", {"title": "坏类型", "kind": "nope", "lead_org": a.pk,
                                           "held_on": "2026-07-01"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"] == "活动类型无效"


def test_the_qr_code_checks_a_member_in_with_name_and_id_number_and_refuses_a_stranger(two_orgs, client):
    from liantong.orgs.demo import People

    a, _ = two_orgs
    act = services.save_activity(actor=None, zone=a.zone, title="扫码签到", kind=ActivityKind.PARTY_LECTURE,
                                 lead_org=a, held_on=datetime.date(2026, 5, 20))
    member = a.members.order_by("id").first()
    url = f"/people/checkin/{act.checkin_token}/"
    r = client.post(url, {"name": member.name, "id_number": People(seed=9, region="321191").id_number()})
    assert r.status_code == 400 and "不匹配" in r.content.decode()
    r = client.post(url, {"name": member.name, "id_number": str(member.id_number)})
    assert r.status_code == 200 and "签到成功" in r.content.decode()
    assert Attendance.objects.get(activity=act, member=member).checked_in_at is not None
    assert client.get("/people/checkin/wrong-token/").status_code == 404


def test_the_activity_page_shows_the_qr_code_to_its_managers_only(two_orgs, personas, client_for):
    act = Activity.objects.filter(title__startswith="重温入党誓词").order_by("id").first()
    html = client_for(personas["chain_staff"]).get(f"/people/activity/{act.pk}/").content.decode()
    assert "<svg" in html and act.checkin_token in html
    html = client_for(personas["firm_b"]).get(f"/people/activity/{act.pk}/").content.decode()
    assert act.checkin_token not in html


def test_the_calendar_shows_the_month_s_activities_and_refuses_a_bad_month(db, personas, client_for):
    client = client_for(personas["zone_staff"])
    html = client.get("/people/activity/calendar/?month=2025-03").content.decode()
    n = Activity.objects.filter(zone=personas["zone_staff"].zone, held_on__year=2025, held_on__month=3).count()
    assert n > 0 and f"（{n} 场）" in html
    assert client.get("/people/activity/calendar/?month=abc").status_code == 400


# --- the catalogue --------------------------------------------------------------------------------------------


def test_the_catalogue_exports_to_word_per_chain(db, personas, client_for):
    r = client_for(personas["by_zone"]).get("/people/need/?export=docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "急需紧缺人才需求目录" in text and "锂电池" in text
    assert len(doc.tables) == 12
    assert AuditLog.objects.filter(object_type="people.talentneed", action="export").exists()


def test_a_need_is_matched_with_trainees_by_major_and_degree_with_reasons(db, personas, client_for):
    from liantong.people.models import TalentNeed, Trainee

    need = TalentNeed.objects.get(post="焊接工艺工程师")
    free = Trainee.objects.filter(zone=need.zone, placement__isnull=True)
    matches = services.matches_for(need, free)
    expected = [t for t in free if "焊接" in t.major]
    assert {m["trainee"].pk for m in matches} == {t.pk for t in expected
                                                   if t.degree in ("bachelor", "master", "doctor")}
    for m in matches:
        assert any(r.startswith("专业对口") for r in m["reasons"])


# --- reminders and housekeeping ------------------------------------------------------------------------------


def test_the_tick_raises_each_reminder_once(db):
    now = timezone.make_aware(datetime.datetime(2026, 1, 25, 9))
    first = reminders.tick(now)
    assert first["no_meeting"] > 0
    again = reminders.tick(now)
    assert again == {"no_meeting": 0, "cultivation_due": 0, "term_ending": 0}
    branch = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    assert Reminder.objects.filter(party_org=branch, key=f"no_meeting:{branch.pk}:2026-01").exists()


def test_a_branch_that_held_a_party_lecture_this_month_gets_no_reminder(db):
    branch = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    day = datetime.date(2026, 2, 3)
    services.save_activity(actor=None, zone=branch.zone, title="二月党课", kind=ActivityKind.PARTY_LECTURE,
                           lead_org=branch, held_on=day)
    orgs = PartyOrg.objects.filter(zone=branch.zone)
    assert branch not in reminders.branches_without_meeting(orgs, datetime.date(2026, 2, 21))
    assert branch in reminders.branches_without_meeting(orgs, datetime.date(2026, 3, 21))


def test_the_housekeeping_page_lists_small_branches_and_links_transfers(db, personas, client_for):
    html = client_for(personas["zone_staff"]).get("/people/housekeeping/").content.decode()
    assert "组织关系转接" in html and "/orgs/transfer/" in html
    small = reminders.small_branches(PartyOrg.objects.filter(zone=personas["zone_staff"].zone))
    for org in small[:3]:
        assert org.name in html


def test_a_committee_post_must_end_after_it_starts_and_say_so_in_chinese(db):
    org = PartyOrg.objects.get(enterprise__name=JINJIAN, kind=OrgKind.BRANCH)
    with pytest.raises(ServiceError) as exc:
        services.save_committee_post(actor=None, party_org=org, post="member", person_name="某某",
                                     term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2025, 1, 1))
    assert "任期届满日期须晚于任期开始日期" in exc.value.message


def test_a_firm_cannot_record_managers_of_another_firm(db, personas):
    other = Enterprise.objects.get(name=JINJIAN)
    with pytest.raises(ServiceError):
        services.save_manager(actor=personas["firm_b"], enterprise=other, name="外人", level="middle", title="经理")
    assert not Member.objects.filter(name="外人").exists()
