"""A file read for an import, kept between its dry run and its confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.common import BaseModel


class PendingImport(BaseModel):
    """The cells of an uploaded file, as read, sealed (`mission.encryption`): the dry run showed them and
    the confirmation applies the same cells, not a second upload. Deleted once applied, and after
    `IMPORT_PENDING_HOURS` by the next import."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("what it imports"), max_length=100)  # the model's label
    file_name = models.CharField(_("file"), max_length=200)
    cells = models.TextField()  # JSON of the header and the rows, encrypted

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
