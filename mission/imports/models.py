"""A file read for an import, kept between its dry run and its confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.common import BaseModel


class ImportState(models.TextChoices):
    READ = "read", _("Read")  # the dry run was shown at once
    CHECKING = "checking", _("Checking the rows")  # a job makes the dry run
    CHECKED = "checked", _("Checked")  # the job's dry run is kept in `plan`
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


class PendingImport(BaseModel):
    """The cells of an uploaded file, as read, sealed (`mission.encryption`): the dry run showed them and
    the confirmation applies the same cells, not a second upload. Deleted once applied, and after
    `IMPORT_PENDING_HOURS` by the next import. A file of more than `IMPORT_JOB_ROWS` rows is checked
    and applied by a job (`mission.imports.tasks`): `state`, `done` of `total` rows, the dry run kept
    sealed in `plan`, and what came of it in `outcome` (no cell of the file)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("what it imports"), max_length=100)  # the model's label
    flow = models.CharField(_("import"), max_length=100, blank=True)  # mission.imports.flows key
    file_name = models.CharField(_("file"), max_length=200)
    cells = models.TextField()  # JSON of the header and the rows, encrypted
    state = models.CharField(_("state"), max_length=10, choices=ImportState.choices, default=ImportState.READ)
    done = models.PositiveIntegerField(_("rows checked"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    plan = models.TextField(blank=True)  # the job's dry run (ImportPlan.as_json), encrypted
    outcome = models.TextField(_("outcome"), blank=True)  # counts, or why it failed

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
