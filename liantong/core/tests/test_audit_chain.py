"""The audit log is tamper-evident (core/audit_chain.py): the database refuses UPDATE and DELETE whatever the
client, and ``liantong audit-verify`` names the first row changed, removed or inserted behind the
application's back. Runs on SQLite and PostgreSQL (the suite runs on both)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory, override_settings

from liantong.core import audit, audit_chain
from liantong.core.middleware import client_ip
from liantong.core.models import AuditAction, AuditLog


def _verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exc:
        return exc.code, err.getvalue()


def _sql(statement: str, params=()):
    with connection.cursor() as c:
        c.execute(statement, params)


def _behind_the_back(statement: str, params=()):
    """What someone with the database's own tools could do after dropping the guard: run raw SQL."""
    with transaction.atomic(), audit_chain.unlocked():
        _sql(statement, params)


@pytest.fixture
def rows(db):
    for i in range(3):
        audit.record(None, AuditAction.UPDATE, None, object_type="core.zone", object_repr=f"测试{i}",
                     changes={"name": ["旧", f"新{i}"], "n": 1.0})
    return list(AuditLog.objects.order_by("-id")[:3])[::-1]


def test_the_demo_audit_log_verifies(db):
    assert AuditLog.objects.count() > 100
    code, text = _verify()
    assert code == 0, text
    assert f"{AuditLog.objects.count()} 条" in text


def test_the_database_refuses_an_sql_update_of_an_audit_row(rows):
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE core_auditlog SET object_repr = %s WHERE id = %s", ["改过", rows[0].id])
    assert AuditLog.objects.get(pk=rows[0].pk).object_repr == "测试0"


def test_the_database_refuses_an_sql_delete_of_an_audit_row(rows):
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("DELETE FROM core_auditlog WHERE id = %s", [rows[0].id])
    assert AuditLog.objects.filter(pk=rows[0].pk).exists()


def test_the_guards_are_installed_after_migrate(db):
    assert audit_chain.guards_installed(connection)


def test_audit_verify_names_a_row_changed_behind_the_applications_back(rows):
    _behind_the_back("UPDATE core_auditlog SET object_repr = %s WHERE id = %s", ["改过", rows[1].id])
    code, text = _verify()
    assert code == 1
    assert f"第 {rows[1].id} 条审计日志被修改过" in text


def test_audit_verify_names_the_row_after_a_removed_one(rows):
    _behind_the_back("DELETE FROM core_auditlog WHERE id = %s", [rows[1].id])
    code, text = _verify()
    assert code == 1
    assert f"第 {rows[0].id} 条与第 {rows[2].id} 条之间的审计日志被删除了" in text


def test_audit_verify_names_a_row_inserted_behind_the_applications_back(rows):
    # a forger who knows the algorithm but not the key: the row chains to its predecessor with a plain hash
    forged = AuditLog(id=rows[1].id + 1, at=rows[1].at, actor_name="伪造", action=AuditAction.DELETE,
                      object_type="core.zone", object_repr="伪造的记录", changes={})
    with override_settings(LIANTONG_AUDIT_KEY="guessed-key"):
        forged.prev_hash, forged.row_hash = rows[1].row_hash, audit_chain.digest(rows[1].row_hash, forged)
    with transaction.atomic(), audit_chain.unlocked():
        _sql("UPDATE core_auditlog SET id = id + 1000 WHERE id >= %s", [forged.id])
        forged.save(force_insert=True)
    code, text = _verify()
    assert code == 1
    assert f"第 {forged.id} 条审计日志被修改过" in text


def test_audit_verify_names_an_inserted_row_that_was_given_a_valid_looking_hash(rows):
    # a row the application wrote elsewhere, replayed between two rows: its own hash holds, the chain does not
    replay = AuditLog(at=rows[1].at, actor_name="x", action=AuditAction.UPDATE, object_type="core.zone",
                      object_repr="重放", changes={})
    replay.prev_hash = rows[1].row_hash
    replay.row_hash = audit_chain.digest(replay.prev_hash, replay)
    with transaction.atomic(), audit_chain.unlocked():
        _sql("UPDATE core_auditlog SET id = id + 1000 WHERE id = %s", [rows[2].id])
        replay.id = rows[1].id + 1
        replay.save(force_insert=True)
    code, text = _verify()
    assert code == 1
    assert f"第 {replay.id} 条审计日志是被插入的" in text


def test_audit_verify_reports_missing_guards(rows):
    audit_chain.remove_guards(connection)
    try:
        code, text = _verify()
        assert code == 1
        assert "触发器缺失" in text
    finally:
        audit_chain.install_guards(connection)


def test_bulk_audit_rows_chain_in_id_order(db):
    from liantong.core.models import Zone

    zones = list(Zone.objects.all()[:3])
    audit.record_many(None, AuditAction.CREATE, zones)
    last = list(AuditLog.objects.order_by("-id")[:4])[::-1]
    for before, after in zip(last, last[1:]):
        assert after.prev_hash == before.row_hash
    assert audit_chain.verify().ok


def test_forwarded_for_is_ignored_unless_the_site_is_behind_a_proxy():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXIES=1):
        assert client_ip(request) == "10.0.0.9"
    with override_settings(TRUSTED_PROXIES=2):
        assert client_ip(request) == "6.6.6.6"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="not-an-ip")) is None


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers with IMMEDIATE transactions")
def test_two_writers_at_once_on_postgresql_keep_one_chain(transactional_db):
    barrier = threading.Barrier(4)
    errors = []

    def write(n):
        from django.db import connections
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    audit.record(None, AuditAction.UPDATE, None, object_type="core.zone", object_repr=f"{n}-{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = audit_chain.verify()
    assert report.ok, report.finding
    assert AuditLog.objects.filter(object_repr__contains="-").count() >= 60
