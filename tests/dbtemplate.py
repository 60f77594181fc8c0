"""The test database template: migrate and load the demo once, then copy it for every test process.

Migrating takes about 20 s and loading the demo about a minute. Before the template, the suite paid that
in every process that needed it (the test database, the browser tests' server). Now the first process
of a run builds one template database, under a file lock, and every process — each pytest-xdist worker,
and the browser tests' live server — starts from a copy of it:

* SQLite: the template is a file next to the test database (``test_db.template-<key>.sqlite3``); a copy
  is made with SQLite's online backup API (``sqlite3.Connection.backup``).
* PostgreSQL: the template is a database ``test_<NAME>_tpl_<key>``; a copy is
  ``CREATE DATABASE <copy> TEMPLATE <template>``, a file-level copy inside the server.

``<key>`` is a fingerprint of what the demo is built from: every migration, every ``demo.py``, the
apps' ``data/`` files, the demo password and the password hashers. ``--reuse-db`` (the default in
``pyproject.toml``) reuses a template whose key matches, so a subset of the suite starts in seconds;
``--create-db`` (what ``make test`` and CI pass) builds it afresh for the run — once, shared by its xdist
workers: the template records the run that built it (xdist's ``testrunuid``), and a worker of the same
run reuses it. Templates of the same database with another key are dropped when a new one is built.

The build also keeps the database as ``migrate`` left it, before the demo (``empty_name``: the template's
name with ``.empty`` / ``_empty``): the tests that need a second, empty, migrated database (the backup's
restore target, the matching evaluation's scratch file) copy it instead of migrating again.

Nothing here knows the demo: ``ensure(connection, token, load=...)`` takes the loader as an argument.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
# what the demo database is built from: a change in any of these builds a new template
SOURCES = ("liantong/*/migrations/*.py", "liantong/*/demo.py", "liantong/*/data/**/*")


@dataclass(frozen=True)
class Template:
    """One built template database: ``vendor`` is ``sqlite`` or ``postgresql``; ``name`` the file path
    (SQLite) or the database name (PostgreSQL)."""

    vendor: str
    name: str

    @property
    def empty(self) -> str:
        """The migrated database before the demo was loaded (``_build`` keeps it beside the template)."""
        return empty_name(self.vendor, self.name)


def empty_name(vendor: str, name: str) -> str:
    return name.removesuffix(".sqlite3") + ".empty.sqlite3" if vendor == "sqlite" else name + "_empty"


def fingerprint() -> str:
    """A short key of the template's sources."""
    h = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(ROOT)).encode())
                h.update(path.read_bytes())
    h.update(settings.DEMO_PASSWORD.encode())
    h.update(",".join(settings.PASSWORD_HASHERS).encode())
    h.update(",".join(settings.INSTALLED_APPS).encode())  # a third-party app brings migrations of its own
    return h.hexdigest()[:10]


def _template_name(connection, key: str) -> str:
    if connection.vendor == "sqlite":
        test_name = connection.creation._get_test_db_name()
        return str(Path(test_name).parent / f"test_db.template-{key}.sqlite3")
    return f"test_{_original_name(connection)}_tpl_{key}"


def _template_prefix(connection) -> str:
    if connection.vendor == "sqlite":
        return str(Path(connection.creation._get_test_db_name()).parent / "test_db.template-")
    # the name before any test run changed it (create_test_db rewrites settings' NAME)
    return f"test_{_original_name(connection)}_tpl_"


_ORIGINAL_NAMES: dict[str, str] = {}


def _original_name(connection) -> str:
    return _ORIGINAL_NAMES.setdefault(connection.alias, connection.settings_dict["NAME"])


@contextlib.contextmanager
def _lock(connection):
    """One process at a time builds or copies the template (xdist workers start together)."""
    if connection.vendor == "sqlite":
        path = Path(connection.creation._get_test_db_name()).parent / "test_db.template.sqlite3.lock"
    else:
        path = Path(tempfile.gettempdir()) / f"liantong-{_template_prefix(connection)}lock"
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pg_exists(connection, name: str) -> bool:
    with connection.creation._nodb_cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cur.fetchone() is not None


def _pg_names(connection, prefix: str) -> list[str]:
    with connection.creation._nodb_cursor() as cur:
        cur.execute("SELECT datname FROM pg_database")
        return [n for (n,) in cur.fetchall() if n.startswith(prefix)]


def _pg_execute(connection, *sql: str) -> None:
    with connection.creation._nodb_cursor() as cur:
        for statement in sql:
            cur.execute(statement)


def _sqlite_remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)


def _exists(connection, name: str) -> bool:
    return os.path.exists(name) if connection.vendor == "sqlite" else _pg_exists(connection, name)


def _built_by(connection, name: str) -> str | None:
    """The run that built the template ``name`` (``_record``)."""
    if connection.vendor == "sqlite":
        try:
            return Path(name + ".run").read_text().strip() or None
        except FileNotFoundError:
            return None
    with connection.creation._nodb_cursor() as cur:
        cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
        row = cur.fetchone()
        return row[0] if row else None


def _record(connection, name: str, run: str) -> None:
    if connection.vendor == "sqlite":
        Path(name + ".run").write_text(run)
    else:
        _pg_execute(connection, f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS '{run}'")


def _build(connection, name: str, load: Callable[[], None]) -> None:
    """Create ``name`` through Django's own test-database creation (migrate), load it, close it.

    Built under a temporary name and renamed when complete, so an interrupted build leaves no template
    that looks finished."""
    quote = connection.ops.quote_name
    building = name + ".building" if connection.vendor == "sqlite" else name + "_building"
    saved_test_name = connection.settings_dict["TEST"].get("NAME")
    saved_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        connection.close()
        _copy_db(connection, building, empty_name(connection.vendor, name))  # migrated, no demo yet
        load()
        connection.close()
        if connection.vendor == "sqlite":
            db = sqlite3.connect(building)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            db.close()
            os.replace(building, name)
            _sqlite_remove(building)
        else:
            _pg_execute(connection, f"ALTER DATABASE {quote(building)} RENAME TO {quote(name)}")
    finally:
        connection.close()
        connection.settings_dict["TEST"]["NAME"] = saved_test_name
        connection.settings_dict["NAME"] = saved_name
        settings.DATABASES[connection.alias]["NAME"] = saved_name


def _drop_stale(connection, keep: str | None) -> None:
    """Every template of this database but ``keep``: older sources, earlier ``--create-db`` runs."""
    prefix = _template_prefix(connection)
    if connection.vendor == "sqlite":
        for path in Path(prefix).parent.glob(Path(prefix).name + "*"):
            if keep is None or not str(path).startswith(keep):
                path.unlink(missing_ok=True)
        return
    for stale in _pg_names(connection, prefix):
        if stale != keep:
            with contextlib.suppress(Exception):  # another run may be copying it: leave it then
                _pg_execute(connection, f"DROP DATABASE IF EXISTS {connection.ops.quote_name(stale)}")


def ensure(connection, run: str, *, fresh: bool, load: Callable[[], None]) -> Template:
    """The template for the current sources; call with database access unblocked.

    ``run`` names this test run (the same in all its xdist workers). With ``fresh`` (``--create-db``) a
    template built by another run is rebuilt; without, any template of the current sources is reused."""
    _original_name(connection)
    name = _template_name(connection, fingerprint())
    with _lock(connection):
        if not _exists(connection, name) or (fresh and _built_by(connection, name) != run):
            _drop_stale(connection, keep=None)
            _build(connection, name, load)
            _record(connection, name, run)
    return Template(connection.vendor, name)


def _copy_db(connection, source: str, target: str) -> None:
    if connection.vendor == "sqlite":
        _sqlite_remove(target)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        src.close()
        dst.close()
        return
    quote = connection.ops.quote_name
    _pg_execute(connection, f"DROP DATABASE IF EXISTS {quote(target)}",
                f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def copy(template: Template, connection, target: str) -> None:
    """Make ``target`` (a file path or database name) a fresh copy of ``template``."""
    if template.vendor == "sqlite":
        _copy_db(connection, template.name, target)
        return
    with _lock(connection):  # PostgreSQL refuses to copy a template while another session reads it
        _copy_db(connection, template.name, target)


def copy_empty(template: Template, connection, target: str) -> bool:
    """Make ``target`` a fresh copy of the migrated database without the demo; False when this template
    was built without one (a template reused from before it was kept): then migrate ``target`` yourself."""
    with _lock(connection):
        if not _exists(connection, template.empty):
            return False
        _copy_db(connection, template.empty, target)
    return True


def drop(connection, name: str) -> None:
    """Remove a copy made by ``copy``."""
    if connection.vendor == "sqlite":
        _sqlite_remove(name)
    else:  # FORCE (PostgreSQL 13+): a thread of a concurrency test may have left a connection behind
        _pg_execute(connection, f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def use(connection, name: str) -> None:
    """Point Django's connection (and settings) at the database ``name``, as ``create_test_db`` does."""
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
