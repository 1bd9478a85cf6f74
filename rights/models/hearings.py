from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from mission.api.disclosure import record_key_field
from mission.common import BaseModel, VersionedModel
from mission.sensitivity import declare
from mission.validation import scheduled_date_error
from rights.models.cases import Case, RightsQuerySet
from rights.models.reference import Court


class HearingQuerySet(RightsQuerySet):
    region_lookup = "case__municipality__region"

    def published(self) -> "HearingQuerySet":
        """Hearings with an approved observation: what partners receive (a flag the observation
        services keep, so that a partner's deep page is one index range, not a join)."""
        return self.filter(published=True)


class HearingType(models.TextChoices):
    INITIAL = "initial", _("Initial hearing")
    DETENTION_REVIEW = "detention_review", _("Detention review")
    MAIN_TRIAL = "main_trial", _("Main trial session")
    CLOSING = "closing", _("Closing arguments")
    VERDICT = "verdict", _("Verdict announcement")
    SENTENCING = "sentencing", _("Sentencing")
    APPEAL = "appeal", _("Appeal session")


class AdjournmentReason(models.TextChoices):
    NONE = "", _("Not adjourned")
    ABSENT_ACCUSED = "absent_accused", _("Accused absent")
    ABSENT_COUNSEL = "absent_counsel", _("Defence counsel absent")
    ABSENT_WITNESS = "absent_witness", _("Witness absent")
    ABSENT_PROSECUTOR = "absent_prosecutor", _("Prosecutor absent")
    ABSENT_INTERPRETER = "absent_interpreter", _("Interpreter absent")
    JUDGE_UNAVAILABLE = "judge_unavailable", _("Judge unavailable")
    DOCUMENTS_MISSING = "documents_missing", _("Documents or evidence missing")
    OTHER = "other", _("Other reason")


class Hearing(VersionedModel, BaseModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case"))
    # The case's court, kept equal to it by the services (`hearing_create`, and `case_update` when the
    # case moves to another court), so that the summaries rebuild one court's month from the index on
    # (court, date) alone (`rights.services.summaries`).
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False, verbose_name=_("court")
    )
    date = models.DateField(_("date"), db_index=True)
    scheduled_start = models.TimeField(_("scheduled start"))
    actual_start = models.TimeField(_("actual start"), null=True, blank=True)
    end = models.TimeField(_("end"), null=True, blank=True)
    hearing_type = models.CharField(_("type"), max_length=20, choices=HearingType.choices)
    session_number = models.PositiveSmallIntegerField(
        _("session number"), null=True, blank=True, help_text=_("For main trial sessions: 1, 2, 3…")
    )
    held = models.BooleanField(_("held"), default=True, help_text=_("Untick if the hearing was adjourned."))
    adjournment_reason = models.CharField(
        _("reason for adjournment"), max_length=20, choices=AdjournmentReason.choices, blank=True, default=""
    )
    adjournment_note = models.CharField(_("adjournment details"), max_length=500, blank=True)
    recorded = models.BooleanField(
        _("recorded"), null=True, blank=True, help_text=_("Audio or video record kept as the law requires.")
    )
    public = models.BooleanField(_("public"), default=True)
    closure_basis = models.CharField(
        _("legal basis for closing the hearing"), max_length=500, blank=True, help_text=_("As the judge stated it.")
    )
    accused_represented = models.BooleanField(_("every accused had counsel present"), null=True, blank=True)
    interpretation_needed = models.BooleanField(_("interpretation needed"), default=False)
    interpretation_provided = models.BooleanField(_("interpretation provided"), null=True, blank=True)
    next_hearing_date = models.DateField(_("next hearing"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Decisions, verdict, sentence."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    published = models.BooleanField(_("published"), default=False, editable=False)
    record_key = record_key_field()  # feeds the perturbation of partner aggregates
    history = HistoricalRecords(excluded_fields=["published", "record_key", "court"])
    sensitivity = declare(internal=["outcome", "closure_basis"])  # as the judge said it: may name people

    objects = HearingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-scheduled_start"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            models.CheckConstraint(
                name="hearing_end_after_start",
                condition=models.Q(end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(end__gte=models.F("actual_start")),
            ),
            models.CheckConstraint(
                name="hearing_closed_states_basis",
                condition=models.Q(public=True) | ~models.Q(closure_basis=""),
            ),
            models.CheckConstraint(
                name="hearing_adjourned_states_reason",
                condition=models.Q(held=True, adjournment_reason="")
                | models.Q(held=False) & ~models.Q(adjournment_reason=""),
            ),
        ]
        indexes = [
            # With the id: the hearing before another of its case, read from the index alone (summaries).
            models.Index(fields=["case", "date", "id"], name="hearing_case_date_id_idx"),
            # Covering what the summaries' fills read of a court's month (`rights.services.summaries`):
            # an index-only scan instead of a heap page per hearing (a month's hearings lie scattered).
            models.Index(
                fields=["court", "date"],
                include=["id", "case", "held", "recorded", "adjournment_reason"],
                name="hearing_court_date_idx",
            ),
            models.Index(fields=["-date", "-scheduled_start", "-id"], name="hearing_list_order_idx"),
            models.Index(fields=["id"], condition=models.Q(published=True), name="hearing_published_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case.case_number} · {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        for name in ("date", "next_hearing_date"):
            problem = scheduled_date_error(getattr(self, name))
            if problem:
                errors[name] = problem
        if self.end and self.actual_start and self.end < self.actual_start:
            errors["end"] = _("The end cannot be before the actual start.")
        if not self.public and not self.closure_basis.strip():
            errors["closure_basis"] = _("A closed hearing needs the legal basis the court stated for closing it.")
        if not self.held and not self.adjournment_reason:
            errors["adjournment_reason"] = _("Say why the hearing was adjourned.")
        if self.held and self.adjournment_reason:
            errors["adjournment_reason"] = _("A hearing that was held has no reason for adjournment.")
        if self.held and self.recorded is None:
            errors["recorded"] = _("Say whether the hearing was recorded.")
        if self.interpretation_needed and self.interpretation_provided is None:
            errors["interpretation_provided"] = _("Say whether interpretation was provided.")
        if (
            self.next_hearing_date
            and self.date
            and self.next_hearing_date < self.date
            and "next_hearing_date" not in errors
        ):
            errors["next_hearing_date"] = _("The next hearing cannot be before this one.")
        if errors:
            raise ValidationError(errors)
