from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.common import BaseModel
from mission.sensitivity import declare
from rights.models.cases import Case, RightsQuerySet
from rights.models.hearings import Hearing
from rights.models.observations import Observation


class FlagRule(models.TextChoices):
    """The rules that raise flags; what each one checks lives in `rights.flag_rules`."""

    VIOLATION = "violation", _("A standard was rated a violation")
    JUVENILE_IN_PUBLIC = "juvenile_in_public", _("Juvenile case heard in public")
    UNREPRESENTED_SERIOUS_CRIME = "unrepresented_serious", _("Accused without counsel in a serious-crimes hearing")
    INTERPRETER_ABSENT = "interpreter_absent", _("Interpretation needed but not provided")
    REPEATED_ADJOURNMENT = "repeated_adjournment", _("Three or more adjournments in the case")
    NOT_RECORDED = "not_recorded", _("Hearing not recorded")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class FlagQuerySet(RightsQuerySet):
    region_lookup = "case__municipality__region"


def flag_day() -> Coalesce:
    """The day a flag counts on in a period, for the dashboard, its summaries and the API alike: the
    date of its hearing; for a flag on a whole case, the day it was raised."""
    return Coalesce(models.F("hearing__date"), TruncDate("created_at"), output_field=models.DateField())


class Flag(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="flags", verbose_name=_("case"))
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="flags", verbose_name=_("hearing")
    )
    observation = models.ForeignKey(
        Observation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("observation"),
    )
    rule = models.CharField(_("rule"), max_length=30, choices=FlagRule.choices)
    # What the rule fired on ("hearing:12", "case:5", "observation:7"): one flag per rule and subject.
    subject = models.CharField(_("subject"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    history = HistoricalRecords()
    sensitivity = declare(internal=["closing_note"])

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject"], name="flag_one_per_rule_and_subject"),
            models.CheckConstraint(
                name="flag_closed_has_closer",
                condition=models.Q(status="open") | models.Q(closed_by__isnull=False, closed_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "case"], name="flag_status_case_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="flag_list_order_idx"),
            # Every flag, open and closed: the list's cursor compares (created_at, id).
            models.Index(fields=["-created_at", "-id"], name="flag_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} · {self.case.case_number}"


class InterventionType(models.TextChoices):
    LETTER = "letter", _("Letter")
    MEETING_COURT_PRESIDENT = "meeting_court_president", _("Meeting with the court president")
    MEETING_JUDICIAL_COUNCIL = "meeting_judicial_council", _("Meeting with the Judicial Council")
    MEETING_PROSECUTION = "meeting_prosecution", _("Meeting with the prosecution")
    REFERRAL = "referral", _("Referral to another body")
    REPORT = "report", _("Raised in a public report")
    OTHER = "other", _("Other")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done, awaiting response")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Closed without resolution")


class InterventionQuerySet(RightsQuerySet):
    region_lookup = "flag__case__municipality__region"


class Intervention(BaseModel):
    """A follow-up decided by a supervisor. Monitors never intervene in proceedings themselves."""

    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("flag"))
    intervention_type = models.CharField(_("type"), max_length=30, choices=InterventionType.choices)
    addressee = models.CharField(_("addressee"), max_length=200)
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=15, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    history = HistoricalRecords()
    sensitivity = declare(internal=["addressee", "outcome"])

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return f"{self.get_intervention_type_display()} · {self.date:%Y-%m-%d}"
