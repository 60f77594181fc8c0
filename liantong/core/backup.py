"""Backups that restore exactly: ``liantong backup FILE`` and ``liantong restore FILE`` (docs/deploy.md 备份).

The archive is one zip file:

* ``data/<app>.<model>.jsonl`` — every row of every table, one JSON object per line (Django's serialized
  form: ``{"model", "pk", "fields"}``), in primary-key order. Foreign keys and many-to-many values are
  primary keys, except those to content types and permissions, which are natural keys
  (``["orgs", "member"]``): ``migrate`` recreates those two tables with ids of its own, so they are not
  in the archive. Sessions are not either (they are transient; everyone logs in again).
  Datetimes keep their microseconds; many-to-many lists are sorted.
* ``media/<path>`` — every file under ``MEDIA_ROOT`` (order attachments, visit photos).
* ``manifest.json`` — the format, the migration state (applied migrations and the latest per app),
  per table the row count, the serialized field names and the SHA-256 of its rows (each in a
  canonical form, JSON keys sorted, so that the same rows give the same hash on SQLite and PostgreSQL), the media files
  with size and SHA-256, and a fingerprint of ``LIANTONG_PII_KEY``: personal data is kept as the
  ciphertext and keyed hashes (``core.pii``), which only the same key can read and look up.

Rows are read in primary-key chunks (keyset pagination), written to the archive as they come, and
loaded back in chunks: neither side holds a whole table in memory.

Restore writes into an empty, migrated database (or, with ``force``, wipes the tables first) in one
transaction: rows are inserted raw (``save()`` overrides, ``auto_now`` fields and signals are not run,
so no audit row is added and timestamps stay as they were), constraints are checked, every table's
count and checksum is recomputed from the database and compared with the manifest, the media files are
written and checked — and only then is the transaction committed. Anything wrong rolls it all back.
Afterwards: sequences reset (PostgreSQL), the FTS5 tables of the text search rebuilt (SQLite), the
dictionary cache and this process's match index forgotten.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import hashlib
import hmac
import json
import os
import tempfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers import base as serializers_base
from django.core.serializers import python as python_serializer
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from . import audit_chain

FORMAT = "liantong-backup"
FORMAT_VERSION = 1
CHUNK = 2000
MANIFEST = "manifest.json"

# Recreated by ``migrate`` (with ids of their own): referenced by natural key, not archived.
NATURAL_KEY_MODELS = ("contenttypes.contenttype", "auth.permission")
# Transient: not archived (a restored site starts with nobody logged in).
TRANSIENT_MODELS = ("sessions.session",)
# Archived, but ``migrate`` seeds them with defaults (``dicts.ensure_dicts`` on post_migrate): a freshly
# migrated database counts as empty with them, and restore replaces them with the archive's rows.
SEEDED_MODELS = ("core.dicttype", "core.dictitem")

PII_NOTE = ("党员身份证号、手机号等个人信息在备份中保持为密文与密钥哈希；恢复时必须使用与备份时相同的 "
            "LIANTONG_PII_KEY，否则这些信息无法解密，按身份证号查重、查找也会失效。")


class BackupError(Exception):
    """A backup or restore refused or failed; the message is Chinese and says what to do."""


Log = Callable[[str], None]


def _quiet(_msg: str) -> None:
    pass


# --- which tables ---------------------------------------------------------------------------------------


def archived_models() -> list[type[models.Model]]:
    """Every concrete, managed model whose rows go into the archive (apps order)."""
    skip = set(NATURAL_KEY_MODELS) | set(TRANSIENT_MODELS)
    return [m for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in skip]


def _through_models(model_list) -> list[type[models.Model]]:
    """The auto-created many-to-many tables of ``model_list`` (their rows travel inside the owner's rows)."""
    out = []
    for m in model_list:
        for f in m._meta.local_many_to_many:
            through = f.remote_field.through
            if through._meta.auto_created and through not in out:
                out.append(through)
    return out


def _table_models() -> list[type[models.Model]]:
    """Every table a restore writes (archived models and their many-to-many tables)."""
    chosen = archived_models()
    return chosen + _through_models(chosen)


# --- canonical serialized rows ------------------------------------------------------------------------


class _Serializer(python_serializer.Serializer):
    """Django's python serializer, with natural keys only for content types and permissions."""

    def _natural(self, field) -> bool:
        return field.remote_field.model._meta.label_lower in NATURAL_KEY_MODELS

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


def _encode(value):
    """JSON for what the serializer leaves as Python objects; datetimes keep their microseconds
    (``DjangoJSONEncoder`` would cut them to milliseconds)."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID, Promise)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    raise TypeError(f"无法序列化 {type(value).__name__}")


def _line(row: dict) -> bytes:
    """A row as stored in the archive: JSON values keep their key order (SQLite stores JSON as text, and
    a restore gives back the same text)."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), default=_encode).encode()


def _canonical(row: dict) -> bytes:
    """A row as hashed for the checksum: every key sorted (PostgreSQL's jsonb keeps its own key order)."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_encode).encode()


def serialized_rows(model, using: str, chunk: int = CHUNK) -> Iterator[dict]:
    """The rows of ``model`` as serialized dicts, in primary-key order, read ``chunk`` rows at a time."""
    m2m = [f.name for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created]
    qs = model._base_manager.using(using).order_by("pk")
    if m2m:
        qs = qs.prefetch_related(*m2m)
    last = None
    while True:
        rows = list((qs if last is None else qs.filter(pk__gt=last))[:chunk])
        if not rows:
            return
        last = rows[-1].pk
        for row in _Serializer().serialize(rows):
            for name in m2m:
                row["fields"][name] = sorted(row["fields"][name])
            yield row


def digest(model, using: str, fields: list[str] | None = None) -> tuple[int, str]:
    """``(row count, SHA-256 of the canonical lines)`` of ``model``'s rows in ``using``; with ``fields``,
    each row is first cut to those fields (an archive made before a field was added)."""
    h = hashlib.sha256()
    n = 0
    for row in serialized_rows(model, using):
        if fields is not None:
            row["fields"] = {k: v for k, v in row["fields"].items() if k in fields}
        h.update(_canonical(row) + b"\n")
        n += 1
    return n, h.hexdigest()


# --- migration state, key fingerprint ---------------------------------------------------------------------


def migration_state(using: str) -> dict[str, dict]:
    """``{app: {"latest": name, "applied": [names]}}`` from the database's migration table."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    state: dict[str, list[str]] = {}
    for app, name in sorted(loader.applied_migrations):
        state.setdefault(app, []).append(name)
    return {app: {"latest": names[-1], "applied": names} for app, names in state.items()}


def pii_key_fingerprint() -> str:
    """A keyed hash of a constant: tells whether two installations use the same ``LIANTONG_PII_KEY``
    without saying anything about the key."""
    return hmac.new(settings.PII_KEY.encode(), b"liantong-backup-pii-key-check", hashlib.sha256).hexdigest()[:16]


# --- backup -----------------------------------------------------------------------------------------------


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                out.append((path.relative_to(root).as_posix(), path))
    return out


def _serialized_fields(model) -> list[str]:
    """The names in a row's ``fields`` (what the serializer writes: no primary key)."""
    return sorted(f.name for f in [*model._meta.local_fields, *model._meta.local_many_to_many] if f.serialize)


def _write_archive(part: Path, manifest: dict, using: str, log: Log) -> None:
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for model in archived_models():
            label = model._meta.label_lower
            entry = f"data/{label}.jsonl"
            h = hashlib.sha256()
            n = 0
            with zf.open(entry, "w", force_zip64=True) as out:
                buf: list[bytes] = []
                for row in serialized_rows(model, using):
                    data = _line(row) + b"\n"
                    h.update(_canonical(row) + b"\n")
                    buf.append(data)
                    n += 1
                    if len(buf) >= CHUNK:
                        out.write(b"".join(buf))
                        buf = []
                out.write(b"".join(buf))
            manifest["models"][label] = {"file": entry, "rows": n, "sha256": h.hexdigest(),
                                         "fields": _serialized_fields(model)}
            if n:
                log(f"  {label}：{n} 行")
        for rel, file in _media_files(Path(settings.MEDIA_ROOT)):
            h = hashlib.sha256()
            size = 0
            with open(file, "rb") as src, zf.open(f"media/{rel}", "w", force_zip64=True) as out:
                for block in iter(lambda src=src: src.read(1 << 20), b""):
                    h.update(block)
                    size += len(block)
                    out.write(block)
            manifest["media"][rel] = {"size": size, "sha256": h.hexdigest()}
        if manifest["media"]:
            log(f"  附件文件：{len(manifest['media'])} 个")
        manifest["totals"] = {"tables": len(manifest["models"]),
                              "rows": sum(m["rows"] for m in manifest["models"].values()),
                              "media_files": len(manifest["media"]),
                              "media_bytes": sum(m["size"] for m in manifest["media"].values())}
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))


@contextlib.contextmanager
def _snapshot(using: str):
    """A transaction seeing one consistent state of the database while the archive is written
    (PostgreSQL: REPEATABLE READ, read only; SQLite: the project's IMMEDIATE transaction)."""
    conn = connections[using]
    outer = conn.in_atomic_block
    with transaction.atomic(using=using):
        if not outer and conn.vendor == "postgresql":
            with conn.cursor() as c:
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def make_backup(path: str | os.PathLike, *, using: str = "default", log: Log = _quiet) -> dict:
    """Write the archive to ``path`` (through ``path.part``, renamed at the end). Returns the manifest."""
    started = time.monotonic()
    target = Path(path)
    if target.is_dir():
        raise BackupError(f"“{target}”是一个目录，请给出备份文件名，例如 {target / 'liantong-backup.zip'}")
    if not target.parent.is_dir():
        raise BackupError(f"目录“{target.parent}”不存在")
    part = target.with_name(target.name + ".part")
    manifest: dict = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connections[using].vendor,
        "natural_keys": list(NATURAL_KEY_MODELS),
        "not_archived": {"contenttypes.contenttype": "migrate 重建，按自然键引用",
                         "auth.permission": "migrate 重建，按自然键引用",
                         "sessions.session": "会话为临时数据，恢复后需重新登录"},
        "pii": {"key_fingerprint": pii_key_fingerprint(), "note": PII_NOTE},
        "models": {}, "media": {},
    }
    ok = False
    try:
        with _snapshot(using):
            manifest["migrations"] = migration_state(using)
            _write_archive(part, manifest, using, log)
        os.replace(part, target)
        ok = True
    except OSError as exc:
        raise BackupError(f"无法写入备份文件“{target}”：{exc}") from exc
    finally:
        if not ok:
            part.unlink(missing_ok=True)
    manifest["seconds"] = round(time.monotonic() - started, 2)
    manifest["bytes"] = target.stat().st_size
    return manifest


# --- restore ----------------------------------------------------------------------------------------------


def _open_archive(path: Path) -> tuple[zipfile.ZipFile, dict]:
    """Open and check the archive (every member's CRC, the manifest) before anything is written."""
    if not path.is_file():
        raise BackupError(f"备份文件“{path}”不存在")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BackupError(f"备份文件“{path}”已损坏或不完整（不是完整的 zip 归档：{exc}），未写入任何数据") from exc
    try:
        bad = zf.testzip()
        if bad is not None:
            raise BackupError(f"备份文件已损坏：成员“{bad}”校验失败（CRC），未写入任何数据")
        manifest = json.loads(zf.read(MANIFEST))
    except BackupError:
        zf.close()
        raise
    except KeyError as exc:
        zf.close()
        raise BackupError(f"备份文件“{path}”缺少清单 {MANIFEST}，不是链通备份，未写入任何数据") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        zf.close()
        raise BackupError(f"备份文件“{path}”已损坏或不完整（{exc}），未写入任何数据") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        zf.close()
        raise BackupError(f"“{path}”不是链通备份文件（清单格式不符），未写入任何数据")
    if manifest.get("format_version") != FORMAT_VERSION:
        zf.close()
        raise BackupError(f"备份格式版本 {manifest.get('format_version')} 不受当前版本支持（支持 {FORMAT_VERSION}）")
    names = set(zf.namelist())
    missing = [m["file"] for m in manifest.get("models", {}).values() if m["file"] not in names]
    missing += [f"media/{rel}" for rel in manifest.get("media", {}) if f"media/{rel}" not in names]
    if missing:
        zf.close()
        raise BackupError(f"备份文件不完整：缺少 {'、'.join(missing[:5])}{' 等' if len(missing) > 5 else ''}，未写入任何数据")
    return zf, manifest


def _check_migrations(manifest: dict, using: str) -> list[str]:
    """Refuse an archive from newer code or a database that is not migrated; return warnings."""
    conn = connections[using]
    executor = MigrationExecutor(conn)
    loader = executor.loader
    known = set(loader.graph.nodes)
    archived = {(app, name) for app, info in manifest.get("migrations", {}).items() for name in info["applied"]}
    newer = sorted(archived - known)
    if newer:
        shown = "、".join(f"{a}.{n}" for a, n in newer[:5])
        raise BackupError(f"备份来自更新的版本：迁移 {shown} 在当前代码中不存在。请先升级链通到备份时的版本或更新的版本，再恢复。")
    plan = executor.migration_plan(loader.graph.leaf_nodes())
    if plan:
        raise BackupError(f"目标数据库尚未迁移到当前版本（还有 {len(plan)} 个迁移未执行），请先运行 liantong migrate")
    warnings = []
    archived_apps = {a for a, _n in archived}
    older = sorted((a, n) for a, n in known - archived if a in archived_apps)
    if older:
        warnings.append(f"备份早于当前代码（其后新增迁移 {len(older)} 个，如 {older[0][0]}.{older[0][1]}）："
                        "按当前表结构载入，新增字段取默认值；数据迁移不会对恢复的数据重跑，"
                        "建议恢复后运行 liantong reindex-search，或用备份时的版本恢复后再升级。")
    return warnings


def _non_empty(using: str) -> list[str]:
    out = []
    for model in _table_models():
        if model._meta.label_lower in SEEDED_MODELS:
            continue
        n = model._base_manager.using(using).count()
        if n:
            out.append(f"{model._meta.label}（{n} 行）")
    return out


def _wipe(using: str, *, everything: bool) -> None:
    """Empty the tables a restore writes (``everything``) or only those ``migrate`` seeded."""
    conn = connections[using]
    if everything:
        tables = [m._meta.db_table for m in _table_models()]
        tables += [apps.get_model(label)._meta.db_table for label in TRANSIENT_MODELS if _installed(label)]
    else:
        tables = [apps.get_model(label)._meta.db_table for label in SEEDED_MODELS if _installed(label)]
    tables = [t for t in tables if t in set(conn.introspection.table_names())]
    if conn.vendor == "postgresql":
        conn.check_constraints()  # fire pending deferred checks: TRUNCATE refuses tables with pending events
    with audit_chain.unlocked(using), conn.cursor() as c:  # the audit log's append-only guard, lifted here
        for sql in conn.ops.sql_flush(no_style(), tables, allow_cascade=False):
            c.execute(sql)


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _raw_insert(model, objs: list, using: str) -> None:
    """INSERT the instances as they are (the ``raw`` path of ``loaddata``: no ``save()``, no ``auto_now``,
    no signals), in batches the database accepts."""
    if not objs:
        return
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connections[using].ops.bulk_batch_size(fields, objs) or len(objs))
    manager = model._base_manager.using(using)
    for i in range(0, len(objs), size):
        manager._insert(objs[i:i + size], fields=fields, using=using, raw=True)


def _load_model(zf: zipfile.ZipFile, model, entry: str, using: str) -> int:
    label = model._meta.label_lower
    m2m_fields = {f.name: f for f in model._meta.local_many_to_many}
    n = 0

    def flush(batch: list[dict]) -> None:
        objs = []
        through_rows: dict = {}
        for d in python_serializer.Deserializer(batch, using=using, handle_forward_references=False):
            if type(d.object) is not model:
                raise BackupError(f"备份数据有误：{entry} 中出现了 {d.object._meta.label_lower} 的行")
            if d.deferred_fields:
                names = "、".join(f.name for f in d.deferred_fields)
                raise BackupError(f"{label} 第 {d.object.pk} 行引用的对象在目标库中不存在（{names}）")
            if model._meta.parents:
                d.save(using=using)  # multi-table inheritance: loaddata's own path (raw save)
                continue
            objs.append(d.object)
            for name, pks in d.m2m_data.items():
                field = m2m_fields[name]
                through = field.remote_field.through
                src, dst = field.m2m_field_name(), field.m2m_reverse_field_name()
                through_rows.setdefault(through, []).extend(
                    through(**{f"{src}_id": d.object.pk, f"{dst}_id": pk}) for pk in pks)
        _raw_insert(model, objs, using)
        for through, rows in through_rows.items():
            through._base_manager.using(using).bulk_create(rows, batch_size=500)

    with zf.open(entry) as fh:
        batch: list[dict] = []
        for raw in fh:
            if not raw.strip():
                continue
            batch.append(json.loads(raw))
            n += 1
            if len(batch) >= CHUNK:
                flush(batch)
                batch = []
        flush(batch)
    return n


def _media_target(root: Path, rel: str) -> Path:
    p = PurePosixPath(rel)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise BackupError(f"备份中的附件路径“{rel}”不安全，已拒绝")
    return root.joinpath(*p.parts)


def _restore_media(zf: zipfile.ZipFile, manifest: dict, log: Log) -> int:
    root = Path(settings.MEDIA_ROOT)
    for rel, info in manifest.get("media", {}).items():
        dest = _media_target(root, rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".restore-")
        try:
            with os.fdopen(fd, "wb") as out, zf.open(f"media/{rel}") as src:
                for block in iter(lambda src=src: src.read(1 << 20), b""):
                    h.update(block)
                    out.write(block)
            if h.hexdigest() != info["sha256"]:
                raise BackupError(f"附件“{rel}”的校验值与清单不一致")
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    n = len(manifest.get("media", {}))
    if n:
        log(f"  附件文件：{n} 个 → {root}")
    return n


def _after_load(using: str, table_models: list) -> None:
    """Derived things: sequences past the restored ids (PostgreSQL), the FTS5 tables (SQLite)."""
    from liantong.core import textsearch

    conn = connections[using]
    with conn.cursor() as c:
        for sql in conn.ops.sequence_reset_sql(no_style(), table_models):
            c.execute(sql)
        if conn.vendor == "sqlite":
            existing = set(conn.introspection.table_names())
            for model in textsearch.searchable_models():
                fts = textsearch.fts_table(model)
                if fts in existing:
                    q = conn.ops.quote_name(fts)
                    c.execute(f"INSERT INTO {q}({q}) VALUES ('rebuild')")


def restore(path: str | os.PathLike, *, using: str = "default", force: bool = False,
            ignore_pii_key: bool = False, log: Log = _quiet) -> dict:
    """Restore the archive at ``path`` into ``using`` (see the module docstring). Returns a summary
    ``{"tables", "rows", "media_files", "warnings", "seconds"}``; raises :class:`BackupError`."""
    started = time.monotonic()
    zf, manifest = _open_archive(Path(path))
    try:
        warnings = _check_migrations(manifest, using)
        if manifest.get("pii", {}).get("key_fingerprint") != pii_key_fingerprint():
            if not ignore_pii_key:
                raise BackupError("当前的 LIANTONG_PII_KEY 与备份时的不同：恢复后党员身份证号、手机号将无法解密，"
                                  "按身份证号查重也会失效。请设置备份时的密钥后再恢复"
                                  "（确知要用另一把密钥时加 --ignore-pii-key）。")
            warnings.append("LIANTONG_PII_KEY 与备份时不同（--ignore-pii-key）：个人信息的密文无法解密。")
        labels = list(manifest["models"])
        try:
            chosen = [apps.get_model(label) for label in labels]
        except LookupError as exc:
            raise BackupError(f"备份中的表在当前版本中不存在：{exc}") from exc
        table_models = chosen + _through_models(chosen)
        total = 0
        try:
            with transaction.atomic(using=using):
                occupied = _non_empty(using)
                if occupied and not force:
                    raise BackupError(f"目标数据库已有数据：{'、'.join(occupied[:5])}{' 等' if len(occupied) > 5 else ''}。"
                                      "恢复只写入空的（刚迁移的）数据库；确要用备份覆盖现有数据时加 --force"
                                      "（先清空本系统的全部数据表）。")
                _wipe(using, everything=bool(occupied))
                if occupied:
                    log("  已清空现有数据（--force）")
                conn = connections[using]
                with conn.constraint_checks_disabled():
                    for model, label in zip(chosen, labels):
                        n = _load_model(zf, model, manifest["models"][label]["file"], using)
                        total += n
                        if n:
                            log(f"  {label}：{n} 行")
                conn.check_constraints(table_names=[m._meta.db_table for m in table_models])
                _after_load(using, table_models)
                differ = []
                for model, label in zip(chosen, labels):
                    info = manifest["models"][label]
                    count, sha = digest(model, using, info.get("fields"))
                    if count != info["rows"]:
                        differ.append(f"{label} 行数 {count}，备份中为 {info['rows']}")
                    elif sha != info["sha256"]:
                        differ.append(f"{label} 内容校验值不一致")
                if differ:
                    raise BackupError("恢复后的数据与备份清单不一致，已全部撤销：" + "；".join(differ))
                media = _restore_media(zf, manifest, log)
        except (serializers_base.DeserializationError, FieldDoesNotExist, ValidationError, ValueError,
                TypeError, KeyError) as exc:
            raise BackupError(f"备份数据无法载入（{exc}），已全部撤销，数据库未改动") from exc
        except DatabaseError as exc:
            raise BackupError(f"写入数据库失败（{exc}），已全部撤销，数据库未改动") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise BackupError(f"读取备份或写入附件失败（{exc}），数据库已全部撤销") from exc
    finally:
        zf.close()
    _forget_caches()
    return {"tables": len(labels), "rows": total, "media_files": media, "warnings": warnings,
            "seconds": round(time.monotonic() - started, 2)}


def _forget_caches() -> None:
    """This process's derived state: the dictionary cache and what strands registered with ``on_restore``
    (the match engine, built again on use)."""
    from liantong.core import dicts

    dicts.invalidate()
    for fn in _ON_RESTORE:
        fn()


_ON_RESTORE: list[Callable[[], None]] = []


def on_restore(fn: Callable[[], None]) -> None:
    """Register ``fn()`` to run after a restore: a strand forgets its in-process caches (core imports no strand)."""
    if fn not in _ON_RESTORE:
        _ON_RESTORE.append(fn)
