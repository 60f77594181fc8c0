"""The people strand's lists: one ``Listing`` each (page, API, export), with their columns and filters."""

from django.utils.html import format_html

from liantong.core.lists import Listing
from liantong.core.tables import Column, Filter, sorts
from liantong.orgs.models import Enterprise, Institution, PartyOrg
from liantong.orgs.tables import CHAIN, ZONE, chain_choices

from .models import (
    Activity,
    Attendance,
    CommitteePost,
    Manager,
    Mentor,
    Placement,
    Reminder,
    TalentNeed,
    Trainee,
    TrainingProgram,
    Venue,
)
from .services import with_person_times


def firm_choices(user):
    return list(Enterprise.objects.visible_to(user).values_list("pk", "name")[:300])


def institution_choices(user):
    return list(Institution.objects.visible_to(user).values_list("pk", "name")[:300])


def org_choices(user):
    return list(PartyOrg.objects.visible_to(user).values_list("pk", "name")[:300])


def program_choices(user):
    return list(TrainingProgram.objects.visible_to(user).values_list("pk", "name")[:300])


def _salary(n):
    if n.salary_min and n.salary_max:
        return f"{n.salary_min}–{n.salary_max}"
    return n.salary_min or n.salary_max or ""


NEED_COLUMNS = [
    Column("岗位", "post", link="people:need_detail", order="post"), Column("专业", "major", order="major"),
    Column("学历", "degree", dict_code="degree"), Column("人数", "headcount", order="headcount"),
    Column("月薪（元）", "salary_min", render=_salary), Column("紧缺程度", "urgency", dict_code="urgency"),
    Column("产业链", "chain.name"), Column("需求企业", "enterprise.name"),
    Column("有效期至", "valid_until", order="valid_until"),
]
NEEDS = Listing(TalentNeed, filters=[ZONE, CHAIN, Filter("enterprise", "企业", "enterprise_id", firm_choices),
                                     Filter("degree", "学历", "degree", "degree"),
                                     Filter("urgency", "紧缺程度", "urgency", "urgency")],
                search_fields=["post", "major"], ordering=["chain_id", "-id"], sorts=sorts(NEED_COLUMNS),
                select_related=["chain", "enterprise"])

PROGRAM_COLUMNS = [
    Column("项目名称", "name", link="people:program_detail", order="name"), Column("合作院校", "institution.name"),
    Column("实训企业", "host.name"), Column("产业链", "chain.name"),
    Column("开始", "starts_on", order="starts_on"), Column("结束", "ends_on", order="ends_on"),
]
PROGRAMS = Listing(TrainingProgram, filters=[ZONE, CHAIN, Filter("host", "实训企业", "host_id", firm_choices),
                                             Filter("institution", "院校", "institution_id", institution_choices)],
                   search_fields=["name", "description"], sorts=sorts(PROGRAM_COLUMNS),
                   select_related=["institution", "host", "chain"])

MENTOR_COLUMNS = [
    Column("姓名", "name", link="people:mentor_detail", order="name"), Column("类型", "kind", dict_code="mentor_kind"),
    Column("所在企业", "enterprise.name"), Column("所在院校", "institution.name"), Column("职务/职称", "title"),
]
MENTORS = Listing(Mentor, filters=[ZONE, Filter("kind", "类型", "kind", "mentor_kind")],
                  search_fields=["name", "title"], sorts=sorts(MENTOR_COLUMNS),
                  select_related=["enterprise", "institution"])

TRAINEE_COLUMNS = [
    Column("姓名", "name", link="people:trainee_detail", order="name"), Column("专业", "major"),
    Column("学历", "degree", dict_code="degree"), Column("实训项目", "program.name"),
    Column("企业导师", "enterprise_mentor.name"), Column("院校教授", "professor.name"),
    Column("毕业日期", "graduates_on", order="graduates_on"),
]
TRAINEES = Listing(Trainee, filters=[ZONE, Filter("program", "实训项目", "program_id", program_choices),
                                     Filter("degree", "学历", "degree", "degree")],
                   search_fields=["name", "major"], sorts=sorts(TRAINEE_COLUMNS),
                   select_related=["program", "enterprise_mentor", "professor"])

PLACEMENT_COLUMNS = [
    Column("学员", "trainee.name", link="people:placement_detail"), Column("专业", "trainee.major"),
    Column("输送企业", "enterprise.name"), Column("岗位", "post"), Column("输送日期", "placed_on", order="placed_on"),
    Column("企业导师", "trainee.enterprise_mentor.name"), Column("院校教授", "trainee.professor.name"),
]
PLACEMENTS = Listing(Placement, filters=[ZONE, Filter("enterprise", "企业", "enterprise_id", firm_choices),
                                         Filter("since", "输送日期起", "placed_on__gte", None)],
                     search_fields=["trainee__name", "post"], ordering=["-placed_on", "-id"],
                     sorts=sorts(PLACEMENT_COLUMNS),
                     select_related=["trainee", "enterprise", "trainee__enterprise_mentor", "trainee__professor"])

VENUE_COLUMNS = [
    Column("阵地名称", "name", link="people:venue_detail", order="name"), Column("类型", "kind", dict_code="venue_kind"),
    Column("所在企业", "enterprise.name"), Column("容纳人数", "capacity", order="capacity"), Column("设施", "facilities"),
]
VENUES = Listing(Venue, filters=[ZONE, Filter("kind", "类型", "kind", "venue_kind")], search_fields=["name", "facilities"],
                 sorts=sorts(VENUE_COLUMNS), select_related=["enterprise"])


def _organisers(a):
    return "、".join(o.name for o in a.organisers.all())


ACTIVITY_COLUMNS = [
    Column("活动名称", "title", link="people:activity_detail", order="title"),
    Column("类型", "kind", dict_code="activity_kind"), Column("日期", "held_on", order="held_on"),
    Column("组织单位", "title", render=lambda a: format_html("{}", _organisers(a))),
    Column("产业链", "chain.name"), Column("参加人次", "person_times"),
]


def _activities(user):
    return with_person_times(Activity.objects.visible_to(user))


def _org_activities(rows, org_id, user):
    return rows.filter(organisers__in=PartyOrg.objects.visible_to(user).filter(pk=org_id))


ACTIVITIES = Listing(Activity, filters=[ZONE, CHAIN, Filter("kind", "类型", "kind", "activity_kind"),
                                        Filter("party_org", "组织单位", "lead_org_id", org_choices, apply=_org_activities),
                                        Filter("since", "日期起", "held_on__gte", None),
                                        Filter("until", "日期止", "held_on__lte", None)],
                     search_fields=["title", "summary", "place"], ordering=["-held_on", "-id"],
                     sorts=sorts(ACTIVITY_COLUMNS), select_related=["chain"], prefetch_related=["organisers", "firms"],
                     base=_activities)

ATTENDANCES = Listing(Attendance, filters=[Filter("activity", "活动", "activity_id", None)],
                      search_fields=["member__name"], ordering=["id"], select_related=["member", "member__party_org"])

POST_COLUMNS = [
    Column("姓名", "person_name", link="people:post_detail", order="person_name"),
    Column("职务", "post", dict_code="post_kind"), Column("党组织", "party_org.name"),
    Column("兼任管理职务", "manager.title"), Column("任期开始", "term_start", order="term_start"),
    Column("任期届满", "term_end", order="term_end"),
]
POSTS = Listing(CommitteePost, filters=[ZONE, Filter("party_org", "党组织", "party_org_id", org_choices),
                                        Filter("post", "职务", "post", "post_kind"),
                                        Filter("ending", "届满日期止", "term_end__lte", None)],
                search_fields=["person_name"], sorts=sorts(POST_COLUMNS), select_related=["party_org", "manager"])

MANAGER_COLUMNS = [
    Column("姓名", "name", link="people:manager_detail", order="name"), Column("企业", "enterprise.name"),
    Column("层级", "level", dict_code="manager_level"), Column("职务", "title"),
]
MANAGERS = Listing(Manager, filters=[ZONE, Filter("enterprise", "企业", "enterprise_id", firm_choices),
                                     Filter("level", "层级", "level", "manager_level")],
                   search_fields=["name", "title"], sorts=sorts(MANAGER_COLUMNS), select_related=["enterprise"])

REMINDERS = Listing(Reminder, filters=[ZONE, Filter("kind", "类型", "kind", "reminder_kind")], search_fields=["text"],
                    ordering=["-due_on", "-id"], select_related=["party_org"])

__all__ = ["chain_choices"]
