"""A file kept on a record of any department, and how sensitive it is."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.accounts.permissions import AnyUser, scope_for
from mission.common import BaseModel
from mission.encryption import EncryptedCharField
from mission.sensitivity import declare


class AttachmentKind(models.TextChoices):
    MINUTES = "minutes", _("Court minutes")
    JUDGMENT = "judgment", _("Judgment or decision")
    INDICTMENT = "indictment", _("Indictment")
    PHOTO = "photo", _("Photo")
    SIGN_IN = "sign_in", _("Sign-in sheet")
    CORRESPONDENCE = "correspondence", _("Letter or correspondence")
    OTHER = "other", _("Other document")


class FileSensitivity(models.TextChoices):
    """The kit's classes (mission.sensitivity) that a file can have: partners never receive files."""

    INTERNAL = "internal", _("Internal: every colleague who reads the record")
    RESTRICTED = "restricted", _("Restricted: names or other personal details, for the department's own staff")


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: AnyUser) -> "AttachmentQuerySet":
        """The files of the records the user reads: for each model that takes files, its own
        `visible_to(user)` decides (restricted files are further limited when opened)."""
        from mission.attachments import registry

        if scope_for(user).nothing:
            return self.none()
        condition = Q(pk__in=[])
        for model in registry.all_models():
            readable = model._default_manager.visible_to(user).values("pk")  # type: ignore[attr-defined]
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=content_type, object_id__in=readable)
        return self.filter(condition)


class Attachment(BaseModel):
    """A file on a record. The stored name is made here (a random one), never the uploader's: the name
    they gave is kept, cleaned, for showing and downloading. Restricted files are stored encrypted."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # in URLs: not a count
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    access = models.CharField(
        _("who may open it"), max_length=20, choices=FileSensitivity.choices, default=FileSensitivity.RESTRICTED
    )
    name = EncryptedCharField(_("file name"), max_length=200)
    description = EncryptedCharField(_("description"), max_length=500, blank=True)
    file = models.FileField(max_length=255)
    media_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    history = HistoricalRecords()

    # A name or a description may name a person: both are restricted values, and the file's own class
    # decides who opens it.
    sensitivity = declare(restricted=["name", "description"])

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"
