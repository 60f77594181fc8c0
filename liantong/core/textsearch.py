"""Chinese text search (DESIGN-NOTES 9): tokens stored beside the text, an inverted index over them.

A model opts in by inheriting :class:`Searchable` and naming the fields that feed its search text
(``search_sources``). ``save()`` writes the tokens into the ``search_text`` column (every service
write, Excel import and the demo go through it; ``core.gen.bulk`` / ``insert`` fill it for the
bulk generators; ``liantong reindex-search`` rebuilds it for existing rows).

Tokens (:func:`index_tokens`), after NFKC and lower case:

* a run of Han characters gives every character and every pair of neighbours (王小明 → 王 小 明
  王小 小明), as the CJK bigram analysers do: a one-character surname and a two-character word
  both match one stored token;
* a run of other letters and digits gives the word (``pa66``, a credit code), and a code made of
  such words joined by ``-`` ``_`` ``/`` ``.`` also gives the joined form (FW-2025-0001 →
  ``fw`` ``2025`` ``0001`` ``fw20250001``);
* a model may add pre-analysed tokens (:meth:`Searchable.search_extra`): listings add the
  matching engine's concept tokens (synonyms folded: 尼龙66 = PA66 = 聚己二酰己二胺), each stored as
  ``z`` + 12 hex digits of its hash so that every stored token is a plain word for both parsers.

A query is analysed the same way (a Han run gives its pairs, a single character itself), every
token must match; words of letters and digits (3 characters or more) match as prefixes (as ``icontains`` found a code
from its start). Every token is letters/digits/Han only, so the query string sent to the database
cannot carry FTS syntax: quotes, ``*``, ``NEAR``, ``AND``/``OR``, brackets and emoji are dropped or
become plain quoted words.

The index: PostgreSQL — a GIN expression index on ``to_tsvector('simple', search_text)``, queried
with the same expression and ``to_tsquery('simple', …)``; SQLite — an external-content FTS5 table
``<table>_fts`` over ``search_text``, kept by triggers, queried as
``id IN (SELECT rowid FROM <table>_fts WHERE <table>_fts MATCH …)``. Both are made by the
migration operation :class:`AddSearchIndex`; see docs/search.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from collections.abc import Iterable

from django.db import connection, models
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL

MAX_QUERY_TOKENS = 12
# PostgreSQL's statistics target for the GIN expression index: with the default (100) a rare token — a
# name, a credit code — is estimated to match thousands of rows, and for ``ORDER BY id DESC LIMIT 20``
# the planner walks the primary key backwards filtering every row (574 ms for one credit code among
# 50,000 firms). With the lexeme frequencies of 10,000 values it takes the index for rare tokens and the
# walk only for dense ones (province scale: every search page 20–60 ms).
PG_STATISTICS = 10000
PREFIX_MIN = 3  # shorter words match whole: a prefix of one or two characters would expand to thousands of terms

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
# a word: letters/digits that are not Han; a code: words joined by - _ / .
_WORD = re.compile(f"[^\\W_{_HAN}]+")
_CODE = re.compile(f"[^\\W_{_HAN}]+(?:[-_/.][^\\W_{_HAN}]+)+")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> list[str]:
    """The tokens stored for ``text`` (unigrams and bigrams of Han runs, words, joined codes)."""
    t = normalize(text)
    out: list[str] = []
    for run in _HAN_RUN.findall(t):
        out.extend(run)
        out.extend(_bigrams(run))
    out.extend(_WORD.findall(t))
    out.extend(re.sub(r"[-_/.]", "", c) for c in _CODE.findall(t))
    return out


def query_tokens(text: str) -> list[tuple[str, bool]]:
    """The query's tokens as ``(token, is_prefix)``: Han pairs (a lone character itself) match exactly,
    words and joined codes of ``PREFIX_MIN`` characters or more as prefixes, shorter ones whole.
    De-duplicated, at most ``MAX_QUERY_TOKENS``."""
    t = normalize(text)
    out: list[tuple[str, bool]] = []
    for run in _HAN_RUN.findall(t):
        out.extend((b, False) for b in (_bigrams(run) or [run]))
    words = _WORD.findall(t) + [re.sub(r"[-_/.]", "", c) for c in _CODE.findall(t)]
    out.extend((w, len(w) >= PREFIX_MIN) for w in words)
    return list(dict.fromkeys(out))[:MAX_QUERY_TOKENS]


def concept_token(token: str) -> str:
    """A pre-analysed token (e.g. a matching-engine concept) as one plain stored word."""
    return "z" + hashlib.blake2b(normalize(token).encode(), digest_size=6).hexdigest()


def build_text(values: Iterable, extra: Iterable[str] = ()) -> str:
    """The ``search_text`` of a row: the tokens of ``values`` (str, list or None) and ``extra``
    (pre-analysed tokens, stored via :func:`concept_token`), de-duplicated, space-separated."""
    toks: list[str] = []
    for v in values:
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            v = " ".join(str(x) for x in v)
        toks.extend(index_tokens(str(v)))
    toks.extend(concept_token(e) for e in extra if e and e.strip())
    return " ".join(dict.fromkeys(toks))


class Searchable(models.Model):
    """Mixin for a model whose list is searched by tokens (see the module docstring)."""

    search_text = models.TextField("检索文本", blank=True, default="", editable=False)

    search_sources: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def search_extra(self) -> list[str]:
        """Pre-analysed tokens added to the row's search text (listings: concept tokens)."""
        return []

    @classmethod
    def search_concepts(cls, text: str) -> list[str]:
        """The query's pre-analysed tokens, matched as an alternative group (listings: concepts)."""
        return []

    def build_search_text(self) -> str:
        return build_text((getattr(self, f) for f in self.search_sources), self.search_extra())

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        fields = kwargs.get("update_fields")
        if fields is not None and "search_text" not in fields:
            kwargs["update_fields"] = [*fields, "search_text"]
        super().save(*args, **kwargs)


def fill(objs: Iterable[models.Model]) -> None:
    """Set ``search_text`` on instances about to be written around ``save()`` (``bulk_create``, the
    generators); does nothing for models that are not searchable."""
    for o in objs:
        if isinstance(o, Searchable):
            o.search_text = o.build_search_text()


def is_searchable(model) -> bool:
    return isinstance(model, type) and issubclass(model, Searchable)


def searchable_models() -> list:
    from django.apps import apps

    return [m for m in apps.get_models() if is_searchable(m)]


def fts_table(model) -> str:
    return f"{model._meta.db_table}_fts"


# --- query side --------------------------------------------------------------------------------------


class TsMatch(Func):
    """``to_tsvector('simple', <column>) @@ to_tsquery('simple', <query>)`` — the very expression of the
    GIN index made by :class:`AddSearchIndex`, so PostgreSQL can use it."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    arg_joiner = ") @@ to_tsquery('simple'::regconfig, "
    output_field = BooleanField()


def _match_q(model, groups: list[list[tuple[str, bool]]]) -> Q:
    """The rows matching every token of at least one group."""
    if connection.vendor == "postgresql":
        # tokens are letters/digits/Han only: quoting them cannot break out of the lexeme
        query = " | ".join("(" + " & ".join(f"'{t}'" + (":*" if p else "") for t, p in g) + ")" for g in groups)
        return Q(TsMatch(F("search_text"), Value(query)))
    if connection.vendor == "sqlite":
        query = " OR ".join("(" + " AND ".join(f'"{t}"' + ("*" if p else "") for t, p in g) + ")" for g in groups)
        fts = connection.ops.quote_name(fts_table(model))
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query]))
    # other backends: whole tokens in the stored column (a scan, but the same results)
    cond = Q()
    for g in groups:
        gq = Q()
        for t, _p in g:
            gq &= Q(search_text__contains=t)
        cond |= gq
    return cond


def match(model, text: str) -> Q | None:
    """A ``Q`` matching the rows of ``model`` whose search text has every token of ``text`` (or, for
    models with concepts, every concept of it); ``None`` when the text has no searchable token."""
    groups = [g for g in (query_tokens(text), [(concept_token(c), False) for c in model.search_concepts(text)][:MAX_QUERY_TOKENS])
              if g]
    if not groups:
        return None
    return _match_q(model, groups)


def search(qs, text: str, fallback_fields: Iterable[str] = ()):
    """Filter ``qs`` (a searchable model's) by ``text`` through the index. When the index finds nothing
    — or the text has no searchable token (punctuation, emoji) — fall back to ``icontains`` over
    ``fallback_fields``, so what a substring used to find is still found (the tail of an order number,
    ``0055``, is not a token); only a search that finds nothing pays for the scan."""
    text = (text or "").replace("\x00", "").strip()[:100]
    if not text:
        return qs
    cond = match(qs.model, text)
    if cond is not None:
        found = qs.filter(cond)
        if not fallback_fields or found.exists():
            return found
    fallback = Q()
    for f in fallback_fields:
        fallback |= Q(**{f"{f}__icontains": text})
    return qs.filter(fallback) if fallback else qs


# --- keeping the column and the index ------------------------------------------------------------------


def rebuild(model, batch: int = 5000, log=None) -> int:
    """Recompute ``search_text`` of every row of ``model`` (rows whose text changed are written);
    on SQLite the FTS table is then rebuilt from the column. Returns the number of rows written."""
    needs = [f for f in model.search_sources]
    extra_fields = getattr(model, "search_extra_fields", ())
    written = 0
    last = 0
    while True:
        rows = list(model._base_manager.filter(pk__gt=last).order_by("pk")
                    .only("pk", "search_text", *needs, *extra_fields)[:batch])
        if not rows:
            break
        last = rows[-1].pk
        changed = []
        for obj in rows:
            text = obj.build_search_text()
            if text != obj.search_text:
                obj.search_text = text
                changed.append(obj)
        if changed:
            _write(connection, model, [(o.search_text, o.pk) for o in changed])
            written += len(changed)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            fts = connection.ops.quote_name(fts_table(model))
            c.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    if log:
        log(f"{model._meta.label}: {written} 行已更新")
    return written


def _write(conn, model, values: list[tuple[str, int]]) -> None:
    """``UPDATE … SET search_text = %s WHERE pk = %s`` for ``(text, pk)`` pairs, in one transaction
    (``bulk_update``'s CASE statement is quadratic on large batches)."""
    from django.db import transaction

    qn = conn.ops.quote_name
    sql = f"UPDATE {qn(model._meta.db_table)} SET {qn('search_text')} = %s WHERE {qn(model._meta.pk.column)} = %s"
    with transaction.atomic(using=conn.alias), conn.cursor() as c:
        c.executemany(sql, values)


def fill_rows(model, attnames: list[str], rows: list[tuple]) -> tuple[list[str], list[tuple]]:
    """For the bulk generators' raw INSERTs: add the ``search_text`` column computed from the rows'
    source values (which must be among ``attnames``); a ``search_text`` column already there is
    filled where it is empty."""
    if not is_searchable(model):
        return attnames, rows
    idx = [attnames.index(f) for f in model.search_sources]
    if "search_text" not in attnames:
        return [*attnames, "search_text"], [(*r, build_text(r[i] for i in idx)) for r in rows]
    at = attnames.index("search_text")
    return attnames, [r if r[at] else (*r[:at], build_text(r[i] for i in idx), *r[at + 1:]) for r in rows]


@contextlib.contextmanager
def index_after(model, first_id: int, last_id: int):
    """SQLite, inside a transaction: rows of ``model`` inserted in the block, all with ids from ``first_id`` to
    ``last_id`` (reserved: no other writer has any), enter the FTS table in one statement at the end instead
    of one trigger run each (about 15 times faster: 100,000 members 0.8 s instead of 13 s). The insert
    trigger is dropped for the block and made again from its own stored text, in the same transaction: a
    rollback or a crash keeps it, and no other writer inserts meanwhile (SQLite has one writer). Elsewhere
    (PostgreSQL's GIN index follows by itself) and for models without a text index, nothing changes."""
    table = model._meta.db_table
    trigger = f"{table}_fts_ai"
    if connection.vendor != "sqlite" or not is_searchable(model):
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("index_after() runs inside a transaction")
    qn = connection.ops.quote_name
    with connection.cursor() as c:
        c.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger])
        found = c.fetchone()
        if found is not None:
            c.execute(f"DROP TRIGGER {qn(trigger)}")
    yield
    if found is not None:
        pk = qn(model._meta.pk.column)
        with connection.cursor() as c:
            c.execute(f"INSERT INTO {qn(fts_table(model))}(rowid, search_text) SELECT {pk}, search_text "
                      f"FROM {qn(table)} WHERE {pk} BETWEEN %s AND %s", [first_id, last_id])
            c.execute(found[0])


class _IndexOperation(Operation):
    """A migration operation on one model's text index: database only, no change to the model state."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name}


class AddSearchIndex(_IndexOperation):
    """Migration operation: the text index of ``model_name``'s ``search_text`` for the database in use
    (PostgreSQL: GIN on ``to_tsvector('simple', search_text)``; SQLite: FTS5 external-content table
    and its triggers, filled from the column)."""

    def describe(self):
        return f"Text search index on {self.model_name}.search_text"

    @staticmethod
    def _statements(model, vendor: str) -> list[str]:
        table = model._meta.db_table
        pk = model._meta.pk.column
        if vendor == "postgresql":
            return [f'CREATE INDEX IF NOT EXISTS "{table}_search_gin" ON "{table}" '
                    f"USING gin (to_tsvector('simple'::regconfig, \"search_text\"))",
                    *TuneSearchStatistics.statements(table)]
        if vendor == "sqlite":
            fts = f"{table}_fts"
            return [
                f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, content="{table}", '
                f"content_rowid=\"{pk}\", tokenize='unicode61')",
                f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
                f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new."{pk}", new.search_text); END',
                f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
                f'INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES (\'delete\', old."{pk}", old.search_text); END',
                f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF search_text ON "{table}" BEGIN '
                f'INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES (\'delete\', old."{pk}", old.search_text); '
                f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new."{pk}", new.search_text); END',
                f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
            ]
        return []

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        for sql in self._statements(model, schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_gin"', params=None)
        elif vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_fts_{suffix}"', params=None)
            schema_editor.execute(f'DROP TABLE IF EXISTS "{table}_fts"', params=None)


class TuneSearchStatistics(_IndexOperation):
    """Migration operation (PostgreSQL only): the statistics target ``PG_STATISTICS`` on the GIN index of
    ``model_name`` and a fresh ANALYZE, so rare tokens are planned through the index (see ``PG_STATISTICS``).
    ``AddSearchIndex`` does the same for new databases; this brings existing ones along."""

    def describe(self):
        return f"Statistics target of the text search index on {self.model_name}"

    @staticmethod
    def statements(table: str, target: int = PG_STATISTICS) -> list[str]:
        return [f'ALTER INDEX "{table}_search_gin" ALTER COLUMN 1 SET STATISTICS {target}', f'ANALYZE "{table}"']

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
            for sql in self.statements(table):
                schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
            schema_editor.execute(self.statements(table, -1)[0], params=None)


def fill_migration(app_label: str, model_name: str, fields: list[str], extra_field: str | None = None):
    """A ``RunPython`` function filling ``search_text`` of existing rows (historical model: the
    sources are given here). ``extra_field`` holds space-separated pre-analysed tokens."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        manager = model._base_manager.using(schema_editor.connection.alias)
        last = 0
        while True:
            rows = list(manager.filter(pk__gt=last).order_by("pk")
                        .only("pk", *fields, *([extra_field] if extra_field else []))[:5000])
            if not rows:
                break
            last = rows[-1].pk
            values = []
            for obj in rows:
                extra = (getattr(obj, extra_field) or "").split() if extra_field else ()
                values.append((build_text((getattr(obj, f) for f in fields), extra), obj.pk))
            _write(schema_editor.connection, model, values)

    return forwards
