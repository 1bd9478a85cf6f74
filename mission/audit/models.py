"""Who looked at what. Changes are kept by django-simple-history on each model; views of restricted
records, which change nothing, are written here."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("who")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record shown as"), max_length=200)
    path = models.CharField(_("page or endpoint"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access to a restricted record")
        verbose_name_plural = _("accesses to restricted records")
        indexes = [models.Index(fields=["content_type", "object_id"], name="accesslog_record_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_repr} {self.at:%Y-%m-%d %H:%M}"


class Disclosure(models.Model):
    """A restricted record whose values a kept artefact holds (a report file with names, the holder).

    Handing out the holder is then logged as a view of each record it discloses, not only of the holder
    (`mission.audit.services.access_record`).
    """

    holder_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    holder_id = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("record held in a file")
        verbose_name_plural = _("records held in files")
        indexes = [models.Index(fields=["holder_type", "holder_id"], name="disclosure_holder_idx")]

    def __str__(self) -> str:
        return f"{self.holder_type_id}:{self.holder_id} holds {self.object_repr}"
