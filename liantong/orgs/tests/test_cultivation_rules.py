"""双培养 as a pipeline with rules: every step is a move of ``orgs.cultivation.CULTIVATION`` (history = its
audit rows), and the waiting times hold — a probationary member becomes a full member only once the year is
up (the anniversary itself is allowed), refused in Chinese before, with nothing written."""

import datetime

import pytest
from django.utils import timezone

from liantong.core.tests.workflow_kit import Trace, assert_refused, illegal_cases
from liantong.orgs import services
from liantong.orgs.cultivation import CULTIVATION, RULE, add_years, due_cultivations, due_on
from liantong.orgs.models import Cultivation, CultivationStage, CultivationTrack, PartyOrg

S = CultivationStage


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def branch(db):
    return PartyOrg.objects.get(name="镇江船厂设计所党支部")


def make(branch, stage, since, track=CultivationTrack.BACKBONE_TO_MEMBER, name="测试对象"):
    return services.save_cultivation(actor=None, party_org=branch, person_name=name, track=track, stage=stage,
                                     stage_since=since)


def test_a_probationary_member_cannot_become_full_a_day_before_the_year_is_up_and_is_told_why_in_chinese(branch):
    c = make(branch, S.PROBATIONARY, datetime.date(2025, 3, 1))
    err = assert_refused(CULTIVATION, c, "confirm", None, 409, at=at(datetime.date(2026, 2, 28)))
    assert "预备期" in err.message and "2026年03月01日" in err.message


def test_a_probationary_member_becomes_full_on_the_day_the_year_is_up(branch):
    c = make(branch, S.PROBATIONARY, datetime.date(2025, 3, 1))
    trace = Trace(CULTIVATION, c)
    moved = CULTIVATION.transition(c, "confirm", actor=None, at=at(datetime.date(2026, 3, 1)))
    assert moved.stage == S.FULL and moved.stage_since == datetime.date(2026, 3, 1)
    trace.assert_one_move(CULTIVATION.find(S.PROBATIONARY, "confirm"), None)


def test_a_leap_day_probation_ends_on_the_28th_of_february(branch):
    assert add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    c = make(branch, S.PROBATIONARY, datetime.date(2024, 2, 29))
    assert due_on(c) == datetime.date(2025, 2, 28)


def test_an_activist_becomes_a_candidate_only_after_a_year_of_training(branch):
    c = make(branch, S.ACTIVIST, datetime.date(2025, 5, 10))
    err = assert_refused(CULTIVATION, c, "candidate", None, 409, at=at(datetime.date(2026, 5, 9)))
    assert "入党积极分子" in err.message
    assert CULTIVATION.transition(c, "candidate", actor=None, at=at(datetime.date(2026, 5, 10))).stage == S.CANDIDATE


def test_the_whole_backbone_track_is_walked_step_by_step_with_its_history(branch):
    c = make(branch, S.BACKBONE, datetime.date(2023, 1, 2))
    day = datetime.date(2023, 1, 2)
    for action in ["activist", "candidate", "admit", "confirm"]:
        rule = RULE[action]
        day = add_years(day, rule.years or 0, 1 if not rule.years else 0)
        c = CULTIVATION.transition(c, action, actor=None, at=at(day))
    assert c.stage == S.FULL
    assert [row.changes["action"] for row in CULTIVATION.history(c)] == ["activist", "candidate", "admit", "confirm"]


@pytest.mark.parametrize(("state", "action"), illegal_cases(CULTIVATION))
def test_a_step_the_table_does_not_have_is_refused_with_409(branch, state, action):
    c = make(branch, state, datetime.date(2020, 1, 1), name=f"非法{state}{action}")
    assert_refused(CULTIVATION, c, action, None, 409, at=at(datetime.date(2026, 1, 1)))


def test_someone_outside_the_org_cannot_move_it_and_firm_b_is_told_404(branch, personas):
    c = make(branch, S.BACKBONE, datetime.date(2025, 1, 1))
    assert_refused(CULTIVATION, c, "activist", personas["firm_b"], 404)
    assert CULTIVATION.transition(c, "activist", actor=personas["firm_a"]).stage == S.ACTIVIST


def test_the_api_refuses_an_early_confirmation_in_chinese_and_accepts_it_on_the_anniversary(branch, personas,
                                                                                             client_for):
    today = timezone.localdate()
    early = make(branch, S.PROBATIONARY, add_years(today, -1) + datetime.timedelta(days=1), name="提前转正")
    ripe = make(branch, S.PROBATIONARY, add_years(today, -1), name="按期转正")
    client = client_for(personas["firm_a"])
    options = client.get(f"/api/v1/cultivations/{early.pk}/transitions").json()
    assert [o["action"] for o in options] == ["confirm"]
    r = client.post(f"/api/v1/cultivations/{early.pk}/transitions", {"action": "confirm"},
                    content_type="application/json")
    assert r.status_code == 409 and "预备期" in r.json()["detail"]
    assert Cultivation.objects.get(pk=early.pk).stage == S.PROBATIONARY
    r = client.post(f"/api/v1/cultivations/{ripe.pk}/transitions", {"action": "confirm"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["stage"] == S.FULL


def test_the_detail_page_shows_when_the_step_falls_due_and_its_buttons(branch, personas, client_for):
    c = make(branch, S.PROBATIONARY, datetime.date(2025, 3, 1), name="页面对象")
    html = client_for(personas["firm_a"]).get(f"/orgs/cultivation/{c.pk}/").content.decode()
    assert "2026-03-01 起可办理" in html and "转为正式党员" in html
    r = client_for(personas["firm_a"]).post(f"/orgs/cultivation/{c.pk}/transition/",
                                            {"action": "confirm", "expected_state": "probationary"}, follow=True)
    assert Cultivation.objects.get(pk=c.pk).stage == S.FULL
    assert r.status_code == 200


def test_a_step_due_by_a_day_is_found_for_the_reminder(branch):
    c = make(branch, S.PROBATIONARY, datetime.date(2025, 3, 1), name="到期提醒")
    assert c in due_cultivations(datetime.date(2026, 3, 1))
    assert c not in due_cultivations(datetime.date(2026, 2, 28))


def test_an_edit_cannot_set_the_stage_by_hand(branch):
    c = make(branch, S.ACTIVIST, datetime.date(2025, 1, 1), name="手改阶段")
    services.save_cultivation(actor=None, party_org=branch, person_name=c.person_name, track=c.track,
                              cultivation=c, stage=S.FULL, post="改了岗位")
    c.refresh_from_db()
    assert c.stage == S.ACTIVIST and c.post == "改了岗位"
