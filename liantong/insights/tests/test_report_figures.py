"""The work report for 镇江 2025 states the article's figures — 24 联合主题党日、技术研讨 activities with 800+
person-times, 47 orders resolved, 9 projects and 20 亿元, 30 incubated firms, 25 industrialised results, 16
training projects, 60+ placements — each counted here from the rows of that year (the expectations are this
test's own counts, not the code under test), and changing the rows changes the sentences."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone

from liantong.core.models import Zone
from liantong.innovation import services as innovation
from liantong.innovation.models import Achievement, IncubatedFirm
from liantong.insights import report
from liantong.insights.models import InvestmentProject
from liantong.orgs.models import Chain, PartyOrg
from liantong.people import services as people
from liantong.people.models import Activity, Attendance, Placement, TrainingProgram
from liantong.services.models import ServiceRequest

pytestmark = pytest.mark.django_db

YEAR = 2025
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1)
JOINT = ("themed_day", "seminar")  # the article's 联合主题党日、技术研讨


def _text(tmp_path) -> str:
    out = tmp_path / "report.docx"
    call_command("report", zone="镇江高新区", year=YEAR, out=str(out))
    return report.text_of(out.read_bytes())


def _local(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _expected(zone) -> dict:
    """The report's figures for 镇江 2025, counted from the rows."""
    joint = Activity.objects.filter(zone=zone, kind__in=JOINT, held_on__gte=START, held_on__lt=END)
    person_times = (Attendance.objects.filter(activity__in=joint, checked_in_at__isnull=False).count()
                    + (joint.aggregate(n=Sum("guests"))["n"] or 0))
    signed = InvestmentProject.objects.filter(zone=zone, stage__in=["signed", "started", "producing"],
                                              signed_on__gte=START, signed_on__lt=END)
    return {
        "joint": joint.count(), "person_times": person_times,
        "resolved": ServiceRequest.objects.filter(zone=zone, state__in=["resolved", "rated", "closed"],
                                                  resolved_at__gte=_local(START), resolved_at__lt=_local(END)).count(),
        "projects": signed.count(), "amount": signed.aggregate(s=Sum("amount"))["s"],
        "incubated": IncubatedFirm.objects.filter(zone=zone, incubated_on__lt=END).count(),
        "industrialised": Achievement.objects.filter(zone=zone, stage="industrialised",
                                                     industrialised_on__lt=END).count(),
        "programs": TrainingProgram.objects.filter(zone=zone).filter(
            Q(starts_on__lt=END) | Q(starts_on__isnull=True), Q(ends_on__gte=START) | Q(ends_on__isnull=True)).count(),
        "placements": Placement.objects.filter(zone=zone, placed_on__gte=START, placed_on__lt=END).count(),
    }


def _figure(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    assert m, pattern
    return int(m.group(1).replace(",", ""))


def test_the_report_states_the_articles_figures_for_zhenjiang_2025(tmp_path):
    zone = Zone.objects.get(short_name="镇江")
    want = _expected(zone)
    # the article's figures, as the demo's rows hold them
    assert want["joint"] == 24 and want["person_times"] > 800 and want["resolved"] == 47
    assert want["projects"] == 9 and want["amount"] == 200000
    assert want["incubated"] == 30 and want["industrialised"] == 25 and want["programs"] == 16
    assert want["placements"] > 60
    text = _text(tmp_path)
    assert _figure(r"联合主题党日、技术研讨活动(\d+)场", text) == want["joint"]
    assert _figure(r"覆盖党员职工([\d,]+)人次", text) == want["person_times"]
    assert _figure(r"解决企业诉求(\d+)项", text) == want["resolved"]
    assert _figure(r"强链配套项目(\d+)个", text) == want["projects"]
    assert "总投资额20亿元" in text
    assert _figure(r"累计孵化科技型企业(\d+)家", text) == want["incubated"]
    assert _figure(r"累计推动(\d+)项科研成果实现产业化", text) == want["industrialised"]
    assert _figure(r"实训项目(\d+)个", text) == want["programs"]
    assert _figure(r"定向输送专业人才(\d+)名", text) == want["placements"]


def test_the_activities_sentence_counts_the_joint_kinds_of_that_year_only(tmp_path):
    """A seminar of 2025 adds one activity and its guests; a branch's 党课 of 2025 and a themed day of 2024
    do not change the joint count."""
    zone = Zone.objects.get(short_name="镇江")
    chain = Chain.objects.get(name="高技术船舶海工装备")
    committee = PartyOrg.objects.filter(zone=zone, kind="chain_committee").order_by("id").first()
    before = _expected(zone)
    people.save_activity(actor=None, zone=zone, title="报告测试技术研讨会", kind="seminar", lead_org=committee,
                         chain=chain, held_on=datetime.date(YEAR, 12, 20), guests=7)
    people.save_activity(actor=None, zone=zone, title="报告测试党课", kind="party_lecture", lead_org=committee,
                         held_on=datetime.date(YEAR, 12, 21), guests=3)
    people.save_activity(actor=None, zone=zone, title="报告测试往年主题党日", kind="themed_day", lead_org=committee,
                         chain=chain, held_on=datetime.date(YEAR - 1, 12, 20), guests=5)
    innovation.save_incubated(actor=None, zone=zone, name="报告测试孵化科技有限公司", incubator="测试孵化器",
                              incubated_on=datetime.date(YEAR, 12, 1))
    innovation.save_incubated(actor=None, zone=zone, name="报告测试次年入孵科技有限公司", incubator="测试孵化器",
                              incubated_on=datetime.date(YEAR + 1, 1, 5))
    after = _expected(zone)
    assert after["joint"] == before["joint"] + 1 and after["person_times"] == before["person_times"] + 7
    assert after["incubated"] == before["incubated"] + 1
    text = _text(tmp_path)
    assert _figure(r"联合主题党日、技术研讨活动(\d+)场", text) == after["joint"] == 25
    assert _figure(r"覆盖党员职工([\d,]+)人次", text) == after["person_times"]
    assert _figure(r"累计孵化科技型企业(\d+)家", text) == after["incubated"] == 31
