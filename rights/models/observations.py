from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.api.disclosure import record_key_field
from mission.common import BaseModel
from mission.review.models import ReviewedQuerySet, ReviewedRecord, ReviewLabels, ReviewStatus
from mission.sensitivity import declare
from rights.models.cases import RightsQuerySet
from rights.models.hearings import Hearing
from rights.models.reference import FairTrialStandard, Questionnaire


# The django plugin gives each queryset class an `as_manager()` of its own type, so two queryset bases clash.
class ObservationQuerySet(ReviewedQuerySet["Observation"], RightsQuerySet):  # type: ignore[override]
    region_lookup = "hearing__case__municipality__region"


# An observation goes through the review workflow's statuses (mission.review).
ObservationStatus = ReviewStatus


class ObservationLabels(ReviewLabels):
    author = _("Monitor")
    created = _("started the observation")
    not_editable = _("This observation is %(status)s and cannot be edited.")
    only_submitted = _("Only a submitted observation can be reviewed.")
    only_approved = _("Only an approved observation is corrected; edit a draft directly.")
    return_needs_comment = _("Tell the monitor what to change.")
    return_button = _("Return to the monitor")
    comment_label = _("Comments for the monitor")
    comment_help = _("Required when you return the observation.")
    approved = _("Observation approved.")
    returned = _("Observation returned to the monitor.")
    no_decision = _("Choose to approve or to return the observation.")


class Rating(models.TextChoices):
    COMPLIED = "complied", _("Complied")
    CONCERN = "concern", _("Concern")
    VIOLATION = "violation", _("Violation")
    NOT_OBSERVABLE = "not_observable", _("Not observable")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Observation(ReviewedRecord):
    """A monitor's observation of one hearing, rated against one version of the fair-trial checklist."""

    author_field = "monitor"
    review_labels = ObservationLabels()
    # The history lists rating changes as the observation's own.
    history_children = ("ratings",)

    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, related_name="observations", verbose_name=_("hearing")
    )
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations", verbose_name=_("monitor")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="observations", verbose_name=_("questionnaire")
    )
    summary = models.TextField(_("summary"), blank=True)
    # The hearing's date, copied so that the list's default order (latest hearing first) and the review
    # queue's are one index scan of this table; the observation and hearing services keep it equal.
    hearing_date = models.DateField(_("hearing date"), editable=False)
    # The copied date is the hearing's history, not the observation's.
    history = HistoricalRecords(excluded_fields=["hearing_date"])
    # Free text may name people; who observed and when is the mission's own business.
    sensitivity = declare(internal=["summary", "monitor", "submitted_at"])
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
            # The lists' orders by hearing date: all observations, and by status (the status sort, the
            # review queue's "latest hearing first").
            models.Index(fields=["-hearing_date", "-id"], name="observation_hearing_date_idx"),
            models.Index(fields=["status", "-hearing_date", "-id"], name="observation_status_date_idx"),
            # "Waiting for review" on the overview counts these without reading the table.
            models.Index(fields=["monitor"], condition=models.Q(status="submitted"), name="observation_waiting_idx"),
            # The approved observations of a court's month, read from the index alone (summaries' ratings).
            models.Index(
                fields=["hearing"],
                include=["id"],
                condition=models.Q(status="approved"),
                name="observation_approved_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} · {self.get_status_display()}"


class StandardRating(BaseModel):
    # What a monitor fills in; the rest says which row it is (mission.history.child_fields).
    child_fields = ("rating", "evidence")

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
    sensitivity = declare(internal=["evidence"])

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
