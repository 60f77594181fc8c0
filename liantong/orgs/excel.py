"""Excel columns of the organisation strand: enterprises, party orgs, members (issue #2 headers, in order)."""

from __future__ import annotations

from django.utils import timezone

from liantong.core import dicts, pii
from liantong.core.excel import CellError, Spec, XCol, choice_parser, parse_bool, parse_date
from liantong.core.identifiers import PHONE_RE, id_birth_date, id_error, id_gender, normalise, uscc_error
from liantong.core.models import Zone
from liantong.core.services import ServiceError

from . import services, transfers
from .models import (
    Chain,
    ChainNode,
    ChainRole,
    Enterprise,
    Gender,
    Member,
    MemberStatus,
    OrgKind,
    PartyOrg,
    Scale,
)


def _choices(enum, code=None):
    """Choices for an Excel column: the admin-editable dictionary's labels when one is bound."""
    if code:
        return lambda: dicts.choices(code)
    return lambda: [(v, str(lbl)) for v, lbl in enum.choices]


def _credit_code(value):
    code = normalise(value)
    err = uscc_error(code)
    if err:
        raise CellError(err)
    return code


def _id_number(value):
    number = normalise(value)
    err = id_error(number)
    if err:
        raise CellError(err)
    return number


def _phone(value):
    text = normalise(value)
    if text and not PHONE_RE.match(text):
        raise CellError("手机/电话号码格式不正确")
    return text


def _writable_zones(actor):
    """Zones a user may import into: every zone for platform admins, else the user's own zone (what the
    user may then change inside it is checked row by row against the scoping layer)."""
    if actor.is_platform_admin:
        return Zone.objects.all()
    return Zone.objects.filter(pk=actor.zone_id)


def _zone(row, ctx, errors):
    name = row.get("zone_name") or ""
    zones = ctx.setdefault("_zones", {})
    if name not in zones:
        from django.db.models import Q

        zones[name] = _writable_zones(ctx["actor"]).filter(Q(name=name) | Q(short_name=name)).first()
    zone = zones[name]
    if zone is None:
        errors["所属园区"] = f"园区“{name}”不存在或您无权导入"
    return zone


# --- 企业 -------------------------------------------------------------------------------------------

def _resolve_enterprise(row, ctx):
    errors: dict[str, str] = {}
    zone = row["zone"] = _zone(row, ctx, errors)
    row["chain"] = row["node"] = None
    if zone and row.get("chain_name"):
        row["chain"] = Chain.objects.filter(zone=zone, name=row["chain_name"]).first()
        if row["chain"] is None:
            errors["所属产业链"] = f"产业链“{row['chain_name']}”不存在"
        elif row.get("node_name"):
            row["node"] = ChainNode.objects.filter(chain=row["chain"], name=row["node_name"]).first()
            if row["node"] is None:
                errors["所在环节"] = f"环节“{row['node_name']}”不在该产业链上"
    elif row.get("role") or row.get("node_name"):
        errors["所属产业链"] = "填写了链上角色或环节时，须填写所属产业链"
    existing = Enterprise.objects.filter(credit_code=row["credit_code"]).first()
    if existing is not None and zone is not None:
        if existing.zone_id != zone.pk:
            errors["统一社会信用代码"] = "该代码已登记在其他园区"
        elif not Enterprise.objects.visible_to(ctx["actor"], for_write=True).filter(pk=existing.pk).exists():
            errors["统一社会信用代码"] = "该企业已存在，您无权修改"
    return errors


def _save_enterprise(row, actor, ctx):
    ent, state = services.save_enterprise(
        actor=actor, zone=row["zone"], credit_code=row["credit_code"], name=row["name"], address=row["address"],
        scale=row["scale"] or "", is_hightech=bool(row["is_hightech"]), contact_name=row["contact_name"],
        contact_phone=row["contact_phone"])
    if row["chain"] is not None:
        _, mstate = services.set_membership(actor=actor, enterprise=ent, chain=row["chain"],
                                            role=row["role"] or ChainRole.MEMBER, node=row["node"])
        if state == "unchanged" and mstate != "unchanged":
            state = "updated"
    return state


def _enterprise_chain(obj, user):
    m = obj.memberships.all()[:1]
    return m[0] if m else None


ENTERPRISE = Spec(
    kind="enterprises",
    title="企业",
    key_title="统一社会信用代码",
    columns=[
        XCol("企业名称", "name", required=True, width=30),
        XCol("统一社会信用代码", "credit_code", required=True, parse=_credit_code, width=22),
        XCol("所属园区", "zone_name", required=True, export=lambda o, u: o.zone.name),
        XCol("所属产业链", "chain_name",
             export=lambda o, u: (m.chain.name if (m := _enterprise_chain(o, u)) else "")),
        XCol("链上角色", "role", parse=choice_parser(_choices(ChainRole, "chain_role")), choices=_choices(ChainRole, "chain_role"),
             export=lambda o, u: (dicts.label("chain_role", m.role) if (m := _enterprise_chain(o, u)) else "")),
        XCol("所在环节", "node_name",
             export=lambda o, u: (m.node.name if (m := _enterprise_chain(o, u)) and m.node else "")),
        XCol("注册地址", "address", width=30),
        XCol("企业规模", "scale", parse=choice_parser(_choices(Scale, "scale")), choices=_choices(Scale, "scale"),
             export=lambda o, u: dicts.label("scale", o.scale)),
        XCol("是否高新技术企业", "is_hightech", parse=parse_bool, choices=lambda: [("是", "是"), ("否", "否")]),
        XCol("联系人", "contact_name"),
        XCol("联系电话", "contact_phone", parse=_phone),
    ],
    key=lambda row: row.get("credit_code"),
    resolve=_resolve_enterprise,
    save=_save_enterprise,
    queryset=lambda user: Enterprise.objects.visible_to(user).select_related("zone").prefetch_related(
        "memberships__chain", "memberships__node"),
)


# --- 党组织 -----------------------------------------------------------------------------------------

def _resolve_party_org(row, ctx):
    errors: dict[str, str] = {}
    zone = row["zone"] = _zone(row, ctx, errors)
    if zone is None:
        return errors
    row["parent"] = PartyOrg.objects.filter(zone=zone, name=row["parent_name"]).first()
    if row["parent"] is not None and not PartyOrg.objects.visible_to(ctx["actor"], for_write=True).filter(
            pk=row["parent"].pk).exists():
        errors["上级组织"] = f"您无权在“{row['parent_name']}”下建立或调整组织"
    if row["parent"] is None:
        # the parent may be created by an earlier row of the same file
        pending = ctx.setdefault("_pending_orgs", set())
        if (zone.pk, row["parent_name"]) not in pending:
            errors["上级组织"] = f"上级组织“{row['parent_name']}”不存在"
    if row["kind"] == OrgKind.ZONE_COMMITTEE:
        errors["组织类别"] = "党工委随园区创建，不能导入"
    row["enterprise"] = row["department"] = row["institution"] = None
    unit = row.get("unit_name")
    if unit:
        row["enterprise"] = Enterprise.objects.filter(zone=zone, name=unit).first()
        if row["enterprise"] is None:
            from .models import Department, Institution

            row["department"] = Department.objects.filter(zone=zone, name=unit).first()
            row["institution"] = None if row["department"] else Institution.objects.filter(zone=zone, name=unit).first()
            if not (row["department"] or row["institution"]):
                errors["所属单位"] = f"单位“{unit}”不存在（应为本园区的企业、部门或高校）"
    row["chain"] = None
    if row.get("chain_name"):
        row["chain"] = Chain.objects.filter(zone=zone, name=row["chain_name"]).first()
        if row["chain"] is None:
            errors["所属产业链"] = f"产业链“{row['chain_name']}”不存在"
    if row["kind"] == OrgKind.CHAIN_COMMITTEE and not row.get("chain_name"):
        errors["所属产业链"] = "联合党委须填写所属产业链"
    if row.get("established_on") and row.get("term_end") and row["term_end"] < row["established_on"]:
        errors["换届日期"] = "换届日期早于成立日期"
    existing = PartyOrg.objects.filter(zone=zone, name=row["name"]).first()
    if existing and not PartyOrg.objects.visible_to(ctx["actor"], for_write=True).filter(pk=existing.pk).exists():
        errors["组织名称"] = "该组织已存在，您无权修改"
    if not errors:
        ctx.setdefault("_pending_orgs", set()).add((zone.pk, row["name"]))
    return errors


def _save_party_org(row, actor, ctx):
    zone = row["zone"]
    parent = row["parent"] or PartyOrg.objects.get(zone=zone, name=row["parent_name"])
    existing = PartyOrg.objects.filter(zone=zone, name=row["name"]).first()
    before = None if existing is None else services.audit.snapshot(existing)
    org = services.save_party_org(
        actor=actor, zone=zone, name=row["name"], kind=row["kind"], parent=parent, org=existing,
        chain=row["chain"], enterprise=row["enterprise"], department=row["department"],
        institution=row["institution"], established_on=row["established_on"], term_end=row["term_end"],
        secretary_name=row["secretary_name"])
    if existing is None:
        return "created"
    return "unchanged" if services.audit.snapshot(org) == before else "updated"


PARTY_ORG = Spec(
    kind="party-orgs",
    title="党组织",
    key_title="组织名称",
    columns=[
        XCol("组织名称", "name", required=True, width=34),
        XCol("组织类别", "kind", required=True, parse=choice_parser(_choices(OrgKind, "org_kind")), choices=_choices(OrgKind, "org_kind"),
             export=lambda o, u: dicts.label("org_kind", o.kind)),
        XCol("上级组织", "parent_name", required=True, width=30,
             export=lambda o, u: o.parent.name if o.parent_id else ""),
        XCol("所属园区", "zone_name", required=True, export=lambda o, u: o.zone.name),
        XCol("所属单位", "unit_name", width=26,
             export=lambda o, u: str(o.enterprise or o.department or o.institution or "")),
        XCol("所属产业链", "chain_name", export=lambda o, u: o.chain.name if o.chain_id else ""),
        XCol("成立日期", "established_on", parse=parse_date),
        XCol("书记", "secretary_name"),
        XCol("换届日期", "term_end", parse=parse_date),
    ],
    key=lambda row: (row.get("zone_name"), row.get("name")),
    resolve=_resolve_party_org,
    save=_save_party_org,
    queryset=lambda user: PartyOrg.objects.visible_to(user).select_related(
        "zone", "parent", "enterprise", "department", "institution", "chain"),
)


# --- 党员 -------------------------------------------------------------------------------------------

def _prepare_members(rows, ctx):
    """What ``_resolve_member`` asks, for the whole file at once: the orgs the actor may manage by name (two
    per name at most: a name held twice is refused), the ID numbers already registered and which of those
    the actor may change."""
    actor = ctx["actor"]
    names = sorted({row["org_name"] for row in rows if row.get("org_name")})
    orgs: dict[str, list] = {}
    for part in services._in_chunks(names):
        for org in PartyOrg.objects.visible_to(actor, for_write=True).filter(name__in=part).order_by("pk"):
            orgs.setdefault(org.name, []).append(org)
    holders = services.registered_members(pii.keyed_hash(row["id_number"]) for row in rows if row.get("id_number"))
    writable: set[int] = set()
    for part in services._in_chunks(list(holders.values())):
        writable.update(services.writable_members(actor).filter(pk__in=part).values_list("pk", flat=True))
    ctx["_member_lookups"] = (orgs, holders, writable)


def _resolve_member(row, ctx):
    errors: dict[str, str] = {}
    actor = ctx["actor"]
    number = row["id_number"]
    lookups = ctx.get("_member_lookups")
    if lookups is not None:  # prepared for the whole file (``_prepare_members``)
        named, holders, writable = lookups
        orgs = named.get(row["org_name"], [])[:2]
        existing = holders.get(pii.keyed_hash(number)) if number else None
        takeover = existing is not None and existing not in writable
    else:
        orgs = list(PartyOrg.objects.visible_to(actor, for_write=True).filter(name=row["org_name"])[:2])
        existing = Member.objects.filter(id_hash=pii.keyed_hash(number)).values_list("pk", flat=True).first()
        takeover = bool(existing) and not services.writable_members(actor).filter(pk=existing).exists()
    if not orgs:
        errors["所在党组织"] = f"党组织“{row['org_name']}”不存在或您无权管理"
    elif len(orgs) > 1:
        errors["所在党组织"] = f"有多个名为“{row['org_name']}”的党组织，请联系管理员"
    else:
        row["party_org"] = orgs[0]
    if number and row.get("gender") and row["gender"] != id_gender(number):  # (no number: its cell is reported)
        errors["性别"] = "与公民身份号码不符"
    born = id_birth_date(number)
    if row.get("birth_date") and row["birth_date"] != born:
        errors["出生日期"] = "与公民身份号码不符"
    if row.get("joined_on") and born and row["joined_on"] < born:
        errors["入党日期"] = "早于出生日期"
    if takeover:
        errors["公民身份号码"] = services.TRANSFER_REQUIRED
    return errors


_MEMBER_FIELDS = ("name", "id_number", "gender", "status", "phone", "joined_on", "post")


def _member_fields(row) -> dict:
    return dict({k: row[k] for k in _MEMBER_FIELDS}, party_org=row["party_org"],
                phone=row["phone"] or "", is_tech_backbone=bool(row["is_tech_backbone"]),
                is_mgmt_backbone=bool(row["is_mgmt_backbone"]))


def _save_member(row, actor, ctx):
    _, state = services.save_member(actor=actor, **_member_fields(row))
    return state


def _build_members(rows, actor, ctx):
    return services.prepare_members(actor=actor, rows=[_member_fields(row) for row in rows])


def _save_members(batch, actor, ctx):
    counts, refused = services.import_members(actor=actor, batch=batch)
    column = {"party_org": "org_name"}
    return counts, [(i, column.get(field, field), message) for i, field, message in refused]


def _member_personal(key):
    """Exports are lists: masked for everyone (the full value is a detail read, audited one by one)."""

    def export(obj, user):
        return services.masked_personal(obj)[key]

    return export


MEMBER = Spec(
    kind="members",
    title="党员",
    key_title="公民身份号码",
    columns=[
        XCol("姓名", "name", required=True),
        XCol("性别", "gender", required=True, parse=choice_parser(_choices(Gender, "gender")), choices=_choices(Gender, "gender"),
             export=lambda o, u: dicts.label("gender", o.gender)),
        XCol("公民身份号码", "id_number", required=True, parse=_id_number, width=22,
             export=_member_personal("id_number")),
        XCol("所在党组织", "org_name", required=True, width=30, export=lambda o, u: o.party_org.name),
        XCol("人员类别", "status", required=True, parse=choice_parser(_choices(MemberStatus, "member_status")),
             choices=_choices(MemberStatus, "member_status"), export=lambda o, u: dicts.label("member_status", o.status)),
        XCol("出生日期", "birth_date", parse=parse_date, export=_member_personal("birth_date")),
        XCol("手机号码", "phone", parse=_phone, export=_member_personal("phone")),
        XCol("入党日期", "joined_on", parse=parse_date),
        XCol("工作岗位", "post"),
        XCol("是否技术骨干", "is_tech_backbone", parse=parse_bool, choices=lambda: [("是", "是"), ("否", "否")]),
        XCol("是否管理骨干", "is_mgmt_backbone", parse=parse_bool, choices=lambda: [("是", "是"), ("否", "否")]),
    ],
    key=lambda row: row.get("id_number"),
    resolve=_resolve_member,
    save=_save_member,
    prepare=_prepare_members,
    build_many=_build_members,
    save_many=_save_members,
    queryset=lambda user: Member.objects.visible_to(user).select_related("party_org", "zone"),
)

def _export_only(row, actor, ctx):
    raise ServiceError("组织关系转接仅支持导出，请在页面上发起和处理")


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


# the list page's export (rows annotated by ``transfers.with_sides``): what the page shows, masked, the sending
# org hidden from the receiving side until the transfer is accepted
TRANSFER = Spec(
    kind="member-transfers",
    title="组织关系转接",
    columns=[
        XCol("姓名（申请填写）", "requested_name"),
        XCol("公民身份号码", "id_number", width=22, export=lambda o, u: o.member.id_masked),
        XCol("转出党组织", "from_org", width=30,
             export=lambda o, u: getattr(transfers.shown_from_org(o, u), "name", "待转出方审核后显示")),
        XCol("转入党组织", "to_org", width=30, export=lambda o, u: o.to_org.name),
        XCol("状态", "state", export=lambda o, u: o.get_state_display()),
        XCol("申请说明", "note", width=30),
        XCol("处理意见", "reply", width=30),
        XCol("申请时间", "requested_at", export=lambda o, u: _local(o.requested_at)),
        XCol("处理时间", "decided_at", export=lambda o, u: _local(o.decided_at)),
    ],
    key=lambda row: None,
    resolve=lambda row, ctx: {},
    save=_export_only,
)

SPECS = {s.kind: s for s in (ENTERPRISE, PARTY_ORG, MEMBER)}

