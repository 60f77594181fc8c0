"""Every write of the organisation strand. Views, the API, imports, the demo and ``gen`` call these."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liantong.core import audit, pii, textsearch
from liantong.core import gen as core_gen
from liantong.core import services as core
from liantong.core.identifiers import (
    id_birth_date,
    id_error,
    id_gender,
    mask_id,
    mask_phone,
    normalise,
    uscc_error,
)
from liantong.core.models import Zone
from liantong.core.scoping import _org_path
from liantong.core.services import (
    Conflict,
    Forbidden,
    ServiceError,
    require_perm,
    require_writable,
    validation_message,
)

from .models import (
    Chain,
    ChainMembership,
    ChainNode,
    Cultivation,
    Department,
    Enterprise,
    Institution,
    Member,
    MemberMove,
    OrgKind,
    Pairing,
    PartyOrg,
    VanguardTeam,
)

_UNCHANGED = "unchanged"


def _apply(model, obj, *, actor, **fields):
    """Create ``model(**fields)`` or update ``obj``; report 'created', 'updated' or 'unchanged'."""
    if obj is None:
        return core.create(model, actor=actor, **fields), "created"
    if all(getattr(obj, k) == v for k, v in fields.items()):
        return obj, _UNCHANGED
    return core.update(obj, actor=actor, **fields), "updated"


# --- zones --------------------------------------------------------------------------------------------

@transaction.atomic
def save_zone(*, actor, name: str, short_name: str, **fields) -> Zone:
    """Create or update a zone by name, with its zone committee (党工委) as the root of its org tree."""
    zone = Zone.objects.filter(name=name).first()
    zone, _ = _apply(Zone, zone, actor=actor, name=name, short_name=short_name, **fields)
    if not PartyOrg.objects.filter(zone=zone, kind=OrgKind.ZONE_COMMITTEE).exists():
        save_party_org(actor=actor, zone=zone, name=f"{zone.name}党工委", kind=OrgKind.ZONE_COMMITTEE, parent=None,
                       is_demo=zone.is_demo)
    return zone


def _authorise(actor, obj, *, create_perm: str, parents: dict, before=None) -> None:
    """The write rule of every organisation service (services authorise, not their callers):
    an existing row must be in the actor's write scope; a new one needs ``create_perm``; and each parent it
    is put under (``{field: row}``: its zone, its party org …) must be writable when the row is new or the
    parent changes (a row may keep the parent it has). System writers (demo, ``gen``) pass."""
    if obj is not None:
        require_writable(actor, obj)
    else:
        require_perm(actor, create_perm, "您无权新增此类记录")
    for field, parent in parents.items():
        if parent is None:
            continue
        old = getattr(before, f"{field}_id", None) if before is not None else None
        if before is None or old != parent.pk:
            require_writable(actor, parent, f"只能选择您可以管理的{parent._meta.verbose_name}", field=field)


def zone_committee(zone) -> PartyOrg:
    return PartyOrg.objects.get(zone=zone, kind=OrgKind.ZONE_COMMITTEE)


# --- chains -------------------------------------------------------------------------------------------

@transaction.atomic
def save_chain(*, actor, zone, name: str, chain: Chain | None = None, with_committee: bool = True, **fields) -> Chain:
    """Create or update a chain; a new chain gets its joint committee (一链一党委) under the zone committee."""
    chain = chain or Chain.objects.filter(zone=zone, name=name).first()
    _authorise(actor, chain, create_perm="orgs.manage", parents={"zone": zone}, before=chain)
    chain, _ = _apply(Chain, chain, actor=actor, zone=zone, name=name, **fields)
    if with_committee and not PartyOrg.objects.filter(chain=chain, kind=OrgKind.CHAIN_COMMITTEE).exists():
        save_party_org(actor=actor, zone=zone, name=f"{name}产业链联合党委", kind=OrgKind.CHAIN_COMMITTEE,
                       parent=zone_committee(zone), chain=chain, is_demo=chain.is_demo)
    return chain


@transaction.atomic
def save_chain_node(*, actor, chain: Chain, name: str, stage: str, parent: ChainNode | None = None,
                    sort: int = 0, node: ChainNode | None = None) -> ChainNode:
    """Create or update a chain node (natural key: name within the chain) and keep its path."""
    node = node or ChainNode.objects.filter(chain=chain, name=name).first()
    if parent is not None and node is not None and node.pk and parent.path.startswith(node.path or "\0"):
        raise ServiceError("不能把环节放到它自己或它的下级之下")
    if parent is not None and parent.chain_id != chain.pk:
        raise ServiceError("上级环节必须属于同一产业链")
    node, state = _apply(ChainNode, node, actor=actor, zone_id=chain.zone_id, chain=chain, name=name, stage=stage,
                         parent=parent, sort=sort)
    path = (parent.path if parent else "/") + f"{node.pk}/"
    if node.path != path:
        ChainNode.objects.filter(pk=node.pk).update(path=path, depth=path.count("/") - 2)
        node.path, node.depth = path, path.count("/") - 2
    return node


# --- departments and institutions --------------------------------------------------------------------

@transaction.atomic
def save_department(*, actor, zone, name: str, department: Department | None = None, **fields) -> Department:
    """Create or update a department (``department`` edits that one; else the name within the zone finds it)."""
    existing = department or Department.objects.filter(zone=zone, name=name).first()
    _authorise(actor, existing, create_perm="orgs.manage", parents={"zone": zone}, before=existing)
    return _apply(Department, existing, actor=actor, zone=zone, name=name, **fields)[0]


@transaction.atomic
def save_institution(*, actor, zone, name: str, institution: Institution | None = None, **fields) -> Institution:
    """Create or update a university or institute (``institution`` edits that one; else the name finds it)."""
    existing = institution or Institution.objects.filter(zone=zone, name=name).first()
    _authorise(actor, existing, create_perm="orgs.manage", parents={"zone": zone}, before=existing)
    return _apply(Institution, existing, actor=actor, zone=zone, name=name, **fields)[0]


# --- enterprises ------------------------------------------------------------------------------------

@transaction.atomic
def save_enterprise(*, actor, zone, credit_code: str, name: str, enterprise: Enterprise | None = None,
                    **fields) -> tuple[Enterprise, str]:
    """Create or update a firm; the unified social credit code is its natural key (GB 32100 checked)."""
    code = normalise(credit_code)
    err = uscc_error(code)
    if err:
        raise ServiceError(err, field="credit_code")
    existing = enterprise or Enterprise.objects.filter(credit_code=code).first()
    if existing is not None and existing.zone_id != zone.pk:
        raise ServiceError("该统一社会信用代码已登记在其他园区", field="credit_code")
    if enterprise is not None and existing.credit_code != code and Enterprise.objects.filter(credit_code=code).exists():
        raise Conflict("该统一社会信用代码已登记", field="credit_code")
    _authorise(actor, existing, create_perm="orgs.manage", parents={"zone": zone}, before=existing)
    if existing is None and actor is not None and getattr(actor, "pk", None):
        fields.setdefault("created_by", actor)
    return _apply(Enterprise, existing, actor=actor, zone=zone, credit_code=code, name=name.strip(), **fields)


@transaction.atomic
def set_membership(*, actor, enterprise: Enterprise, chain: Chain, role: str, node: ChainNode | None = None):
    if chain.zone_id != enterprise.zone_id:
        raise ServiceError("企业与产业链不在同一园区")
    if node is not None and node.chain_id != chain.pk:
        raise ServiceError("所在环节不属于该产业链")
    m = ChainMembership.objects.filter(enterprise=enterprise, chain=chain).first()
    return _apply(ChainMembership, m, actor=actor, zone_id=enterprise.zone_id, enterprise=enterprise, chain=chain,
                  role=role, node=node)


# --- party organisations -----------------------------------------------------------------------------

def _path_for(org: PartyOrg) -> str:
    return (org.parent.path if org.parent_id else "/") + f"{org.pk}/"


@transaction.atomic
def save_party_org(*, actor, zone, name: str, kind: str, parent: PartyOrg | None, org: PartyOrg | None = None,
                   **fields) -> PartyOrg:
    """Create or update a party org (natural key: name within its zone) and keep the tree's paths."""
    if parent is not None and parent.zone_id != zone.pk:
        raise ServiceError("上级组织必须在同一园区")
    if kind == OrgKind.ZONE_COMMITTEE and parent is not None:
        raise ServiceError("党工委是园区组织树的根，不能有上级组织")
    if kind != OrgKind.ZONE_COMMITTEE and parent is None:
        raise ServiceError("请选择上级组织")
    if kind == OrgKind.CHAIN_COMMITTEE:
        chain = fields.get("chain")
        dup = PartyOrg.objects.filter(chain=chain, kind=OrgKind.CHAIN_COMMITTEE)
        if org is not None:
            dup = dup.exclude(pk=org.pk)
        if chain is None:
            raise ServiceError("联合党委须指定所属产业链")
        if dup.exists():
            raise ServiceError(f"产业链“{chain}”已有联合党委（一链一党委）")
    existing = org or PartyOrg.objects.filter(zone=zone, name=name).first()
    _authorise(actor, existing, create_perm="orgs.manage_party", parents={"parent": parent}, before=existing)
    if existing is not None and parent is not None and parent.path.startswith(existing.path or "\0"):
        raise ServiceError("不能把组织移到它自己或它的下级之下")
    old_path = existing.path if existing else None
    obj, _ = _apply(PartyOrg, existing, actor=actor, zone=zone, name=name.strip(), kind=kind, parent=parent,
                    **fields)
    new_path = _path_for(obj)
    if old_path != new_path:
        _rewrite_paths(obj, old_path, new_path)
    return obj


def _rewrite_paths(org: PartyOrg, old_path: str | None, new_path: str) -> None:
    """Move a subtree: rewrite this org's path and every descendant's prefix in one pass."""
    PartyOrg.objects.filter(pk=org.pk).update(path=new_path, depth=new_path.count("/") - 2)
    org.path, org.depth = new_path, new_path.count("/") - 2
    if old_path:
        for child in PartyOrg.objects.filter(path__startswith=old_path).exclude(pk=org.pk).only("pk", "path"):
            p = new_path + child.path[len(old_path):]
            PartyOrg.objects.filter(pk=child.pk).update(path=p, depth=p.count("/") - 2)


# --- members ------------------------------------------------------------------------------------------

TRANSFER_REQUIRED = "该身份证号码不能在此新增，请发起组织关系转接"


class TransferRequired(Conflict):
    """The ID number belongs to a member outside the writer's write scope: only a transfer (组织关系转接)
    brings that member here. The message is the same whoever and wherever the member is, so the answer
    reveals nothing but that the number cannot be added here (API: 409)."""

    def __init__(self):
        super().__init__(TRANSFER_REQUIRED, field="id_number")


def writable_members(actor):
    """The members ``actor`` may change; system jobs (``actor=None``: the demo, ``gen``) may change all."""
    return Member.objects.all() if actor is None else Member.objects.visible_to(actor, for_write=True)


def _member_values(party_org: PartyOrg, name: str, id_number: str, status: str, gender: str | None, phone: str,
                   fields: dict) -> dict:
    """Check a member's identity fields and derive the stored ones (``id_number`` and ``phone`` are the
    model's protected attributes: assigning them writes hash, mask and ciphertext); or ServiceError."""
    number = normalise(id_number)
    err = id_error(number)
    if err:
        raise ServiceError(err, field="id_number")
    derived = id_gender(number)
    if gender and gender != derived:
        raise ServiceError("性别与公民身份号码不符", field="gender")
    birth = id_birth_date(number)
    if fields.get("birth_date") and fields["birth_date"] != birth:
        raise ServiceError("出生日期与公民身份号码不符", field="birth_date")
    joined = fields.get("joined_on")
    if joined and birth and joined < birth:
        raise ServiceError("入党日期早于出生日期", field="joined_on")
    return dict(zone_id=party_org.zone_id, party_org=party_org, name=name.strip(), gender=derived, status=status,
                id_number=number, phone=normalise(phone), **{**fields, "birth_date": birth})


@transaction.atomic
def save_member(*, actor, party_org: PartyOrg, name: str, id_number: str, status: str, gender: str | None = None,
                phone: str = "", member: Member | None = None, **fields) -> tuple[Member, str]:
    """Create or update a member; the ID number (GB 11643) is the natural key, kept hashed and encrypted.

    Only ever touches members in the actor's write scope: an ID number registered to a member outside it
    raises ``TransferRequired`` (request a transfer instead), and nothing is written."""
    values = _member_values(party_org, name, id_number, status, gender, phone, fields)
    if member is not None:
        require_writable(actor, member)
    if actor is not None and not PartyOrg.objects.visible_to(actor, for_write=True).filter(pk=party_org.pk).exists():
        raise Forbidden("所在党组织不存在或您无权管理", field="party_org")
    holder = Member.objects.filter(id_hash=pii.keyed_hash(values["id_number"]))
    if member is not None:
        holder = holder.exclude(pk=member.pk)
    holder = holder.first()
    if holder is not None:
        if member is not None or not writable_members(actor).filter(pk=holder.pk).exists():
            raise TransferRequired()
        member = holder  # an upsert by ID number, within the writer's own scope (the Excel import's key)
    old_org_id = member.party_org_id if member is not None else None
    saved, state = _apply(Member, member, actor=actor, **values)
    if old_org_id is not None and old_org_id != saved.party_org_id:
        record_move(saved, from_org_id=old_org_id, actor=actor)
    return saved, state


def _in_chunks(values: list, size: int = 900):
    """``values`` in slices small enough for one ``IN (…)`` on every engine (SQLite's variable limit)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def registered_members(hashes) -> dict[str, int]:
    """``{id hash: member id}`` of the ID numbers (by keyed hash) already registered, in a few queries."""
    found: dict[str, int] = {}
    for part in _in_chunks(list(set(hashes))):
        found.update(Member.objects.filter(id_hash__in=part).values_list("id_hash", "pk"))
    return found


@dataclass
class MemberBatch:
    """Members checked and built for one import, before its transaction (``prepare_members``)."""

    columns: list = dataclasses.field(default_factory=list)  # the INSERT's columns (attnames), the id first
    rows: list = dataclasses.field(default_factory=list)  # new members' values, adapted, ids reserved
    audit: audit.Prepared = dataclasses.field(default_factory=audit.Prepared)  # their audit rows
    known: list = dataclasses.field(default_factory=list)  # (row index, row) of ID numbers already registered
    refused: list = dataclasses.field(default_factory=list)  # (row index, field, message)


_IMPORT_CHECK_EXCLUDE = ["id", "party_org", "zone", "id_hash"]
_PROTECTED_COLUMNS = {"id_hash", "id_encrypted", "id_masked", "phone_encrypted", "phone_masked"}


def _member_refusal(values: dict, number: str, phone: str) -> tuple[str, str] | None:
    """What ``clean_fields`` says of a new member's values (``core.field_check`` could not vouch for them)."""
    m = Member(**{k: v for k, v in values.items() if k not in _PROTECTED_COLUMNS}, id_number=number, phone=phone)
    try:
        m.clean_fields(exclude=_IMPORT_CHECK_EXCLUDE)
        m.clean()
    except ValidationError as exc:
        return next(iter(exc.message_dict), ""), validation_message(exc, Member)
    return None


def prepare_members(*, actor, rows: list[dict]) -> MemberBatch:
    """Check and build many members at once (the Excel import; ``rows``: ``party_org``, ``name``, ``id_number``,
    ``gender``, ``status``, ``phone`` and the other fields), before the import's transaction: the checks, the
    keyed hashes and encryption, the search tokens and the audit rows hold no write lock. The rules of
    ``save_member`` row for row: the org in the actor's write scope, the identity checks of ``_member_values``,
    every field validated as ``clean_fields`` would (``core.field_check``, the real one where it cannot vouch).
    An ID number already registered is left to ``save_member`` (updated only within the actor's write scope,
    else ``TransferRequired``). The new members' ids are reserved here (``core.gen.reserve_ids``), so they and
    their audit rows are complete before the transaction; a refused file leaves a gap in the ids."""
    batch = MemberBatch()
    org_ids = list({row["party_org"].pk for row in rows})
    writable_orgs = set(org_ids)
    if actor is not None:
        writable_orgs = set()
        for part in _in_chunks(org_ids):
            writable_orgs.update(PartyOrg.objects.visible_to(actor, for_write=True).filter(pk__in=part)
                                 .values_list("pk", flat=True))
    hashes = [pii.keyed_hash(normalise(row["id_number"])) for row in rows]
    holders = registered_members(hashes)
    fresh: list[tuple[int, dict]] = []
    for i, row in enumerate(rows):
        if row["party_org"].pk not in writable_orgs:
            batch.refused.append((i, "party_org", "所在党组织不存在或您无权管理"))
            continue
        if hashes[i] in holders:
            batch.known.append((i, row))
            continue
        row = dict(row)
        org = row.pop("party_org")
        args = [row.pop(k) for k in ("name", "id_number", "status", "gender", "phone")]
        try:
            fresh.append((i, _member_values(org, *args[:4], args[4] or "", row)))
        except ServiceError as exc:
            batch.refused.append((i, exc.field or "", exc.message))
    del hashes, holders
    if batch.refused or not fresh:  # the file is refused (or has nothing new): nothing more to build
        return batch
    fields = Member._meta.concrete_fields
    batch.columns = [f.attname for f in fields]
    blank = {f.attname: f.get_default() for f in fields if f.attname != "id"}
    now = timezone.now()
    check = core.field_check(Member, _IMPORT_CHECK_EXCLUDE)
    adapt = core_gen.row_adapter(Member, batch.columns, now)
    sources = Member.search_sources
    ids = core_gen.reserve_ids(Member, len(fresh))
    protected = pii.protect_many([(v["id_number"], v["phone"]) for _, v in fresh])
    built: list[dict] = []
    for (i, v), pk, (h, enc_id, enc_phone) in zip(fresh, ids, protected, strict=True):
        number, phone = v.pop("id_number"), v.pop("phone")
        values = dict(blank, id=pk, party_org_id=v.pop("party_org").pk, **v, id_hash=h, id_encrypted=enc_id,
                      id_masked=mask_id(number), phone_encrypted=enc_phone,
                      phone_masked=mask_phone(phone) if phone else "", created_at=now, updated_at=now)
        values["search_text"] = textsearch.build_text(values[s] for s in sources)
        if not check(values) and (refusal := _member_refusal(values, number, phone)) is not None:
            batch.refused.append((i, *refusal))
            continue
        built.append(values)
        if len(built) == core_gen.BATCH:  # the audit rows a slice at a time: the dicts do not pile up
            _seal(batch, actor, built, adapt)
    if batch.refused:
        return MemberBatch(refused=batch.refused)
    _seal(batch, actor, built, adapt)
    return batch


def _seal(batch: MemberBatch, actor, built: list[dict], adapt) -> None:
    """Move ``built`` members into ``batch``: their audit rows and their adapted values."""
    prepared = audit.prepare_created(actor, Member, built, describe=lambda v: v["name"])
    batch.audit.rows.extend(prepared.rows)
    batch.audit.contents.extend(prepared.contents)
    columns = batch.columns
    batch.rows.extend(adapt([v[c] for c in columns]) for v in built)
    built.clear()


def import_members(*, actor, batch: MemberBatch) -> tuple[dict, list[tuple[int, str, str]]]:
    """Write a ``prepare_members`` batch, inside the caller's transaction: the new members by ``executemany``
    (ids reserved, the text index filled in one statement: ``textsearch.index_after``), their audit rows at the
    end of the chain (only the hashes are computed here); the registered ones through ``save_member``. Returns
    the counts and the refusals ``[(row index, field, message)]``; the caller rolls everything back when there
    is one (nothing is written half)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    refused = list(batch.refused)
    for i, row in batch.known:
        row = dict(row)
        try:
            _, state = save_member(actor=actor, **dict(row, phone=row.get("phone") or ""))
        except ServiceError as exc:
            refused.append((i, exc.field or "", exc.message))
            continue
        counts[state] += 1
    if refused or not batch.rows:
        return counts, refused
    ids = [r[0] for r in batch.rows]
    try:
        with transaction.atomic(), textsearch.index_after(Member, min(ids), max(ids)):
            core_gen.insert(Member, batch.columns, batch.rows, {})
    except IntegrityError:  # registered meanwhile by another writer: the file is refused as a whole
        return counts, [(0, "id_number", "导入期间有身份证号码被他人登记，请重新导入")]
    audit.append_prepared(batch.audit)
    counts["created"] += len(batch.rows)
    return counts, refused


def record_move(member: Member, *, from_org_id: int | None, actor, transfer=None) -> MemberMove:
    """Append one row to the member's history of org moves (its org is already the new one), audited: after
    a transfer both zones' auditors read that row (``orgs.transfers.shared_audit_rows``)."""
    mv = MemberMove.objects.create(zone_id=member.zone_id, member=member, from_org_id=from_org_id,
                                   to_org_id=member.party_org_id, transfer=transfer,
                                   actor=actor if getattr(actor, "pk", None) else None)
    audit.record(actor, audit.AuditAction.CREATE, mv, changes={"new": audit.snapshot(
        mv, ["member", "from_org", "to_org", "transfer"])})
    return mv


@transaction.atomic
def add_members(*, actor, party_org: PartyOrg, people: list[dict]) -> list[Member]:
    """Register many new members of one org at once (a branch's roster, the demo): the same checks and
    stored forms as ``save_member``, one existence query, one bulk insert and one audit row per member.
    Refuses the whole batch if any ID number is already registered or repeated."""
    rows = []
    for p in people:
        p = dict(p)
        rows.append(Member(**_member_values(party_org, p.pop("name"), p.pop("id_number"), p.pop("status"),
                                            p.pop("gender", None), p.pop("phone", ""), p)))
    hashes = [m.id_hash for m in rows]
    if len(set(hashes)) != len(hashes) or Member.objects.filter(id_hash__in=hashes).exists():
        raise ServiceError("公民身份号码重复或已登记", field="id_number")
    for m in rows:
        m.full_clean(exclude=["party_org", "zone", "id_hash"], validate_unique=False, validate_constraints=False)
    textsearch.fill(rows)  # bulk_create bypasses save(), which writes the search tokens
    created = Member.objects.bulk_create(rows)
    audit.record_many(actor, audit.AuditAction.CREATE, created)
    return created


def can_see_personal(user, member: Member) -> bool:
    """Full ID number, phone and birth date: platform admins, the member's own org's secretary and the
    organisation staff above it (users whose party org is the member's org or an ancestor of it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_platform_admin:
        return True
    path = _org_path(user)
    return bool(path) and member.party_org.path.startswith(path)


def masked_personal(member: Member) -> dict:
    """A member's personal data as every list shows it (page, API list, Excel export): masked, for everyone."""
    return {"id_number": member.id_masked, "phone": member.phone_masked,
            "birth_date": pii.mask_date(member.birth_date), "masked": True}


def personal_data(user, member: Member) -> dict:
    """A detail read of ``member``'s personal data (page or API): in full for those ``can_see_personal``,
    each full read audited (``view_personal``); masked for everyone else."""
    if not can_see_personal(user, member):
        return masked_personal(member)
    audit.record(user, audit.AuditAction.VIEW_PERSONAL, member)
    return {"id_number": str(member.id_number), "phone": str(member.phone),  # plain str: shown in full
            "birth_date": member.birth_date.isoformat() if member.birth_date else "", "masked": False}


# --- pairings and vanguard teams --------------------------------------------------------------------

@transaction.atomic
def save_pairing(*, actor, zone, party_org: PartyOrg, partner_name: str, pairing: Pairing | None = None, **fields):
    """Create or update a pairing (``pairing`` edits that one; else the natural key: our org + partner name)."""
    if party_org.zone_id != zone.pk:
        raise ServiceError("本方党组织不在该园区", field="party_org")
    existing = pairing or Pairing.objects.filter(party_org=party_org, partner_name=partner_name).first()
    _authorise(actor, existing, create_perm="orgs.manage", parents={"party_org": party_org}, before=existing)
    return _apply(Pairing, existing, actor=actor, zone=zone, party_org=party_org, partner_name=partner_name,
                  **fields)[0]


@transaction.atomic
def save_vanguard_team(*, actor, zone, name: str, lead_org: PartyOrg, team: VanguardTeam | None = None, **fields):
    """Create or update a vanguard team (``team`` edits that one; else the name within the zone finds it)."""
    if lead_org.zone_id != zone.pk:
        raise ServiceError("牵头党组织不在该园区", field="lead_org")
    existing = team or VanguardTeam.objects.filter(zone=zone, name=name).first()
    _authorise(actor, existing, create_perm="orgs.manage", parents={"lead_org": lead_org}, before=existing)
    return _apply(VanguardTeam, existing, actor=actor, zone=zone, name=name, lead_org=lead_org, **fields)[0]


@transaction.atomic
def save_cultivation(*, actor, party_org: PartyOrg, person_name: str, track: str,
                     cultivation: Cultivation | None = None, **fields):
    """Create or update one person's place in the dual-cultivation pipeline (双培养); ``cultivation`` edits
    that one, else the natural key (org, name, track) finds it. A new row starts at its track's first stage
    unless a stage is given (an import or the demo recording someone already on the way); after that the
    stage moves only through ``orgs.cultivation.CULTIVATION`` (its rules and waiting times)."""
    from .cultivation import FIRST_STAGE

    fields.pop("zone", None)  # a cultivation's zone is its org's
    existing = cultivation or Cultivation.objects.filter(party_org=party_org, person_name=person_name,
                                                         track=track).first()
    _authorise(actor, existing, create_perm="orgs.manage_party", parents={"party_org": party_org}, before=existing)
    if existing is not None:
        if existing.track != track:
            raise ServiceError("培养方向创建后不能修改，请另建一条双培养记录", field="track")
        fields.pop("stage", None)
        fields.pop("stage_since", None)
    else:
        if track not in FIRST_STAGE:
            raise ServiceError("请选择培养方向", field="track")
        fields["stage"] = fields.get("stage") or FIRST_STAGE[track]
        fields["stage_since"] = fields.get("stage_since") or fields.get("started_on")
    return _apply(Cultivation, existing, actor=actor, zone_id=party_org.zone_id, party_org=party_org,
                  person_name=person_name, track=track, **fields)[0]


def cultivation_funnel(queryset) -> dict[str, list[dict]]:
    """Counts per stage of each track, in pipeline order, for the funnel charts."""
    from .cultivation import TRACKS, counts_per_stage

    counts = counts_per_stage(queryset)
    return {str(track.label): [{"name": str(stage.label), "value": counts[str(stage)]} for stage in stages]
            for track, stages in TRACKS.items()}
