"""The zone figures of the innovation strand are counted from rows: 镇江's 30 incubated firms and 25
industrialised results, 白银's 31 technology centres and 7 transfer institutions — each compared with a count of
the demo's rows, and moved by adding a row."""

import pytest

from liantong.core.models import Zone
from liantong.innovation import services
from liantong.innovation.models import (
    Achievement,
    AchievementStage,
    Challenge,
    ChallengeState,
    IncubatedFirm,
    Qualification,
    QualificationKind,
)

pytestmark = pytest.mark.django_db


def test_zhenjiang_counts_its_incubated_firms_industrialised_results_and_solved_challenges(personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    figures = client_for(personas["zone_staff"]).get(f"/api/v1/zones/{zone.pk}/stats").json()
    assert figures["incubated_enterprises"] == IncubatedFirm.objects.filter(zone=zone).count() == 30
    assert figures["achievements_industrialised"] == Achievement.objects.filter(
        zone=zone, stage=AchievementStage.INDUSTRIALISED).count() == 25
    assert Achievement.objects.filter(zone=zone, title="船用智能控制系统", stage="industrialised").exists()
    assert figures["achievements"] == Achievement.objects.filter(zone=zone).count()
    solved = set(Challenge.objects.filter(zone=zone, state__in=[ChallengeState.ACCEPTED, ChallengeState.PAID])
                 .values_list("title", flat=True))
    assert solved == {"船用中速双燃料发动机关键技术攻关", "大型邮轮电磁矫平技术攻关"}
    assert figures["challenges_solved"] == len(solved)
    assert figures["challenges"] == Challenge.objects.filter(zone=zone).exclude(state="withdrawn").count()
    assert Challenge.objects.filter(zone=zone, state="published").count() >= 2  # open ones on the board


def test_baiyin_counts_its_technology_centres_transfer_institutions_and_agricultural_parks(personas, client_for):
    zone = Zone.objects.get(short_name="白银")
    figures = client_for(personas["by_zone"]).get(f"/api/v1/zones/{zone.pk}/stats").json()

    def n(kind):
        return Qualification.objects.filter(zone=zone, kind=kind).count()

    assert figures["tech_centres"] == n(QualificationKind.TECH_CENTRE) == 31
    assert figures["transfer_institutions"] == n(QualificationKind.TRANSFER_INSTITUTION) == 7
    assert figures["agri_parks"] == n(QualificationKind.AGRI_PARK) == 5
    assert n(QualificationKind.SME_PLATFORM) == 2 and n(QualificationKind.INNOVATION_BASE) == 2


def test_pingdingshan_has_saifute_certified_on_28_april_and_the_waterless_dyeing_standard():
    zone = Zone.objects.get(short_name="平顶山")
    q = Qualification.objects.get(zone=zone, kind="hightech", enterprise__name="赛伏特质量检测公司")
    assert str(q.granted_on) == "2025-04-28"
    assert Qualification.objects.filter(zone=zone, kind="standard", title__contains="超临界二氧化碳染色技术规范",
                                        enterprise__name="河南无水染色科技股份有限公司").exists()
    assert services.stats(zone)["hightech_enterprises"] >= 1


def test_a_new_row_moves_the_figure(personas):
    zone_staff = personas["zone_staff"]
    before = services.stats(zone_staff.zone)["incubated_enterprises"]
    import datetime

    services.save_incubated(actor=zone_staff, zone=zone_staff.zone, name="测试孵化企业", incubator="科创园",
                            incubated_on=datetime.date(2025, 1, 1))
    assert services.stats(zone_staff.zone)["incubated_enterprises"] == before + 1
