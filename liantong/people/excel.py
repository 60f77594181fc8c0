"""Excel of the people strand, on the shared machinery (``core/excel.py``: one ``Spec`` for template, import
and export; imports all or nothing with ``第N行 列名: 问题``):

* ``TALENT_NEED``: the talent catalogue (导出 from its list, importable back);
* ``ATTENDANCE``: who attended which activity (活动名称 + 活动日期 find the activity the importer may manage;
  姓名 + 公民身份号码 a member of its organising orgs). Importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from liantong.core import dicts, pii
from liantong.core.excel import CellError, Spec, XCol, choice_parser, parse_date
from liantong.core.identifiers import id_error, normalise
from liantong.orgs.models import Chain, Enterprise

from . import services
from .models import Activity, Attendance, TalentNeed


def _dict_choices(code):
    return lambda: dicts.choices(code)


def _positive(value):
    try:
        n = int(float(str(value).strip()))
    except (TypeError, ValueError):
        raise CellError("应为整数") from None
    if n < 0 or n > 100_000_000:
        raise CellError("应为 0 至 1 亿之间的整数")
    return n


def _id_number(value):
    number = normalise(value)
    err = id_error(number)
    if err:
        raise CellError(err)
    return number


def _datetime(value):
    if isinstance(value, datetime.datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    day = parse_date(value)
    return None if day is None else timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


# --- 急需紧缺人才需求目录 -----------------------------------------------------------------------------------


def _resolve_need(row, ctx):
    errors = {}
    actor = ctx["actor"]
    chains = Chain.objects.visible_to(actor)
    row["chain"] = chains.filter(name=row["chain_name"]).first() if row.get("chain_name") else None
    if row["chain"] is None:
        errors["产业链"] = f"产业链“{row.get('chain_name', '')}”不存在或您无权查看"
    row["enterprise"] = None
    if row.get("enterprise_name"):
        row["enterprise"] = Enterprise.objects.visible_to(actor, for_write=True).filter(
            name=row["enterprise_name"]).first()
        if row["enterprise"] is None:
            errors["需求企业"] = f"企业“{row['enterprise_name']}”不存在或您无权管理"
    if row.get("salary_min") and row.get("salary_max") and row["salary_max"] < row["salary_min"]:
        errors["月薪上限（元）"] = "月薪上限不能低于下限"
    return errors


def _save_need(row, actor, ctx):
    existing = TalentNeed.objects.filter(chain=row["chain"], enterprise=row["enterprise"], post=row["post"],
                                         major=row["major"]).first()
    fields = {"degree": row["degree"] or "bachelor", "headcount": row["headcount"] or 1,
              "salary_min": row["salary_min"] or None, "salary_max": row["salary_max"] or None,
              "urgency": row["urgency"] or "short", "valid_until": row["valid_until"]}
    if existing is not None and all(getattr(existing, k) == v for k, v in fields.items()):
        return "unchanged"
    services.save_talent_need(actor=actor, zone=row["chain"].zone, chain=row["chain"], enterprise=row["enterprise"],
                              post=row["post"], major=row["major"], need=existing, **fields)
    return "created" if existing is None else "updated"


TALENT_NEED = Spec(
    kind="talent-needs",
    title="急需紧缺人才需求目录",
    key_title="岗位",
    columns=[
        XCol("产业链", "chain_name", required=True, export=lambda o, u: o.chain.name, width=24),
        XCol("需求企业", "enterprise_name", export=lambda o, u: o.enterprise.name if o.enterprise_id else "", width=28),
        XCol("岗位", "post", required=True, width=20),
        XCol("专业", "major", required=True, width=20),
        XCol("学历", "degree", parse=choice_parser(_dict_choices("degree")), choices=_dict_choices("degree"),
             export=lambda o, u: dicts.label("degree", o.degree)),
        XCol("需求人数", "headcount", parse=_positive),
        XCol("月薪下限（元）", "salary_min", parse=_positive),
        XCol("月薪上限（元）", "salary_max", parse=_positive),
        XCol("紧缺程度", "urgency", parse=choice_parser(_dict_choices("urgency")), choices=_dict_choices("urgency"),
             export=lambda o, u: dicts.label("urgency", o.urgency)),
        XCol("有效期至", "valid_until", parse=parse_date),
    ],
    key=lambda r: (r.get("chain_name"), r.get("enterprise_name"), r.get("post"), r.get("major")),
    resolve=_resolve_need,
    save=_save_need,
    queryset=lambda user: TalentNeed.objects.visible_to(user).select_related("chain", "enterprise"),
)


# --- 活动参加记录 -----------------------------------------------------------------------------------------


def _activity(row, ctx):
    key = (row.get("title"), row.get("held_on"))
    cache = ctx.setdefault("_activities", {})
    if key not in cache:
        cache[key] = (Activity.objects.visible_to(ctx["actor"], for_write=True)
                      .filter(title=row.get("title"), held_on=row.get("held_on")).order_by("pk").first())
    return cache[key]


def _members_of(activity, ctx) -> dict:
    """``{id_hash: (member_id, name)}`` of the activity's organising orgs, read once per activity."""
    cache = ctx.setdefault("_members", {})
    if activity.pk not in cache:
        cache[activity.pk] = {h: (pk, name) for pk, name, h in
                              services.organiser_members(activity).values_list("pk", "name", "id_hash")}
    return cache[activity.pk]


def _resolve_attendance(row, ctx):
    errors = {}
    activity = row["activity"] = _activity(row, ctx) if row.get("title") and row.get("held_on") else None
    if activity is None:
        errors["活动名称"] = "未找到该日期的活动，或您无权管理"
        return errors
    if not row.get("id_number"):
        return errors
    found = _members_of(activity, ctx).get(pii.keyed_hash(row["id_number"]))
    if found is None:
        errors["公民身份号码"] = "未找到该党员：不是组织单位的党员，或尚未登记"
    elif row.get("name") and found[1] != row["name"]:
        errors["姓名"] = f"与登记的姓名（{found[1]}）不一致"
    else:
        row["member_id"] = found[0]
    return errors


def _save_attendance(row, actor, ctx):
    """One attendance: created (checked in), or unchanged when the member is already checked in. The rows
    are written in the import's transaction; its audit row (``导入``) records the counts."""
    activity = row["activity"]
    done = ctx.setdefault("_attended", {})
    if activity.pk not in done:
        done[activity.pk] = dict(Attendance.objects.filter(activity=activity).values_list("member_id", "checked_in_at"))
    seen = done[activity.pk]
    at = row["checked_in_at"] or _datetime(activity.held_on)
    if row["member_id"] in seen:
        if seen[row["member_id"]] is not None:
            return "unchanged"
        Attendance.objects.filter(activity=activity, member_id=row["member_id"]).update(checked_in_at=at)
        seen[row["member_id"]] = at
        return "updated"
    Attendance.objects.create(zone_id=activity.zone_id, activity=activity, member_id=row["member_id"],
                              signed_up_at=at, checked_in_at=at)
    seen[row["member_id"]] = at
    return "created"


ATTENDANCE = Spec(
    kind="attendance",
    title="活动参加记录",
    key_title="公民身份号码",
    columns=[
        XCol("活动名称", "title", required=True, export=lambda o, u: o.activity.title, width=30),
        XCol("活动日期", "held_on", required=True, parse=parse_date, export=lambda o, u: o.activity.held_on),
        XCol("姓名", "name", required=True, export=lambda o, u: o.member.name),
        XCol("公民身份号码", "id_number", required=True, parse=_id_number, export=lambda o, u: o.member.id_masked,
             width=22),
        XCol("签到时间", "checked_in_at", parse=_datetime,
             export=lambda o, u: timezone.localtime(o.checked_in_at).replace(tzinfo=None) if o.checked_in_at else ""),
    ],
    key=lambda r: (r.get("title"), r.get("held_on"), r.get("id_number")),
    resolve=_resolve_attendance,
    save=_save_attendance,
    queryset=lambda user: Attendance.objects.visible_to(user).select_related("activity", "member"),
)

SPECS = {s.kind: s for s in (TALENT_NEED, ATTENDANCE)}
