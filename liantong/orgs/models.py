"""Organisation strand (组织固链): chains and nodes, firms, departments, institutions,
the party organisation tree, members, dual cultivation, pairings and vanguard teams."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liantong.core import pii
from liantong.core.identifiers import mask_id, mask_phone
from liantong.core.models import ScopedManager, Zone
from liantong.core.scoping import Scope
from liantong.core.textsearch import Searchable


class Stage(models.TextChoices):
    UPSTREAM = "up", _("上游")
    MIDSTREAM = "mid", _("中游")
    DOWNSTREAM = "down", _("下游")


class ChainRole(models.TextChoices):
    MASTER = "master", _("链主")
    MEMBER = "member", _("配套")


class Scale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class OrgKind(models.TextChoices):
    ZONE_COMMITTEE = "zone_committee", _("党工委")
    CHAIN_COMMITTEE = "chain_committee", _("联合党委")
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")
    PROJECT_BRANCH = "project_branch", _("项目党支部")


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("高校")
    INSTITUTE = "institute", _("科研院所")
    TRANSFER_CENTRE = "transfer_centre", _("技术转移转化中心")


class PairingKind(models.TextChoices):
    CAMPUS = "campus", _("校地共建")
    VERTICAL = "vertical", _("条块结对")
    PAIRED = "paired", _("结对共建")
    ALLIANCE = "alliance", _("党建联建")


class VanguardKind(models.TextChoices):
    TECH = "tech", _("技术攻坚")
    EDUCATION = "education", _("产教融合")
    SUPPLY = "supply", _("供需对接")


class CultivationTrack(models.TextChoices):
    BACKBONE_TO_MEMBER = "backbone_to_member", _("把技术骨干培养成党员")
    MEMBER_TO_MANAGER = "member_to_manager", _("把党员培养成管理骨干")


class CultivationStage(models.TextChoices):
    BACKBONE = "backbone", _("技术骨干")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    TRAINEE = "trainee", _("培养中")
    MANAGER = "manager", _("已任管理骨干")


def _enterprise_on_chain(chain_id) -> Q:
    return Q(pk__in=ChainMembership.objects.filter(chain_id=chain_id).values("enterprise_id"))


class Department(models.Model):
    """A government department (职能部门) that serves firms and takes service orders."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    duties = models.TextField(_("职责"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(department="pk", public=True)

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["zone", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    """A university, research institute or transfer centre working with the zone."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("合作园区"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=InstitutionKind.choices, default="university")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(institution="pk", public=True)

    class Meta:
        verbose_name = _("高校/院所")
        verbose_name_plural = _("高校/院所")
        ordering = ["zone", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="institution_unique_name")]

    def __str__(self) -> str:
        return self.name


class Chain(models.Model):
    """An industrial chain (产业链) of a zone, run by one chain committee (一链一党委)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("产业链名称"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    chief_name = models.CharField(_("链长"), max_length=50, blank=True)
    chief_department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                         verbose_name=_("链长部门"), related_name="chains_led")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="pk", public=True)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["zone", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="chain_unique_name")]

    def __str__(self) -> str:
        return self.name


class ChainNode(models.Model):
    """A segment (环节) of a chain; nodes form a tree kept with a materialised path."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("产业链"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("环节名称"), max_length=60)
    stage = models.CharField(_("链段"), max_length=6, choices=Stage.choices)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", public=True)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="chainnode_unique_name")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}·{self.name}"


class Enterprise(Searchable):
    """A firm of the zone, identified by its unified social credit code (GB 32100)."""

    search_sources = ("name", "credit_code", "contact_name")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    scale = models.CharField(_("企业规模"), max_length=8, choices=Scale.choices, blank=True)
    is_hightech = models.BooleanField(_("高新技术企业"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope = Scope(chain=_enterprise_on_chain, enterprise="pk", owner="created_by", public=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["zone", "name"])]

    def __str__(self) -> str:
        return self.name


class ChainMembership(models.Model):
    """A firm's place on a chain: its node and its role (链主 or 配套)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships",
                                   verbose_name=_("企业"))
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("产业链"))
    node = models.ForeignKey(ChainNode, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships",
                             verbose_name=_("所在环节"))
    role = models.CharField(_("链上角色"), max_length=8, choices=ChainRole.choices, default=ChainRole.MEMBER)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id", public=True)

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        ordering = ["chain", "-role", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "chain"], name="membership_unique")]
        indexes = [models.Index(fields=["chain", "role"])]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.chain}"


class PartyOrg(Searchable):
    """A node of the party organisation tree (materialised path ``/1/7/42/``).

    Owned by the zone (党工委), a chain (联合党委) or exactly one firm, department or institution.
    """

    search_sources = ("name", "secretary_name")
    constraint_messages = {  # what users read when a constraint refuses a write (core.services.humane)
        "partyorg_one_committee_per_chain": "该产业链已有联合党委（一链一党委）",
        "partyorg_one_zone_committee": "该园区已有党工委",
        "partyorg_one_owner": "所属单位只能选择企业、部门、高校中的一个",
        "partyorg_committee_has_chain": "联合党委须指定所属产业链，且不能隶属企业",
    }

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("组织名称"), max_length=100)
    kind = models.CharField(_("组织类别"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级组织"))
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    chain = models.ForeignKey(Chain, null=True, blank=True, on_delete=models.PROTECT, related_name="party_orgs",
                              verbose_name=_("所属产业链"))
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="party_orgs", verbose_name=_("所属企业"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="party_orgs", verbose_name=_("所属部门"))
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="party_orgs", verbose_name=_("所属高校/院所"))
    project_name = models.CharField(_("所建项目"), max_length=100, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_end = models.DateField(_("换届日期"), null=True, blank=True)
    secretary_name = models.CharField(_("书记"), max_length=50, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id", department="department_id",
                  institution="institution_id", org_path="path")

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="partyorg_unique_name"),
            # 一链一党委: at most one chain committee per chain.
            models.UniqueConstraint(fields=["chain"], condition=Q(kind="chain_committee"),
                                    name="partyorg_one_committee_per_chain"),
            models.UniqueConstraint(fields=["zone"], condition=Q(kind="zone_committee"),
                                    name="partyorg_one_zone_committee"),
            models.CheckConstraint(
                name="partyorg_one_owner",
                condition=(
                    Q(enterprise__isnull=True, department__isnull=True, institution__isnull=True)
                    | Q(enterprise__isnull=False, department__isnull=True, institution__isnull=True)
                    | Q(enterprise__isnull=True, department__isnull=False, institution__isnull=True)
                    | Q(enterprise__isnull=True, department__isnull=True, institution__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="partyorg_committee_has_chain",
                condition=~Q(kind="chain_committee") | Q(chain__isnull=False, enterprise__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["zone", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self):
        return self.enterprise or self.department or self.institution or (
            self.chain if self.kind == OrgKind.CHAIN_COMMITTEE else self.zone)


class Member(Searchable):
    """A party member. The ID number is kept as a keyed hash (unique) plus an encrypted copy;
    gender and birth date follow from it. Shown in full only to those ``can_see_personal``."""

    search_sources = ("name", "post")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    party_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="members",
                                  verbose_name=_("所在党组织"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_encrypted = models.TextField(editable=False)
    id_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("手机号码"), max_length=20, blank=True, editable=False)
    status = models.CharField(_("人员类别"), max_length=14, choices=MemberStatus.choices)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    post = models.CharField(_("工作岗位"), max_length=60, blank=True)
    is_tech_backbone = models.BooleanField(_("技术骨干"), default=False)
    is_mgmt_backbone = models.BooleanField(_("管理骨干"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope = Scope(chain="party_org__chain_id", enterprise="party_org__enterprise_id",
                  department="party_org__department_id", institution="party_org__institution_id",
                  org_path="party_org__path")

    # the protected values: reading decrypts, assigning rewrites ciphertext, mask (and hash) together
    id_number = pii.protected(encrypted="id_encrypted", masked="id_masked", hashed="id_hash", mask=mask_id)
    phone = pii.protected(encrypted="phone_encrypted", masked="phone_masked", mask=mask_phone)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["-id"]
        # (zone, name, post) covers the list search; (zone, status) its filter and count (SQLite skip-scans
        # it for the platform admin once ANALYZE has run: ``liantong gen`` runs it after loading)
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["party_org", "-id"]),
                   models.Index(fields=["zone", "name", "post"], name="member_zone_name_post"),
                   models.Index(fields=["zone", "status"], name="member_zone_status")]

    def __str__(self) -> str:
        return self.name


class TransferState(models.TextChoices):
    REQUESTED = "requested", _("待转出方审核")
    ACCEPTED = "accepted", _("已同意")
    REFUSED = "refused", _("已拒绝")
    CANCELLED = "cancelled", _("已撤销")


def _both_sides(lookup: str):
    """A scope lookup that matches the transfer from the sending org's side or the receiving org's."""
    return lambda value: Q(**{f"from_org__{lookup}": value}) | Q(**{f"to_org__{lookup}": value})


class MemberTransfer(models.Model):
    """组织关系转接: a receiving org asks to take in a member registered elsewhere; the sending org's
    secretary (or the staff above it, up to the sending zone's committee) accepts or refuses.

    Seen from both sides: ``zone`` is the receiving zone, ``from_zone`` the sending one, and each side's
    chain, firm, department, institution and org subtree reach it. The receiving side sees the member's
    current org only once the transfer is accepted (``orgs.transfers.shown_from_org``)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="transfers_in",
                             verbose_name=_("转入园区"))
    from_zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="transfers_out",
                                  verbose_name=_("转出园区"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("党员"))
    from_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="transfers_out",
                                 verbose_name=_("转出党组织"))
    to_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="transfers_in",
                               verbose_name=_("转入党组织"))
    requested_name = models.CharField(_("申请填写的姓名"), max_length=50)
    state = models.CharField(_("状态"), max_length=12, choices=TransferState.choices, default=TransferState.REQUESTED)
    note = models.TextField(_("申请说明"), blank=True)
    reply = models.TextField(_("处理意见"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("申请人"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("处理人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(zone=_both_sides("zone_id"), chain=_both_sides("chain_id"),
                  enterprise=_both_sides("enterprise_id"), department=_both_sides("department_id"),
                  institution=_both_sides("institution_id"), org_path=("from_org__path", "to_org__path"))

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["member", "to_org"], condition=Q(state="requested"),
                                               name="membertransfer_one_pending_per_org")]
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["from_zone", "-id"])]

    def __str__(self) -> str:
        return f"{self.requested_name} → {self.to_org}"


class MemberMove(models.Model):
    """One move of a member between party orgs (a transfer accepted, or an edit within one writer's scope):
    the member's history, shown on its page to whoever may see the member."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("园区"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="moves", verbose_name=_("党员"))
    from_org = models.ForeignKey(PartyOrg, null=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("原党组织"))
    to_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="+", verbose_name=_("新党组织"))
    transfer = models.ForeignKey(MemberTransfer, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="moves", verbose_name=_("组织关系转接"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedManager()
    # the member's scope: whoever sees the member sees its history
    scope = Scope(zone="member__zone_id", chain="member__party_org__chain_id",
                  enterprise="member__party_org__enterprise_id", department="member__party_org__department_id",
                  institution="member__party_org__institution_id", org_path="member__party_org__path")

    class Meta:
        verbose_name = _("党员组织变动")
        verbose_name_plural = _("党员组织变动")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.member}：{self.from_org or '—'} → {self.to_org}"

    @property
    def kind(self) -> str:
        return "组织关系转接" if self.transfer_id else "组织内调整"


class Cultivation(models.Model):
    """Dual cultivation (双培养): a person moving along one of the two tracks."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    party_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="cultivations",
                                  verbose_name=_("培养党组织"))
    person_name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("党员"))
    track = models.CharField(_("培养方向"), max_length=20, choices=CultivationTrack.choices)
    # moved only through ``orgs.cultivation.CULTIVATION`` (the rules table); set by hand only when a row is created
    stage = models.CharField(_("当前阶段"), max_length=14, choices=CultivationStage.choices)
    post = models.CharField(_("岗位"), max_length=60, blank=True)
    mentor_name = models.CharField(_("培养联系人"), max_length=50, blank=True)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    stage_since = models.DateField(_("进入本阶段日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="party_org__chain_id", enterprise="party_org__enterprise_id", org_path="party_org__path")

    class Meta:
        verbose_name = _("双培养")
        verbose_name_plural = _("双培养")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.person_name}（{self.get_stage_display()}）"


class Pairing(models.Model):
    """A formal partnership (结对共建 / 校地共建 / 条块结对) between one of our orgs and a partner."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    kind = models.CharField(_("共建类型"), max_length=10, choices=PairingKind.choices)
    party_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="pairings",
                                  verbose_name=_("本方党组织"))
    chain = models.ForeignKey(Chain, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairings",
                              verbose_name=_("产业链"))
    partner_org = models.ForeignKey(PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("结对党组织"))
    partner_institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="pairings", verbose_name=_("结对高校/院所"))
    partner_name = models.CharField(_("结对单位"), max_length=120)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    content = models.TextField(_("共建内容"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", institution="partner_institution_id", org_path="party_org__path", public=True)

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["party_org", "partner_name"], name="pairing_unique")]

    def __str__(self) -> str:
        return f"{self.party_org} ↔ {self.partner_name}"


class VanguardTeam(models.Model):
    """A party-member vanguard team (党员先锋队) of one of three kinds."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    chain = models.ForeignKey(Chain, null=True, blank=True, on_delete=models.SET_NULL, related_name="vanguard_teams",
                              verbose_name=_("产业链"))
    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=VanguardKind.choices)
    lead_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="vanguard_teams",
                                 verbose_name=_("牵头党组织"))
    leader_name = models.CharField(_("队长"), max_length=50, blank=True)
    members = models.ManyToManyField(Member, blank=True, related_name="vanguard_teams", verbose_name=_("队员"))
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    focus = models.TextField(_("攻坚方向"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", org_path="lead_org__path", public=True)

    class Meta:
        verbose_name = _("党员先锋队")
        verbose_name_plural = _("党员先锋队")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="vanguard_unique_name")]

    def __str__(self) -> str:
        return self.name


def org_stats_by_zone(zone_ids) -> dict[int, dict]:
    """The organisation strand's figures for each of ``zone_ids`` (one grouped query per model, an entry for
    every id). ``party_orgs`` counts firms' party orgs (企业党组织, as the seed article reports them);
    ``party_orgs_all`` counts every org of the zone."""
    from django.db.models import Count

    def per_zone(model, **counts):
        return {r["zone_id"]: r for r in model.objects.filter(zone_id__in=zone_ids).order_by()
                .values("zone_id").annotate(**counts)}

    chains = per_zone(Chain, n=Count("pk"))
    orgs = per_zone(PartyOrg, n=Count("pk"), committees=Count("pk", filter=Q(kind=OrgKind.CHAIN_COMMITTEE)),
                    firms=Count("pk", filter=Q(enterprise__isnull=False)))
    firms, members = per_zone(Enterprise, n=Count("pk")), per_zone(Member, n=Count("pk"))
    teams, pairings = per_zone(VanguardTeam, n=Count("pk")), per_zone(Pairing, n=Count("pk"))
    none: dict = {}
    return {z: {
        "chains": chains.get(z, none).get("n", 0),
        "chain_committees": orgs.get(z, none).get("committees", 0),
        "enterprises": firms.get(z, none).get("n", 0),
        "party_orgs": orgs.get(z, none).get("firms", 0),
        "party_orgs_all": orgs.get(z, none).get("n", 0),
        "members": members.get(z, none).get("n", 0),
        "vanguard_teams": teams.get(z, none).get("n", 0),
        "pairings": pairings.get(z, none).get("n", 0),
    } for z in zone_ids}
