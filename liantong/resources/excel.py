"""Excel columns of the resources app's lists (export; the lists are kept through their pages and API)."""

from __future__ import annotations

from liantong.core import dicts
from liantong.core.calendar import SHANGHAI
from liantong.core.excel import Spec, XCol
from liantong.core.services import ServiceError


def _export_only(row, actor, ctx):
    raise ServiceError("该清单仅支持导出，请在页面上逐条维护")


def _spec(kind: str, title: str, columns: list[XCol]) -> Spec:
    return Spec(kind=kind, title=title, columns=columns, key=lambda row: None, resolve=lambda row, ctx: {},
                save=_export_only)


def _d(code, attr):
    return lambda o, u: dicts.label(code, getattr(o, attr))


def _date(attr):
    return lambda o, u: getattr(o, attr).isoformat() if getattr(o, attr) else ""


DEPT_RESOURCE = _spec("department-resources", "部门资源清单", [
    XCol("资源名称", "title", width=28),
    XCol("资源类别", "kind", export=_d("dept_resource_kind", "kind")),
    XCol("发布部门", "department", export=lambda o, u: o.department.name, width=22),
    XCol("资源内容", "description", width=40),
    XCol("申请条件", "conditions", width=40),
    XCol("额度/数量", "quota", export=lambda o, u: o.quota),
    XCol("联系人", "contact_name"),
    XCol("联系电话", "contact_phone"),
    XCol("有效期起", "valid_from", export=_date("valid_from")),
    XCol("有效期止", "valid_until", export=_date("valid_until")),
    XCol("状态", "status", export=_d("resource_status", "status")),
])

PROJECT = _spec("action-projects", "行动项目清单", [
    XCol("项目名称", "title", width=32),
    XCol("书记项目", "flagship"),
    XCol("负责人", "owner_name"),
    XCol("责任单位", "unit", export=lambda o, u: str(o.unit or ""), width=26),
    XCol("产业链", "chain", export=lambda o, u: o.chain.name if o.chain_id else ""),
    XCol("进度（%）", "progress", export=lambda o, u: o.progress),
    XCol("项目节点", "milestones", export=lambda o, u: "；".join(
        f"{m.title}（计划{m.due_on:%Y-%m-%d}{'，已完成' if m.done_on else ''}）" for m in o.milestones.all()), width=60),
    XCol("状态", "status", export=_d("project_status", "status")),
])

SHARED = _spec("shared-resources", "资源共享清单", [
    XCol("资源名称", "name", width=30),
    XCol("资源类别", "category", export=_d("shared_category", "category")),
    XCol("提供企业", "owner", export=lambda o, u: o.owner.name, width=30),
    XCol("产业链", "chain", export=lambda o, u: o.chain.name if o.chain_id else ""),
    XCol("收费标准与条件", "terms", width=40),
    XCol("所在地点", "location", width=24),
    XCol("联系人", "contact_name"),
    XCol("联系电话", "contact_phone"),
    XCol("状态", "status", export=_d("shared_status", "status")),
])

BOOKING = _spec("bookings", "共享资源预约", [
    XCol("共享资源", "resource", export=lambda o, u: o.resource.name, width=30),
    XCol("申请企业", "requester", export=lambda o, u: o.requester.name, width=30),
    XCol("开始日期", "start_on", export=_date("start_on")),
    XCol("结束日期", "end_on", export=_date("end_on")),
    XCol("用途", "purpose", width=30),
    XCol("状态", "state", export=_d("booking_state", "state")),
    XCol("处理意见", "reason", width=30),
])

VISIT = _spec("service-visits", "帮办服务记录", [
    XCol("服务日期", "visited_on", export=_date("visited_on")),
    XCol("小分队", "squad", export=lambda o, u: o.squad.name, width=26),
    XCol("服务企业", "enterprise", export=lambda o, u: o.enterprise.name, width=30),
    XCol("服务类型", "kind", export=_d("visit_kind", "kind")),
    XCol("服务时长（小时）", "hours", export=lambda o, u: float(o.hours)),
    XCol("参与人次", "participants"),
    XCol("服务成效", "result", width=40),
])

SQUAD = _spec("service-squads", "帮办服务小分队", [
    XCol("小分队", "name", width=30),
    XCol("产业链", "chain", export=lambda o, u: o.chain.name if o.chain_id else ""),
    XCol("队长", "leader_name"),
    XCol("其他队员", "member_names", width=30),
    XCol("服务次数", "n_visits", export=lambda o, u: getattr(o, "n_visits", o.visits.count())),
])

MEETING = _spec("joint-meetings", "联席会议", [
    XCol("会议名称", "title", width=30),
    XCol("产业链", "chain", export=lambda o, u: o.chain.name),
    XCol("会议日期", "held_on", export=_date("held_on")),
    XCol("地点", "location"),
    XCol("主持人", "host"),
    XCol("会议纪要", "minutes", width=50),
])

RESOLUTION = _spec("resolutions", "议定事项督办", [
    XCol("会议", "meeting", export=lambda o, u: str(o.meeting.title), width=28),
    XCol("序号", "seq"),
    XCol("议定事项", "content", width=40),
    XCol("责任单位", "owner", export=lambda o, u: str(o.owner or ""), width=26),
    XCol("责任人", "owner_name"),
    XCol("时限（工作日）", "workdays"),
    XCol("办理时限", "due_at", export=lambda o, u: o.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d")),
    XCol("状态", "state", export=_d("resolution_state", "state")),
    XCol("红黄牌", "card", export=lambda o, u: {"red": "红牌", "yellow": "黄牌"}.get(o.card_level(), "")),
    XCol("办理结果", "result", width=40),
])
