"""Every write of the supply–demand strand. Views, the API, Excel imports, the demo, ``match-eval``
and the tick job call these; each write is audited and bumps the match index's version so that every
process's in-memory index follows the change (``index.py``)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from liantong.core import audit
from liantong.core import services as core
from liantong.core.models import AuditAction
from liantong.core.services import Forbidden, ServiceError
from liantong.orgs.models import Chain, ChainMembership, ChainNode, ChainRole, Enterprise

from .models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    ContactRequest,
    ContactStatus,
    ContractStatus,
    Deal,
    EnterpriseRevenue,
    IndexState,
    Listing,
    ListingKind,
    ListingStatus,
    MatchmakingMeeting,
)

TITLE_MAX = 120
KEYWORDS_MAX = 20
DEFAULT_VALID_DAYS = 180
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- helpers -----------------------------------------------------------------------------------------

Conflict = core.Conflict  # a refusal because the record already exists (409)


def clean_text(value, *, multiline: bool = False) -> str:
    """Text as stored: control characters (NUL breaks PostgreSQL) removed, surrounding space trimmed."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    if not multiline:
        text = re.sub(r"\s+", " ", text)
    return text.strip()


def parse_keywords(value) -> list[str]:
    """Keywords from a list or a string separated by 、，,；; or spaces; trimmed, de-duplicated."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"[、，,；;\s]+", value)
    elif isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        raise ServiceError("关键词格式不正确：应为以顿号或逗号分隔的词语", field="keywords")
    out: list[str] = []
    for p in parts:
        p = clean_text(p)
        if not p:
            continue
        if len(p) > 30:
            raise ServiceError(f"关键词“{p[:10]}…”过长（每个不超过 30 个字）", field="keywords")
        if p not in out:
            out.append(p)
    if len(out) > KEYWORDS_MAX:
        raise ServiceError(f"关键词最多 {KEYWORDS_MAX} 个", field="keywords")
    return out


def listing_tokens(title: str, keywords: list[str], description: str) -> str:
    """The pre-segmented search text stored beside the listing: engine tokens (jieba with the domain
    dictionary, synonyms folded to one concept) separated and surrounded by spaces."""
    from .engine import tokenize

    toks = tokenize(" ".join([title, " ".join(keywords), description]))
    seen = dict.fromkeys(t for t in toks if t.strip())
    return " " + " ".join(seen) + " " if seen else ""


def acting_enterprise(actor) -> Enterprise | None:
    """The firm a user acts for (enterprise contacts), else None."""
    if actor is None or not getattr(actor, "enterprise_id", None):
        return None
    return actor.enterprise


POST_PERM = "matching.post"  # post listings and answer for one's own firm
MANAGE_PERM = "matching.manage"  # meetings, revenues (deals: either)


def _check_writes_for(actor, enterprise: Enterprise, *, field: str = "enterprise") -> None:
    """A firm the user *chose* to act for (a new listing's firm, a contact's requester, a revenue's firm) must
    be one they may write — own firm; zone/chain staff for theirs: else a 400 on that field
    (``core.require_writable(..., field=)``, the input is at fault)."""
    core.require_writable(actor, enterprise, f"您无权代表“{enterprise}”操作", field=field)


def _check_row(actor, row, message: str) -> None:
    """The row being written (a listing, a revenue, a deal) must be in the actor's write scope: else
    ``OutOfScope`` (404), the project's one scope refusal, which says nothing more."""
    core.require_writable(actor, row, message)


def is_chain_master(enterprise: Enterprise, chain: Chain) -> bool:
    return ChainMembership.objects.filter(enterprise=enterprise, chain=chain, role=ChainRole.MASTER).exists()


def _bump(*, removal: bool = False) -> None:
    """Move the index version (in the caller's transaction) so every process applies the change."""
    state, _ = IndexState.objects.get_or_create(pk=1)
    fields = {"version": F("version") + 1}
    if removal:
        fields["removals"] = F("removals") + 1
    IndexState.objects.filter(pk=state.pk).update(**fields)


def _after_commit(listing_id: int) -> None:
    def apply():
        from . import index

        index.apply_change(listing_id)

    transaction.on_commit(apply)


# --- listings ----------------------------------------------------------------------------------------

@transaction.atomic
def save_listing(*, actor, enterprise: Enterprise, chain: Chain, kind: str, title: str, description: str = "",
                 keywords=None, node: ChainNode | None = None, category: str = "", quantity: str = "",
                 region: str = "", valid_until: datetime.date | None = None, ref: str = "",
                 listing: Listing | None = None, is_demo: bool = False) -> Listing:
    """Post or edit a listing. Scenarios (开放场景) only by the chain's master firm; the text is checked
    (title required, description at most 5,000 characters) and segmented for search and matching."""
    title = clean_text(title)
    description = clean_text(description, multiline=True)
    keywords = parse_keywords(keywords)
    if kind not in ListingKind.values:
        raise ServiceError("类型应为：供给/产能、需求/采购或开放场景", field="kind")
    if not title:
        raise ServiceError("请填写标题", field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"标题不能超过 {TITLE_MAX} 个字（当前 {len(title)} 个）", field="title")
    if len(description) > DESCRIPTION_MAX:
        raise ServiceError(f"详细说明不能超过 {DESCRIPTION_MAX} 个字（当前 {len(description)} 个）", field="description")
    if chain.zone_id != enterprise.zone_id:
        raise ServiceError("发布企业与产业链不在同一园区", field="chain")
    if node is not None and node.chain_id != chain.pk:
        raise ServiceError("所在环节不属于该产业链", field="node")
    if kind == ListingKind.SCENARIO and not is_chain_master(enterprise, chain):
        raise ServiceError(f"只有“{chain}”的链主企业可以发布开放场景", field="kind")
    core.require_perm(actor, POST_PERM, "您的角色不能发布或修改供需信息")
    if listing is not None:  # the edited row: out of the write scope is a 404
        _check_row(actor, listing, "未找到该供需信息，或您无权修改")
    if listing is None or listing.enterprise_id != enterprise.pk:  # a firm chosen: 400 on the field
        _check_writes_for(actor, enterprise)
    ref = clean_text(ref)[:40] or (listing.ref if listing is not None else "")  # an edit keeps the import key
    if listing is None and ref:
        listing = Listing.objects.filter(zone_id=enterprise.zone_id, ref=ref).first()
    if valid_until is None and listing is None:
        valid_until = timezone.localdate() + datetime.timedelta(days=DEFAULT_VALID_DAYS)
    fields = dict(zone_id=enterprise.zone_id, enterprise=enterprise, chain=chain, node=node, kind=kind, title=title,
                  description=description, keywords=keywords, category=clean_text(category)[:30],
                  quantity=clean_text(quantity)[:100], region=clean_text(region)[:60], ref=ref,
                  tokens=listing_tokens(title, keywords, description), is_demo=is_demo)
    if valid_until is not None:
        fields["valid_until"] = valid_until
    if listing is None:
        if actor is not None and getattr(actor, "pk", None):
            fields["created_by"] = actor
        obj = core.create(Listing, actor=actor, **fields)
    else:
        if all(getattr(listing, k if k != "zone_id" else "zone_id") == v for k, v in fields.items()):
            return listing
        obj = core.update(listing, actor=actor, **fields)
    _bump()
    _after_commit(obj.pk)
    return obj


@transaction.atomic
def close_listing(listing: Listing, *, actor, reason: str = "") -> Listing:
    """Close a listing: it leaves the match index at once."""
    core.require_perm(actor, POST_PERM, "您的角色不能关闭供需信息")
    _check_row(actor, listing, "未找到该供需信息，或您无权修改")
    if listing.status == ListingStatus.CLOSED:
        raise ServiceError("该信息已关闭")
    obj = core.update(listing, actor=actor, status=ListingStatus.CLOSED)
    if reason:
        audit.record(actor, AuditAction.TRANSITION, obj, changes={"close_reason": clean_text(reason)[:200]})
    _bump()
    _after_commit(obj.pk)
    return obj


@transaction.atomic
def renew_listing(listing: Listing, *, actor, days: int = DEFAULT_VALID_DAYS) -> Listing:
    """Renew (续期) a listing: open again, valid for ``days`` more days from today."""
    core.require_perm(actor, POST_PERM, "您的角色不能续期供需信息")
    _check_row(actor, listing, "未找到该供需信息，或您无权修改")
    if not 1 <= int(days) <= 730:
        raise ServiceError("续期天数应在 1 到 730 天之间")
    if listing.kind == ListingKind.SCENARIO and not is_chain_master(listing.enterprise, listing.chain):
        raise ServiceError("该企业已不是链主，不能重新开放场景")
    obj = core.update(listing, actor=actor, status=ListingStatus.OPEN,
                      valid_until=timezone.localdate() + datetime.timedelta(days=int(days)))
    _bump()
    _after_commit(obj.pk)
    return obj


@transaction.atomic
def delete_listing(listing: Listing, *, actor) -> None:
    """Delete a listing that no contact request refers to (otherwise close it instead)."""
    core.require_perm(actor, POST_PERM, "您的角色不能删除供需信息")
    _check_row(actor, listing, "未找到该供需信息，或您无权修改")
    if listing.contacts.exists():
        raise ServiceError("该信息已有对接意向，不能删除，请改为关闭")
    pk = listing.pk
    core.delete(listing, actor=actor)
    _bump(removal=True)
    _after_commit(pk)


def expire_listings(now=None) -> dict:
    """Tick job: open listings whose validity ended become 已过期 (idempotent)."""
    today = timezone.localdate(now) if now else timezone.localdate()
    with transaction.atomic():
        qs = Listing.objects.filter(status=ListingStatus.OPEN, valid_until__lt=today)
        ids = list(qs.values_list("pk", flat=True)[:50000])
        if ids:
            Listing.objects.filter(pk__in=ids).update(status=ListingStatus.EXPIRED, updated_at=timezone.now())
            audit.record(None, AuditAction.UPDATE, None, object_type="matching.listing",
                         object_repr=f"{len(ids)} 条供需信息到期", changes={"expired": ids[:200]})
            _bump()
    return {"expired": len(ids)}


# --- contacts (有意向) -------------------------------------------------------------------------------

# Answers (接受, 婉拒, 撤回) are moves of ``workflow.CONTACT``; these are its roles.
REQUESTER, RESPONDER = "requester", "responder"


@transaction.atomic
def express_interest(*, actor, listing: Listing, requester: Enterprise | None = None,
                     from_listing: Listing | None = None, message: str = "", is_demo: bool = False) -> ContactRequest:
    """有意向: the requester's firm opens a contact request that the listing's firm answers."""
    requester = requester or (from_listing.enterprise if from_listing else None) or acting_enterprise(actor)
    if requester is None:
        raise ServiceError("只有企业用户可以表达对接意向")
    core.require_perm(actor, POST_PERM, "您没有发起对接的权限")
    _check_writes_for(actor, requester, field="from_listing")
    if requester.pk == listing.enterprise_id:
        raise ServiceError("不能对本企业发布的信息表达意向")
    if not listing.is_matchable:
        raise ServiceError("该信息已关闭或已过期，不能发起对接")
    if from_listing is not None and from_listing.enterprise_id != requester.pk:
        raise ServiceError("“我方供需信息”须为本企业发布")
    if ContactRequest.objects.filter(listing=listing, requester=requester, status=ContactStatus.PENDING).exists():
        raise ServiceError("已向对方发出意向，请等待回复")
    fields = dict(zone_id=listing.zone_id, listing=listing, from_listing=from_listing, requester=requester,
                  responder=listing.enterprise, message=clean_text(message)[:500], is_demo=is_demo)
    if actor is not None and getattr(actor, "pk", None):
        fields["created_by"] = actor
    return core.create(ContactRequest, actor=actor, **fields)


def party_of(contact: ContactRequest, actor) -> set[str]:
    """Which side(s) of the contact ``actor`` may act for (the role resolver of ``workflow.CONTACT``)."""
    if actor is None or not getattr(actor, "pk", None) or getattr(actor, "is_platform_admin", False):
        return {REQUESTER, RESPONDER}
    writable = set(Enterprise.objects.visible_to(actor, for_write=True)
                   .filter(pk__in=[contact.requester_id, contact.responder_id]).values_list("pk", flat=True))
    sides = set()
    if contact.requester_id in writable:
        sides.add(REQUESTER)
    if contact.responder_id in writable:
        sides.add(RESPONDER)
    return sides


# --- deals and meetings ------------------------------------------------------------------------------

_UNSET = object()
EARLIEST = datetime.date(1990, 1, 1)


def _amount(value, *, field: str = "amount", label: str = "金额") -> Decimal:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ServiceError(f"请填写{label}（万元）", field=field)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}应为数字（万元）", field=field) from None
    if not amount.is_finite():
        raise ServiceError(f"{label}应为数字（万元）", field=field)
    if amount < 0:
        raise ServiceError(f"{label}不能为负数", field=field)
    if amount >= Decimal("1e10"):
        raise ServiceError(f"{label}应为 0 到 99 亿万元之间的数字", field=field)
    return amount.quantize(Decimal("0.01"))


def _signed_on(value) -> datetime.date:
    if value is None or value == "":
        raise ServiceError("请填写签约日期", field="signed_on")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError("签约日期格式不正确（示例：2025-03-01）", field="signed_on") from None
    if value < EARLIEST:
        raise ServiceError("签约日期不能早于 1990 年", field="signed_on")
    if value > timezone.localdate() + datetime.timedelta(days=366):
        raise ServiceError("签约日期不能晚于明年", field="signed_on")
    return value


def _contract_status(value) -> str:
    if value not in ContractStatus.values:
        raise ServiceError("合同状态应为：" + "、".join(str(lbl) for _, lbl in ContractStatus.choices) + "之一",
                           field="contract_status")
    return value


def _note(value) -> str:
    note = clean_text(value, multiline=True)
    if len(note) > NOTE_MAX:
        raise ServiceError(f"备注不能超过 {NOTE_MAX} 个字（当前 {len(note)} 个）", field="note")
    return note


def _check_meeting_for(meeting: MatchmakingMeeting | None, supplier_zone: int, buyer_zone: int) -> None:
    if meeting is not None and meeting.zone_id not in (supplier_zone, buyer_zone):
        raise ServiceError("对接会不在双方所在园区", field="meeting")


def _check_chain_for(chain: Chain | None, supplier_zone: int, buyer_zone: int) -> None:
    if chain is not None and chain.zone_id not in (supplier_zone, buyer_zone):
        raise ServiceError("产业链不在双方所在园区", field="chain")


@transaction.atomic
def make_deal(*, actor, contact: ContactRequest | None = None, title: str, amount, signed_on: datetime.date,
              contract_status: str = ContractStatus.SIGNED, meeting: MatchmakingMeeting | None = None,
              supplier: Enterprise | None = None, buyer: Enterprise | None = None, chain: Chain | None = None,
              note: str | None = None, is_demo: bool = False) -> Deal:
    """Record a deal. From an accepted contact the supplier and buyer follow from the listings' kinds."""
    if contact is not None:
        if contact.status != ContactStatus.ACCEPTED:
            raise ServiceError("只有对方已接受的对接意向才能登记签约")
        if Deal.objects.filter(contact=contact).exists():
            raise ServiceError("该对接意向已登记签约")
        if not party_of(contact, actor):  # sees the contact, is not one of its two firms: the role (403)
            raise Forbidden("只有对接双方可以登记签约")
        if contact.listing.kind == ListingKind.SUPPLY:
            supplier, buyer = contact.responder, contact.requester
        else:
            supplier, buyer = contact.requester, contact.responder
        chain = chain or contact.listing.chain
    if supplier is None or buyer is None:
        raise ServiceError("请指定供方和需方企业")
    if supplier.pk == buyer.pk:
        raise ServiceError("供方与需方不能是同一企业")
    if (contact is None and actor is not None and getattr(actor, "pk", None)
            and not Enterprise.objects.visible_to(actor, for_write=True).filter(pk__in=[supplier.pk, buyer.pk]).exists()):
        raise ServiceError("您无权为这两家企业登记签约")
    contract_status = _contract_status(contract_status)
    signed_on = _signed_on(signed_on)
    _check_meeting_for(meeting, supplier.zone_id, buyer.zone_id)
    _check_chain_for(chain, supplier.zone_id, buyer.zone_id)
    title = clean_text(title)
    if not title:
        raise ServiceError("请填写签约内容", field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"签约内容不能超过 {TITLE_MAX} 个字（当前 {len(title)} 个）", field="title")
    existing = Deal.objects.filter(zone_id=buyer.zone_id, supplier=supplier, buyer=buyer, title=title).first()
    fields = dict(zone_id=buyer.zone_id, contact=contact, chain=chain, supplier=supplier, buyer=buyer, title=title,
                  amount=_amount(amount), signed_on=signed_on, contract_status=contract_status, meeting=meeting,
                  is_demo=is_demo)
    if note is not None:
        fields["note"] = _note(note)
    if existing is not None:
        if all(getattr(existing, k) == v for k, v in fields.items()):
            return existing
        return core.update(existing, actor=actor, **fields)
    if actor is not None and getattr(actor, "pk", None):
        fields["created_by"] = actor
    return core.create(Deal, actor=actor, **fields)


DEAL_EDITOR_PERMS = ("matching.post", "matching.manage")


def may_edit_deals(actor) -> bool:
    """Whether the user's role may change deals at all (the parties' firm users, chain and zone staff)."""
    return any(actor.has_perm_code(code) for code in DEAL_EDITOR_PERMS)


def _check_deal_writer(actor, deal: Deal) -> None:
    """The role (403 ``Forbidden``), then the deal in the actor's write scope (404 ``OutOfScope``)."""
    if core.is_system(actor):
        return  # system jobs: demo, match-eval
    if not may_edit_deals(actor):
        raise Forbidden("您的角色不能修改对接成果（仅签约双方企业、产业链党委和园区可以修改）")
    _check_row(actor, deal, "未找到该对接成果，或您无权修改")


@transaction.atomic
def update_deal(deal: Deal, *, actor, contract_status=_UNSET, amount=_UNSET, signed_on=_UNSET, note=_UNSET,
                chain=_UNSET, meeting=_UNSET) -> Deal:
    """Change a deal's contract status, amount (万元), signing date, note (and, from imports, its chain and
    meeting). Only what is passed changes; the row is locked; one audit row with the old and new values;
    nothing changes (and nothing is audited) when every value is already as given."""
    deal = Deal.objects.select_for_update().select_related("supplier", "buyer").get(pk=deal.pk)
    _check_deal_writer(actor, deal)
    changes: dict = {}
    if contract_status is not _UNSET:
        changes["contract_status"] = _contract_status(contract_status)
    if amount is not _UNSET:
        changes["amount"] = _amount(amount)
    if signed_on is not _UNSET:
        changes["signed_on"] = _signed_on(signed_on)
    if note is not _UNSET:
        changes["note"] = _note(note)
    if chain is not _UNSET:
        _check_chain_for(chain, deal.supplier.zone_id, deal.buyer.zone_id)
        changes["chain"] = chain
    if meeting is not _UNSET:
        _check_meeting_for(meeting, deal.supplier.zone_id, deal.buyer.zone_id)
        changes["meeting"] = meeting
    changes = {k: v for k, v in changes.items() if getattr(deal, k) != v}
    if not changes:
        return deal
    return core.update(deal, actor=actor, **changes)


def _check_zone_writer(actor, zone) -> None:
    from liantong.core.models import Zone

    if actor is None or not getattr(actor, "pk", None):
        return
    if not Zone.objects.visible_to(actor, for_write=True).filter(pk=zone.pk).exists():
        raise ServiceError(f"您无权在“{zone}”举办或修改对接会", field="zone")


@transaction.atomic
def save_meeting(*, actor, zone, title: str, held_on: datetime.date, chain: Chain | None = None,
                 meeting: MatchmakingMeeting | None = None, new: bool = False, **fields) -> MatchmakingMeeting:
    """Create or update a matchmaking meeting. ``meeting`` edits that one (a new title renames it);
    without it the natural key (title within the zone) finds the row to update, unless ``new`` asks
    for a new meeting only (a taken title is then refused)."""
    title = clean_text(title)
    if zone is None:
        raise ServiceError("请选择所属园区", field="zone")
    if not title:
        raise ServiceError("请填写会议名称", field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"会议名称不能超过 {TITLE_MAX} 个字（当前 {len(title)} 个）", field="title")
    if held_on is None:
        raise ServiceError("请填写举办日期", field="held_on")
    if chain is not None and chain.zone_id != zone.pk:
        raise ServiceError("产业链不在该园区", field="chain")
    attendance = fields.get("attendance")
    if attendance is not None and (isinstance(attendance, bool) or not isinstance(attendance, int) or attendance < 0):
        raise ServiceError("参会人次应为不小于 0 的整数", field="attendance")
    for key, label, limit in (("venue", "地点", 120), ("organiser", "主办单位", 120)):
        if key in fields:
            fields[key] = clean_text(fields[key])
            if len(fields[key]) > limit:
                raise ServiceError(f"{label}不能超过 {limit} 个字", field=key)
    if "description" in fields:
        fields["description"] = clean_text(fields["description"], multiline=True)
        if len(fields["description"]) > DESCRIPTION_MAX:
            raise ServiceError(f"会议简介不能超过 {DESCRIPTION_MAX} 个字", field="description")
    if meeting is not None:  # a form may have set the new values on the instance already
        meeting = MatchmakingMeeting.objects.select_for_update().get(pk=meeting.pk)
    # who may: a meeting in the actor's write scope keeps being theirs (a chain committee edits its chain's
    # meetings); a new one, a move to another zone or chain, needs the zone or the chosen chain writable
    if meeting is None or meeting.zone_id != zone.pk or meeting.chain_id != (chain.pk if chain else None):
        if chain is None or not core.may_write(actor, chain):
            _check_zone_writer(actor, zone)
    else:
        core.require_writable(actor, meeting)
    if meeting is not None and meeting.zone_id != zone.pk:
        _check_zone_writer(actor, meeting.zone)
    same_title = MatchmakingMeeting.objects.filter(zone=zone, title=title)
    if meeting is not None:
        if same_title.exclude(pk=meeting.pk).exists():
            raise Conflict(f"该园区已有名为“{title}”的对接会", field="title")
        existing = meeting
    else:
        existing = same_title.first()
        if existing is not None and new:
            raise Conflict(f"该园区已有名为“{title}”的对接会", field="title")
    values = dict(zone=zone, title=title, held_on=held_on, chain=chain, **fields)
    if existing is None:
        return core.create(MatchmakingMeeting, actor=actor, **values)
    if all(getattr(existing, k) == v for k, v in values.items()):
        return existing
    return core.update(existing, actor=actor, **values)


# --- revenues and growth -----------------------------------------------------------------------------

def _year(value) -> int:
    if isinstance(value, bool):
        raise ServiceError("年度应为四位数字", field="year")
    try:
        year = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ServiceError("年度应为四位数字", field="year") from None
    if not 1990 <= year <= timezone.localdate().year:
        raise ServiceError("年度应在 1990 年到今年之间", field="year")
    return year


@transaction.atomic
def save_revenue(*, actor, enterprise: Enterprise, year: int, revenue, record: EnterpriseRevenue | None = None,
                 new: bool = False) -> EnterpriseRevenue:
    """Record (or correct) a firm's annual revenue in 万元. ``record`` corrects that row (its year may
    change, not onto a year already recorded); without it the firm and year find the row to update,
    unless ``new`` asks for a new row only."""
    core.require_perm(actor, MANAGE_PERM, "您的角色不能管理企业营收（仅产业链党委和园区可以）")
    if record is not None:  # a form may have set the new values on the instance already
        _check_row(actor, record, "未找到该营收记录，或您无权修改")
        record = EnterpriseRevenue.objects.select_for_update().select_related("enterprise").get(pk=record.pk)
    if record is None or record.enterprise_id != enterprise.pk:
        _check_writes_for(actor, enterprise)
    year = _year(year)
    amount = _amount(revenue, field="revenue", label="营业收入")
    same_year = EnterpriseRevenue.objects.filter(enterprise=enterprise, year=year)
    taken = f"“{enterprise}”{year} 年度的营业收入已登记"
    if record is not None:
        if same_year.exclude(pk=record.pk).exists():
            raise Conflict(taken + "，请修改该条记录", field="year")
        existing = record
    else:
        existing = same_year.first()
        if existing is not None and new:
            raise Conflict(taken + "，请修改该条记录", field="year")
    if existing is None:
        fields = dict(zone_id=enterprise.zone_id, enterprise=enterprise, year=year, revenue=amount)
        if actor is not None and getattr(actor, "pk", None):
            fields["created_by"] = actor
        return core.create(EnterpriseRevenue, actor=actor, **fields)
    values = dict(zone_id=enterprise.zone_id, enterprise=enterprise, year=year, revenue=amount)
    if all(getattr(existing, k) == v for k, v in values.items()):
        return existing
    return core.update(existing, actor=actor, **values)


def chain_growth_for(user, chain: Chain, year=None) -> dict:
    """What the chain growth page shows and ``GET /chains/{id}/revenue-growth`` answers: the years
    with revenue the user may see, and ``supporting_growth`` over those revenues for ``year`` (default:
    the latest such year)."""
    revenues = EnterpriseRevenue.objects.visible_to(user)
    years = sorted(set(revenues.filter(enterprise__memberships__chain=chain).values_list("year", flat=True)),
                   reverse=True)
    try:
        year = int(year or (years[0] if years else 0)) or None
    except (TypeError, ValueError):
        year = None
    return {**supporting_growth(chain, year, revenues=revenues), "years": years}


def supporting_growth(chain: Chain, year: int | None = None, *, revenues=None) -> dict:
    """Supporting firms' (配套, not the chain master) revenue growth on ``chain`` from ``year - 1`` to
    ``year``: per firm and in total, over the firms with revenue recorded for both years."""
    revenues = EnterpriseRevenue.objects.all() if revenues is None else revenues
    firm_ids = ChainMembership.objects.filter(chain=chain, role=ChainRole.MEMBER).values("enterprise_id")
    rows = revenues.filter(enterprise_id__in=firm_ids)
    if year is None:
        year = rows.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return {"year": None, "previous": None, "firms": [], "total_previous": 0, "total": 0, "growth": None}
    by_firm: dict[int, dict] = {}
    for r in rows.filter(year__in=[year - 1, year]).select_related("enterprise"):
        by_firm.setdefault(r.enterprise_id, {"enterprise": r.enterprise})[r.year] = r.revenue
    firms = []
    for d in by_firm.values():
        if year - 1 in d and year in d:
            prev, cur = d[year - 1], d[year]
            growth = float((cur - prev) / prev * 100) if prev else None
            firms.append({"enterprise": d["enterprise"], "previous": prev, "current": cur,
                          "growth": round(growth, 1) if growth is not None else None})
    firms.sort(key=lambda f: f["enterprise"].name)
    tp = sum((f["previous"] for f in firms), Decimal(0))
    tc = sum((f["current"] for f in firms), Decimal(0))
    return {"year": year, "previous": year - 1, "firms": firms, "total_previous": tp, "total": tc,
            "growth": round(float((tc - tp) / tp * 100), 1) if tp else None}


def matching_stats(zone) -> dict:
    """The strand's zone figures: open listings, deals and their amount (万元), counted from the data."""
    today = timezone.localdate()
    deals = Deal.objects.filter(zone=zone)
    amount = deals.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return {
        "listings": Listing.objects.filter(zone=zone, status=ListingStatus.OPEN).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)).count(),
        "deals": deals.count(),
        "deal_amount": float(amount),
    }
