"""People and organisational life (人才链与组织生活): the talent catalogue, workshop-classroom training with
dual mentors, placements, activities counted in person-times (with sign-up and check-in), venues, committee
posts and firms' managers (双向进入、交叉任职), and the reminders the tick raises.

Dual cultivation (双培养) lives with the party-org tree in ``orgs`` (``orgs.cultivation``: its rules)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liantong.core.models import Attachments, ScopedManager, Zone
from liantong.core.scoping import Scope


def _firm_on_chain(field: str):
    """A scope lookup: rows whose firm (``field``) is on the chain."""
    from liantong.orgs.models import ChainMembership

    return lambda chain_id: Q(**{f"{field}__in": ChainMembership.objects.filter(chain_id=chain_id)
                                 .values("enterprise_id")})


class Degree(models.TextChoices):
    ANY = "any", _("不限")
    VOCATIONAL = "vocational", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


DEGREE_RANK = {"any": 0, "vocational": 1, "bachelor": 2, "master": 3, "doctor": 4}


class Urgency(models.TextChoices):
    URGENT = "urgent", _("急需")
    SHORT = "short", _("紧缺")
    NORMAL = "normal", _("一般")


class TalentNeed(models.Model):
    """One line of the catalogue of urgently needed talent (急需紧缺人才需求目录), per chain and firm."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.PROTECT, related_name="talent_needs",
                              verbose_name=_("产业链"))
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="talent_needs", verbose_name=_("需求企业"))
    post = models.CharField(_("岗位"), max_length=60)
    major = models.CharField(_("专业"), max_length=60)
    degree = models.CharField(_("学历"), max_length=12, choices=Degree.choices, default=Degree.BACHELOR)
    headcount = models.PositiveIntegerField(_("需求人数"), default=1)
    salary_min = models.PositiveIntegerField(_("月薪下限（元）"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("月薪上限（元）"), null=True, blank=True)
    urgency = models.CharField(_("紧缺程度"), max_length=8, choices=Urgency.choices, default=Urgency.SHORT)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id", public=True)

    class Meta:
        verbose_name = _("急需紧缺人才需求")
        verbose_name_plural = _("急需紧缺人才需求目录")
        ordering = ["chain", "-id"]
        indexes = [models.Index(fields=["zone", "chain"])]
        constraints = [models.CheckConstraint(
            name="talentneed_salary_range",
            condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_max__gte=models.F("salary_min")),
            violation_error_message="月薪上限不能低于下限")]

    def __str__(self) -> str:
        return f"{self.post}（{self.major}）"


class TrainingProgram(models.Model):
    """A workshop-classroom training project (车间课堂/实训项目): an institution and a host firm, a term."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("项目名称"), max_length=100)
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="training_programs", verbose_name=_("产业链"))
    institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="training_programs", verbose_name=_("合作院校"))
    host = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="training_programs",
                             verbose_name=_("实训企业"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("实训内容"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="host_id", institution="institution_id", public=True)

    class Meta:
        verbose_name = _("车间课堂实训项目")
        verbose_name_plural = _("车间课堂实训项目")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="trainingprogram_unique_name")]

    def __str__(self) -> str:
        return self.name


class MentorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业导师")
    PROFESSOR = "professor", _("院校教授")


class Mentor(models.Model):
    """A mentor of the dual-mentor system (双导师制): an enterprise mentor or a professor."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("导师类型"), max_length=12, choices=MentorKind.choices)
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="mentors", verbose_name=_("所在企业"))
    institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="mentors", verbose_name=_("所在院校"))
    title = models.CharField(_("职务/职称"), max_length=60, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain=_firm_on_chain("enterprise_id"), enterprise="enterprise_id", institution="institution_id",
                  public=True)

    class Meta:
        verbose_name = _("导师")
        verbose_name_plural = _("导师")
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name", "kind"], name="mentor_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Trainee(models.Model):
    """A trainee of a training project, with an enterprise mentor and a professor (双导师)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    program = models.ForeignKey(TrainingProgram, on_delete=models.PROTECT, related_name="trainees",
                                verbose_name=_("实训项目"))
    name = models.CharField(_("姓名"), max_length=50)
    major = models.CharField(_("专业"), max_length=60)
    degree = models.CharField(_("学历"), max_length=12, choices=Degree.choices, default=Degree.BACHELOR)
    graduates_on = models.DateField(_("毕业日期"), null=True, blank=True)
    enterprise_mentor = models.ForeignKey(Mentor, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("企业导师"), limit_choices_to={"kind": "enterprise"})
    professor = models.ForeignKey(Mentor, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("院校教授"), limit_choices_to={"kind": "professor"})
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="program__chain_id", enterprise="program__host_id", institution="program__institution_id",
                  public=True)

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="trainee_unique_name")]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """定向输送: a trainee placed in a firm's post on a date."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    trainee = models.OneToOneField(Trainee, on_delete=models.PROTECT, related_name="placement",
                                   verbose_name=_("学员"))
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="placements",
                                   verbose_name=_("输送企业"))
    post = models.CharField(_("岗位"), max_length=60)
    placed_on = models.DateField(_("输送日期"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain=_firm_on_chain("enterprise_id"), enterprise="enterprise_id",
                  institution="trainee__program__institution_id", public=True)

    class Meta:
        verbose_name = _("定向输送")
        verbose_name_plural = _("定向输送")
        ordering = ["-placed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.trainee} → {self.enterprise}"


class VenueKind(models.TextChoices):
    CENTRE = "centre", _("企业发展服务中心主阵地")
    SHARED = "shared", _("产业园共享空间")
    MICRO = "micro", _("企业微阵地")


class Venue(models.Model):
    """A venue (阵地) where activities are held: the zone's service centre, shared spaces, firms' micro-venues."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("阵地名称"), max_length=100)
    kind = models.CharField(_("阵地类型"), max_length=8, choices=VenueKind.choices)
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="venues", verbose_name=_("所在企业"))
    capacity = models.PositiveIntegerField(_("容纳人数"), default=30)
    facilities = models.CharField(_("设施"), max_length=200, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(enterprise="enterprise_id", public=True)

    class Meta:
        verbose_name = _("阵地")
        verbose_name_plural = _("阵地")
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="venue_unique_name")]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    THEMED_DAY = "themed_day", _("联合主题党日")
    SEMINAR = "seminar", _("技术研讨")
    MEMBER_MEETING = "member_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    TRAINING = "training", _("培训")
    VISIT = "visit", _("走访")
    ROADSHOW = "roadshow", _("引才宣介")
    MATCHMAKING = "matchmaking", _("对接会")
    OTHER = "other", _("其他")


# 三会一课: the four kinds a branch must hold (the monthly reminder looks for one of them)
THREE_MEETINGS = (ActivityKind.MEMBER_MEETING, ActivityKind.COMMITTEE_MEETING, ActivityKind.GROUP_MEETING,
                  ActivityKind.PARTY_LECTURE)


def _activity_org_q(lookup: str):
    return lambda value: Q(pk__in=Activity.organisers.through.objects.filter(**{f"partyorg__{lookup}": value})
                           .values("activity_id"))


class Activity(models.Model):
    """An activity of organisational life, held by one or several party orgs (a joint one counts for each).
    Person-times are its attendances (members checked in) plus its guests' head-count — summed, never typed."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    lead_org = models.ForeignKey("orgs.PartyOrg", on_delete=models.PROTECT, related_name="led_activities",
                                 verbose_name=_("牵头党组织"))
    organisers = models.ManyToManyField("orgs.PartyOrg", related_name="activities", verbose_name=_("组织单位"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="activities", verbose_name=_("产业链"))
    vanguard_team = models.ForeignKey("orgs.VanguardTeam", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="activities", verbose_name=_("党员先锋队"))
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
                              verbose_name=_("阵地"))
    guests = models.PositiveIntegerField(_("其他参加人数（非党员职工、嘉宾）"), default=0)
    summary = models.TextField(_("活动纪要"), blank=True)
    # 引才宣介 (recruitment roadshow): the cities, the firms that went, the people signed
    cities = models.CharField(_("宣介城市"), max_length=100, blank=True)
    firms = models.ManyToManyField("orgs.Enterprise", blank=True, related_name="roadshows",
                                   verbose_name=_("参加企业"))
    signed = models.PositiveIntegerField(_("签约引进人数"), default=0)
    checkin_token = models.CharField(max_length=32, unique=True, editable=False, default="")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    photos = Attachments()
    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise=_activity_org_q("enterprise_id"),
                  department=_activity_org_q("department_id"), institution=_activity_org_q("institution_id"),
                  org_path="lead_org__path", owner="created_by", public=True)

    class Meta:
        verbose_name = _("组织生活与活动")
        verbose_name_plural = _("组织生活与活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["zone", "-held_on"]), models.Index(fields=["zone", "kind"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.checkin_token:
            self.checkin_token = secrets.token_urlsafe(16)
        super().save(*args, **kwargs)


class Attendance(models.Model):
    """A member's sign-up (报名) and check-in (签到) at an activity; a checked-in row is one person-time."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances",
                                 verbose_name=_("活动"))
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("党员"))
    signed_up_at = models.DateTimeField(_("报名时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(chain="activity__chain_id", enterprise="member__party_org__enterprise_id",
                  org_path=("activity__lead_org__path", "member__party_org__path"))

    class Meta:
        verbose_name = _("参加记录")
        verbose_name_plural = _("参加记录")
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_unique")]
        indexes = [models.Index(fields=["activity", "checked_in_at"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.activity}"


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    MEMBER = "member", _("委员")


class ManagerLevel(models.TextChoices):
    SENIOR = "senior", _("高层管理人员")
    MIDDLE = "middle", _("中层管理人员")


class Manager(models.Model):
    """A firm's middle or senior manager (中高层管理人员): the base of its cross-appointment rate."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="managers",
                                   verbose_name=_("企业"))
    name = models.CharField(_("姓名"), max_length=50)
    level = models.CharField(_("层级"), max_length=8, choices=ManagerLevel.choices)
    title = models.CharField(_("职务"), max_length=60)
    member = models.ForeignKey("orgs.Member", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="manager_posts", verbose_name=_("党员"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain=_firm_on_chain("enterprise_id"), enterprise="enterprise_id")

    class Meta:
        verbose_name = _("中高层管理人员")
        verbose_name_plural = _("中高层管理人员")
        ordering = ["enterprise", "level", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="manager_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）"


class CommitteePost(models.Model):
    """A seat on a party org's committee (支部委员会/党委) for a term; ``manager`` marks a cross-appointment."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    party_org = models.ForeignKey("orgs.PartyOrg", on_delete=models.PROTECT, related_name="committee_posts",
                                  verbose_name=_("党组织"))
    post = models.CharField(_("职务"), max_length=14, choices=PostKind.choices)
    person_name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey("orgs.Member", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="committee_posts", verbose_name=_("党员"))
    manager = models.ForeignKey(Manager, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="committee_posts", verbose_name=_("兼任的企业管理职务"))
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="party_org__chain_id", enterprise="party_org__enterprise_id",
                  department="party_org__department_id", institution="party_org__institution_id",
                  org_path="party_org__path")

    class Meta:
        verbose_name = _("党组织委员")
        verbose_name_plural = _("党组织委员")
        ordering = ["party_org", "post", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party_org", "person_name", "term_start"], name="committeepost_unique"),
            models.CheckConstraint(name="committeepost_term_order", condition=Q(term_end__gt=models.F("term_start")),
                                   violation_error_message="任期届满日期须晚于任期开始日期"),
        ]

    def __str__(self) -> str:
        return f"{self.party_org} {self.get_post_display()} {self.person_name}"


class ReminderKind(models.TextChoices):
    NO_MEETING = "no_meeting", _("本月未开展三会一课")
    CULTIVATION_DUE = "cultivation_due", _("双培养到期")
    TERM_ENDING = "term_ending", _("换届到期")


class Reminder(models.Model):
    """A reminder the tick raised (once: ``key`` is unique), shown on the housekeeping page."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    kind = models.CharField(_("提醒类型"), max_length=16, choices=ReminderKind.choices)
    party_org = models.ForeignKey("orgs.PartyOrg", on_delete=models.CASCADE, related_name="reminders",
                                  verbose_name=_("党组织"))
    text = models.CharField(_("提醒内容"), max_length=300)
    due_on = models.DateField(_("日期"))
    key = models.CharField(max_length=80, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="party_org__chain_id", enterprise="party_org__enterprise_id",
                  department="party_org__department_id", institution="party_org__institution_id",
                  org_path="party_org__path")

    class Meta:
        verbose_name = _("工作提醒")
        verbose_name_plural = _("工作提醒")
        ordering = ["-due_on", "-id"]
        indexes = [models.Index(fields=["zone", "-due_on"])]

    def __str__(self) -> str:
        return self.text
