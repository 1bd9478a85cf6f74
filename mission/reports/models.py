from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from field_offices.models import Region
from mission.accounts.permissions import Capability, has_capability, scope_for
from mission.common import BaseModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mission.accounts.models import User


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("File removed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def visible_to(self, user: "User | AnonymousUser") -> "ReportJobQuerySet":
        """A user's own reports, and those of their scope (department and region) if they may ask for
        reports themselves. Reports that hold names are further limited at download."""
        if not user.is_authenticated:
            return self.none()
        scope = scope_for(user)
        if not has_capability(user, Capability.REPORTS) or scope.nothing:
            return self.filter(requested_by=user)
        in_scope = Q()
        if scope.departments is not None:
            in_scope &= Q(department__in=scope.departments)
        if scope.region_ids is not None:
            in_scope &= Q(region_id__in=scope.region_ids)
        if not in_scope:  # every department, every region
            return self.all()
        return self.filter(Q(requested_by=user) | in_scope)


class ReportJob(BaseModel):
    """One report: who asked, what (frozen parameters), how far it got, and the file it left."""

    report_type = models.CharField(_("report"), max_length=60)
    department = models.CharField(_("department"), max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("requested by"),
        help_text=_("Empty for scheduled reports."),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    includes_restricted = models.BooleanField(
        _("includes names"), default=False, help_text=_("Only people who may see names may download it.")
    )
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("stage"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(_("enqueued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Who runs the current attempt: the Celery task's id and the process ("node:pid"), so that a
    # redelivery of the same task after its process died is recognised at once (services._claim).
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    worker = models.CharField(_("worker process"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    error = models.TextField(_("what went wrong"), blank=True)
    schedule_key = models.CharField(
        _("schedule"), max_length=100, null=True, blank=True, unique=True, help_text=_("Set on scheduled reports.")
    )

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="report_status_idx"),
            models.Index(fields=["requested_by", "-created_at"], name="report_requester_idx"),
            # The job list's order, which its cursor compares: (created_at, id).
            models.Index(fields=["-created_at", "-id"], name="report_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="report_progress_percent", condition=Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.report_type} #{self.pk} ({self.status})"

    @property
    def language_name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED, ReportStatus.EXPIRED)
