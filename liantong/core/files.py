"""Checks on uploaded files, shared by every app that takes attachments (orders, visit photos …)."""

import os

from django.conf import settings

from .services import ServiceError

IMAGE_MAGIC = {".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}


def check_upload(name: str, size: int, *, head: bytes | None = None, field: str = "attachments") -> None:
    """Refuse a file whose extension is not allowed (settings.ATTACHMENT_EXTENSIONS), that is empty or larger
    than settings.ATTACHMENT_MAX_BYTES, or — when its first bytes are given — whose content does not match its
    image extension. Messages are in Chinese and name the file."""
    name = os.path.basename(name or "")
    ext = os.path.splitext(name)[1].lower()
    allowed = [e.lower() for e in settings.ATTACHMENT_EXTENSIONS]
    if ext not in allowed:
        raise ServiceError(f"附件“{name}”的类型（{ext or '无扩展名'}）不允许上传，仅支持：{'、'.join(allowed)}",
                           field=field)
    limit = settings.ATTACHMENT_MAX_BYTES
    if not size or size <= 0:
        raise ServiceError(f"附件“{name}”为空", field=field)
    if size > limit:
        raise ServiceError(f"附件“{name}”大小为 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB",
                           field=field)
    if head is not None and ext in IMAGE_MAGIC and not any(head.startswith(m) for m in IMAGE_MAGIC[ext]):
        raise ServiceError(f"附件“{name}”的内容不是有效的图片", field=field)


def check_uploaded_file(upload, *, field: str = "attachments") -> None:
    """``check_upload`` for a Django UploadedFile, peeking at its first bytes."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    check_upload(getattr(upload, "name", ""), getattr(upload, "size", 0) or 0, head=head, field=field)
