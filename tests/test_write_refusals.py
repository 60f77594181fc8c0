"""A write outside the writer's reach is refused with the project's one vocabulary — never a 400 (issue 7):
``core.services.require_writable`` / ``require_perm``: **404** (``OutOfScope``) for a row outside the user's
write scope, whether or not they can read it; **403** (``Forbidden``) for a role that may not make the call.

Generated over the issue's personas (a firm, another firm, a department, the chain committee, the zone
committee, another zone's committee) and over each scoped model of the matching and resources strands that
the guarantees registry says has writers: every persona who is not a declared writer tries each write of
the sample row — through the service, the API and the page — and is refused; the row, its children and
the audit log are unchanged afterwards. A persona who holds the write permission is refused with 404 (the
row is out of their write scope), one who does not with 403 (or 404 where the page answers so). The same
probes succeed for a declared writer, so a refusal is never the probe's own fault.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from liantong.core import guarantees
from liantong.core.models import AuditAction, AuditLog
from liantong.core.services import Forbidden, OutOfScope
from liantong.matching import services as matching
from liantong.resources import services as resources

from .registry_rows import sample

PERSONAS = ["firm_a", "firm_b", "dept_staff", "chain_staff", "zone_staff", "by_zone"]
TODAY = datetime.date.today()
WRITES = [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.TRANSITION]


@dataclass
class Probes:
    perm: str | tuple[str, ...]  # the permission a writer needs (any of a tuple)
    service: list = field(default_factory=list)  # fn(row, user): calls the service
    api: list = field(default_factory=list)  # fn(row) -> (method, path, json body)
    page: list = field(default_factory=list)  # fn(row) -> (url, form data) for a POST
    children: tuple[str, ...] = ()  # related managers whose rows must not change


def _dept(row):
    from liantong.orgs.models import Department

    return Department.objects.filter(zone_id=row.zone_id).order_by("pk").first()


PROBES = {
    "matching.Listing": Probes(
        "matching.post",
        service=[
            lambda r, u: matching.save_listing(actor=u, enterprise=r.enterprise, chain=r.chain, kind=r.kind,
                                               title=r.title + "（改）", listing=r),
            lambda r, u: matching.close_listing(r, actor=u),
            lambda r, u: matching.renew_listing(r, actor=u),
            lambda r, u: matching.delete_listing(r, actor=u)],
        api=[lambda r: ("put", f"/api/v1/listings/{r.pk}", {"kind": r.kind, "title": r.title + "（改）",
                                                           "chain": r.chain_id}),
             lambda r: ("post", f"/api/v1/listings/{r.pk}/close", {}),
             lambda r: ("post", f"/api/v1/listings/{r.pk}/renew", {}),
             lambda r: ("delete", f"/api/v1/listings/{r.pk}", None)],
        page=[lambda r: (reverse("matching:listing_edit", args=[r.pk]), {"title": r.title + "（改）"}),
              lambda r: (reverse("matching:listing_close", args=[r.pk]), {}),
              lambda r: (reverse("matching:listing_renew", args=[r.pk]), {})]),
    "matching.MatchmakingMeeting": Probes(
        "matching.manage",
        service=[lambda r, u: matching.save_meeting(actor=u, zone=r.zone, title=r.title, held_on=r.held_on,
                                                    chain=r.chain, meeting=r, venue="（改）")],
        api=[lambda r: ("put", f"/api/v1/matchmaking-meetings/{r.pk}",
                        {"title": r.title, "held_on": str(r.held_on), "zone": r.zone_id, "chain": r.chain_id,
                         "venue": "（改）"})],
        page=[lambda r: (reverse("matching:meeting_edit", args=[r.pk]), {"venue": "（改）"})]),
    "matching.Deal": Probes(
        ("matching.post", "matching.manage"),
        service=[lambda r, u: matching.update_deal(r, actor=u, note="（改）")],
        api=[lambda r: ("patch", f"/api/v1/deals/{r.pk}", {"note": "（改）"})],
        page=[lambda r: (reverse("matching:deal_edit", args=[r.pk]), {"note": "（改）"})]),
    "matching.EnterpriseRevenue": Probes(
        "matching.manage",
        service=[lambda r, u: matching.save_revenue(actor=u, enterprise=r.enterprise, year=r.year,
                                                    revenue=r.revenue + 1, record=r)],
        api=[lambda r: ("put", f"/api/v1/revenues/{r.pk}", {"revenue": str(r.revenue + 1)})],
        page=[lambda r: (reverse("matching:revenue_edit", args=[r.pk]), {"revenue": str(r.revenue + 1)})]),
    "resources.DepartmentResource": Probes(
        "resources.publish",
        service=[lambda r, u: resources.save_department_resource(actor=u, department=r.department, title=r.title,
                                                                 kind=r.kind, resource=r, description="（改）")],
        api=[lambda r: ("put", f"/api/v1/department-resources/{r.pk}",
                        {"kind": r.kind, "title": r.title, "description": "（改）"})],
        page=[lambda r: (reverse("resources:deptresource_edit", args=[r.pk]), {"description": "（改）"})]),
    "resources.ActionProject": Probes(
        "resources.project",
        service=[lambda r, u: resources.save_action_project(
                     actor=u, zone=r.zone, title=r.title, owner_name=r.owner_name, project=r, enterprise=r.enterprise,
                     department=r.department, party_org=r.party_org, chain=r.chain, description="（改）"),
                 lambda r, u: resources.save_milestone(actor=u, project=r, title="新增节点（探测）", due_on=TODAY)],
        api=[lambda r: ("put", f"/api/v1/action-projects/{r.pk}",
                        {"title": r.title, "owner_name": r.owner_name, "status": r.status, "description": "（改）"}),
             lambda r: ("post", f"/api/v1/action-projects/{r.pk}/milestones",
                        {"title": "新增节点（探测）", "due_on": str(TODAY)})],
        page=[lambda r: (reverse("resources:project_edit", args=[r.pk]), {"description": "（改）"}),
              lambda r: (reverse("resources:milestone_save", args=[r.pk]),
                         {"title": "新增节点（探测）", "due_on": str(TODAY)})],
        children=("milestones",)),
    "resources.SharedResource": Probes(
        "resources.share",
        service=[lambda r, u: resources.save_shared_resource(actor=u, owner=r.owner, name=r.name, category=r.category,
                                                             chain=r.chain, resource=r, description="（改）")],
        api=[lambda r: ("put", f"/api/v1/shared-resources/{r.pk}",
                        {"category": r.category, "name": r.name, "description": "（改）"})],
        page=[lambda r: (reverse("resources:shared_edit", args=[r.pk]), {"description": "（改）"})]),
    "resources.ServiceSquad": Probes(
        "resources.squad",
        service=[lambda r, u: resources.save_squad(actor=u, zone=r.zone, name=r.name, leader_name=r.leader_name,
                                                   chain=r.chain, squad=r, description="（改）")],
        api=[lambda r: ("put", f"/api/v1/service-squads/{r.pk}",
                        {"name": r.name, "leader_name": r.leader_name, "description": "（改）"})],
        page=[lambda r: (reverse("resources:squad_edit", args=[r.pk]), {"description": "（改）"})]),
    "resources.ServiceVisit": Probes(
        "resources.squad",
        service=[lambda r, u: resources.record_visit(actor=u, squad=r.squad, enterprise=r.enterprise, kind=r.kind,
                                                     visited_on=r.visited_on, hours=r.hours,
                                                     participants=r.participants, visit=r, result="（改）")],
        api=[lambda r: ("put", f"/api/v1/service-visits/{r.pk}",
                        {"kind": r.kind, "visited_on": str(r.visited_on), "hours": str(r.hours),
                         "participants": r.participants, "result": "（改）"})],
        page=[lambda r: (reverse("resources:visit_edit", args=[r.pk]), {"result": "（改）"})]),
    "resources.JointMeeting": Probes(
        "resources.meeting",
        service=[lambda r, u: resources.save_meeting(actor=u, chain=r.chain, title=r.title, held_on=r.held_on,
                                                     meeting=r, minutes="（改）"),
                 lambda r, u: resources.add_resolution(actor=u, meeting=r, content="新增事项（探测）", workdays=5,
                                                       owner_department=_dept(r))],
        api=[lambda r: ("put", f"/api/v1/joint-meetings/{r.pk}",
                        {"chain": r.chain_id, "title": r.title, "held_on": str(r.held_on), "minutes": "（改）",
                         "attending_orgs": list(r.attending_orgs.values_list("pk", flat=True))}),
             lambda r: ("post", f"/api/v1/joint-meetings/{r.pk}/resolutions",
                        {"content": "新增事项（探测）", "owner_department": _dept(r).pk, "workdays": 5})],
        page=[lambda r: (reverse("resources:meeting_edit", args=[r.pk]), {"minutes": "（改）"}),
              lambda r: (reverse("resources:resolution_add", args=[r.pk]),
                         {"content": "新增事项（探测）", "owner_department": _dept(r).pk, "workdays": 5})],
        children=("resolutions",)),
}


def test_every_written_model_of_the_two_strands_is_probed():
    written = {e.model for e in guarantees.entries()
               if e.app_label in ("matching", "resources") and e.writers}
    assert written == set(PROBES), sorted(written ^ set(PROBES))


CASES = [(model, persona) for model in sorted(PROBES) for persona in PERSONAS
         if persona not in guarantees.entry_for(model).writers]


def _holds(user, perm) -> bool:
    return any(user.has_perm_code(p) for p in ((perm,) if isinstance(perm, str) else perm))


def _state(row, probes):
    model = type(row)
    fresh = model._base_manager.filter(pk=row.pk).first()
    children = {name: sorted(getattr(fresh, name).values_list("pk", flat=True)) for name in probes.children} \
        if fresh else {}
    writes = AuditLog.objects.filter(action__in=WRITES).count()  # (a client's login is audited too)
    return (model_to_dict(fresh) if fresh else None, children, writes)


def _call(client, method, path, body):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize(("model", "persona"), CASES, ids=[f"{m}-{p}" for m, p in CASES])
def test_a_write_out_of_reach_is_refused_404_or_403_and_changes_nothing(personas, client_for, model, persona):
    entry, probes = guarantees.entry_for(model), PROBES[model]
    user = personas[persona]
    row = sample(entry, personas)
    before = _state(row, probes)
    holds = _holds(user, probes.perm)
    expected = (OutOfScope,) if holds else (Forbidden, OutOfScope)

    for probe in probes.service:
        row = type(row).objects.get(pk=row.pk)
        with pytest.raises(expected):
            probe(row, user)
        assert _state(row, probes) == before, (model, persona, "service")

    client = client_for(user)
    for probe in probes.api:
        method, path, body = probe(row)
        resp = _call(client, method, path, body)
        assert resp.status_code in ((404,) if holds else (403, 404)), (method, path, resp.status_code, resp.content)
        assert _state(row, probes) == before, (model, persona, method, path)

    for probe in probes.page:
        url, data = probe(row)
        resp = client.post(url, data)
        assert resp.status_code in ((404,) if holds else (403, 404)), (url, resp.status_code)
        assert _state(row, probes) == before, (model, persona, url)


def _writer(entry) -> str:
    return next(p for p in ("zone_staff", "by_zone", "chain_staff", "dept_staff", "firm_a", "firm_b")
                if p in entry.writers)


@pytest.mark.parametrize("model", sorted(PROBES))
def test_the_same_writes_succeed_for_a_declared_writer(personas, client_for, model):
    """So a refusal above is the rule's, not a malformed probe's: the service and the API edit succeed."""
    entry, probes = guarantees.entry_for(model), PROBES[model]
    user = personas[_writer(entry)]
    row = sample(entry, personas)
    probes.service[0](type(row).objects.get(pk=row.pk), user)
    client = client_for(user)
    for probe in probes.api:
        method, path, body = probe(row)
        if method == "delete":
            continue
        resp = _call(client, method, path, body)
        assert resp.status_code in (200, 201), (method, path, resp.status_code, resp.content.decode()[:300])


def test_a_row_out_of_scope_is_a_404_even_for_a_committee_that_holds_the_role(personas):
    """白银's zone committee holds every resources and matching permission of its zone: editing 镇江's rows is
    OutOfScope (was a 400 “无权…”), and its message reveals nothing about the row."""
    for model in ("resources.DepartmentResource", "matching.Deal", "matching.EnterpriseRevenue"):
        entry = guarantees.entry_for(model)
        row = sample(entry, personas)
        with pytest.raises(OutOfScope) as refused:
            PROBES[model].service[0](row, personas["by_zone"])
        assert refused.value.status == 404 and "未找到" in refused.value.message
