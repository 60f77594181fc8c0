"""The challenge, milestone and result machines, tested from their tables (``innovation/workflow.py``) with the
generated cases of ``core/tests/workflow_kit.py``: each legal move for each role it lists, each role it does
not list refused (403), each pair not in the table refused (409) — nothing written on a refusal."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from liantong.core.tests.workflow_kit import (
    Trace,
    assert_refused,
    illegal_cases,
    legal_cases,
    wrong_role_cases,
)
from liantong.innovation import services
from liantong.innovation.models import (
    Achievement,
    Bid,
    BidOutcome,
    Challenge,
    ChallengeMilestone,
    MilestoneCard,
    MilestoneState,
)
from liantong.innovation.workflow import ACHIEVEMENT, CHALLENGE, MILESTONE

pytestmark = pytest.mark.django_db
_n = itertools.count(1)

# who holds each role on a challenge set by 镇江船厂 (firm_a) and bid for by 江苏科技大学 (uni)
ROLE_USERS = {"publisher": "firm_a", "committee": "zone_staff", "team": "uni"}
NEEDS_CONSORTIUM = {"signing", "researching", "accepting", "accepted", "paid"}


def _challenge(personas, state: str):
    firm_a, uni = personas["firm_a"], personas["uni"]
    c = services.save_challenge(actor=firm_a, zone=firm_a.zone, title=f"测试攻坚榜单{next(_n)}", field="power",
                                problem="测试难题", publisher_enterprise=firm_a.enterprise)
    Challenge.objects.filter(pk=c.pk).update(state="published")  # the test's own data: open for bids
    c.refresh_from_db()
    bid = services.submit_bid(actor=uni, challenge=c, lead_institution=uni.institution, team_name="测试团队",
                              leader_name="张三", plan="方案", planned_milestones="节点一,2030-01-01",
                              members=[{"name": "张三", "party_member": True, "leads": True}])
    if state in NEEDS_CONSORTIUM:
        CHALLENGE.transition(c, "select", actor=None, bid=bid)
    Challenge.objects.filter(pk=c.pk).update(state=state)
    c.refresh_from_db()
    return c, bid


def _params(move, bid):
    return {"bid": bid} if move.action == "select" else {"payout": Decimal("10")} if move.action == "pay" else {}


@pytest.mark.parametrize("move,role", legal_cases(CHALLENGE))
def test_each_legal_challenge_move_succeeds_for_each_role_it_lists(personas, move, role):
    c, bid = _challenge(personas, move.source)
    actor = personas[ROLE_USERS[role]]
    trace = Trace(CHALLENGE, c)
    moved = CHALLENGE.transition(c, move.action, actor=actor, note="测试说明", **_params(move, bid))
    assert moved.state == move.target == trace.now_state()
    trace.assert_one_move(move, actor)


@pytest.mark.parametrize("move,role", wrong_role_cases(CHALLENGE))
def test_each_challenge_move_is_refused_to_a_role_it_does_not_list(personas, move, role):
    c, bid = _challenge(personas, move.source)
    err = assert_refused(CHALLENGE, c, move.action, personas[ROLE_USERS[role]], 403, note="测试",
                         **_params(move, bid))
    assert "该操作应由" in err.message


@pytest.mark.parametrize("state,action", illegal_cases(CHALLENGE))
def test_each_challenge_move_not_in_the_table_is_refused_with_409(personas, state, action):
    c, _ = _challenge(personas, state)
    assert_refused(CHALLENGE, c, action, None, 409, note="测试")


def test_selecting_a_bid_makes_the_party_led_consortium_with_its_planned_milestones(personas):
    c, bid = _challenge(personas, "published")
    other = services.submit_bid(actor=personas["firm_b"], challenge=c, lead_enterprise=personas["firm_b"].enterprise,
                                team_name="另一团队", leader_name="李四", plan="方案二")
    CHALLENGE.transition(c, "select", actor=personas["firm_a"], bid=bid)
    c.refresh_from_db()
    assert c.consortium.bid == bid and c.consortium.name == "测试团队党员攻关联合体"
    assert list(c.consortium.milestones.values_list("title", flat=True)) == ["节点一"]
    assert Bid.objects.get(pk=other.pk).outcome == BidOutcome.NOT_SELECTED
    assert Bid.objects.get(pk=bid.pk).outcome == BidOutcome.SELECTED


def test_a_bid_from_another_challenge_is_refused_on_the_bid_field(personas):
    c, _ = _challenge(personas, "published")
    _, foreign = _challenge(personas, "published")
    err = assert_refused(CHALLENGE, c, "select", personas["firm_a"], 400, bid=foreign)
    assert err.field == "bid"


def test_a_challenge_out_of_scope_is_a_404_and_a_bid_is_refused_when_the_board_is_closed(personas):
    c, _ = _challenge(personas, "collecting")
    assert_refused(CHALLENGE, c, "withdraw", personas["by_zone"], 404, note="x")
    with pytest.raises(services.core.Conflict):
        services.submit_bid(actor=personas["uni"], challenge=c, lead_institution=personas["uni"].institution,
                            team_name="迟到团队", leader_name="王五", plan="方案")


def test_a_firm_cannot_bid_in_another_firms_name(personas):
    c, _ = _challenge(personas, "published")
    with pytest.raises(services.ServiceError) as exc:
        services.submit_bid(actor=personas["firm_b"], challenge=c, lead_enterprise=personas["firm_a"].enterprise,
                            team_name="冒名团队", leader_name="赵六", plan="方案")
    assert exc.value.field == "lead_enterprise"


# --- milestones: reported by the team, supervised by core.deadlines


def _milestone(personas, state):
    c, _ = _challenge(personas, "researching")
    m = c.consortium.milestones.get()
    ChallengeMilestone.objects.filter(pk=m.pk).update(state=state)
    m.refresh_from_db()
    return m


@pytest.mark.parametrize("move,role", legal_cases(MILESTONE))
def test_each_legal_milestone_move_succeeds_for_each_role_it_lists(personas, move, role):
    m = _milestone(personas, move.source)
    actor = personas[ROLE_USERS[role]]
    trace = Trace(MILESTONE, m)
    MILESTONE.transition(m, move.action, actor=actor, note="进展说明")
    trace.assert_one_move(move, actor)


@pytest.mark.parametrize("move,role", wrong_role_cases(MILESTONE))
def test_each_milestone_move_is_refused_to_a_role_it_does_not_list(personas, move, role):
    assert_refused(MILESTONE, _milestone(personas, move.source), move.action, personas[ROLE_USERS[role]], 403,
                   note="x")


def test_the_tick_cards_a_milestone_yellow_then_red_once_each_and_marks_it_overdue(personas):
    m = _milestone(personas, "planned")
    yellow = m.warn_at + datetime.timedelta(minutes=1)
    assert services.tick(yellow)["yellow_cards"] >= 1
    assert services.tick(yellow)["yellow_cards"] == 0
    late = m.due_at + datetime.timedelta(hours=1)
    services.tick(late)
    services.tick(late)
    m.refresh_from_db()
    assert m.state == MilestoneState.OVERDUE
    assert sorted(MilestoneCard.objects.filter(milestone=m).values_list("level", flat=True)) == ["red", "yellow"]
    assert [h.changes["action"] for h in MILESTONE.history(m)] == ["overdue"]
    MILESTONE.transition(m, "report", actor=personas["uni"], note="补报进展")
    m.refresh_from_db()
    assert m.state == MilestoneState.REPORTED and m.card_level() == ""


# --- results: 实验室 → 中试 → 转移转化 → 产业化


@pytest.mark.parametrize("move,role", legal_cases(ACHIEVEMENT))
def test_each_legal_result_move_succeeds_for_its_owner(personas, move, role):
    uni = personas["uni"]
    a = services.save_achievement(actor=uni, zone=uni.zone, title=f"测试成果{next(_n)}", field="power",
                                  owner_institution=uni.institution)
    Achievement.objects.filter(pk=a.pk).update(stage=move.source)
    a.refresh_from_db()
    trace = Trace(ACHIEVEMENT, a)
    moved = ACHIEVEMENT.transition(a, move.action, actor=uni, note="说明")
    trace.assert_one_move(move, uni)
    if move.target == "industrialised":
        assert moved.industrialised_on == timezone.localdate()


def test_another_unit_cannot_move_a_result(personas):
    uni = personas["uni"]
    a = services.save_achievement(actor=uni, zone=uni.zone, title="他人成果", field="power",
                                  owner_institution=uni.institution)
    assert_refused(ACHIEVEMENT, a, "advance", personas["firm_b"], 403)
