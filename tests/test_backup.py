"""``liantong backup`` / ``liantong restore`` (core/backup.py): the demo database, backed up and restored
into a second, empty, migrated database (a scratch SQLite file or a throw-away PostgreSQL database,
restored by the real command in a subprocess), comes back row for row — compared here table by table
with plain SQL, independently of the manifest's checksums — with its media files byte for byte, no
audit row added, and sequences past the restored ids. Broken archives, archives from newer code, a
different personal-data key and a non-empty target are refused in Chinese, writing nothing."""

import io
import json
import os
import secrets
import struct
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from liantong.accounts.models import User
from liantong.core import textsearch
from liantong.core.models import Attachment, AuditLog, Zone
from liantong.orgs.models import Member
from liantong.services.models import ServiceRequest
from tests import dbtemplate

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("backup")  # one worker makes the demo archive once (`_demo_archive`)
NOT_ARCHIVED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


# --- the second database ----------------------------------------------------------------------------------


def _env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "TEST_SQLITE_PATH")}
    env.update(DJANGO_SETTINGS_MODULE="liantong.settings", **extra)
    return env


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "liantong.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


class Target:
    """A new database holding nothing but what ``migrate`` puts there — a copy of the migrated database the
    template build kept before loading the demo (``tests/dbtemplate.py``), else migrated by the CLI;
    ``env`` points the CLI at it, ``rows(sql)`` reads it with plain SQL."""

    def __init__(self, tmp: Path, template: dbtemplate.Template):
        self.vendor = connection.vendor
        self.media = tmp / "media_restored"
        if self.vendor == "postgresql":
            import psycopg

            s = connection.settings_dict
            self.params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"],
                           "password": s["PASSWORD"] or None}
            self.name = f"{s['NAME']}_restore_{uuid.uuid4().hex[:8]}"[-63:]
            auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
            url = f"postgres://{auth}@{self.params['host']}:{self.params['port']}/{self.name}"
            self.env = _env({"DATABASE_URL": url, "MEDIA_ROOT": str(self.media)})
        else:
            self.path = tmp / "restored.sqlite3"
            self.env = _env({"SQLITE_PATH": str(self.path), "MEDIA_ROOT": str(self.media)})
        target = self.name if self.vendor == "postgresql" else str(self.path)
        if not dbtemplate.copy_empty(template, connection, target):
            if self.vendor == "postgresql":
                with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as c:
                    c.execute(f'CREATE DATABASE "{self.name}"')
            proc = _cli(self.env, "migrate", "--noinput", "-v0")
            assert proc.returncode == 0, proc.stderr

    def rows(self, sql: str) -> list[tuple]:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname=self.name, **self.params) as c:
                c.execute("SET TIME ZONE 'UTC'")
                return [tuple(r) for r in c.execute(sql).fetchall()]
        import sqlite3

        c = sqlite3.connect(self.path)
        try:
            return c.execute(sql).fetchall()
        finally:
            c.close()

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path, demo_template, django_db_blocker):
    with django_db_blocker.unblock():
        t = Target(tmp_path, demo_template)
    yield t
    t.drop()


def _source_rows(sql: str) -> list[tuple]:
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SET TIME ZONE 'UTC'")
        c.execute(sql)
        return [tuple(r) for r in c.fetchall()]


# --- comparing every table with plain SQL -------------------------------------------------------------------


def _tables():
    """Every table the archive should carry, found from the models (not from core/backup.py)."""
    out = []
    for m in apps.get_models(include_auto_created=True):
        if m._meta.proxy or not m._meta.managed or m._meta.label_lower in NOT_ARCHIVED:
            continue
        out.append(m)
    return out


def _select(model) -> str:
    qn = connection.ops.quote_name
    cols = [f.column for f in model._meta.local_concrete_fields
            if not (model._meta.auto_created and f.primary_key)]  # many-to-many rows: their own ids are not data
    return f"SELECT {', '.join(f'CAST({qn(c)} AS TEXT)' for c in cols)} FROM {qn(model._meta.db_table)}"


def _natural_maps(read) -> dict:
    """Content types and permissions get their own ids from ``migrate``: compare them by natural key."""
    ct = {str(i): (a, m) for i, a, m in read("SELECT CAST(id AS TEXT), app_label, model FROM django_content_type")}
    perm = {str(i): (ct[str(c)], code) for i, c, code in
            read("SELECT CAST(id AS TEXT), CAST(content_type_id AS TEXT), codename FROM auth_permission")}
    return {ContentType: ct, Permission: perm}


def _table(model, read, maps) -> list[tuple]:
    fields = [f for f in model._meta.local_concrete_fields if not (model._meta.auto_created and f.primary_key)]
    out = []
    for row in read(_select(model)):
        out.append(tuple(maps[f.related_model].get(v, ("?", v)) if f.related_model in maps and v is not None else v
                         for f, v in zip(fields, row)))
    return sorted(out, key=repr)


# --- the round trip ---------------------------------------------------------------------------------------


def _media_and_extras(media: Path) -> dict[str, bytes]:
    """Uploaded files under MEDIA_ROOT, an attachment row pointing at one, and rows that refer to content
    types and permissions (natural keys in the archive)."""
    files = {"files/3f/3f2a0c1e9b7d4c55a6e1d0b8c4f7a912": "%PDF-1.4 附件 ".encode() * 50,
             "visits/2025/07/photo.png": PNG, "orders/2025/06/empty-dir-neighbour.txt": b""}
    for rel, data in files.items():
        (media / rel).parent.mkdir(parents=True, exist_ok=True)
        (media / rel).write_bytes(data)
    order = ServiceRequest.objects.order_by("pk").first()
    Attachment.objects.create(zone_id=order.zone_id, content_type=ContentType.objects.get_for_model(order),
                              object_id=order.pk, file="files/3f/3f2a0c1e9b7d4c55a6e1d0b8c4f7a912", name="合同.pdf",
                              size=len(files["files/3f/3f2a0c1e9b7d4c55a6e1d0b8c4f7a912"]), mime="application/pdf")
    user = User.objects.get(username="zj_firm")
    user.user_permissions.add(Permission.objects.get(codename="view_zone"))
    LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(Zone), object_id="1",
                            object_repr="镇江高新区", action_flag=ADDITION, change_message="[]")
    return files


def test_backup_restores_exactly_into_an_empty_database(personas, settings, tmp_path, target):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    files = _media_and_extras(media)
    archive = tmp_path / "backup.zip"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "备份完成" in out.getvalue() and "LIANTONG_PII_KEY" in out.getvalue()
    assert not Path(str(archive) + ".part").exists()

    proc = _cli(target.env, "restore", str(archive))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tables = [m for m in _tables() if not m._meta.auto_created]
    total = sum(m._base_manager.count() for m in tables)
    assert f"恢复完成：{len(tables)} 张表、{total} 行，校验一致" in proc.stdout
    assert "LIANTONG_PII_KEY" in proc.stdout

    # every table, row by row, field by field (content types and permissions by natural key)
    src_maps, dst_maps = _natural_maps(_source_rows), _natural_maps(target.rows)
    compared = 0
    for model in _tables():
        src = _table(model, _source_rows, src_maps)
        dst = _table(model, target.rows, dst_maps)
        assert dst == src, model._meta.label
        compared += len(src)
    assert compared > total > 15000
    assert target.rows("SELECT COUNT(*) FROM django_admin_log") == [(1,)]

    # no audit row written by the restore
    qn = connection.ops.quote_name
    audit = f"SELECT COUNT(*), MAX(id) FROM {qn(AuditLog._meta.db_table)}"
    assert [tuple(map(int, r)) for r in target.rows(audit)] == [tuple(map(int, r)) for r in _source_rows(audit)]

    # the uploaded files, byte for byte
    for rel, data in files.items():
        assert (target.media / rel).read_bytes() == data, rel

    # new rows get new ids (sequences reset), and the text index answers as before
    surname = Member.objects.order_by("pk").first().name[0]
    expected = textsearch.search(Member.objects.all(), surname).count()
    code = (
        "import json\n"
        "from liantong.core.models import AuditLog, Zone\n"
        "from liantong.accounts.models import Role, User\n"
        "from liantong.orgs.models import Member\n"
        "from liantong.core import textsearch\n"
        "z = Zone.objects.create(name='恢复后新建园区', short_name='恢复后')\n"
        "a = AuditLog.objects.create(action='create', object_type='core.zone')\n"
        "u = User.objects.create_user('after_restore', password=None)\n"
        "u.roles.add(*Role.objects.all())\n"
        f"found = textsearch.search(Member.objects.all(), {surname!r}).count()\n"
        "print('RESULT', json.dumps([z.pk, a.pk, u.pk, max(u.roles.through.objects.values_list('id', flat=True)), found]))\n"
    )
    proc = _cli(target.env, "shell", "-c", code)
    assert proc.returncode == 0, proc.stderr
    zone_pk, audit_pk, user_pk, through_pk, found = json.loads(proc.stdout.split("RESULT", 1)[1])
    through = User.roles.through
    assert zone_pk > Zone.objects.order_by("-pk").first().pk
    assert audit_pk > AuditLog.objects.order_by("-pk").first().pk
    assert user_pk > User.objects.order_by("-pk").first().pk
    assert through_pk > through.objects.order_by("-pk").first().pk
    assert found == expected > 0


# --- refusals: nothing is written ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _demo_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup of the demo (and a photo) for the refusal tests: every test starts from the same demo,
    so the archive made for the first serves them all (a backup of the whole demo costs a second or two)."""
    from django.test import override_settings

    tmp = tmp_path_factory.mktemp("archive")
    (tmp / "media" / "visits").mkdir(parents=True)
    (tmp / "media" / "visits" / "a.png").write_bytes(PNG)
    path = tmp / "backup.zip"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp / "media"):
        call_command("backup", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def archive(db, settings, tmp_path, _demo_archive):
    """This test's copy of the demo's archive; restored files go to this test's ``media_restored``."""
    path = tmp_path / "backup.zip"
    path.write_bytes(_demo_archive.read_bytes())
    settings.MEDIA_ROOT = tmp_path / "media_restored"
    return path


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in _tables()}


def _rewrite(src: Path, dst: Path, change) -> Path:
    """A copy of the archive whose manifest went through ``change``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest, ensure_ascii=False).encode()
            zout.writestr(info, data)
    return dst


def _refused(path, **opts) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(path), stdout=io.StringIO(), **opts)
    return str(exc.value)


def test_restore_refuses_a_database_that_holds_data(archive):
    before = _counts()
    msg = _refused(archive)
    assert "目标数据库已有数据" in msg and "--force" in msg
    assert _counts() == before


def test_force_replaces_the_data_with_the_archive(archive):
    before = _counts()
    zone = Zone.objects.create(name="备份之后新建", short_name="之后")
    AuditLog.objects.create(action="create", object_type="core.zone", object_id=str(zone.pk))
    out = io.StringIO()
    call_command("restore", str(archive), force=True, stdout=out)
    assert "校验一致" in out.getvalue()
    assert _counts() == before
    assert not Zone.objects.filter(short_name="之后").exists()
    assert (Path(archive).parent / "media_restored" / "visits" / "a.png").read_bytes() == PNG
    restored_max = Zone.objects.order_by("-pk").first().pk
    assert Zone.objects.create(name="恢复之后新建", short_name="恢复后").pk > restored_max


def test_a_broken_archive_is_refused_and_nothing_is_written(archive, tmp_path):
    before = _counts()
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    assert "已损坏或不完整" in _refused(truncated, force=True)

    flipped = tmp_path / "flipped.zip"
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("data/orgs.member.jsonl")
    head = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[head + 26:head + 30])
    broken = bytearray(data)
    broken[head + 30 + name_len + extra_len + info.compress_size // 2] ^= 0xFF  # inside the member's data
    flipped.write_bytes(bytes(broken))
    assert "已损坏" in _refused(flipped, force=True)

    not_ours = tmp_path / "other.zip"
    with zipfile.ZipFile(not_ours, "w") as zf:
        zf.writestr("hello.txt", "不是备份")
    assert "不是链通备份" in _refused(not_ours, force=True)
    assert "不存在" in _refused(tmp_path / "missing.zip")

    # the checksums are checked after everything is loaded: a mismatch undoes the wiped and loaded tables
    def tamper(m):
        m["models"]["orgs.member"]["sha256"] = "0" * 64

    msg = _refused(_rewrite(archive, tmp_path / "tampered.zip", tamper), force=True)
    assert "orgs.member" in msg and "已全部撤销" in msg
    assert _counts() == before
    assert not (tmp_path / "media_restored").exists()


def test_an_archive_from_newer_code_or_another_pii_key_is_refused(archive, tmp_path, settings):
    before = _counts()

    def newer(m):
        m["migrations"]["orgs"]["applied"].append("9999_from_the_future")

    msg = _refused(_rewrite(archive, tmp_path / "newer.zip", newer), force=True)
    assert "更新的版本" in msg and "orgs.9999_from_the_future" in msg

    settings.PII_KEY = secrets.token_hex(16)
    msg = _refused(archive, force=True)
    assert "LIANTONG_PII_KEY" in msg and "--ignore-pii-key" in msg
    assert _counts() == before


def test_the_cli_names_both_commands():
    from liantong import cli

    assert "liantong backup FILE" in cli.__doc__ and "liantong restore FILE" in cli.__doc__
