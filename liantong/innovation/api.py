"""API of the innovation strand (``/api/v1/``): the board, bids, consortia and milestones, results, transfer
contracts, incubated firms, qualifications, policies with their matches, self-assessments (kept, and the
stateless ``POST /hightech/assess``) and coaching records. Reads start from ``visible_to`` (404 out of
scope); writes call the pages' services and state machines (400/403/404/409 with a Chinese ``detail``)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liantong.core.api import AttachmentOut
from liantong.core.lists import CappedPage, Error
from liantong.core.services import ServiceError
from liantong.core.workflow import TransitionError
from liantong.core.workflow_api import transition_endpoints
from liantong.orgs.models import Chain, Enterprise, Institution

from . import assess, rules, services, tables
from .models import (
    Achievement,
    Assessment,
    Bid,
    Challenge,
    ChallengeMilestone,
    Coaching,
    Consortium,
    IncubatedFirm,
    Policy,
    Qualification,
    TransferContract,
)
from .workflow import ACHIEVEMENT, CHALLENGE, MILESTONE

router = Router(tags=["创新强链"])
WRITE_ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


def _pick(request, model, pk, label: str, field: str):
    if pk is None:
        return None
    obj = model.objects.visible_to(request.user).filter(pk=pk).first()
    if obj is None:
        raise ServiceError(f"{label}不存在或您无权访问", field=field)
    return obj


# --- 高企认定自评（不保存） -------------------------------------------------------------------------------

Money = Field(..., ge=0, le=Decimal("999999999999"), max_digits=16, decimal_places=4)


class AssessIn(Schema):
    registered_on: datetime.date = Field(..., description="注册成立日期")
    assessed_on: datetime.date = Field(..., description="自评（申请）日期")
    core_ip: bool = Field(..., description="拥有核心自主知识产权")
    field_in_catalogue: bool = Field(..., description="属于《国家重点支持的高新技术领域》")
    staff_total: int = Field(..., ge=1, le=10_000_000, description="职工总数")
    rd_staff: int = Field(..., ge=0, le=10_000_000, description="科技人员数")
    revenue: list[Decimal] = Field(..., min_length=1, max_length=3, description="销售收入（万元），由远及近")
    rd_spend: list[Decimal] = Field(..., min_length=1, max_length=3, description="研发费用（万元），由远及近")
    rd_spend_domestic: list[Decimal] = Field(..., min_length=1, max_length=3, description="其中境内研发费用（万元）")
    hightech_revenue_last_year: Decimal = Field(..., ge=0, le=Decimal("999999999999"))
    total_income_last_year: Decimal = Field(..., ge=0, le=Decimal("999999999999"))
    innovation_score: int = Field(..., ge=0, le=100, description="创新能力评价得分（整数）")
    major_violation: bool = Field(..., description="近一年有重大安全、质量事故或严重环境违法行为")


class CriterionOut(Schema):
    code: str
    passed: bool
    value: str
    threshold: str
    gap: str
    advice: str


class AssessOut(Schema):
    qualified: bool
    criteria: list[CriterionOut]


@router.post("/hightech/assess", response={200: AssessOut, 400: Error}, summary="高企认定自评（只计算，不保存）")
def hightech_assess(request, data: AssessIn):
    return Status(200, assess.evaluate(**data.dict()).as_dict())


# --- 攻坚榜 ---------------------------------------------------------------------------------------------


class ChallengeOut(Schema):
    id: int
    zone_id: int
    chain_id: int | None
    field: str
    title: str
    publisher: str
    publisher_enterprise_id: int | None
    publisher_institution_id: int | None
    problem: str
    indicators: str
    reward: Decimal | None
    deadline: datetime.date | None
    state: str
    published_on: datetime.date | None
    result: str
    accepted_on: datetime.date | None
    payout: Decimal | None
    paid_on: datetime.date | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


def _challenge(request, pk):
    return get_object_or_404(Challenge.objects.visible_to(request.user).select_related(
        "chain", "publisher_enterprise", "publisher_institution").prefetch_related("attachments"), pk=pk)


@router.get("/challenges", response=list[ChallengeOut], summary="技术攻坚榜")
@paginate(CappedPage)
def list_challenges(request, filters: Query[tables.CHALLENGES.query_schema("ChallengeQuery")]):
    return tables.CHALLENGES.read(request).prefetch_related("attachments")


@router.get("/challenges/{pk}", response=ChallengeOut, summary="攻坚榜单详情")
def get_challenge(request, pk: int):
    return _challenge(request, pk)


class ChallengeIn(Schema):
    title: str = Field(..., max_length=120)
    field: str = Field(..., description="技术领域（字典 challenge_field）")
    problem: str = Field(..., max_length=10000)
    indicators: str = Field("", max_length=10000)
    reward: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"))
    deadline: datetime.date | None = None
    chain: int | None = None
    publisher_enterprise: int | None = Field(None, description="出题企业；与出题高校/院所都不填：以产业链（或园区）党委名义")
    publisher_institution: int | None = None


def _challenge_fields(request, data: ChallengeIn) -> dict:
    d = data.dict()
    d["chain"] = _pick(request, Chain, d["chain"], "产业链", "chain")
    d["publisher_enterprise"] = _pick(request, Enterprise, d["publisher_enterprise"], "出题企业", "publisher_enterprise")
    d["publisher_institution"] = _pick(request, Institution, d["publisher_institution"], "出题高校/院所",
                                       "publisher_institution")
    unit = d["publisher_enterprise"] or d["publisher_institution"] or d["chain"]
    d["zone"] = unit.zone if unit is not None else request.user.zone
    if d["zone"] is None:
        raise ServiceError("请指定出题单位或产业链", field="chain")
    return d


@router.post("/challenges", response={201: ChallengeOut, **WRITE_ERRORS}, summary="新增攻坚榜单（需求征集）")
def create_challenge(request, data: ChallengeIn):
    c = services.save_challenge(actor=request.user, create_only=True, **_challenge_fields(request, data))
    return Status(201, _challenge(request, c.pk))


@router.put("/challenges/{pk}", response={200: ChallengeOut, **WRITE_ERRORS}, summary="修改攻坚榜单")
def update_challenge(request, pk: int, data: ChallengeIn):
    c = get_object_or_404(Challenge.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_challenge(actor=request.user, challenge=c, **_challenge_fields(request, data))
    return Status(200, _challenge(request, pk))


class ChallengeMoveParams(Schema):
    bid: int | None = Field(None, ge=1, description="选定团队（select）：揭榜申请 id")
    payout: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"), description="兑现金额（万元，pay）")


def _prepare_challenge_move(request, obj, action, params):
    if "bid" in params:
        bid = Bid.objects.visible_to(request.user).filter(pk=params["bid"], challenge=obj).first()
        if bid is None:
            raise TransitionError("所选团队未揭此榜", field="bid")
        params["bid"] = bid
    return params


transition_endpoints(router, CHALLENGE, path="challenges", out=ChallengeOut, params=ChallengeMoveParams,
                     prepare=_prepare_challenge_move,
                     render=lambda obj: Challenge.objects.prefetch_related("attachments").get(pk=obj.pk))


class TeamMemberIn(Schema):
    name: str = Field(..., max_length=50)
    unit: str = Field("", max_length=100)
    duty: str = Field("", max_length=100)
    party_member: bool = False
    leads: bool = False


class TeamMemberOut(Schema):
    name: str
    unit: str
    duty: str
    party_member: bool
    leads: bool


class BidOut(Schema):
    id: int
    challenge_id: int
    lead_enterprise_id: int | None
    lead_institution_id: int | None
    team_name: str
    leader_name: str
    partners: str
    plan: str
    budget: Decimal | None
    planned_milestones: str
    outcome: str
    submitted_at: datetime.datetime
    members: list[TeamMemberOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class BidIn(Schema):
    team_name: str = Field(..., max_length=100)
    leader_name: str = Field(..., max_length=50)
    plan: str = Field(..., max_length=10000)
    budget: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"))
    partners: str = Field("", max_length=300)
    planned_milestones: str = Field("", max_length=5000, description="每行：节点名称,YYYY-MM-DD")
    members: list[TeamMemberIn] = Field(default_factory=list, max_length=200)


@router.post("/challenges/{pk}/bids", response={201: BidOut, **WRITE_ERRORS}, summary="揭榜（以本单位名义）")
def create_bid(request, pk: int, data: BidIn):
    c = get_object_or_404(Challenge.objects.visible_to(request.user), pk=pk)
    user = request.user
    if user.enterprise_id:
        lead = {"lead_enterprise": user.enterprise}
    elif user.institution_id:
        lead = {"lead_institution": user.institution}
    else:
        raise ServiceError("只有企业或高校/院所可以揭榜", field="team_name")
    d = data.dict()
    bid = services.submit_bid(actor=user, challenge=c, **lead, **d)
    return Status(201, Bid.objects.prefetch_related("members").get(pk=bid.pk))


@router.get("/bids", response=list[BidOut], summary="揭榜申请")
@paginate(CappedPage)
def list_bids(request, filters: Query[tables.BIDS.query_schema("BidQuery")]):
    return tables.BIDS.read(request).prefetch_related("members")


@router.get("/bids/{pk}", response=BidOut, summary="揭榜申请详情")
def get_bid(request, pk: int):
    return get_object_or_404(Bid.objects.visible_to(request.user).prefetch_related("members"), pk=pk)


class ChallengeMilestoneOut(Schema):
    id: int
    consortium_id: int
    title: str
    starts_at: datetime.datetime
    warn_at: datetime.datetime
    due_at: datetime.datetime
    state: str
    card: str
    report: str
    reported_at: datetime.datetime | None

    @staticmethod
    def resolve_card(obj):
        return obj.card_level()


class ConsortiumOut(Schema):
    id: int
    challenge_id: int
    bid_id: int
    name: str
    signed_on: datetime.date | None
    members: list[TeamMemberOut]
    milestones: list[ChallengeMilestoneOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.bid.members.all())

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


@router.get("/consortia", response=list[ConsortiumOut], summary="攻关联合体")
@paginate(CappedPage)
def list_consortia(request, filters: Query[tables.CONSORTIA.query_schema("ConsortiumQuery")]):
    return tables.CONSORTIA.read(request).prefetch_related("milestones")


@router.get("/consortia/{pk}", response=ConsortiumOut, summary="攻关联合体详情")
def get_consortium(request, pk: int):
    return get_object_or_404(Consortium.objects.visible_to(request.user).select_related("bid")
                             .prefetch_related("bid__members", "milestones"), pk=pk)


class ChallengeMilestoneIn(Schema):
    title: str = Field(..., max_length=100)
    due_on: datetime.date


@router.post("/consortia/{pk}/milestones", response={201: ChallengeMilestoneOut, **WRITE_ERRORS}, summary="添加攻关节点")
def create_milestone(request, pk: int, data: ChallengeMilestoneIn):
    consortium = get_object_or_404(Consortium.objects.visible_to(request.user), pk=pk)
    return Status(201, services.add_milestone(actor=request.user, consortium=consortium, **data.dict()))


@router.get("/milestones", response=list[ChallengeMilestoneOut], summary="攻关节点督办")
@paginate(CappedPage)
def list_milestones(request, filters: Query[tables.MILESTONES.query_schema("ChallengeMilestoneQuery")]):
    return tables.MILESTONES.read(request)


@router.get("/milestones/{pk}", response=ChallengeMilestoneOut, summary="攻关节点详情")
def get_milestone(request, pk: int):
    return get_object_or_404(ChallengeMilestone.objects.visible_to(request.user), pk=pk)


transition_endpoints(router, MILESTONE, path="milestones", out=ChallengeMilestoneOut)


# --- 科研成果、转化、孵化 -------------------------------------------------------------------------------


class AchievementOut(Schema):
    id: int
    zone_id: int
    title: str
    owner: str
    owner_enterprise_id: int | None
    owner_institution_id: int | None
    chain_id: int | None
    challenge_id: int | None
    field: str
    description: str
    stage: str
    industrialised_on: datetime.date | None

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name


class AchievementIn(Schema):
    title: str = Field(..., max_length=120)
    field: str
    owner_enterprise: int | None = Field(None, description="完成企业；与完成高校/院所二选一（新增时默认本单位）")
    owner_institution: int | None = None
    chain: int | None = None
    challenge: int | None = None
    description: str = Field("", max_length=10000)


def _achievement_fields(request, data: AchievementIn) -> dict:
    d = data.dict()
    if d["owner_enterprise"] is None and d["owner_institution"] is None:
        d["owner_enterprise"] = request.user.enterprise_id
        d["owner_institution"] = None if d["owner_enterprise"] else request.user.institution_id
    d["owner_enterprise"] = _pick(request, Enterprise, d["owner_enterprise"], "完成企业", "owner_enterprise")
    d["owner_institution"] = _pick(request, Institution, d["owner_institution"], "完成高校/院所", "owner_institution")
    d["chain"] = _pick(request, Chain, d["chain"], "产业链", "chain")
    d["challenge"] = _pick(request, Challenge, d["challenge"], "攻坚榜单", "challenge")
    owner = d["owner_enterprise"] or d["owner_institution"]
    if owner is None:
        raise ServiceError("请指定完成单位", field="owner_enterprise")
    d["zone"] = owner.zone
    return d


def _achievement(request, pk):
    return get_object_or_404(Achievement.objects.visible_to(request.user).select_related(
        "owner_enterprise", "owner_institution"), pk=pk)


@router.get("/achievements", response=list[AchievementOut], summary="科研成果")
@paginate(CappedPage)
def list_achievements(request, filters: Query[tables.ACHIEVEMENTS.query_schema("AchievementQuery")]):
    return tables.ACHIEVEMENTS.read(request)


@router.get("/achievements/{pk}", response=AchievementOut, summary="科研成果详情")
def get_achievement(request, pk: int):
    return _achievement(request, pk)


@router.post("/achievements", response={201: AchievementOut, **WRITE_ERRORS}, summary="登记科研成果")
def create_achievement(request, data: AchievementIn):
    a = services.save_achievement(actor=request.user, create_only=True, **_achievement_fields(request, data))
    return Status(201, _achievement(request, a.pk))


@router.put("/achievements/{pk}", response={200: AchievementOut, **WRITE_ERRORS}, summary="修改科研成果")
def update_achievement(request, pk: int, data: AchievementIn):
    a = get_object_or_404(Achievement.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_achievement(actor=request.user, achievement=a, **_achievement_fields(request, data))
    return Status(200, _achievement(request, pk))


transition_endpoints(router, ACHIEVEMENT, path="achievements", out=AchievementOut,
                     render=lambda obj: Achievement.objects.select_related("owner_enterprise",
                                                                          "owner_institution").get(pk=obj.pk))


class TransferContractOut(Schema):
    id: int
    achievement_id: int
    buyer_id: int
    buyer_name: str = Field(..., alias="buyer.name")
    centre_id: int | None
    amount: Decimal
    signed_on: datetime.date


@router.get("/transfer-contracts", response=list[TransferContractOut], summary="成果转化合同")
@paginate(CappedPage)
def list_contracts(request, filters: Query[tables.CONTRACTS.query_schema("TransferContractQuery")]):
    return tables.CONTRACTS.read(request)


@router.get("/transfer-contracts/{pk}", response=TransferContractOut, summary="成果转化合同详情")
def get_contract(request, pk: int):
    return get_object_or_404(TransferContract.objects.visible_to(request.user).select_related("buyer"), pk=pk)


class IncubatedOut(Schema):
    id: int
    zone_id: int
    name: str
    enterprise_id: int | None
    incubator: str
    achievement_id: int | None
    field: str
    incubated_on: datetime.date
    graduated_on: datetime.date | None


@router.get("/incubated-firms", response=list[IncubatedOut], summary="孵化企业")
@paginate(CappedPage)
def list_incubated(request, filters: Query[tables.INCUBATED.query_schema("IncubatedFirmQuery")]):
    return tables.INCUBATED.read(request)


@router.get("/incubated-firms/{pk}", response=IncubatedOut, summary="孵化企业详情")
def get_incubated(request, pk: int):
    return get_object_or_404(IncubatedFirm.objects.visible_to(request.user), pk=pk)


# --- 资质荣誉 -------------------------------------------------------------------------------------------


class QualificationOut(Schema):
    id: int
    zone_id: int
    kind: str
    level: str
    title: str
    holder: str
    enterprise_id: int | None
    institution_id: int | None
    certificate_no: str
    granted_on: datetime.date
    expires_on: datetime.date | None


@router.get("/qualifications", response=list[QualificationOut], summary="资质荣誉")
@paginate(CappedPage)
def list_qualifications(request, filters: Query[tables.QUALIFICATIONS.query_schema("QualificationQuery")]):
    return tables.QUALIFICATIONS.read(request)


@router.get("/qualifications/{pk}", response=QualificationOut, summary="资质荣誉详情")
def get_qualification(request, pk: int):
    return get_object_or_404(Qualification.objects.visible_to(request.user).select_related(
        "enterprise", "institution"), pk=pk)


# --- 政策 -----------------------------------------------------------------------------------------------


class PolicyOut(Schema):
    id: int
    zone_id: int
    title: str
    package: str
    issuer: str
    summary: str
    rules: dict
    rule_text: str
    valid_until: datetime.date | None

    @staticmethod
    def resolve_rule_text(obj):
        return rules.describe(obj.rules)


class PolicyIn(Schema):
    title: str = Field(..., max_length=150)
    issuer: str = Field(..., max_length=100)
    package: str = Field("", max_length=60)
    summary: str = Field("", max_length=10000)
    rules: dict = Field(default_factory=dict, description='适用条件：{"all"|"any": [{"field","op","value"}…]}')
    valid_until: datetime.date | None = None


@router.get("/policies", response=list[PolicyOut], summary="政策")
@paginate(CappedPage)
def list_policies(request, filters: Query[tables.POLICIES.query_schema("PolicyQuery")]):
    return tables.POLICIES.read(request)


@router.get("/policies/{pk}", response=PolicyOut, summary="政策详情")
def get_policy(request, pk: int):
    return get_object_or_404(Policy.objects.visible_to(request.user), pk=pk)


@router.post("/policies", response={201: PolicyOut, **WRITE_ERRORS}, summary="发布政策（适用条件有误：400）")
def create_policy(request, data: PolicyIn):
    d = data.dict()
    d["rules_value"] = d.pop("rules")
    if request.user.zone is None:
        raise ServiceError("请以园区账号发布政策", field="title")
    p = services.save_policy(actor=request.user, zone=request.user.zone, create_only=True, **d)
    return Status(201, p)


@router.put("/policies/{pk}", response={200: PolicyOut, **WRITE_ERRORS}, summary="修改政策")
def update_policy(request, pk: int, data: PolicyIn):
    p = get_object_or_404(Policy.objects.visible_to(request.user, for_write=True), pk=pk)
    d = data.dict()
    d["rules_value"] = d.pop("rules")
    return Status(200, services.save_policy(actor=request.user, zone=p.zone, policy=p, **d))


class FirmRefOut(Schema):
    id: int
    name: str


@router.get("/policies/{pk}/firms", response=list[FirmRefOut], summary="符合该政策的企业")
def policy_firms(request, pk: int):
    p = get_object_or_404(Policy.objects.visible_to(request.user), pk=pk)
    return services.firms_for(p, request.user)


class FirmPolicyOut(Schema):
    policy_id: int
    title: str
    fits: bool
    missing: list[str]


@router.get("/enterprises/{pk}/policies", response=list[FirmPolicyOut], summary="企业适用的政策及所缺条件")
def enterprise_policies(request, pk: int):
    firm = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    return [{"policy_id": p.pk, "title": p.title, "fits": fits, "missing": missing}
            for p, fits, missing in services.policies_for(firm, request.user)]


# --- 自评记录、辅导 -------------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    enterprise_id: int
    assessed_on: datetime.date
    qualified: bool
    failed: int
    criteria: list[CriterionOut]


@router.get("/assessments", response=list[AssessmentOut], summary="高企认定自评记录")
@paginate(CappedPage)
def list_assessments(request, filters: Query[tables.ASSESSMENTS.query_schema("AssessmentQuery")]):
    return tables.ASSESSMENTS.read(request)


@router.get("/assessments/{pk}", response=AssessmentOut, summary="高企认定自评记录详情")
def get_assessment(request, pk: int):
    return get_object_or_404(Assessment.objects.visible_to(request.user), pk=pk)


class AssessmentIn(AssessIn):
    enterprise: int | None = Field(None, description="企业；默认本企业")


@router.post("/assessments", response={201: AssessmentOut, **WRITE_ERRORS}, summary="自评并保存到企业的自评历史")
def create_assessment(request, data: AssessmentIn):
    d = data.dict()
    firm_id = d.pop("enterprise") or request.user.enterprise_id
    firm = _pick(request, Enterprise, firm_id, "企业", "enterprise")
    if firm is None:
        raise ServiceError("请指定企业", field="enterprise")
    return Status(201, services.save_assessment(actor=request.user, enterprise=firm, data=d))


class CoachingOut(Schema):
    id: int
    zone_id: int
    kind: str
    enterprise_id: int | None
    held_on: datetime.date
    topic: str
    coach: str
    attendees: int
    notes: str


@router.get("/coachings", response=list[CoachingOut], summary="一对一辅导与政策解读会")
@paginate(CappedPage)
def list_coachings(request, filters: Query[tables.COACHINGS.query_schema("CoachingQuery")]):
    return tables.COACHINGS.read(request)


@router.get("/coachings/{pk}", response=CoachingOut, summary="辅导记录详情")
def get_coaching(request, pk: int):
    return get_object_or_404(Coaching.objects.visible_to(request.user), pk=pk)


# --- writes kept by the committees and the results' owners ----------------------------------------------


class TransferContractIn(Schema):
    achievement: int
    buyer: int
    centre: int | None = None
    amount: Decimal = Field(..., ge=0, le=Decimal("999999999999"))
    signed_on: datetime.date


@router.post("/transfer-contracts", response={201: TransferContractOut, **WRITE_ERRORS}, summary="登记成果转化合同")
def create_contract(request, data: TransferContractIn):
    d = data.dict()
    d["achievement"] = _pick(request, Achievement, d["achievement"], "科研成果", "achievement")
    d["buyer"] = _pick(request, Enterprise, d["buyer"], "受让企业", "buyer")
    d["centre"] = _pick(request, Institution, d["centre"], "技术转移转化中心", "centre")
    c = services.save_contract(actor=request.user, **d)
    return Status(201, TransferContract.objects.select_related("buyer").get(pk=c.pk))


class IncubatedIn(Schema):
    name: str = Field(..., max_length=100)
    incubator: str = Field(..., max_length=100)
    incubated_on: datetime.date
    graduated_on: datetime.date | None = None
    enterprise: int | None = None
    achievement: int | None = None
    field: str = ""


def _zone_of(request):
    if request.user.zone is None:
        raise ServiceError("请以园区账号登记", field="name")
    return request.user.zone


@router.post("/incubated-firms", response={201: IncubatedOut, **WRITE_ERRORS}, summary="登记孵化企业（园区）")
def create_incubated(request, data: IncubatedIn):
    d = data.dict()
    d["enterprise"] = _pick(request, Enterprise, d["enterprise"], "在册企业", "enterprise")
    d["achievement"] = _pick(request, Achievement, d["achievement"], "转化成果", "achievement")
    return Status(201, services.save_incubated(actor=request.user, zone=_zone_of(request), create_only=True, **d))


class QualificationIn(Schema):
    kind: str = Field(..., description="类别：hightech / srdi / tech_centre / transfer_institution / sme_platform / "
                                       "innovation_base / agri_park / standard")
    level: str = Field(..., description="级别：national / provincial / municipal / group")
    title: str = Field(..., max_length=150)
    enterprise: int | None = None
    institution: int | None = None
    holder_name: str = Field("", max_length=100)
    certificate_no: str = Field("", max_length=60)
    granted_on: datetime.date
    expires_on: datetime.date | None = None


@router.post("/qualifications", response={201: QualificationOut, **WRITE_ERRORS}, summary="登记资质荣誉（园区）")
def create_qualification(request, data: QualificationIn):
    d = data.dict()
    if d["level"] not in {"national", "provincial", "municipal", "group"}:
        raise ServiceError("请选择级别：国家级、省级、市级或团体", field="level")
    d["enterprise"] = _pick(request, Enterprise, d["enterprise"], "企业", "enterprise")
    d["institution"] = _pick(request, Institution, d["institution"], "高校/院所", "institution")
    q = services.save_qualification(actor=request.user, zone=_zone_of(request), create_only=True, **d)
    return Status(201, Qualification.objects.select_related("enterprise", "institution").get(pk=q.pk))


class CoachingIn(Schema):
    kind: str = Field(..., description="one_on_one 一对一辅导 / briefing 政策解读会")
    held_on: datetime.date
    topic: str = Field(..., max_length=150)
    enterprise: int | None = None
    coach: str = Field("", max_length=60)
    attendees: int = Field(0, ge=0, le=1_000_000)
    notes: str = Field("", max_length=10000)


@router.post("/coachings", response={201: CoachingOut, **WRITE_ERRORS}, summary="登记辅导或政策解读会（园区）")
def create_coaching(request, data: CoachingIn):
    d = data.dict()
    if d["kind"] not in {"one_on_one", "briefing"}:
        raise ServiceError("请选择类型：一对一辅导或政策解读会", field="kind")
    d["enterprise"] = _pick(request, Enterprise, d["enterprise"], "辅导企业", "enterprise")
    return Status(201, services.save_coaching(actor=request.user, zone=_zone_of(request), **d))
