"""Excel in and out, driven by one column declaration per model (RuoYi ``@Excel``).

A ``Spec`` lists its columns (Chinese title, key, required, parser, exporter); the same spec makes
the downloadable template, validates and imports a workbook, and exports a queryset. Imports are
all-or-nothing: every row is checked first, and any problem is reported as ``第N行 列名: 问题``
with nothing written.
"""

from __future__ import annotations

import datetime
import io
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from . import audit
from .services import ServiceError
from .tables import append_row


class CellError(ValueError):
    """A problem with one cell, in Chinese."""


# Full-width digits, Latin letters and the ideographic space fold to half-width; Chinese punctuation
# such as （） stays as written (names like “江苏省镇江船厂（集团）有限公司” must round-trip unchanged).
_FOLD = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FOLD[0x3000] = 0x20


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    # runs of whitespace to one space, trimmed: str.split() knows the same whitespace as re's \s
    return " ".join(value.translate(_FOLD).split())


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> datetime.date | None:
    """Excel date cells, Excel serial numbers and the usual spellings (2020-1-2, 2020/01/02, 2020年1月2日, 20200102)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value < 80000:
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")
    m = _DATE_RE.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if not m:
        raise CellError("日期格式无法识别（示例：2020-01-31）")
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError(f"日期“{text}”不存在") from None


def parse_bool(value: Any) -> bool:
    text = clean_text(value)
    if text in ("", "否", "N", "n", "no", "0", "false", "FALSE"):
        return False
    if text in ("是", "Y", "y", "yes", "1", "true", "TRUE"):
        return True
    raise CellError("应填“是”或“否”")


def choice_parser(choices: Callable[[], list[tuple[str, str]]]):
    def parse(value: Any):
        text = clean_text(value)
        if not text:
            return ""
        for v, label in choices():
            if text in (label, v):
                return v
        raise CellError("应为以下之一：" + "、".join(lbl for _, lbl in choices()))

    return parse


@dataclass
class XCol:
    title: str
    key: str
    required: bool = False
    parse: Callable[[Any], Any] = clean_text
    export: Callable[[Any], Any] | None = None
    choices: Callable[[], list[tuple[str, str]]] | None = None  # for template drop-downs
    width: int = 16

    @property
    def empty(self):
        """The value of an empty cell: no date, "no", or an empty string."""
        if self.parse is parse_date:
            return None
        if self.parse is parse_bool:
            return False
        return ""


@dataclass
class Spec:
    kind: str  # CLI name: enterprises, party-orgs, members
    title: str
    columns: list[XCol]
    # row -> natural key (duplicates within the file are reported)
    key: Callable[[dict], Any]
    # (row, ctx) -> {column title: message}; may add resolved objects to row
    resolve: Callable[[dict, dict], dict[str, str]]
    # (row, actor, ctx) -> "created" | "updated" | "unchanged"
    save: Callable[[dict, Any, dict], str]
    # (user) -> queryset to export
    queryset: Callable[[Any], Any] | None = None
    key_title: str = ""
    extra: dict = field(default_factory=dict)
    # optional, for large files: (rows, ctx) -> None, called once with every row whose cells parsed, before
    # ``resolve``; looks up in a few queries what ``resolve`` would otherwise ask row by row (into ``ctx``)
    prepare: Callable[[list[dict], dict], None] | None = None
    # optional, both or neither (bulk): ``build_many(rows, actor, ctx) -> batch`` runs before the transaction
    # (reading only: builds and validates the rows to write); ``save_many(batch, actor, ctx) ->
    # ({"created": n, "updated": n, "unchanged": n}, [(i, key, message)])`` writes it inside the import's
    # transaction, through the strand's service (``i`` indexes the rows, ``key`` is a column key). Without
    # them each row goes through ``save``.
    build_many: Callable[[list[dict], Any, dict], Any] | None = None
    save_many: Callable[[Any, Any, dict], tuple[dict, list[tuple[int, str, str]]]] | None = None


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    dry_run: bool = False
    write_seconds: float = 0.0  # how long the write transaction was open (validation runs before it)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [f"第{r}行 {c}: {m}" for r, c, m in self.errors]

    def summary(self) -> str:
        if self.errors:
            return f"发现 {len(self.errors)} 处问题，未导入任何数据。"
        verb = "校验通过（试运行，未写入）" if self.dry_run else "导入完成"
        return f"{verb}：共 {self.rows} 行，新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}。"


def _header_key(title: str) -> str:
    return re.sub(r"[\s*＊]", "", unicodedata.normalize("NFKC", str(title or "")))


def _iter_rows(spec: Spec, fileobj) -> tuple[Iterator[tuple[int, dict]], list[tuple[int, str, str]]]:
    """The first sheet's data rows as ``(row number, {column title: value})``, or the header's problems. Read
    with calamine (Rust): about fifteen times faster than openpyxl's read-only mode, the cells held compactly
    outside Python; an empty cell reads as ``""``, a date cell as a ``date``/``datetime``."""
    try:
        sheet = CalamineWorkbook.from_filelike(fileobj).get_sheet_by_index(0)
        it = sheet.iter_rows()
        header = next(it, None)
        first = (sheet.start or (0, 0))[0] + 1  # the header's row number (the range starts at the first cell used)
    except Exception:
        return iter(()), [(1, "文件", "无法读取：请上传 .xlsx 格式的 Excel 文件")]
    if not header or all(h in (None, "") for h in header):
        return iter(()), [(first, "表头", "文件为空")]
    index = {_header_key(h): i for i, h in enumerate(header) if h not in (None, "")}
    errors = []
    for col in spec.columns:
        if col.required and _header_key(col.title) not in index:
            errors.append((1, "表头", f"缺少必填列“{col.title}”"))
    if errors:
        return iter(()), errors
    where = [(col.title, index.get(_header_key(col.title))) for col in spec.columns]

    def rows() -> Iterator[tuple[int, dict]]:
        for n, values in enumerate(it, start=first + 1):
            if values is None or all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield n, {title: values[i] if i is not None and i < len(values) else None for title, i in where}

    return rows(), []


def read_rows(spec: Spec, fileobj) -> tuple[list[tuple[int, dict]], list[tuple[int, str, str]]]:
    rows, errors = _iter_rows(spec, fileobj)
    return list(rows), errors


def _parse_row(spec: Spec, n: int, raw: dict, errors: list) -> tuple[dict, set[str]]:
    """The row's values by column key, and the titles of the columns whose cell was reported."""
    row, failed = {}, set()
    for col in spec.columns:
        value = raw[col.title]
        if value is None or (type(value) is str and (not value or value.isspace())):  # (clean_text → "")
            if col.required:
                errors.append((n, col.title, "必填项为空"))
                failed.add(col.title)
            row[col.key] = col.empty
            continue
        try:
            row[col.key] = col.parse(value)
        except CellError as exc:
            errors.append((n, col.title, str(exc)))
            failed.add(col.title)
            row[col.key] = col.empty  # the references are still checked, as far as the row allows
    return row, failed


def import_workbook(spec: Spec, fileobj, *, actor, dry_run: bool = False, ctx: dict | None = None) -> ImportResult:
    """Validate every row; import all of them (atomically) or none, reporting each problem.

    Two phases: every row is parsed and checked first, reading only (no transaction, no write lock); then,
    when nothing is wrong, all rows are written in one transaction — with ``save_many`` in bulk, else row by
    row through ``save``. A service that still refuses a row there rolls the whole file back."""
    ctx = dict(ctx or {}, actor=actor)
    result = ImportResult(dry_run=dry_run)
    stream, errors = _iter_rows(spec, fileobj)
    result.errors.extend(errors)
    rows: list[tuple[int, dict, set[str]]] = []
    seen: dict[Any, int] = {}
    for n, raw in stream:
        row, failed = _parse_row(spec, n, raw, result.errors)
        # duplicates within the file are reported even when the row has other problems
        k = spec.key(row)
        if k is not None and all(v not in (None, "") for v in (k if isinstance(k, tuple) else (k,))):
            if k in seen:
                result.errors.append((n, spec.key_title, f"与第{seen[k]}行重复"))
                result.rows += 1
                continue
            seen[k] = n
        rows.append((n, row, failed))
        result.rows += 1
    del seen
    if spec.prepare is not None:
        spec.prepare([row for _, row, _ in rows], ctx)
    parsed: list[tuple[int, dict]] = []
    for n, row, failed in rows:
        # every problem of the row at once: its reference errors (园区, 产业链, 党组织 …) too, but not a
        # second message on a column already reported, nor a check that needed a value the row failed
        # to give (a resolver may then raise: the row's field errors say enough)
        try:
            problems = spec.resolve(row, ctx)
        except (LookupError, ValueError, TypeError, AttributeError):
            if not failed:
                raise
            problems = {}
        problems = {title: msg for title, msg in problems.items() if title not in failed}
        for title, msg in problems.items():
            result.errors.append((n, title, msg))
        if not failed and not problems:
            parsed.append((n, row))
    del rows
    result.errors.sort(key=lambda e: e[0])  # row by row (stable: a row's own order kept)
    if result.errors or not result.rows:
        if not result.rows and not result.errors:
            result.errors.append((2, "数据", "没有可导入的数据行"))
        return result

    class _Rollback(Exception):
        pass

    titles = {c.key: c.title for c in spec.columns}
    batch = spec.build_many([row for _, row in parsed], actor, ctx) if spec.save_many is not None else None
    started = time.perf_counter()
    try:
        with transaction.atomic():
            if spec.save_many is not None:
                counts, refused = spec.save_many(batch, actor, ctx)
                for i, key, message in refused:
                    result.errors.append((parsed[i][0], titles.get(key, "数据"), message))
                for state, count in counts.items():
                    setattr(result, state, getattr(result, state) + count)
            else:
                for n, row in parsed:
                    try:
                        state = spec.save(row, actor, ctx)
                    except ServiceError as exc:
                        result.errors.append((n, titles.get(exc.field, "数据"), exc.message))
                        continue
                    setattr(result, state, getattr(result, state) + 1)
            if result.errors:
                raise _Rollback
            audit.record(actor, audit.AuditAction.IMPORT, None, object_type=spec.kind,
                         object_repr=f"导入{spec.title}", changes={"rows": result.rows, "created": result.created,
                                                                  "updated": result.updated, "dry_run": dry_run})
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    result.write_seconds = time.perf_counter() - started
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    return result


def _new_sheet(spec: Spec) -> tuple[Workbook, Any]:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    fill = PatternFill("solid", fgColor="C00000")
    for i, col in enumerate(spec.columns, start=1):
        c = ws.cell(row=1, column=i, value=col.title + ("*" if col.required else ""))
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = fill
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    return wb, ws


def template_workbook(spec: Spec) -> bytes:
    """The empty template: headers (``*`` marks required), drop-downs for choice columns, a notes sheet."""
    wb, ws = _new_sheet(spec)
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "可选值/格式"])
    for i, col in enumerate(spec.columns, start=1):
        allowed = ""
        if col.choices:
            labels = [lbl for _, lbl in col.choices()]
            allowed = "、".join(labels)
            if len(",".join(labels)) < 250:
                dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=not col.required)
                dv.error = "请从下拉列表中选择"
                ws.add_data_validation(dv)
                dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}5000")
        elif col.parse is parse_date:
            allowed = "日期，如 2020-01-31"
        elif col.parse is parse_bool:
            allowed = "是 / 否"
        notes.append([col.title, "是" if col.required else "否", allowed])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(spec: Spec, queryset, *, user=None) -> bytes:
    """Export rows with the same columns as the import (so an export can be re-imported)."""
    wb, ws = _new_sheet(spec)
    for obj in queryset.iterator(chunk_size=2000):
        row = []
        for col in spec.columns:
            v = col.export(obj, user) if col.export else getattr(obj, col.key, "")
            if isinstance(v, bool):
                v = "是" if v else "否"
            row.append(v)
        append_row(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
