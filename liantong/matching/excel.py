"""Excel columns of the supply–demand strand: listings, deals (对接成果) and annual revenues (企业营收),
each imported (all-or-nothing, natural keys, so importing the same workbook again changes nothing) and
exported with the same columns."""

from __future__ import annotations

from django.db.models import Q

from liantong.core import audit, dicts
from liantong.core.excel import CellError, Spec, XCol, choice_parser, clean_text, parse_date
from liantong.core.models import Zone
from liantong.core.services import ServiceError
from liantong.orgs.models import Chain, ChainNode, Enterprise

from . import services
from .models import (
    NOTE_MAX,
    ContractStatus,
    Deal,
    EnterpriseRevenue,
    Listing,
    ListingKind,
    MatchmakingMeeting,
)


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


# --- deals ------------------------------------------------------------------------------------------


def _money(value):
    try:
        return services._amount(value)
    except ServiceError as exc:
        raise CellError(exc.message) from None


def _contract_status_choices():
    return [(v, str(lbl)) for v, lbl in ContractStatus.choices]


def _note(value):
    text = "" if value is None else str(value).strip()
    if len(text) > NOTE_MAX:
        raise CellError(f"不能超过 {NOTE_MAX} 个字（当前 {len(text)} 个）")
    return text


def _zone(actor, name):
    zones = Zone.objects.all() if actor.is_superuser else Zone.objects.visible_to(actor)
    return zones.filter(Q(name=name) | Q(short_name=name)).first()


def _resolve_deal(row, ctx):
    errors: dict[str, str] = {}
    actor = ctx["actor"]
    zone = row["zone"] = _zone(actor, row["zone_name"])
    if zone is None:
        return {"所属园区": f"园区“{row['zone_name']}”不存在或您无权导入"}
    firms = Enterprise.objects.visible_to(actor)
    buyer = row["buyer"] = firms.filter(zone=zone, name=row["buyer_name"]).first()
    if buyer is None:
        errors["需方企业"] = f"企业“{row['buyer_name']}”不在该园区（所属园区为需方企业所在园区）"
    supplier = firms.filter(zone=zone, name=row["supplier_name"]).first()
    if supplier is None:
        elsewhere = list(firms.filter(name=row["supplier_name"])[:2])
        supplier = elsewhere[0] if len(elsewhere) == 1 else None
    row["supplier"] = supplier
    if supplier is None:
        errors["供方企业"] = f"企业“{row['supplier_name']}”不存在或您无权访问"
    if errors:
        return errors
    if supplier.pk == buyer.pk:
        return {"需方企业": "供方与需方不能是同一企业"}
    row["chain"] = None
    if row["chain_name"]:
        row["chain"] = (Chain.objects.filter(zone_id=buyer.zone_id, name=row["chain_name"]).first()
                        or Chain.objects.filter(zone_id=supplier.zone_id, name=row["chain_name"]).first())
        if row["chain"] is None:
            errors["产业链"] = f"产业链“{row['chain_name']}”不在双方所在园区"
    row["meeting"] = None
    if row["meeting_title"]:
        meetings = MatchmakingMeeting.objects.visible_to(actor).filter(title=row["meeting_title"])
        row["meeting"] = (meetings.filter(zone_id=buyer.zone_id).first()
                          or meetings.filter(zone_id=supplier.zone_id).first())
        if row["meeting"] is None:
            errors["对接会"] = f"对接会“{row['meeting_title']}”不存在或不在双方所在园区"
    existing = Deal.objects.filter(zone_id=buyer.zone_id, supplier=supplier, buyer=buyer, title=row["title"]).first()
    row["existing"] = existing
    if existing is not None:
        if not (services.may_edit_deals(actor)
                and Deal.objects.visible_to(actor, for_write=True).filter(pk=existing.pk).exists()):
            errors["签约内容"] = "该对接成果已存在，您无权修改"
    elif not Enterprise.objects.visible_to(actor, for_write=True).filter(pk__in=[supplier.pk, buyer.pk]).exists():
        errors["供方企业"] = "您无权为这两家企业登记签约（须为其中一方或其所在产业链、园区）"
    return errors


def _save_deal(row, actor, ctx):
    existing = row["existing"]
    if existing is None:
        services.make_deal(actor=actor, title=row["title"], amount=row["amount"], signed_on=row["signed_on"],
                           contract_status=row["contract_status"] or ContractStatus.SIGNED, meeting=row["meeting"],
                           supplier=row["supplier"], buyer=row["buyer"], chain=row["chain"], note=row["note"])
        return "created"
    before = audit.snapshot(existing)
    obj = services.update_deal(existing, actor=actor, contract_status=row["contract_status"] or existing.contract_status,
                               amount=row["amount"], signed_on=row["signed_on"], note=row["note"],
                               chain=row["chain"], meeting=row["meeting"])
    return "unchanged" if audit.snapshot(obj) == before else "updated"


DEAL = Spec(
    kind="deals",
    title="对接成果",
    key_title="签约内容",
    columns=[
        XCol("签约内容", "title", required=True, parse=_title, width=30),
        XCol("供方企业", "supplier_name", required=True, export=lambda o, u: o.supplier.name, width=28),
        XCol("需方企业", "buyer_name", required=True, export=lambda o, u: o.buyer.name, width=28),
        XCol("所属园区", "zone_name", required=True, export=lambda o, u: o.zone.name),
        XCol("产业链", "chain_name", export=lambda o, u: o.chain.name if o.chain_id else ""),
        XCol("金额（万元）", "amount", required=True, parse=_money, export=lambda o, u: float(o.amount)),
        XCol("签约日期", "signed_on", required=True, parse=parse_date),
        XCol("合同状态", "contract_status", parse=choice_parser(_contract_status_choices),
             choices=_contract_status_choices, export=lambda o, u: o.get_contract_status_display()),
        XCol("对接会", "meeting_title", export=lambda o, u: o.meeting.title if o.meeting_id else "", width=28),
        XCol("备注", "note", parse=_note, width=40),
    ],
    key=lambda row: (row.get("zone_name"), row.get("supplier_name"), row.get("buyer_name"), row.get("title")),
    resolve=_resolve_deal,
    save=_save_deal,
    queryset=lambda user: Deal.objects.visible_to(user).select_related("zone", "supplier", "buyer", "chain",
                                                                       "meeting"),
)


# --- annual revenues ---------------------------------------------------------------------------------


def _year(value):
    text = clean_text(value).removesuffix("年").removesuffix("年度").strip()
    try:
        return services._year(text)
    except ServiceError as exc:
        raise CellError(exc.message) from None


def _revenue(value):
    try:
        return services._amount(value, field="revenue", label="营业收入")
    except ServiceError as exc:
        raise CellError(exc.message) from None


def _resolve_revenue(row, ctx):
    actor = ctx["actor"]
    if not actor.has_perm_code("matching.manage"):
        return {"企业": "您的角色不能登记企业营收（仅产业链党委和园区可以）"}
    zone = row["zone"] = _zone(actor, row["zone_name"])
    if zone is None:
        return {"所属园区": f"园区“{row['zone_name']}”不存在或您无权导入"}
    ent = row["enterprise"] = Enterprise.objects.filter(zone=zone, name=row["enterprise_name"]).first()
    if ent is None:
        return {"企业": f"企业“{row['enterprise_name']}”不在该园区"}
    if not Enterprise.objects.visible_to(actor, for_write=True).filter(pk=ent.pk).exists():
        return {"企业": "您无权登记该企业的营收"}
    return {}


def _save_revenue(row, actor, ctx):
    existing = EnterpriseRevenue.objects.filter(enterprise=row["enterprise"], year=row["year"]).first()
    obj = services.save_revenue(actor=actor, enterprise=row["enterprise"], year=row["year"], revenue=row["revenue"])
    if existing is None:
        return "created"
    return "unchanged" if obj.revenue == existing.revenue else "updated"


REVENUE = Spec(
    kind="revenues",
    title="企业营收",
    key_title="年度",
    columns=[
        XCol("企业", "enterprise_name", required=True, export=lambda o, u: o.enterprise.name, width=28),
        XCol("所属园区", "zone_name", required=True, export=lambda o, u: o.zone.name),
        XCol("年度", "year", required=True, parse=_year, width=10),
        XCol("营业收入（万元）", "revenue", required=True, parse=_revenue, export=lambda o, u: float(o.revenue)),
    ],
    key=lambda row: (row.get("zone_name"), row.get("enterprise_name"), row.get("year")),
    resolve=_resolve_revenue,
    save=_save_revenue,
    queryset=lambda user: EnterpriseRevenue.objects.visible_to(user).select_related("zone", "enterprise"),
)

SPECS = {"listings": LISTING, "deals": DEAL, "revenues": REVENUE}
# what the import page asks of the user's role for each kind
IMPORT_PERMS = {"listings": ("matching.import",), "deals": ("matching.import",),
                "revenues": ("matching.import", "matching.manage")}
