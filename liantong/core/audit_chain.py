"""The tamper-evident audit log: a keyed hash chain over ``core.AuditLog`` and the database's refusal to
change or delete a row (docs/security.md).

* **The chain.** Each row stores ``prev_hash`` (the hash of the row before it, in id order) and
  ``row_hash = HMAC(key, prev_hash + the row's content)``. The key (``LIANTONG_AUDIT_KEY``, by default
  derived from ``SECRET_KEY``) is not in the database, so whoever edits the table with SQL cannot compute a
  hash that verifies: ``verify()`` walks the rows in id order and names the first one that was changed,
  removed or inserted behind the application's back.
* **One writer at a time.** Two transactions appending at once would both chain to the same previous row.
  ``append`` takes a lock first — on PostgreSQL a transaction-level advisory lock (held until commit, so the
  next writer sees the row just committed), on SQLite the database write lock every transaction takes at
  its start (``transaction_mode = IMMEDIATE``) — then reads the last row's hash and inserts, so ids follow
  the chain.
* **Append-only in the database.** Triggers (SQLite) and a trigger function (PostgreSQL), installed by the
  migration ``core 0004`` and again after every ``migrate`` (a SQLite table rebuild drops its triggers),
  refuse ``UPDATE`` and ``DELETE`` on the table whatever the client. Only the application's own
  maintenance (``unlocked()``: ``restore --force``, ``flush`` of the test databases) passes, through a
  connection flag a plain SQL client does not have.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction

TABLE = "core_auditlog"
LOCK_KEY = 0x4C54_4155_4449_54  # "LTAUDIT": the advisory lock of the audit chain on PostgreSQL
GENESIS = ""

_state = threading.local()


def key() -> bytes:
    explicit = getattr(settings, "LIANTONG_AUDIT_KEY", "")
    if explicit:
        return explicit.encode()
    return hashlib.sha256(b"liantong-audit-chain:" + settings.SECRET_KEY.encode()).digest()


def _norm(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    return value


def _at(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a raw row read back on a backend that does not convert
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def content(row) -> str:
    """The row's content as one canonical string (the same before the insert and after reading it back)."""
    return content_of(row.at, row.actor_id, row.actor_name, row.action, row.object_type, row.object_id,
                      row.object_repr, row.zone_id, canonical_json(row.changes), row.ip, row.user_agent)


def canonical_json(changes) -> str:
    """``changes`` as the chain hashes it: after a JSON round trip (what the database gives back), integral
    floats as integers, keys sorted, compact. Of plain JSON (strings, integers, booleans, null, lists and
    dicts of them) it is ``json.dumps`` with those options — the bulk path's shortcut."""
    if isinstance(changes, str):
        changes = json.loads(changes)
    changes = _norm(json.loads(json.dumps(changes if changes is not None else {}, cls=DjangoJSONEncoder)))
    return json.dumps(changes, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_of(at, actor_id, actor_name, action, object_type, object_id, object_repr, zone_id, changes_json: str,
               ip, user_agent) -> str:
    """``content`` of a row given by its values and ``canonical_json(changes)`` (the bulk path builds them
    before its transaction)."""
    return "\x1f".join([
        _at(at), str(actor_id or ""), actor_name or "", action or "", object_type or "", object_id or "",
        object_repr or "", str(zone_id or ""), changes_json, str(ip or ""), user_agent or "",
    ])


def digest(prev_hash: str, row) -> str:
    return link(prev_hash, content(row).encode())


def link(prev_hash: str, content_bytes: bytes) -> str:
    """The row hash: HMAC(key, previous hash + the row's content)."""
    return hmac.new(key(), prev_hash.encode() + b"\x1e" + content_bytes, hashlib.sha256).hexdigest()


def _lock_and_last(using: str) -> str:
    """Take the chain's lock and read the last row's hash (plain SQL: this runs on every audited write, and
    the ORM spent more compiling the query than the database answering it)."""
    conn = connections[using]
    with conn.cursor() as c:
        if conn.vendor == "postgresql":
            c.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        c.execute(f"SELECT row_hash FROM {conn.ops.quote_name(TABLE)} ORDER BY id DESC LIMIT 1")
        last = c.fetchone()
    return (last[0] if last else None) or GENESIS


def append(rows: list, *, using: str = "default", insert=None) -> list:
    """Insert ``rows`` (unsaved ``AuditLog`` instances, ``at`` set) at the end of the chain, in order.
    ``insert(rows)`` writes many at once (the Excel import's ``gen.bulk``: one ``executemany``, ids in list
    order); by default ``bulk_create``."""
    from .models import AuditLog

    with transaction.atomic(using=using, savepoint=False):
        prev = _lock_and_last(using)
        for row in rows:
            row.prev_hash = prev
            row.row_hash = prev = digest(prev, row)
        if len(rows) == 1:
            rows[0].save(using=using, force_insert=True)
        elif insert is not None:
            insert(rows)
        else:
            AuditLog._base_manager.using(using).bulk_create(rows, batch_size=1000)
        return rows


def append_prepared(rows: list[tuple], contents: list[bytes], insert, *, using: str = "default") -> None:
    """Insert rows prepared before the transaction (``audit.prepare_created``: their values without the two
    hashes, and each one's ``content`` encoded) at the end of the chain, in order: under the chain's lock
    only the hashes are computed — ``insert(rows)`` gets each row with ``prev_hash`` and ``row_hash``
    appended."""
    base = hmac.new(key(), digestmod=hashlib.sha256)
    with transaction.atomic(using=using, savepoint=False):
        prev = _lock_and_last(using)
        out = []
        for row, body in zip(rows, contents, strict=True):
            h = base.copy()
            h.update(prev.encode() + b"\x1e" + body)
            out.append((*row, prev, (prev := h.hexdigest())))
        insert(out)


# --- verification -------------------------------------------------------------------------------------------

@dataclass
class Finding:
    id: int
    kind: str  # changed | removed | inserted | unchained
    message: str


@dataclass
class Report:
    rows: int
    first_id: int | None
    last_id: int | None
    last_hash: str
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


def _rows(using: str, batch: int = 2000) -> Iterator:
    from .models import AuditLog

    qs = AuditLog._base_manager.using(using).order_by("id")
    last = 0
    while True:
        chunk = list(qs.filter(id__gt=last)[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id


def verify(*, using: str = "default", rows: Iterable | None = None) -> Report:
    """Walk the chain in id order; stop at the first row that does not verify and say what happened to it.

    * the row's own hash does not match its content → it was **changed**;
    * its hash matches but it does not chain to the row before it: if it chains to the row before *that*
      one, the row before it was **inserted**; otherwise rows before it were **removed** (or, for the very
      first row, the oldest rows were removed — the chain of a fresh database starts from ``""``)."""
    n = 0
    first_id = last_id = None
    prev_hash = GENESIS
    before_prev = None  # the hash the previous row chained to
    prev_id = None
    for row in rows if rows is not None else _rows(using):
        n += 1
        if first_id is None:
            first_id = row.id
        if not row.row_hash:
            return Report(n, first_id, last_id, prev_hash, Finding(
                row.id, "unchained", f"第 {row.id} 条审计日志没有链上的哈希：它不是经由系统写入的（被插入）"))
        if digest(row.prev_hash or "", row) != row.row_hash:
            return Report(n, first_id, last_id, prev_hash, Finding(
                row.id, "changed", f"第 {row.id} 条审计日志被修改过：内容与它的哈希不符"))
        if (row.prev_hash or "") != prev_hash:
            if prev_id is not None and before_prev is not None and row.prev_hash == before_prev:
                return Report(n, first_id, last_id, prev_hash, Finding(
                    prev_id, "inserted", f"第 {prev_id} 条审计日志是被插入的：它的下一条（第 {row.id} 条）"
                                         "跳过了它，直接接在它前面那条之后"))
            where = f"第 {prev_id} 条与第 {row.id} 条之间" if prev_id is not None else f"第 {row.id} 条之前"
            return Report(n, first_id, last_id, prev_hash, Finding(
                row.id, "removed", f"{where}的审计日志被删除了：第 {row.id} 条接不上它前面的一条"))
        before_prev = row.prev_hash or ""
        prev_hash = row.row_hash
        prev_id = last_id = row.id
    return Report(n, first_id, last_id, prev_hash, None)


# --- append-only in the database ----------------------------------------------------------------------------

SQLITE_FUNCTION = "liantong_audit_unlocked"
PG_SETTING = "liantong.audit_unlocked"

SQLITE_SQL = [
    f"""CREATE TRIGGER IF NOT EXISTS core_auditlog_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT {SQLITE_FUNCTION}()
        BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不可修改'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_auditlog_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT {SQLITE_FUNCTION}()
        BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不可删除'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS core_auditlog_no_update", "DROP TRIGGER IF EXISTS core_auditlog_no_delete"]

PG_SQL = [
    f"""CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
        BEGIN
            IF coalesce(current_setting('{PG_SETTING}', true), '') = 'on' THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '审计日志只能追加，不可%', CASE TG_OP WHEN 'DELETE' THEN '删除' ELSE '修改' END
                USING ERRCODE = 'insufficient_privilege';
        END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS core_auditlog_append_only ON {TABLE}",
    f"""CREATE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION core_auditlog_append_only()""",
]
PG_DROP = [f"DROP TRIGGER IF EXISTS core_auditlog_append_only ON {TABLE}",
           "DROP FUNCTION IF EXISTS core_auditlog_append_only()"]


def install_guards(conn) -> None:
    """Create the triggers (idempotent): from the migration and after every ``migrate``."""
    sql = {"sqlite": SQLITE_SQL, "postgresql": PG_SQL}.get(conn.vendor)
    if not sql or TABLE not in conn.introspection.table_names():
        return
    with conn.cursor() as c:
        for statement in sql:
            c.execute(statement)


def remove_guards(conn) -> None:
    sql = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(conn.vendor, [])
    with conn.cursor() as c:
        for statement in sql:
            c.execute(statement)


def guards_installed(conn) -> bool:
    with conn.cursor() as c:
        if conn.vendor == "sqlite":
            c.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name=%s", [TABLE])
            return c.fetchone()[0] == 2
        if conn.vendor == "postgresql":
            c.execute("SELECT count(*) FROM pg_trigger WHERE tgname='core_auditlog_append_only'")
            return c.fetchone()[0] == 1
    return True


def is_unlocked() -> bool:
    return getattr(_state, "unlocked", 0) > 0


@contextlib.contextmanager
def unlocked(using: str = "default"):
    """Let this process delete or rewrite audit rows for the duration (``restore --force`` wiping the tables,
    ``flush`` emptying a test database). On PostgreSQL the setting is local to the current transaction."""
    conn = connections[using]
    _state.unlocked = getattr(_state, "unlocked", 0) + 1
    try:
        if conn.vendor == "postgresql" and conn.in_atomic_block:
            with conn.cursor() as c:
                c.execute("SELECT set_config(%s, 'on', true)", [PG_SETTING])
        yield
    finally:
        _state.unlocked -= 1
        if conn.vendor == "postgresql" and conn.in_atomic_block and not conn.needs_rollback:
            with conn.cursor() as c:
                c.execute("SELECT set_config(%s, '', true)", [PG_SETTING])


def on_connection_created(sender, connection, **kwargs) -> None:
    """Give every SQLite connection of the application the function the triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, lambda: 1 if is_unlocked() else 0)
