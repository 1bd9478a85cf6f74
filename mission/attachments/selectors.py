"""Reads of files on records: the panel a record's page shows, and one file by its key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import AnyUser
from mission.attachments import registry
from mission.attachments.forms import AttachmentForm
from mission.attachments.models import Attachment, FileSensitivity
from mission.attachments.services import may_attach, may_open, may_remove
from mission.audit.services import access_shown
from mission.kept_pages import kept_rows


@dataclass
class FileRow:
    attachment: Attachment
    name: str  # "" when the reader may not see a restricted file's name
    description: str
    download_url: str
    remove_url: str

    @property
    def restricted(self) -> bool:
        return self.attachment.access == FileSensitivity.RESTRICTED


@dataclass
class AttachmentPanel:
    rows: list[FileRow]
    add_url: str
    form: AttachmentForm | None = None
    next_url: str = ""
    withheld: int = field(default=0)  # restricted files whose names the reader does not see


def attachment_panel(request: AuthenticatedHttpRequest, record: models.Model) -> AttachmentPanel | None:
    """The files of `record` as its page lists them, with the upload form for whoever may add one; None
    for a model that takes no files. Showing a restricted file's name is a view of the record, logged."""
    if registry.model_for(registry.label_of(type(record))) is None:
        return None
    user = request.user
    rows: list[FileRow] = []
    shown_restricted = False
    content_type = ContentType.objects.get_for_model(record)
    attachments = kept_rows(  # the same statement for every record of the model (`mission.kept_pages`)
        Attachment,
        ("attachments.panel", content_type.pk),
        lambda key: (
            Attachment.objects.filter(content_type=content_type, object_id=key)
            .select_related("uploaded_by")
            .defer("uploaded_by__password")
        ),
        record.pk,
    )
    for attachment in attachments:
        opens = may_open(user, attachment, record)
        removes = may_remove(user, attachment, record)
        shown_restricted |= opens and attachment.access == FileSensitivity.RESTRICTED
        rows.append(
            FileRow(
                attachment=attachment,
                name=attachment.name if opens else "",
                description=attachment.description if opens else "",
                download_url=reverse("attachments:download", args=[attachment.key]) if opens else "",
                remove_url=reverse("attachments:remove", args=[attachment.key]) if removes else "",
            )
        )
    if shown_restricted:
        access_shown(request, record)
    attach = may_attach(user, record)
    return AttachmentPanel(
        rows=rows,
        add_url=add_url(record) if attach else "",
        form=AttachmentForm(auto_id="id_file_%s") if attach else None,
        next_url=request.get_full_path(),
        withheld=sum(1 for row in rows if row.restricted and not row.name),
    )


def add_url(record: models.Model) -> str:
    return reverse("attachments:add", args=[registry.label_of(type(record)), record.pk])


def attachment_with_record(user: AnyUser, key: Any) -> tuple[Attachment, models.Model]:
    """The file with this key and its record, both read through the user's scope; DoesNotExist when
    either is not there or not theirs."""
    attachment = Attachment.objects.visible_to(user).select_related("content_type").get(key=key)
    model = attachment.content_type.model_class()
    if model is None or registry.model_for(registry.label_of(model)) is None:
        raise Attachment.DoesNotExist
    record = model._default_manager.visible_to(user).get(pk=attachment.object_id)  # type: ignore[attr-defined]
    return attachment, record
