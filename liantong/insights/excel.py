"""Excel import/export of target firms (招商目标企业): one ``Spec`` for template, import and export."""

from liantong.core.excel import Spec, XCol, choice_parser
from liantong.core.models import Zone
from liantong.orgs.models import Chain, ChainNode

from . import services
from .models import GapKind, TargetFirm, TargetStatus


def _gap_choices():
    return [(v, str(label)) for v, label in GapKind.choices]


def _status_choices():
    return [(v, str(label)) for v, label in TargetStatus.choices]


def _resolve(row, ctx):
    actor = ctx["actor"]
    if actor is not None and not services.core.is_system(actor) and not actor.has_perm_code(services.PERM):
        return {"产业链": services.NO_PERM}
    zones = Zone.objects.visible_to(actor) if actor is not None else Zone.objects.all()
    zone = zones.filter(name=row["zone_name"]).first()
    if zone is None:
        return {"所属园区": f"园区“{row['zone_name']}”不存在或您无权导入"}
    chain = row["chain"] = Chain.objects.filter(zone=zone, name=row["chain_name"]).first()
    if chain is None:
        return {"产业链": f"产业链“{row['chain_name']}”不在该园区"}
    if not services.core.may_write(actor, chain):
        return {"产业链": "只能导入您可以管理的产业链的目标企业"}
    row["node"] = None
    if row.get("node_name"):
        row["node"] = ChainNode.objects.filter(chain=chain, name=row["node_name"]).first()
        if row["node"] is None:
            return {"对应环节": f"环节“{row['node_name']}”不在该产业链"}
    return {}


def _save(row, actor, ctx):
    existing = TargetFirm.objects.filter(chain=row["chain"], name=row["name"]).first()
    before = None if existing is None else (existing.gap_kind, existing.node_id, existing.region, existing.product,
                                            existing.contact_name, existing.status, existing.note)
    obj = services.save_target(actor=actor, chain=row["chain"], node=row["node"], name=row["name"],
                               gap_kind=row["gap_kind"], region=row["region"], product=row["product"],
                               contact_name=row["contact_name"], status=row["status"] or TargetStatus.TRACKING,
                               note=row["note"], target=existing)
    if existing is None:
        return "created"
    after = (obj.gap_kind, obj.node_id, obj.region, obj.product, obj.contact_name, obj.status, obj.note)
    return "unchanged" if after == before else "updated"


TARGET = Spec(
    kind="targets",
    title="招商目标企业",
    key_title="目标企业",
    columns=[
        XCol("目标企业", "name", required=True, export=lambda o, u: o.name, width=28),
        XCol("所属园区", "zone_name", required=True, export=lambda o, u: o.zone.name),
        XCol("产业链", "chain_name", required=True, export=lambda o, u: o.chain.name),
        XCol("对应环节", "node_name", export=lambda o, u: o.node.name if o.node_id else ""),
        XCol("补强延", "gap_kind", required=True, parse=choice_parser(_gap_choices),
             export=lambda o, u: o.get_gap_kind_display(), choices=_gap_choices, width=10),
        XCol("所在地区", "region", export=lambda o, u: o.region),
        XCol("主营产品", "product", export=lambda o, u: o.product, width=24),
        XCol("联系人", "contact_name", export=lambda o, u: o.contact_name),
        XCol("跟进状态", "status", parse=choice_parser(_status_choices),
             export=lambda o, u: o.get_status_display(), choices=_status_choices, width=12),
        XCol("备注", "note", export=lambda o, u: o.note, width=30),
    ],
    key=lambda row: (row.get("zone_name"), row.get("chain_name"), row.get("name")),
    resolve=_resolve,
    save=_save,
    queryset=lambda user: TargetFirm.objects.visible_to(user).select_related("zone", "chain", "node"),
)

SPECS = {"targets": TARGET}
