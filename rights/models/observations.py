from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.api.disclosure import record_key_field
from mission.common import BaseModel, VersionedModel
from rights.models.cases import RightsQuerySet
from rights.models.hearings import Hearing
from rights.models.reference import FairTrialStandard, Questionnaire


class ObservationQuerySet(RightsQuerySet):
    region_lookup = "hearing__case__municipality__region"

    def published(self) -> "ObservationQuerySet":
        return self.filter(status="approved")


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


EDITABLE_BY_AUTHOR = (ObservationStatus.DRAFT, ObservationStatus.RETURNED)


class Rating(models.TextChoices):
    COMPLIED = "complied", _("Complied")
    CONCERN = "concern", _("Concern")
    VIOLATION = "violation", _("Violation")
    NOT_OBSERVABLE = "not_observable", _("Not observable")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Observation(VersionedModel, BaseModel):
    """A monitor's observation of one hearing, rated against one version of the fair-trial checklist."""

    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, related_name="observations", verbose_name=_("hearing")
    )
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations", verbose_name=_("monitor")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="observations", verbose_name=_("questionnaire")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ObservationStatus.choices, default=ObservationStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=1, help_text=_("Raised by each correction after approval.")
    )
    correction_reason = models.TextField(_("reason for the latest correction"), blank=True)
    history = HistoricalRecords()
    # An edit conflict lists the other person's rating changes too (mission.concurrency).
    conflict_related = ("ratings",)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "monitor"], name="observation_one_per_monitor_per_hearing"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="observation_status_idx"),
            models.Index(fields=["status", "submitted_at", "id"], name="observation_review_queue_idx"),
            # "Waiting for review" on the overview counts these without reading the table.
            models.Index(fields=["monitor"], condition=models.Q(status="submitted"), name="observation_waiting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} · {self.get_status_display()}"


class StandardRating(BaseModel):
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("observation")
    )
    standard = models.ForeignKey(
        FairTrialStandard, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("standard")
    )
    rating = models.CharField(_("rating"), max_length=15, choices=Rating.choices, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    record_key = record_key_field()  # feeds the perturbation of partner aggregates
    history = HistoricalRecords(excluded_fields=["record_key"])

    class Meta:
        ordering = ["observation", "standard__order"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["observation", "standard"], name="rating_one_per_standard"),
        ]
        indexes = [models.Index(fields=["standard", "rating"], name="rating_standard_rating_idx")]

    def __str__(self) -> str:
        return f"{self.standard.code}: {self.rating}"

    def conflict_label(self) -> str:
        return self.standard.name

    def clean(self) -> None:
        super().clean()
        if self.rating == Rating.VIOLATION and not self.evidence.strip():
            raise ValidationError({"evidence": _("A violation needs an evidence note: describe what you observed.")})
