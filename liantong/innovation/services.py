"""Every write of the innovation strand. Views, the API, the demo and ``gen`` call these; each takes a
keyword-only ``actor``, authorises (``require_perm`` 403, ``require_writable`` 404 / 400 on a chosen unit),
runs in one transaction, writes its audit row and refuses bad input with a Chinese ``ServiceError``.
States move only through ``workflow.py``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from liantong.core import deadlines, dicts, guarantees
from liantong.core import services as core
from liantong.core import stats as core_stats
from liantong.core.files import attach
from liantong.core.services import ServiceError, is_system, require_perm, require_writable
from liantong.orgs.models import Chain, ChainMembership, Enterprise, Institution

from . import assess, rules
from .models import (
    SOLVED,
    Achievement,
    AchievementStage,
    Assessment,
    Bid,
    BidMember,
    Challenge,
    ChallengeMilestone,
    ChallengeState,
    Coaching,
    IncubatedFirm,
    MilestoneCard,
    MilestoneState,
    Policy,
    Qualification,
    QualificationKind,
    TransferContract,
)


def _apply(model, obj, *, actor, **fields):
    if obj is None:
        return core.create(model, actor=actor, **fields)
    if all(getattr(obj, k) == v for k, v in fields.items()):
        return obj
    return core.update(obj, actor=actor, **fields)


def _text(value, label: str, field: str, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(f"请填写{label}", field=field)
    return value


def _money(value, label: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        raise ServiceError(f"{label}应为数字", field=field) from None
    if not d.is_finite() or d < 0 or d >= Decimal("1e12"):
        raise ServiceError(f"{label}应为不小于 0 的数字", field=field)
    return d


def _dict(code: str, value: str, label: str, field: str) -> None:
    if value not in {v for v, _ in dicts.choices(code, include_inactive=True)}:
        raise ServiceError(f"{label}“{value}”不在字典中，请从列表中选择", field=field)


def _same_zone(zone_id, *objs, field: str, message: str = "所选单位不在本园区") -> None:
    for o in objs:
        if o is not None and o.zone_id != zone_id:
            raise ServiceError(message, field=field)


def _existing(model, current, *, create_only: bool, field: str, message: str, **key):
    with guarantees.unscoped("uniqueness of a natural key"):
        found = model.objects.filter(**key).first()
    if found is not None and (current is None or found.pk != current.pk):
        if create_only or current is not None:
            raise core.Conflict(message, field=field)
        return found
    return current


# --- 攻坚榜 ---------------------------------------------------------------------------------------------


@transaction.atomic
def save_challenge(*, actor, zone, title: str, field: str, problem: str, challenge: Challenge | None = None,
                   chain: Chain | None = None, publisher_enterprise: Enterprise | None = None,
                   publisher_institution: Institution | None = None, indicators: str = "", reward=None,
                   deadline: datetime.date | None = None, create_only: bool = False, is_demo: bool = False,
                   attachments=None, **_) -> Challenge:
    """Create or edit a challenge (natural key zone + title). Its publisher is a firm, an institution, or —
    neither — the committee of its chain (or of the zone)."""
    require_perm(actor, "innovation.publish", "您无权发布攻坚榜单")
    if challenge is not None:
        require_writable(actor, challenge)
        zone = challenge.zone
    title = _text(title, "榜单名称", "title")
    problem = _text(problem, "技术难题", "problem")
    _dict("challenge_field", field, "技术领域", "field")
    if publisher_enterprise is not None and publisher_institution is not None:
        raise ServiceError("出题单位只能是一家企业或一所高校/院所", field="publisher_enterprise")
    _same_zone(zone.pk, publisher_enterprise, field="publisher_enterprise")
    _same_zone(zone.pk, publisher_institution, field="publisher_institution")
    _same_zone(zone.pk, chain, field="chain")
    moved = challenge is None or (challenge.publisher_enterprise_id, challenge.publisher_institution_id,
                                  challenge.chain_id) != (getattr(publisher_enterprise, "pk", None),
                                                          getattr(publisher_institution, "pk", None),
                                                          getattr(chain, "pk", None))
    if moved:  # a new row, or a new parent: the actor must write the unit it is set for
        if publisher_enterprise is not None:
            require_writable(actor, publisher_enterprise, field="publisher_enterprise")
        elif publisher_institution is not None:
            require_writable(actor, publisher_institution, field="publisher_institution")
        elif chain is not None:
            require_writable(actor, chain, field="chain")
        else:
            require_writable(actor, zone, "只有园区党工委可以以园区名义发榜", field="chain")
    reward = _money(reward, "榜单金额", "reward")
    existing = _existing(Challenge, challenge, create_only=create_only, field="title",
                         message=f"已有名为“{title}”的攻坚榜单", zone=zone, title=title)
    fields = dict(zone=zone, title=title, field=field, problem=problem, indicators=(indicators or "").strip(),
                  reward=reward, deadline=deadline, chain=chain, publisher_enterprise=publisher_enterprise,
                  publisher_institution=publisher_institution)
    if existing is None:
        fields.update(is_demo=is_demo, created_by=actor if getattr(actor, "pk", None) else None)
    obj = _apply(Challenge, existing, actor=actor, **fields)
    if attachments:
        attach(obj, attachments, actor=actor)
    return obj


def parse_plan(text: str) -> list[tuple[str, datetime.date]]:
    """``planned_milestones``: one ``名称,YYYY-MM-DD`` a line; a malformed line is refused in Chinese."""
    out, seen = [], set()
    for i, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        title, sep, day = line.replace("，", ",").rpartition(",")
        try:
            when = datetime.date.fromisoformat(day.strip())
        except ValueError:
            when = None
        if not sep or not title.strip() or when is None:
            raise ServiceError(f"计划节点第{i}行应为“节点名称,YYYY-MM-DD”", field="planned_milestones")
        if title.strip() in seen:
            raise ServiceError(f"计划节点第{i}行与前面的节点重名", field="planned_milestones")
        seen.add(title.strip())
        out.append((title.strip(), when))
    return out


@transaction.atomic
def submit_bid(*, actor, challenge: Challenge, team_name: str, leader_name: str, plan: str,
               lead_enterprise: Enterprise | None = None, lead_institution: Institution | None = None,
               budget=None, partners: str = "", planned_milestones: str = "", members: list[dict] = (),
               is_demo: bool = False, today: datetime.date | None = None) -> Bid:
    """A team applies for a published challenge (揭榜) in the name of a unit the actor may write."""
    require_perm(actor, "innovation.bid", "您无权揭榜")
    if challenge.state != ChallengeState.PUBLISHED:
        raise core.Conflict(f"榜单当前状态为“{challenge.get_state_display()}”，不接受揭榜申请")
    today = today or timezone.localdate()
    if challenge.deadline and today > challenge.deadline and not is_system(actor):
        raise core.Conflict(f"揭榜已于 {challenge.deadline:%Y-%m-%d} 截止")
    if (lead_enterprise is None) == (lead_institution is None):
        raise ServiceError("牵头单位须在企业、高校/院所中选择且只选择一个", field="lead_enterprise")
    lead = lead_enterprise or lead_institution
    field = "lead_enterprise" if lead_enterprise else "lead_institution"
    _same_zone(challenge.zone_id, lead, field=field, message="牵头单位须与榜单同属一个园区")
    require_writable(actor, lead, "只能以本单位名义揭榜", field=field)
    if lead_enterprise is not None and lead_enterprise.pk == challenge.publisher_enterprise_id or (
            lead_institution is not None and lead_institution.pk == challenge.publisher_institution_id):
        raise ServiceError("出题单位不能揭自己的榜", field=field)
    team_name = _text(team_name, "团队名称", "team_name")
    parse_plan(planned_milestones)
    rows = []
    for i, m in enumerate(members or [], 1):
        name = (m.get("name") or "").strip()
        if not name:
            raise ServiceError(f"第{i}名成员：请填写姓名", field="members")
        rows.append(dict(name=name[:50], unit=(m.get("unit") or lead.name).strip()[:100],
                         duty=(m.get("duty") or "").strip()[:100], party_member=bool(m.get("party_member")),
                         leads=bool(m.get("leads"))))
    with guarantees.unscoped("one bid per team name on a challenge"):
        if Bid.objects.filter(challenge=challenge, team_name=team_name).exists():
            raise core.Conflict(f"已有名为“{team_name}”的团队揭此榜", field="team_name")
    bid = core.create(Bid, actor=actor, zone_id=challenge.zone_id, challenge=challenge,
                      lead_enterprise=lead_enterprise, lead_institution=lead_institution, team_name=team_name,
                      leader_name=_text(leader_name, "负责人", "leader_name"), plan=_text(plan, "攻关方案", "plan"),
                      budget=_money(budget, "预算", "budget"), partners=(partners or "").strip()[:300],
                      planned_milestones=(planned_milestones or "").strip(), is_demo=is_demo,
                      created_by=actor if getattr(actor, "pk", None) else None)
    for row in rows:
        core.create(BidMember, actor=actor, zone_id=challenge.zone_id, bid=bid, **row)
    return bid


@transaction.atomic
def add_milestone(*, actor, consortium, title: str, due_on: datetime.date,
                  now: datetime.datetime | None = None, is_demo: bool = False) -> ChallengeMilestone:
    """A milestone added to a running consortium by its publisher, the committee or the team."""
    from .workflow import CHALLENGE, COMMITTEE, PUBLISHER, TEAM

    if not (CHALLENGE.roles_of(consortium.challenge, actor) & {PUBLISHER, COMMITTEE, TEAM}):
        raise core.Forbidden("只有出题单位、揭榜团队或园区、产业链党委可以添加攻关节点")
    title = _text(title, "节点名称", "title")
    now = now or timezone.now()
    due = datetime.datetime.combine(due_on, datetime.time(18, 0), tzinfo=timezone.get_current_timezone())
    if due <= now:
        raise ServiceError("完成时限应晚于当前时间", field="due_on")
    with guarantees.unscoped("uniqueness of a milestone's title in its consortium"):
        if ChallengeMilestone.objects.filter(consortium=consortium, title=title).exists():
            raise core.Conflict(f"已有名为“{title}”的攻关节点", field="title")
    return core.create(ChallengeMilestone, actor=actor, zone_id=consortium.zone_id, consortium=consortium,
                       title=title, starts_at=now, warn_at=deadlines.warn_time(now, due), due_at=due, is_demo=is_demo)


def _milestone_card(m: ChallengeMilestone, level: str, now) -> None:
    """Tell the team (and, for a red card, the publisher) that a milestone is close to or past its deadline."""
    from liantong.services import notify

    bid = m.consortium.bid
    users = notify._users().filter(Q(enterprise_id=bid.lead_enterprise_id) if bid.lead_enterprise_id
                                   else Q(institution_id=bid.lead_institution_id))
    red = level == deadlines.CardLevel.RED
    title = f"{'红牌' if red else '黄牌'}督办：攻关节点《{m.title}》{'已超期' if red else '临近时限'}"
    notify.notify(list(users), kind=f"card_{level}", title=title,
                  body=f"{m.consortium.name}；时限：{timezone.localtime(m.due_at):%Y-%m-%d %H:%M}", at=now)


# --- 科研成果、转化、孵化 -------------------------------------------------------------------------------


@transaction.atomic
def save_achievement(*, actor, zone, title: str, field: str, achievement: Achievement | None = None,
                     owner_enterprise: Enterprise | None = None, owner_institution: Institution | None = None,
                     chain: Chain | None = None, challenge: Challenge | None = None, description: str = "",
                     create_only: bool = False, is_demo: bool = False, **_) -> Achievement:
    """Create or edit a research result of a firm or an institution (its stage moves through ACHIEVEMENT)."""
    require_perm(actor, "innovation.result", "您无权登记科研成果")
    if achievement is not None:
        require_writable(actor, achievement)
        zone = achievement.zone
    title = _text(title, "成果名称", "title")
    _dict("challenge_field", field, "技术领域", "field")
    if (owner_enterprise is None) == (owner_institution is None):
        raise ServiceError("完成单位须在企业、高校/院所中选择且只选择一个", field="owner_enterprise")
    owner = owner_enterprise or owner_institution
    ofield = "owner_enterprise" if owner_enterprise else "owner_institution"
    _same_zone(zone.pk, owner, field=ofield)
    _same_zone(zone.pk, chain, field="chain")
    _same_zone(zone.pk, challenge, field="challenge")
    if achievement is None or achievement.owner != owner:
        require_writable(actor, owner, field=ofield)
    existing = _existing(Achievement, achievement, create_only=create_only, field="title",
                         message=f"已有名为“{title}”的科研成果", zone=zone, title=title)
    fields = dict(zone=zone, title=title, field=field, owner_enterprise=owner_enterprise,
                  owner_institution=owner_institution, chain=chain, challenge=challenge,
                  description=(description or "").strip())
    if existing is None:
        fields["is_demo"] = is_demo
    return _apply(Achievement, existing, actor=actor, **fields)


@transaction.atomic
def save_contract(*, actor, achievement: Achievement, buyer: Enterprise, amount, signed_on: datetime.date,
                  centre: Institution | None = None, contract: TransferContract | None = None,
                  is_demo: bool = False, **_) -> TransferContract:
    """A transfer contract of a result (by its owner or the committee)."""
    require_perm(actor, "innovation.result", "您无权登记成果转化合同")
    require_writable(actor, achievement, "只能为本单位的科研成果登记转化合同", field="achievement")
    if contract is not None:
        require_writable(actor, contract)
    _same_zone(achievement.zone_id, buyer, field="buyer", message="受让企业须与成果同属一个园区")
    _same_zone(achievement.zone_id, centre, field="centre", message="技术转移转化中心须与成果同属一个园区")
    amount = _money(amount, "合同金额", "amount")
    if amount is None:
        raise ServiceError("请填写合同金额", field="amount")
    fields = dict(zone_id=achievement.zone_id, achievement=achievement, buyer=buyer, centre=centre, amount=amount,
                  signed_on=signed_on)
    if contract is None:
        fields["is_demo"] = is_demo
    return _apply(TransferContract, contract, actor=actor, **fields)


@transaction.atomic
def save_incubated(*, actor, zone, name: str, incubator: str, incubated_on: datetime.date,
                   firm: IncubatedFirm | None = None, enterprise: Enterprise | None = None,
                   achievement: Achievement | None = None, field: str = "", graduated_on=None,
                   create_only: bool = False, is_demo: bool = False, **_) -> IncubatedFirm:
    """An incubated firm of the zone (kept by the zone committee)."""
    require_perm(actor, "innovation.incubate", "您无权维护孵化企业")
    if firm is not None:
        require_writable(actor, firm)
        zone = firm.zone
    else:
        require_writable(actor, zone, "只能为本园区登记孵化企业", field="name")
    name = _text(name, "企业名称", "name")
    if field:
        _dict("challenge_field", field, "技术领域", "field")
    if graduated_on and graduated_on < incubated_on:
        raise ServiceError("毕业日期不能早于入孵日期", field="graduated_on")
    _same_zone(zone.pk, enterprise, field="enterprise")
    _same_zone(zone.pk, achievement, field="achievement")
    existing = _existing(IncubatedFirm, firm, create_only=create_only, field="name",
                         message=f"已登记孵化企业“{name}”", zone=zone, name=name)
    fields = dict(zone=zone, name=name, incubator=_text(incubator, "孵化载体", "incubator"), incubated_on=incubated_on,
                  graduated_on=graduated_on, enterprise=enterprise, achievement=achievement, field=field or "")
    if existing is None:
        fields["is_demo"] = is_demo
    return _apply(IncubatedFirm, existing, actor=actor, **fields)


# --- 资质荣誉 -------------------------------------------------------------------------------------------


@transaction.atomic
def save_qualification(*, actor, zone, kind: str, level: str, title: str, granted_on: datetime.date,
                       qualification: Qualification | None = None, enterprise: Enterprise | None = None,
                       institution: Institution | None = None, holder_name: str = "", certificate_no: str = "",
                       expires_on=None, create_only: bool = False, is_demo: bool = False, **_) -> Qualification:
    """A qualification or honour of a firm, an institution or another holder (kept by the zone committee)."""
    require_perm(actor, "innovation.qualify", "您无权维护资质荣誉")
    if qualification is not None:
        require_writable(actor, qualification)
        zone = qualification.zone
    else:
        require_writable(actor, zone, "只能为本园区登记资质荣誉", field="title")
    if kind not in QualificationKind.values:
        raise ServiceError("请选择资质类别", field="kind")
    if level not in {"national", "provincial", "municipal", "group"}:
        raise ServiceError("请选择级别", field="level")
    title = _text(title, "名称", "title")
    holders = [h for h in (enterprise, institution, (holder_name or "").strip() or None) if h is not None]
    if len(holders) != 1:
        raise ServiceError("持有单位须在企业、高校/院所、其他持有单位中填写且只填写一个", field="enterprise")
    _same_zone(zone.pk, enterprise, field="enterprise")
    _same_zone(zone.pk, institution, field="institution")
    if expires_on and expires_on < granted_on:
        raise ServiceError("有效期至不能早于认定日期", field="expires_on")
    existing = _existing(Qualification, qualification, create_only=create_only, field="title",
                         message=f"已有名为“{title}”的同类资质", zone=zone, kind=kind, title=title)
    fields = dict(zone=zone, kind=kind, level=level, title=title, enterprise=enterprise, institution=institution,
                  holder_name=(holder_name or "").strip(), certificate_no=(certificate_no or "").strip(),
                  granted_on=granted_on, expires_on=expires_on)
    if existing is None:
        fields["is_demo"] = is_demo
    obj = _apply(Qualification, existing, actor=actor, **fields)
    if kind == QualificationKind.HIGHTECH and enterprise is not None and not enterprise.is_hightech:
        core.update(enterprise, actor=actor, is_hightech=True)
    return obj


REMIND_DAYS = 90


def remind_expiring(now: datetime.datetime) -> dict:
    """Tell the holder's users (and the zone committee) once that a qualification expires within 90 days."""
    from liantong.accounts.models import UnitKind
    from liantong.services import notify

    today = timezone.localdate(now)
    due = (Qualification.objects.filter(expires_on__isnull=False, expires_on__gte=today,
                                        expires_on__lte=today + datetime.timedelta(days=REMIND_DAYS),
                                        reminded_on__isnull=True)
           .select_related("enterprise", "institution").order_by("pk"))
    sent = 0
    for q in due:
        with transaction.atomic():
            if not Qualification.objects.filter(pk=q.pk, reminded_on__isnull=True).update(reminded_on=today):
                continue  # another tick took it
            who = Q(unit_kind=UnitKind.ZONE, zone_id=q.zone_id)
            if q.enterprise_id:
                who |= Q(enterprise_id=q.enterprise_id)
            if q.institution_id:
                who |= Q(institution_id=q.institution_id)
            notify.notify(list(notify._users().filter(who)), kind="qualification_expiry",
                          title=f"资质到期提醒：{q.holder}“{q.title}”将于 {q.expires_on:%Y-%m-%d} 到期",
                          body=f"{q.get_kind_display()}（{q.get_level_display()}），请及时办理复审或重新认定", at=now)
            sent += 1
    return {"reminded": sent}


def tick(now: datetime.datetime) -> dict:
    """The periodic job: milestones' overdue marks and cards (``core.deadlines``), expiry reminders."""
    out = deadlines.supervise(ChallengeMilestone, MilestoneCard, now=now,
                              active=[MilestoneState.PLANNED], overdue_state=MilestoneState.OVERDUE,
                              task_field="milestone", noun="攻关节点", note="超过节点时限",
                              on_card=_milestone_card)
    out.update(remind_expiring(now))
    return out


# --- 政策 -----------------------------------------------------------------------------------------------


def firm_facts(enterprise: Enterprise, *, today: datetime.date | None = None) -> dict:
    """The attributes a policy rule reads, from rows: qualifications in force, scale, chains, the latest
    self-assessment's revenue and R&D ratio."""
    today = today or timezone.localdate()
    with guarantees.unscoped("a firm's own attributes, for the policies it may read"):
        quals = set(Qualification.objects.filter(enterprise=enterprise).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)).values_list("kind", flat=True))
        chains = set(ChainMembership.objects.filter(enterprise=enterprise).values_list("chain__name", flat=True))
        latest = Assessment.objects.filter(enterprise=enterprise).order_by("-assessed_on", "-id").first()
    if enterprise.is_hightech:
        quals.add(QualificationKind.HIGHTECH)
    return {"qualifications": quals, "scale": enterprise.scale or None, "chain": chains,
            "is_hightech": enterprise.is_hightech or QualificationKind.HIGHTECH in quals,
            "revenue": latest.latest_revenue if latest else None, "rd_ratio": latest.rd_ratio if latest else None,
            "hightech_ready": latest.qualified if latest else None}


def policies_for(enterprise: Enterprise, user) -> list[tuple[Policy, bool, list[str]]]:
    """Each policy of the firm's zone the user may read, whether the firm fits it, and what is missing."""
    facts = firm_facts(enterprise)
    out = []
    for p in Policy.objects.visible_to(user).filter(zone_id=enterprise.zone_id).order_by("-id"):
        fits, missing = rules.evaluate(p.rules, facts)
        out.append((p, fits, missing))
    return out


def firms_for(policy: Policy, user) -> list[Enterprise]:
    """The firms of the policy's zone (those the user may read) that fit it."""
    firms = Enterprise.objects.visible_to(user).filter(zone_id=policy.zone_id).order_by("name")
    return [e for e in firms if rules.evaluate(policy.rules, firm_facts(e))[0]]


@transaction.atomic
def save_policy(*, actor, zone, title: str, issuer: str, rules_value=None, policy: Policy | None = None,
                package: str = "", summary: str = "", valid_until=None, create_only: bool = False,
                is_demo: bool = False, notify_firms: bool = True, **kw) -> Policy:
    """Create or edit a policy; its rule is validated first (``rules.validate``: a malformed rule is refused
    in Chinese). A new policy — or a new rule — tells every firm it fits (免申即享)."""
    require_perm(actor, "innovation.policy", "您无权发布政策")
    if policy is not None:
        require_writable(actor, policy)
        zone = policy.zone
    else:
        require_writable(actor, zone, "只能为本园区发布政策", field="title")
    if rules_value is None:
        rules_value = kw.get("rules", {})
    rule = rules.validate(rules_value)
    title = _text(title, "政策名称", "title")
    existing = _existing(Policy, policy, create_only=create_only, field="title",
                         message=f"已有名为“{title}”的政策", zone=zone, title=title)
    changed_rule = existing is None or existing.rules != rule
    fields = dict(zone=zone, title=title, issuer=_text(issuer, "发布单位", "issuer"), package=(package or "").strip(),
                  summary=(summary or "").strip(), rules=rule, valid_until=valid_until)
    if existing is None:
        fields["is_demo"] = is_demo
    obj = _apply(Policy, existing, actor=actor, **fields)
    if changed_rule and notify_firms:
        tell_fitting_firms(obj)
    return obj


def tell_fitting_firms(policy: Policy) -> int:
    """免申即享: each firm the policy fits hears of it once per rule (its users' inboxes)."""
    from liantong.services import notify

    with guarantees.unscoped("the system tells every firm of the zone that a policy fits"):
        firms = [e for e in Enterprise.objects.filter(zone_id=policy.zone_id)
                 if rules.evaluate(policy.rules, firm_facts(e))[0]]
        users = list(notify._users().filter(enterprise_id__in=[e.pk for e in firms]))
    if users:
        notify.notify(users, kind="policy_fit", title=f"新政策适用于贵企业：{policy.title}",
                      body=f"{policy.issuer}；{rules.describe(policy.rules)}")
    return len(firms)


# --- 高企认定自评 ---------------------------------------------------------------------------------------


@transaction.atomic
def save_assessment(*, actor, enterprise: Enterprise, data: dict, is_demo: bool = False) -> Assessment:
    """Evaluate and keep a firm's self-assessment (its history); the firm itself or the committee."""
    require_perm(actor, "innovation.assess", "您无权为该企业自评")
    require_writable(actor, enterprise, "只能为本企业自评", field="enterprise")
    result = assess.evaluate(**data)
    revenue = [Decimal(str(v)) for v in data["revenue"]]
    rd = [Decimal(str(v)) for v in data["rd_spend"]]
    total = sum(revenue, Decimal(0))
    ratio = (sum(rd, Decimal(0)) * 100 / total).quantize(Decimal("0.01"), rounding="ROUND_FLOOR") if total else None
    stored = {k: (str(v) if isinstance(v, (datetime.date, Decimal)) else
                  [str(x) for x in v] if isinstance(v, list) else v) for k, v in data.items()}
    return core.create(Assessment, actor=actor, zone_id=enterprise.zone_id, enterprise=enterprise,
                       assessed_on=data["assessed_on"], data=stored,
                       criteria=[c.as_dict() for c in result.criteria], qualified=result.qualified,
                       failed=len(result.failed), latest_revenue=revenue[-1], rd_ratio=ratio, is_demo=is_demo,
                       created_by=actor if getattr(actor, "pk", None) else None)


def stored_input(a: Assessment) -> dict:
    """A stored assessment's input back in ``assess.evaluate``'s types."""
    d = dict(a.data)
    for k in ("registered_on", "assessed_on"):
        d[k] = datetime.date.fromisoformat(d[k])
    return d


POOL_MAX_FAILED = 2  # 培育库: the latest self-assessment misses at most two criteria


def cultivation_pool(user, zone_id=None):
    """The committee's pool: firms whose latest self-assessment is close to the line (1–2 criteria missed)
    or met, and the certified firms with their expiry (from the 高新技术企业 qualifications)."""
    latest = {}
    qs = Assessment.objects.visible_to(user).select_related("enterprise").order_by("enterprise_id", "-assessed_on",
                                                                                    "-id")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    for a in qs:
        latest.setdefault(a.enterprise_id, a)
    close = sorted((a for a in latest.values() if a.failed <= POOL_MAX_FAILED), key=lambda a: (a.failed, a.pk))
    for a in close:
        a.missing = [assess.LABELS.get(c["code"], c["code"]) for c in a.criteria if not c["passed"]]
    certified = Qualification.objects.visible_to(user).filter(kind=QualificationKind.HIGHTECH).select_related(
        "enterprise").order_by("expires_on", "pk")
    if zone_id:
        certified = certified.filter(zone_id=zone_id)
    return close, list(certified)


@transaction.atomic
def save_coaching(*, actor, zone, kind: str, held_on: datetime.date, topic: str, coaching: Coaching | None = None,
                  enterprise: Enterprise | None = None, coach: str = "", attendees: int = 0, notes: str = "",
                  is_demo: bool = False, **_) -> Coaching:
    """A coaching visit or a policy briefing (kept by the committee)."""
    require_perm(actor, "innovation.coach", "您无权登记辅导或政策解读会")
    if coaching is not None:
        require_writable(actor, coaching)
        zone = coaching.zone
    else:
        require_writable(actor, zone, "只能为本园区登记辅导记录", field="topic")
    if kind not in {"one_on_one", "briefing"}:
        raise ServiceError("请选择类型：一对一辅导或政策解读会", field="kind")
    if kind == "one_on_one" and enterprise is None:
        raise ServiceError("一对一辅导须选择辅导企业", field="enterprise")
    _same_zone(zone.pk, enterprise, field="enterprise")
    fields = dict(zone=zone, kind=kind, held_on=held_on, topic=_text(topic, "主题", "topic"), enterprise=enterprise,
                  coach=(coach or "").strip(), attendees=attendees or 0, notes=(notes or "").strip())
    if coaching is None:
        fields["is_demo"] = is_demo
    return _apply(Coaching, coaching, actor=actor, **fields)


# --- zone figures ---------------------------------------------------------------------------------------


def period_figures(zone, period=None, chain=None) -> dict:
    """The results industrialised in the period (for the zone or one chain) and the firms that entered
    incubation in it (the zone's only: an incubated firm belongs to no chain)."""
    ind = Achievement.objects.filter(zone=zone, stage=AchievementStage.INDUSTRIALISED).filter(
        core_stats.in_period(Achievement, "industrialised_on", period))
    if chain is not None:
        return {"achievements_industrialised": ind.filter(chain=chain).count()}
    return {"achievements_industrialised": ind.count(),
            "incubated_enterprises": IncubatedFirm.objects.filter(zone=zone).filter(
                core_stats.in_period(IncubatedFirm, "incubated_on", period)).count()}


def period_monthly(zone, start, end, chain=None) -> dict:
    ind = Achievement.objects.filter(zone=zone, stage=AchievementStage.INDUSTRIALISED)
    out = core_stats.by_month(ind if chain is None else ind.filter(chain=chain), "industrialised_on", start, end,
                              {"achievements_industrialised": Count("pk")})
    if chain is None:
        out.update(core_stats.by_month(IncubatedFirm.objects.filter(zone=zone), "incubated_on", start, end,
                                       {"incubated_enterprises": Count("pk")}))
    return out


def stats(zone) -> dict:
    """The innovation figures of a zone, counted from rows."""
    c = Challenge.objects.filter(zone=zone).exclude(state=ChallengeState.WITHDRAWN).aggregate(
        n=Count("pk"), solved=Count("pk", filter=Q(state__in=SOLVED)))
    a = Achievement.objects.filter(zone=zone).aggregate(
        n=Count("pk"), ind=Count("pk", filter=Q(stage=AchievementStage.INDUSTRIALISED)))
    q = dict(Qualification.objects.filter(zone=zone).values_list("kind").annotate(n=Count("pk")).order_by())
    with guarantees.unscoped("the zone's high-tech firms: a count"):
        hightech = Enterprise.objects.filter(Q(is_hightech=True) | Q(qualifications__kind=QualificationKind.HIGHTECH),
                                             zone=zone).distinct().count()
    return {"challenges": c["n"], "challenges_solved": c["solved"], "achievements": a["n"],
            "achievements_industrialised": a["ind"],
            "incubated_enterprises": IncubatedFirm.objects.filter(zone=zone).count(),
            "hightech_enterprises": hightech, "tech_centres": q.get(QualificationKind.TECH_CENTRE, 0),
            "transfer_institutions": q.get(QualificationKind.TRANSFER_INSTITUTION, 0),
            "agri_parks": q.get(QualificationKind.AGRI_PARK, 0)}
