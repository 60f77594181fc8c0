"""Files attached to records: the one upload check, the one way to attach, the one way to download.

* ``check_upload(upload)`` — every uploaded file of every strand: allowed extension, size, and a type read
  from the content (puremagic) that must be what the extension says; a zip (and the zip inside .docx/.xlsx)
  is opened and refused when it holds programs or scripts or would unpack to more than
  ``ATTACHMENT_ZIP_MAX_UNPACKED``; a .txt must be text (UTF-8 or GB18030, no NUL) and not a web page or
  script. Refusals are ``ServiceError`` in Chinese naming the file. Returns the content type to serve.
* ``attach(owner, uploads, actor=…)`` — check every file first, then store each under a random name
  (``models.stored_name``) as an ``Attachment`` of ``owner``, audited. The strand's own service decides
  who may attach (its role and state rules) and then calls this.
* ``download(request, uuid)`` (``/files/<uuid>/``) and ``GET /api/v1/files/{uuid}`` — 404 unless the user
  may see the owning record (the owner model's ``visible_to``); images inline, everything else as a
  download with its original name (RFC 5987), ``nosniff``, sandboxed; the bytes come from Django or, with
  ``FILES_SERVE`` = nginx/apache, from the front server (X-Accel-Redirect / X-Sendfile, docs/deploy.md).

A model takes files with one line, ``attachments = Attachments()`` (docs/adding-a-model.md).
"""

from __future__ import annotations

import codecs
import os
import re
import uuid as uuid_lib
import zipfile
import zlib
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import audit
from .models import Attachment, Attachments, attachment_owners
from .services import ServiceError

__all__ = ["Attachment", "Attachments", "attach", "attachment_owners", "check_upload", "download",
           "file_response", "get_attachment_for_user"]

# --- what each allowed extension must hold -------------------------------------------------------------

OLE2 = (".doc", ".xls", ".ppt", ".msi")  # puremagic's names for the OLE2 compound-file header
ZIP = (".zip", ".docx", ".xlsx", ".pptx", ".jar", ".apk")  # … and for a zip's local header


@dataclass(frozen=True)
class Kind:
    label: str  # said to the user: "…的内容不是 {label}"
    mime: str
    magic: tuple[str, ...]  # puremagic extensions that count as this kind (empty: text, checked apart)
    ooxml: str | None = None  # an Office Open XML package: the part folder it must have


KINDS = {
    ".pdf": Kind("PDF 文档", "application/pdf", (".pdf",)),
    ".png": Kind("PNG 图片", "image/png", (".png",)),
    ".jpg": Kind("JPEG 图片", "image/jpeg", (".jpg", ".jpeg", ".jfif", ".jpe")),
    ".jpeg": Kind("JPEG 图片", "image/jpeg", (".jpg", ".jpeg", ".jfif", ".jpe")),
    ".doc": Kind("Word 文档（.doc）", "application/msword", OLE2),
    ".xls": Kind("Excel 表格（.xls）", "application/vnd.ms-excel", OLE2),
    ".docx": Kind("Word 文档（.docx）",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, ooxml="word/"),
    ".xlsx": Kind("Excel 表格（.xlsx）",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, ooxml="xl/"),
    ".zip": Kind("zip 压缩包", "application/zip", ZIP),
    ".txt": Kind("纯文本", "text/plain", ()),
}

# Refused inside a zip, by name …
EXECUTABLE_EXTENSIONS = {
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".ocx", ".sys", ".drv", ".msi", ".msp", ".msix", ".appx",
    ".apk", ".xapk", ".ipa", ".jar", ".class", ".app", ".dmg", ".pkg", ".deb", ".rpm", ".so", ".dylib", ".elf",
    ".bin", ".run", ".out", ".lnk", ".hta", ".reg", ".gadget", ".xap", ".application",
}
SCRIPT_EXTENSIONS = {
    ".bat", ".cmd", ".sh", ".bash", ".zsh", ".csh", ".ksh", ".js", ".jse", ".mjs", ".vbs", ".vbe", ".vb", ".wsf",
    ".wsh", ".wsc", ".ps1", ".psm1", ".psd1", ".py", ".pyw", ".pl", ".rb", ".php", ".asp", ".aspx", ".jsp",
    ".html", ".htm", ".xhtml", ".shtml", ".svg", ".hta", ".scf", ".inf", ".sct", ".chm", ".docm", ".xlsm", ".pptm",
}
ARCHIVE_EXTENSIONS = {".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".iso", ".arj", ".lzh"}
# … and by their first bytes: Windows (MZ), Linux (ELF), macOS (Mach-O, fat), Java class, a #! script.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")

# A .txt that a browser could take for a page or a script.
MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|script|iframe|frame|object|embed|applet|svg|math|img|meta|"
                    r"link|style|form|input|base|a\s)|<\?xml|javascript:|vbscript:", re.IGNORECASE)

HEAD = 8192
CHUNK = 1 << 20


def _refuse(message: str, field: str) -> ServiceError:
    return ServiceError(message, field=field)


def _detected(head: bytes) -> set[str]:
    """The extensions puremagic reads in ``head`` (lower case; empty when it recognises nothing)."""
    try:
        return {m.extension.lower() for m in puremagic.magic_string(head) if m.extension}
    except (puremagic.PureError, ValueError):
        return set()


def check_upload(upload, *, field: str = "attachments") -> str:
    """Refuse (``ServiceError`` in Chinese, naming the file) an upload whose extension is not allowed, that is
    empty or too large, or whose content is not what its extension says (see the module docstring).
    Returns the content type it will be served with. Reads the file, leaves it at its start."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    allowed = [e.lower() for e in settings.ATTACHMENT_EXTENSIONS]
    if ext not in allowed:
        raise _refuse(f"附件“{name}”的类型（{ext or '无扩展名'}）不允许上传，仅支持：{'、'.join(allowed)}", field)
    kind = KINDS.get(ext)
    if kind is None:
        raise _refuse(f"附件“{name}”的类型（{ext}）系统无法检查其内容，暂不接受上传", field)
    size = getattr(upload, "size", 0) or 0
    limit = settings.ATTACHMENT_MAX_BYTES
    if size <= 0:
        raise _refuse(f"附件“{name}”为空", field)
    if size > limit:
        raise _refuse(f"附件“{name}”大小为 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB", field)
    upload.seek(0)
    try:
        if not kind.magic:
            return _check_text(upload.read(limit + 1), name, field)
        head = upload.read(HEAD)
        found = _detected(head)
        if not found & set(kind.magic) or any(head.startswith(m) for m in EXECUTABLE_MAGIC):
            raise _refuse(f"附件“{name}”的内容不是 {kind.label}，与扩展名 {ext} 不符，请上传真实的文件", field)
        if kind.magic == ZIP:
            upload.seek(0)
            _check_zip(upload, name, kind, field)
        return kind.mime
    finally:
        upload.seek(0)


def _check_text(data: bytes, name: str, field: str) -> str:
    not_text = f"附件“{name}”的内容不是纯文本（应为 UTF-8 或 GB18030 编码的文字），请上传真实的文本文件"
    if b"\0" in data:
        raise _refuse(not_text, field)
    for encoding, charset in (("utf-8-sig", "utf-8"), ("gb18030", "gb18030")):
        try:
            text = codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
        if MARKUP.search(text):
            raise _refuse(f"附件“{name}”含网页或脚本代码，不能作为 .txt 文本上传", field)
        return f"text/plain; charset={charset}"
    raise _refuse(not_text, field)


def _check_zip(upload, name: str, kind: Kind, field: str) -> None:
    """Open the zip: refuse programs, scripts, nested archives, encrypted members and more than
    ``ATTACHMENT_ZIP_MAX_UNPACKED`` bytes unpacked — counted while inflating, so a header that lies about
    its sizes does not get through; an Office package must also be one (``[Content_Types].xml``, its part
    folder) and carry no macros."""
    cap = settings.ATTACHMENT_ZIP_MAX_UNPACKED
    broken = f"附件“{name}”的内容不是 {kind.label}（文件已损坏或不是有效的压缩格式），请上传真实的文件"
    try:
        zf = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(broken, field) from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if kind.ooxml and ("[Content_Types].xml" not in names
                           or not any(n.startswith(kind.ooxml) for n in names)):
            raise _refuse(f"附件“{name}”的内容不是 {kind.label}（缺少 Office 文档结构），与扩展名不符，请上传真实的文件",
                          field)
        if len(infos) > settings.ATTACHMENT_ZIP_MAX_ENTRIES:
            raise _refuse(f"压缩包“{name}”内的文件多达 {len(infos)} 个，超过上限 {settings.ATTACHMENT_ZIP_MAX_ENTRIES} 个",
                          field)
        too_big = f"压缩包“{name}”解压后超过 {cap / 1048576:.0f} MB（疑似压缩炸弹），不允许上传"
        if sum(i.file_size for i in infos) > cap:
            raise _refuse(too_big, field)
        total = 0
        for info in infos:
            member = info.filename
            base = member.rstrip("/").rsplit("/", 1)[-1].lower()
            ext = os.path.splitext(base)[1]
            if info.flag_bits & 0x1:
                raise _refuse(f"压缩包“{name}”内的“{member}”已加密，无法检查其内容，不允许上传", field)
            if ext in EXECUTABLE_EXTENSIONS:
                raise _refuse(f"压缩包“{name}”内含可执行程序“{member}”，不允许上传", field)
            if ext in SCRIPT_EXTENSIONS:
                raise _refuse(f"压缩包“{name}”内含脚本或网页文件“{member}”，不允许上传", field)
            if kind.ooxml and base == "vbaproject.bin":
                raise _refuse(f"附件“{name}”含宏代码，不允许上传（请另存为不含宏的文档）", field)
            if not kind.ooxml and ext in ARCHIVE_EXTENSIONS:
                raise _refuse(f"压缩包“{name}”内还有压缩包“{member}”，无法检查其内容，请解开后再上传", field)
            if info.is_dir():
                continue
            try:
                with zf.open(info) as src:
                    first = src.read(8)
                    if any(first.startswith(m) for m in EXECUTABLE_MAGIC):
                        raise _refuse(f"压缩包“{name}”内的“{member}”是可执行程序或脚本，不允许上传", field)
                    total += len(first)
                    while block := src.read(CHUNK):
                        total += len(block)
                        if total > cap:
                            raise _refuse(too_big, field)
            except ServiceError:
                raise
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError,
                    ValueError):
                raise _refuse(broken, field) from None


# --- attaching ------------------------------------------------------------------------------------------


@transaction.atomic
def attach(owner, uploads, *, actor, field: str = "attachments") -> list[Attachment]:
    """Store ``uploads`` as files of ``owner`` (a model declaring ``Attachments()``): every file is checked
    before any is stored; each is audited. Who may attach is the calling strand service's rule."""
    if type(owner) not in attachment_owners():
        raise TypeError(f"{type(owner).__name__} 未声明 Attachments()，不能挂附件")
    uploads = list(uploads or [])
    checked = [(upload, check_upload(upload, field=field)) for upload in uploads]
    content_type = ContentType.objects.get_for_model(owner)
    out = []
    for upload, mime in checked:
        att = Attachment(zone_id=owner.zone_id, content_type=content_type, object_id=owner.pk,
                         name=os.path.basename(upload.name)[:200], size=upload.size, mime=mime,
                         uploaded_by=actor if getattr(actor, "pk", None) else None)
        att.file.save(att.name, upload, save=False)  # stored_name() picks the random name
        att.save()
        audit.record(actor, audit.AuditAction.CREATE, att, changes={"new": {
            "owner": f"{owner._meta.label_lower}:{owner.pk}", "name": att.name, "size": att.size,
            "mime": att.mime, "uuid": str(att.uuid), "file": att.file.name}})
        out.append(att)
    return out


# --- downloading ----------------------------------------------------------------------------------------


def get_attachment_for_user(user, key) -> Attachment:
    """The attachment ``key`` (its uuid) if ``user`` may see the record it belongs to, else ``Http404``."""
    missing = Http404("未找到该文件，或您无权访问")
    if user is None or not getattr(user, "is_authenticated", False):
        raise missing
    try:
        att = Attachment.objects.select_related("content_type").get(uuid=key)
    except (Attachment.DoesNotExist, ValueError, ValidationError):
        raise missing from None
    model = att.content_type.model_class()
    if model not in attachment_owners() or not model.objects.visible_to(user).filter(pk=att.object_id).exists():
        raise missing
    return att


def file_response(att: Attachment) -> HttpResponse:
    """The file's bytes with the type read at upload: images inline, anything else a download under its
    original name; by Django, or by the front server (``FILES_SERVE``)."""
    mode = settings.FILES_SERVE
    if mode == "nginx":
        resp = HttpResponse(content_type=att.mime)
        resp["X-Accel-Redirect"] = settings.FILES_ACCEL_PREFIX.rstrip("/") + "/" + att.file.name
    elif mode == "apache":
        resp = HttpResponse(content_type=att.mime)
        resp["X-Sendfile"] = att.file.path
    else:
        try:
            handle = att.file.open("rb")
        except OSError:
            raise Http404("该文件已不存在，请联系管理员") from None
        resp = FileResponse(handle, content_type=att.mime)
    resp["Content-Disposition"] = content_disposition_header(not att.is_image, att.name)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "sandbox"
    resp["Cache-Control"] = "private, no-cache"
    return resp


@login_not_required  # an anonymous request answers 404 like any out-of-scope one, not a login redirect
@require_safe
def download(request, key: uuid_lib.UUID):
    return file_response(get_attachment_for_user(request.user, key))
