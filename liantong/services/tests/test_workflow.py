"""The state machine: every legal move from the TRANSITIONS table works for its role, every other
move is refused in Chinese with nothing written, and the special rules hold."""

import pytest

from liantong.core.models import AuditLog
from liantong.services import services
from liantong.services.models import Assignment, ServiceRequest, TimelineEntry
from liantong.services.models import OrderState as S
from liantong.services.workflow import ACTION_LABELS, TRANSITIONS, OutOfScope, TransitionError, find_move

from .helpers import ROLE_USERS, ZJ_ASSIST, ZJ_LAND, dept, drive, user

pytestmark = pytest.mark.django_db

STATES = [s.value for s in S]


def _params(move, order):
    if move.action in ("dispatch", "redispatch"):
        return {"lead": dept(ZJ_LAND), "assists": [dept(ZJ_ASSIST)]}
    if move.action == "merge":
        other = ServiceRequest.objects.exclude(pk=order.pk).filter(zone_id=order.zone_id,
                                                                   state=S.SUBMITTED).first()
        return {"into": other or drive(S.SUBMITTED)}
    if move.action == "request_extension":
        return {"days": 2}
    if move.action == "rate":
        return {"satisfaction": 3}
    return {}


def _source_order(move):
    order = drive(move.source)
    if move.action == "reopen":
        order.reopen_count = 0
    if move.action == "escalate":
        ServiceRequest.objects.filter(pk=order.pk).update(reopen_count=1)
        order.refresh_from_db()
    if move.action == "resolve":
        order = services.transition(order, "report", actor=user("zj_jfj"), note="协办已反馈")
    return order


def _moves_id(m):
    return f"{m.source}-{m.action}"


@pytest.mark.parametrize("move", TRANSITIONS, ids=_moves_id)
def test_each_legal_move_succeeds_for_its_role_and_writes_timeline_and_audit(move):
    order = _source_order(move)
    role = sorted(move.roles)[0]
    actor = user(ROLE_USERS[role])
    action = "rate" if move.action in ("reopen", "escalate") else move.action
    params = _params(move, order)
    if move.action in ("reopen", "escalate"):
        params = {"satisfaction": 1}
    before_tl = TimelineEntry.objects.filter(order=order).count()
    before_audit = AuditLog.objects.filter(object_type="services.servicerequest", object_id=str(order.pk)).count()
    moved = services.transition(order, action, actor=actor, note="测试说明", **params)
    assert moved.state == move.target
    last = TimelineEntry.objects.filter(order=order).order_by("-id").first()
    assert TimelineEntry.objects.filter(order=order).count() == before_tl + 1
    assert (last.action, last.from_state, last.to_state, last.actor_id) == (move.action, move.source, move.target,
                                                                          actor.pk)
    assert AuditLog.objects.filter(object_type="services.servicerequest",
                                   object_id=str(order.pk)).count() == before_audit + 1


@pytest.mark.parametrize("state", STATES)
def test_every_move_not_in_the_table_is_refused_in_chinese_and_writes_nothing(state):
    order = drive(state)
    admin = user("admin")
    before = TimelineEntry.objects.filter(order=order).count()
    illegal = [a for a in ACTION_LABELS if a != "submit" and find_move(state, a) is None]
    assert illegal
    audits = AuditLog.objects.filter(object_type="services.servicerequest", object_id=str(order.pk)).count()
    for action in illegal:
        with pytest.raises(TransitionError) as exc:
            services.transition(order, action, actor=admin, note="x", lead=dept(ZJ_LAND), days=1, satisfaction=3)
        assert "不能" in exc.value.message and exc.value.status == 409
    order.refresh_from_db()
    assert order.state == state
    assert TimelineEntry.objects.filter(order=order).count() == before
    assert AuditLog.objects.filter(object_type="services.servicerequest", object_id=str(order.pk)).count() == audits


@pytest.mark.parametrize("move", TRANSITIONS, ids=_moves_id)
def test_each_move_by_a_wrong_role_is_refused(move):
    order = _source_order(move)
    wrong = {"firm": "zj_chain", "committee": "zj_firm", "zone": "zj_chain", "lead": "zj_firm",
             "assist": "zj_chain"}[sorted(move.roles)[0]]
    action = "rate" if move.action in ("reopen", "escalate") else move.action
    params = _params(move, order)
    if move.action in ("reopen", "escalate"):
        params = {"satisfaction": 1}
    before = (TimelineEntry.objects.filter(order=order).count(),
              AuditLog.objects.filter(object_type="services.servicerequest", object_id=str(order.pk)).count())
    with pytest.raises(TransitionError) as exc:
        services.transition(order, action, actor=user(wrong), note="测试", **params)
    assert "无权" in exc.value.message and exc.value.status == 403
    order.refresh_from_db()
    assert order.state == move.source
    assert before == (TimelineEntry.objects.filter(order=order).count(),
                      AuditLog.objects.filter(object_type="services.servicerequest", object_id=str(order.pk)).count())


@pytest.mark.parametrize("move", TRANSITIONS, ids=_moves_id)
def test_each_role_the_move_does_not_list_is_refused_403_or_404_when_it_cannot_see_the_order(move):
    """Every declared role not listed for the move, played by its persona: 403 when the persona sees the
    order (the firm, the committees, the departments it was sent to), 404 otherwise; nothing written."""
    order = _source_order(move)
    for role in sorted(set(ROLE_USERS) - set(move.roles)):
        actor = user(ROLE_USERS[role])
        if role == "zone" and "committee" in move.roles:
            continue  # the zone committee is a committee too: it holds the listed role
        sees = ServiceRequest.objects.visible_to(actor).filter(pk=order.pk).exists()
        with pytest.raises((TransitionError, OutOfScope)) as exc:
            services.transition(order, _action(move), actor=actor, note="测试", **_move_params(move, order))
        assert exc.value.status == (403 if sees else 404), (role, exc.value.message)
        order.refresh_from_db()
        assert order.state == move.source


def _action(move):
    return "rate" if move.action in ("reopen", "escalate") else move.action


def _move_params(move, order):
    return {"satisfaction": 1} if move.action in ("reopen", "escalate") else _params(move, order)


def test_a_firm_of_another_zone_or_nobody_cannot_move_an_order(personas):
    order = drive(S.SUBMITTED)
    for who in ("by_zone", "nobody", "uni", "firm_b"):
        with pytest.raises((TransitionError, OutOfScope)):  # 403 for whom sees it, 404 for the others
            services.transition(order, "withdraw", actor=personas[who])


def test_a_merged_order_refuses_every_further_move():
    order = drive(S.MERGED)
    assert order.merged_into_id
    for action in ACTION_LABELS:
        if action == "submit":
            continue
        with pytest.raises(TransitionError) as exc:
            services.transition(order, action, actor=user("admin"), note="x", lead=dept(ZJ_LAND))
        assert "已并入工单" in exc.value.message


def test_a_decline_without_a_reason_is_refused_and_nothing_is_written():
    order = drive(S.SUBMITTED)
    with pytest.raises(TransitionError) as exc:
        services.transition(order, "decline", actor=user("zj_chain"), note="  ")
    assert "不予受理理由" in exc.value.message
    order.refresh_from_db()
    assert order.state == S.SUBMITTED and order.timeline.count() == 1


def test_a_stale_page_is_told_someone_else_acted():
    order = drive(S.DISPATCHED)
    stale = ServiceRequest.objects.get(pk=order.pk)
    services.transition(order, "accept", actor=user("zj_dept"))
    with pytest.raises(TransitionError) as exc:
        services.transition(stale, "return", actor=user("zj_dept"), note="晚了一步")
    assert "已被他人处理" in exc.value.message


def test_the_lead_cannot_resolve_before_every_assist_has_reported():
    order = drive(S.ACCEPTED)
    with pytest.raises(TransitionError) as exc:
        services.transition(order, "resolve", actor=user("zj_dept"), note="办结")
    assert ZJ_ASSIST in exc.value.message
    order = services.transition(order, "report", actor=user("zj_jfj"), note="已反馈")
    order = services.transition(order, "resolve", actor=user("zj_dept"), note="办结")
    assert order.state == S.RESOLVED


def test_an_assist_cannot_report_twice():
    order = drive(S.ACCEPTED)
    order = services.transition(order, "report", actor=user("zj_jfj"), note="已反馈")
    with pytest.raises(TransitionError):
        services.transition(order, "report", actor=user("zj_jfj"), note="再反馈")


def test_a_first_unsatisfied_rating_reopens_and_a_second_escalates_to_the_zone_committee():
    order = drive(S.RESOLVED)
    order = services.transition(order, "rate", actor=user("zj_firm"), satisfaction=1, note="不满意")
    assert order.state == S.ACCEPTED and order.reopen_count == 1
    assert Assignment.objects.get(order=order, active=True, role="lead").state == "accepted"
    order = services.transition(order, "report", actor=user("zj_jfj"), note="再次配合")
    order = services.transition(order, "resolve", actor=user("zj_dept"), note="再次办结")
    order = services.transition(order, "rate", actor=user("zj_firm"), satisfaction=1, note="还是不满意")
    assert order.state == S.ESCALATED
    with pytest.raises(TransitionError):
        services.transition(order, "close", actor=user("zj_chain"), note="链党委不能结案")
    order = services.transition(order, "close", actor=user("zj_zone"), note="党工委结案")
    assert order.state == S.CLOSED


def test_return_and_redispatch_keeps_the_old_assignment_as_history():
    order = drive(S.RETURNED)
    assert not Assignment.objects.filter(order=order, active=True).exists()
    order = services.transition(order, "redispatch", actor=user("zj_chain"), lead=dept(ZJ_ASSIST))
    rows = list(Assignment.objects.filter(order=order).order_by("id").values_list("department__name", "active",
                                                                               "state"))
    assert rows[0][1:] == (False, "returned")
    assert rows[-1] == (ZJ_ASSIST, True, "pending")
    assert order.round == 2


def test_dispatch_to_a_department_of_another_zone_is_refused():
    from liantong.orgs.models import Department

    order = drive(S.SUBMITTED)
    other = Department.objects.exclude(zone_id=order.zone_id).first()
    with pytest.raises(TransitionError) as exc:
        services.transition(order, "dispatch", actor=user("zj_chain"), lead=other)
    assert "不是本园区的部门" in exc.value.message
    order.refresh_from_db()
    assert order.state == S.SUBMITTED and not order.assignments.exists()


def test_an_extension_granted_moves_the_resolve_deadline_by_working_days():
    from liantong.core import calendar

    order = drive(S.EXTENSION_REQUESTED)
    old_due = order.resolve_due_at
    order = services.transition(order, "grant_extension", actor=user("zj_chain"))
    assert order.extension_days == 3
    assert calendar.workdays_between(old_due.astimezone(calendar.SHANGHAI).date(),
                                     order.resolve_due_at.astimezone(calendar.SHANGHAI).date()) == 3
    assert order.due_at == order.resolve_due_at


def test_the_order_api_lists_the_callers_moves_and_answers_each_refusal_with_its_status(client_for):
    order = drive(S.SUBMITTED)
    url = f"/api/v1/orders/{order.pk}/transitions"
    chain, firm = client_for(user("zj_chain")), client_for(user("zj_firm"))
    assert [m["action"] for m in chain.get(url).json()] == ["dispatch", "decline", "merge"]
    assert [m["action"] for m in firm.get(url).json()] == ["withdraw"]
    assert client_for(user("by_zone")).get(url).status_code == 404

    def post(client, body):
        return client.post(url, body, content_type="application/json")

    assert post(firm, {"action": "dispatch", "lead": dept(ZJ_LAND).pk}).status_code == 403
    assert post(client_for(user("by_zone")), {"action": "withdraw"}).status_code == 404
    r = post(chain, {"action": "decline"})
    assert r.status_code == 400 and r.json()["field"] == "note"
    r = post(chain, {"action": "dispatch", "lead": dept(ZJ_LAND).pk, "expected_state": "dispatched"})
    assert r.status_code == 409 and "已被他人处理" in r.json()["detail"]
    r = post(chain, {"action": "dispatch", "lead": dept(ZJ_LAND).pk, "expected_state": "submitted"})
    assert r.status_code == 200 and r.json()["state"] == "dispatched"
    assert [t["action"] for t in r.json()["timeline"]][-1] == "dispatch"
    assert post(chain, {"action": "dispatch", "lead": dept(ZJ_LAND).pk}).status_code == 409
