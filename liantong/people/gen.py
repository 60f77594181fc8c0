"""``liantong gen``: the people strand at scale for each generated zone (``合成园区NN``).

The bulk path (DESIGN-NOTES 8): ``bulk_create`` per zone in one transaction, keeping the invariants the
services keep — every row carries its parents' zone; a need's firm is on its chain; a trainee's mentors are of
the right kind; an attendance is a member of the activity's organising org, once per activity; every activity
has its lead org among its organisers and its own check-in token; the dictionary codes are valid. Zones that
already have activities are skipped, so running it twice adds nothing. One audit row per zone records the counts.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.db import transaction

from liantong.core import audit
from liantong.core.gen import Scale
from liantong.core.models import Zone
from liantong.orgs.models import Chain, ChainMembership, Institution, Member, OrgKind, PartyOrg

from .models import (
    Activity,
    ActivityKind,
    Attendance,
    CommitteePost,
    Manager,
    Mentor,
    Placement,
    TalentNeed,
    Trainee,
    TrainingProgram,
)

ZONE_PREFIX = "合成园区"
MAJORS = ["机械设计制造及其自动化", "材料科学与工程", "电气工程及其自动化", "化学工程与工艺", "计算机科学与技术"]
KINDS = [ActivityKind.THEMED_DAY, ActivityKind.SEMINAR, ActivityKind.MEMBER_MEETING, ActivityKind.PARTY_LECTURE]
ATTENDEES = 20
MANAGED_FIRMS = 50


def _zone(zone: Zone, rng: random.Random) -> dict:
    counts = dict.fromkeys(["talent_needs", "training_programs", "mentors", "trainees", "placements", "activities",
                            "attendances", "managers", "committee_posts"], 0)
    chains = list(Chain.objects.filter(zone=zone).order_by("id"))
    firms_by_chain: dict[int, list[int]] = {}
    for chain_id, ent_id in ChainMembership.objects.filter(zone=zone).order_by("id").values_list("chain_id",
                                                                                                "enterprise_id"):
        firms_by_chain.setdefault(chain_id, []).append(ent_id)
    uni = Institution.objects.filter(zone=zone).order_by("id").first()
    needs, programs = [], []
    for c in chains:
        firms = firms_by_chain.get(c.pk) or []
        if not firms:
            continue
        for k in range(3):
            needs.append(TalentNeed(zone=zone, chain=c, enterprise_id=firms[k % len(firms)], post=f"工程师{k + 1}",
                                    major=MAJORS[(c.pk + k) % len(MAJORS)], degree="bachelor", headcount=1 + k,
                                    salary_min=6000, salary_max=12000, urgency="short",
                                    valid_until=datetime.date(2026, 12, 31), is_demo=True))
        programs.append(TrainingProgram(zone=zone, name=f"{c.name}车间课堂", chain=c, host_id=firms[0],
                                        institution=uni, starts_on=datetime.date(2025, 3, 1),
                                        ends_on=datetime.date(2025, 12, 31), is_demo=True))
    TalentNeed.objects.bulk_create(needs)
    TrainingProgram.objects.bulk_create(programs)
    counts.update(talent_needs=len(needs), training_programs=len(programs))
    trainees, placements = [], []
    for p in TrainingProgram.objects.filter(zone=zone).order_by("id"):
        mentor = Mentor.objects.create(zone=zone, name=f"{p.name}企业导师", kind="enterprise", enterprise_id=p.host_id,
                                       is_demo=True)
        prof = (Mentor.objects.create(zone=zone, name=f"{p.name}院校教授", kind="professor", institution=uni,
                                      is_demo=True) if uni else None)
        counts["mentors"] += 1 + (prof is not None)
        for t in range(4):
            trainees.append(Trainee(zone=zone, program=p, name=f"学员{p.pk}-{t + 1}", major=MAJORS[t % len(MAJORS)],
                                    degree="bachelor", graduates_on=datetime.date(2025, 6, 30),
                                    enterprise_mentor=mentor, professor=prof, is_demo=True))
    Trainee.objects.bulk_create(trainees)
    for t in Trainee.objects.filter(zone=zone).select_related("program").order_by("id")[::2]:
        placements.append(Placement(zone=zone, trainee=t, enterprise_id=t.program.host_id, post="技术员",
                                    placed_on=datetime.date(2025, 7, 1), is_demo=True))
    Placement.objects.bulk_create(placements)
    counts.update(trainees=len(trainees), placements=len(placements))

    orgs = list(PartyOrg.objects.filter(zone=zone, kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH,
                                                             OrgKind.COMMITTEE]).order_by("id"))
    activities = []
    for i, org in enumerate(orgs):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        activities.append(Activity(zone=zone, title=f"{org.name}{KINDS[i % len(KINDS)].label}", kind=KINDS[i % len(KINDS)],
                                   lead_org=org, chain_id=org.chain_id, held_on=day, guests=rng.randrange(0, 5),
                                   checkin_token=secrets.token_urlsafe(16), is_demo=True))
    Activity.objects.bulk_create(activities)
    made = list(Activity.objects.filter(zone=zone).order_by("id").values_list("pk", "lead_org_id", "held_on"))
    Activity.organisers.through.objects.bulk_create(
        [Activity.organisers.through(activity_id=pk, partyorg_id=org_id) for pk, org_id, _ in made])
    members: dict[int, list[int]] = {}
    for pk, org_id in Member.objects.filter(zone=zone).order_by("id").values_list("pk", "party_org_id"):
        members.setdefault(org_id, []).append(pk)
    rows = []
    for pk, org_id, day in made:
        at = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        rows += [Attendance(zone=zone, activity_id=pk, member_id=m, signed_up_at=at, checked_in_at=at)
                 for m in (members.get(org_id) or [])[:ATTENDEES]]
    Attendance.objects.bulk_create(rows, batch_size=2000)
    counts.update(activities=len(made), attendances=len(rows))

    managers, posts = [], []
    firm_orgs = {o.enterprise_id: o for o in orgs if o.enterprise_id}
    for ent_id in list(firm_orgs)[:MANAGED_FIRMS]:
        for k in range(5):
            managers.append(Manager(zone=zone, enterprise_id=ent_id, name=f"经理{ent_id}-{k + 1}",
                                    level="senior" if k == 0 else "middle", title=f"部门经理{k + 1}", is_demo=True))
    Manager.objects.bulk_create(managers)
    for m in Manager.objects.filter(zone=zone).order_by("id"):
        if int(m.name.rsplit("-", 1)[1]) <= 3:
            org = firm_orgs[m.enterprise_id]
            posts.append(CommitteePost(zone=zone, party_org=org, post="member", person_name=m.name, manager=m,
                                       term_start=datetime.date(2025, 1, 1), term_end=datetime.date(2027, 12, 31),
                                       is_demo=True))
    CommitteePost.objects.bulk_create(posts)
    counts.update(managers=len(managers), committee_posts=len(posts))
    return counts


def generate(scale: Scale, log) -> dict:
    rng = random.Random(5050)
    total: dict = {}
    for zone in Zone.objects.filter(name__startswith=ZONE_PREFIX).order_by("id"):
        if Activity.objects.filter(zone=zone).exists():
            continue
        with transaction.atomic():
            counts = _zone(zone, rng)
            audit.record(None, audit.AuditAction.IMPORT, None, object_type="people.gen", zone=zone.pk,
                         object_repr=f"生成人才与组织生活数据：{zone.name}", changes=counts)
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        log(f"  {zone.name}: {counts}")
    return total
