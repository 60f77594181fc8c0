"""Excel columns of the supply–demand strand: listings (import and export) and deals (export)."""

from __future__ import annotations

from django.db.models import Q

from liantong.core import dicts
from liantong.core.excel import CellError, Spec, XCol, choice_parser, clean_text, parse_date
from liantong.core.models import Zone
from liantong.orgs.models import Chain, ChainNode, Enterprise

from . import services
from .models import Deal, Listing, ListingKind


def _kind_choices():
    return [(v, str(lbl)) for v, lbl in ListingKind.choices]


def _category(value):
    text = clean_text(value)
    if not text:
        return ""
    code = dicts.value_for_label("listing_category", text)
    if code is None:
        raise CellError("应为以下之一：" + "、".join(lbl for _, lbl in dicts.choices("listing_category")))
    return code


def _description(value):
    text = "" if value is None else str(value).strip()
    from .models import DESCRIPTION_MAX

    if len(text) > DESCRIPTION_MAX:
        raise CellError(f"不能超过 {DESCRIPTION_MAX} 个字（当前 {len(text)} 个）")
    return text


def _title(value):
    text = clean_text(value)
    if len(text) > services.TITLE_MAX:
        raise CellError(f"不能超过 {services.TITLE_MAX} 个字")
    return text


def _resolve_listing(row, ctx):
    errors: dict[str, str] = {}
    actor = ctx["actor"]
    zones = Zone.objects.visible_to(actor, for_write=True) if not actor.is_superuser else Zone.objects.all()
    zone = zones.filter(Q(name=row["zone_name"]) | Q(short_name=row["zone_name"])).first()
    row["zone"] = zone
    if zone is None:
        errors["所属园区"] = f"园区“{row['zone_name']}”不存在或您无权导入"
        return errors
    ent = Enterprise.objects.filter(zone=zone, name=row["enterprise_name"]).first()
    if ent is None:
        errors["发布企业"] = f"企业“{row['enterprise_name']}”不在该园区"
    elif not Enterprise.objects.visible_to(actor, for_write=True).filter(pk=ent.pk).exists():
        errors["发布企业"] = "您无权代表该企业发布"
    row["enterprise"] = ent
    chain = Chain.objects.filter(zone=zone, name=row["chain_name"]).first()
    row["chain"] = chain
    row["node"] = None
    if chain is None:
        errors["产业链"] = f"产业链“{row['chain_name']}”不在该园区"
    elif row.get("node_name"):
        row["node"] = ChainNode.objects.filter(chain=chain, name=row["node_name"]).first()
        if row["node"] is None:
            errors["所在环节"] = f"环节“{row['node_name']}”不在该产业链上"
    if ent is not None and chain is not None and row["kind"] == ListingKind.SCENARIO and \
            not services.is_chain_master(ent, chain):
        errors["类型"] = "只有链主企业可以发布开放场景"
    if row.get("ref"):
        existing = Listing.objects.filter(zone=zone, ref=row["ref"]).first()
        if existing is not None and not Listing.objects.visible_to(actor, for_write=True).filter(
                pk=existing.pk).exists():
            errors["外部编号"] = "该编号的信息已存在，您无权修改"
    return errors


def _save_listing(row, actor, ctx):
    existing = Listing.objects.filter(zone=row["zone"], ref=row["ref"]).first() if row.get("ref") else None
    before = existing.updated_at if existing else None
    obj = services.save_listing(
        actor=actor, listing=existing, enterprise=row["enterprise"], chain=row["chain"], node=row["node"],
        kind=row["kind"], title=row["title"], description=row["description"], keywords=row["keywords"],
        category=row["category"] or "", quantity=row["quantity"], region=row["region"],
        valid_until=row["valid_until"], ref=row["ref"] or "")
    if existing is None:
        return "created"
    return "unchanged" if obj.updated_at == before else "updated"


LISTING = Spec(
    kind="listings",
    title="供需信息",
    key_title="外部编号",
    columns=[
        XCol("外部编号", "ref", width=12),
        XCol("类型", "kind", required=True, parse=choice_parser(_kind_choices), choices=_kind_choices,
             export=lambda o, u: o.get_kind_display()),
        XCol("标题", "title", required=True, parse=_title, width=30),
        XCol("发布企业", "enterprise_name", required=True, export=lambda o, u: o.enterprise.name, width=28),
        XCol("所属园区", "zone_name", required=True, export=lambda o, u: o.zone.name),
        XCol("产业链", "chain_name", required=True, export=lambda o, u: o.chain.name),
        XCol("所在环节", "node_name", export=lambda o, u: o.node.name if o.node_id else ""),
        XCol("详细说明", "description", parse=_description, width=50),
        XCol("关键词", "keywords", export=lambda o, u: "、".join(o.keywords or []), width=24),
        XCol("类别", "category", parse=_category, choices=lambda: dicts.choices("listing_category"),
             export=lambda o, u: dicts.label("listing_category", o.category) if o.category else ""),
        XCol("数量/规模", "quantity"),
        XCol("地区", "region"),
        XCol("有效期至", "valid_until", parse=parse_date),
        XCol("状态", "status", export=lambda o, u: o.get_status_display()),
    ],
    key=lambda row: (row.get("zone_name"), row["ref"]) if row.get("ref") else None,
    resolve=_resolve_listing,
    save=_save_listing,
    queryset=lambda user: Listing.objects.visible_to(user).select_related("zone", "enterprise", "chain", "node"),
)


def _not_importable(row, ctx):
    return {"数据": "对接成果请在系统中由对接双方登记，不支持导入"}


DEAL = Spec(
    kind="deals",
    title="对接成果",
    columns=[
        XCol("签约内容", "title", width=30),
        XCol("供方企业", "supplier", export=lambda o, u: o.supplier.name, width=28),
        XCol("需方企业", "buyer", export=lambda o, u: o.buyer.name, width=28),
        XCol("产业链", "chain", export=lambda o, u: o.chain.name if o.chain_id else ""),
        XCol("金额（万元）", "amount", export=lambda o, u: float(o.amount)),
        XCol("签约日期", "signed_on"),
        XCol("合同状态", "contract_status", export=lambda o, u: o.get_contract_status_display()),
        XCol("对接会", "meeting", export=lambda o, u: o.meeting.title if o.meeting_id else ""),
    ],
    key=lambda row: None,
    resolve=_not_importable,
    save=lambda row, actor, ctx: "unchanged",
    queryset=lambda user: Deal.objects.visible_to(user).select_related("supplier", "buyer", "chain", "meeting"),
)

SPECS = {"listings": LISTING}
EXPORT_ONLY = {"deals": DEAL}
