"""Moving a strand's own attachment table into ``core.Attachment`` (issue 7: one attachment model).

Used by the strands' data migrations (services 0006, resources 0002) with historical models only: every
row becomes a core attachment of the same owner, its file moves from the guessable ``<dir>/YYYY/MM/<original
name>`` to a random name, its original name stays in ``name``. The reverse moves the rows back (the files
keep their random names)."""

from __future__ import annotations

import mimetypes
import uuid

from django.core.files.storage import default_storage


def _owner_type(apps, owner: str):
    content_types = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model(owner)
    return content_types.objects.get_or_create(app_label=model._meta.app_label, model=model._meta.model_name)[0]


def to_core(apps, old: str, owner: str, owner_field: str) -> None:
    """Copy every row of ``old`` (``app.Model``, a FK ``owner_field`` to ``owner``) into core.Attachment."""
    old_model = apps.get_model(old)
    new_model = apps.get_model("core", "Attachment")
    content_type = _owner_type(apps, owner)
    moved = []
    for row in old_model.objects.order_by("pk").iterator():
        key = uuid.uuid4()
        stored = row.file.name
        if stored and default_storage.exists(stored):
            with default_storage.open(stored, "rb") as fh:
                new_name = default_storage.save(f"files/{key.hex[:2]}/{key.hex}", fh)
            moved.append(stored)
            stored = new_name
        new_model.objects.create(
            uuid=key, zone_id=row.zone_id, content_type=content_type, object_id=getattr(row, f"{owner_field}_id"),
            file=stored, name=row.name, size=row.size,
            mime=mimetypes.guess_type(row.name)[0] or "application/octet-stream",
            uploaded_by_id=row.uploaded_by_id, uploaded_at=row.uploaded_at)
    for name in moved:
        default_storage.delete(name)


def from_core(apps, old: str, owner: str, owner_field: str) -> None:
    """The reverse: the owner's core attachments back into ``old`` (rows only; files keep their names)."""
    old_model = apps.get_model(old)
    new_model = apps.get_model("core", "Attachment")
    rows = new_model.objects.filter(content_type=_owner_type(apps, owner)).order_by("pk")
    for row in rows.iterator():
        old_model.objects.create(zone_id=row.zone_id, **{f"{owner_field}_id": row.object_id}, file=row.file.name,
                                 name=row.name, size=row.size, uploaded_by_id=row.uploaded_by_id,
                                 uploaded_at=row.uploaded_at)
    rows.delete()
