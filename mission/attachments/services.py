"""Writes of files on records, and the rules for who adds, opens and removes them (the pages ask these
same functions what to offer)."""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import tempfile
from typing import IO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from mission.accounts.models import User
from mission.accounts.permissions import (
    AnyUser,
    Capability,
    covers_record,
    department_of,
    has_capability,
    may_record,
    sees_restricted,
)
from mission.attachments import registry
from mission.attachments.inspection import FileRefusedError, inspect
from mission.attachments.models import Attachment, AttachmentKind, FileSensitivity
from mission.encryption import DecryptingReader, encrypt_file, open_clear


def may_attach(user: AnyUser, record: models.Model) -> bool:
    """Whoever records in the record's department and region adds files to it."""
    return registry.model_for(registry.label_of(type(record))) is not None and may_record(user, record)


def may_open(user: AnyUser, attachment: Attachment, record: models.Model) -> bool:
    """Of a record the user reads: an internal file, or a restricted one if they read restricted values
    of the record's department."""
    if attachment.access == FileSensitivity.RESTRICTED:
        return sees_restricted(user, department=department_of(record))
    return True


def may_remove(user: AnyUser, attachment: Attachment, record: models.Model) -> bool:
    """The uploader while they still record there, or a reviewer over the record."""
    if attachment.uploaded_by_id == getattr(user, "pk", None) and may_record(user, record):
        return True
    return has_capability(user, Capability.REVIEW) and covers_record(user, record)


def records_of(record: models.Model) -> models.QuerySet[Attachment]:
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    record: models.Model,
    upload: IO[bytes],
    file_name: str,
    size: int,
    kind: str = AttachmentKind.OTHER,
    access: str = FileSensitivity.RESTRICTED,
    description: str = "",
) -> Attachment:
    """Keep `upload` on `record` once its content passes `mission.attachments.inspection`; a refused
    file raises ValidationError on "file" and keeps nothing."""
    if not may_attach(actor, record):
        raise ValidationError("You may not add files to this record.")
    try:
        checked = inspect(file_name, upload, size=size)
    except FileRefusedError as refused:
        raise ValidationError({"file": refused.message}) from None
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=kind,
        access=access,
        name=checked.name,
        description=description.strip(),
        media_type=checked.file_type.media_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        encrypted=access == FileSensitivity.RESTRICTED,
        uploaded_by=actor,
    )
    extension = checked.file_type.extensions[0] if checked.file_type.key != "text" else checked.name.rpartition(".")[2]
    stored = f"attachments/{timezone.now():%Y/%m}/{attachment.key.hex}.{extension}"
    attachment.file.name = _store(stored, checked.data, encrypted=attachment.encrypted)
    attachment._history_user = actor
    attachment._change_reason = "upload"
    try:
        attachment.full_clean(exclude=["file"])
        attachment.save()
    except Exception:
        default_storage.delete(attachment.file.name)  # nothing kept for a row that was not written
        raise
    return attachment


def _store(name: str, data: bytes, *, encrypted: bool) -> str:
    """Write the bytes through STORAGES["default"]; a restricted file as `mission.encryption` seals it."""
    if not encrypted:
        return default_storage.save(name, ContentFile(data))
    with tempfile.TemporaryFile() as sealed:
        encrypt_file(io.BytesIO(data), sealed)
        sealed.seek(0)
        return default_storage.save(f"{name}.enc", File(sealed))


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment, record: models.Model) -> None:
    """Delete the file and its row; the row's history keeps who removed what, and when."""
    if not may_remove(actor, attachment, record):
        raise ValidationError("You may not remove this file.")
    stored = str(attachment.file.name)
    attachment._history_user = actor
    attachment._change_reason = "removed"
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))


def purge_restricted_files(cutoff: datetime.datetime) -> int:
    """Retention: restricted files (court minutes, judgments, with names) uploaded before `cutoff` are
    deleted, rows and bytes, as party names are replaced by pseudonyms after their own period."""
    total = 0
    while True:
        with transaction.atomic():
            batch = list(
                Attachment.objects.filter(access=FileSensitivity.RESTRICTED, created_at__lt=cutoff)
                .order_by("pk")
                .only("pk", "file")[:500]
            )
            if not batch:
                return total
            names = [str(a.file.name) for a in batch]
            ids = [a.pk for a in batch]
            Attachment.objects.filter(pk__in=ids).delete()
            # The history keeps that there were files, not their names or descriptions (they name people).
            Attachment.history.filter(id__in=ids).update(name="", description="")
            transaction.on_commit(functools.partial(_delete_stored, names))
        total += len(batch)


def _delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def attachment_open(attachment: Attachment) -> IO[bytes] | DecryptingReader:
    """The file's bytes as they were kept: decrypted when the row says it was stored encrypted (never
    guessed from the bytes, which an uploader chose)."""
    raw: IO[bytes] = default_storage.open(str(attachment.file.name), "rb")
    if not attachment.encrypted:
        return raw
    clear = open_clear(raw)
    if clear is raw:
        raw.close()
        raise ValueError(f"attachment {attachment.pk} is marked encrypted but its file is not")
    return clear
