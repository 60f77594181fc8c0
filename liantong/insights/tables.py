"""Columns, filters and the lists' read declarations (page, API, export) of the investment strand."""

from liantong.core.lists import Listing
from liantong.core.tables import Column, Filter, sorts
from liantong.orgs.tables import CHAIN, ZONE

from .models import InvestmentProject, TargetFirm, TaskForce

PROJECT_COLUMNS = [
    Column("项目名称", "name", link="insights:project_detail", order="name"),
    Column("产业链", "chain.name"),
    Column("补强环节", "node.name"),
    Column("投资方", "investor"),
    Column("总投资（万元）", "amount", order="amount"),
    Column("阶段", "stage", dict_code="project_stage"),
    Column("签约日期", "signed_on", order="signed_on"),
    Column("招商专班", "task_force.name"),
]
PROJECT_FILTERS = [
    ZONE, CHAIN,
    Filter("stage", "阶段", "stage__in", "project_stage"),
    Filter("task_force", "招商专班", "task_force_id", None),
    Filter("signed_from", "签约日期起", "signed_on__gte", None),
    Filter("signed_to", "签约日期止", "signed_on__lte", None),
    Filter("producing_from", "投产日期起", "producing_on__gte", None),
    Filter("producing_to", "投产日期止", "producing_on__lte", None),
]
PROJECTS = Listing(InvestmentProject, filters=PROJECT_FILTERS, search_fields=["name", "investor"],
                   ordering=("-talks_on", "-id"), sorts=sorts(PROJECT_COLUMNS),
                   select_related=["chain", "node", "task_force"])

TARGET_COLUMNS = [
    Column("目标企业", "name", link="insights:target_detail", order="name"),
    Column("产业链", "chain.name"),
    Column("对应环节", "node.name"),
    Column("补强延", "gap_kind", dict_code="gap_kind"),
    Column("所在地区", "region"),
    Column("主营产品", "product"),
    Column("跟进状态", "status", dict_code="target_status"),
]
TARGET_FILTERS = [ZONE, CHAIN, Filter("gap_kind", "补强延", "gap_kind", "gap_kind"),
                  Filter("status", "跟进状态", "status", "target_status"),
                  Filter("node", "环节", "node_id", None)]
TARGETS = Listing(TargetFirm, filters=TARGET_FILTERS, search_fields=["name", "product", "region"],
                  sorts=sorts(TARGET_COLUMNS), select_related=["chain", "node"])

TASK_FORCE_COLUMNS = [
    Column("专班名称", "name", link="insights:taskforce_detail", order="name"),
    Column("产业链", "chain.name"),
    Column("专班负责人", "leader_name"),
    Column("成立日期", "established_on", order="established_on"),
]
TASK_FORCES = Listing(TaskForce, filters=[ZONE, CHAIN], search_fields=["name", "leader_name"], ordering="id",
                      sorts=sorts(TASK_FORCE_COLUMNS), select_related=["chain"])
