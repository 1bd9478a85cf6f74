"""Cultural and religious heritage: the protected sites and Special Protective Zones (a reference
list, `data/protected_sites.csv`, on the map), incidents at or near them (the kit's
`IncidentRecord`) with the institutions' response, and the decisions of the Implementation and
Monitoring Council followed until they are implemented (the kit's `TrackedItem`)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from human_rights.models.common import HumanRightsQuerySet
from mission.accounts.roles import Department
from mission.common import ReferenceList
from mission.records.shapes import IncidentRecord, record_indexes, response_steps
from mission.review.models import ReviewLabels
from mission.sensitivity import declare
from mission.trackers.shapes import NationalQuerySet, TrackedItem, status_entries


class SiteKind(models.TextChoices):
    MONASTERY = "monastery", _("Monastery")
    CHURCH = "church", _("Church")
    MOSQUE = "mosque", _("Mosque")
    HISTORIC_CENTRE = "historic_centre", _("Historic centre")
    VILLAGE = "village", _("Village")
    ARCHAEOLOGICAL_SITE = "archaeological_site", _("Archaeological site")
    OTHER = "other", _("Other")


class ProtectedSite(ReferenceList):
    """A protected site of cultural or religious heritage in its municipality; `zone` when the law puts
    a Special Protective Zone around it. `verified` says whether its status was read in a source
    (`data/README.md`): the list is partial and some rows are recalled, not read."""

    municipality = models.ForeignKey(
        "field_offices.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind of site"), max_length=20, choices=SiteKind.choices)
    zone = models.BooleanField(_("special protective zone"), default=True)
    verified = models.BooleanField(
        _("status verified"), default=False, help_text=_("Its protected status was read in a source.")
    )

    class Meta(ReferenceList.Meta):
        verbose_name = _("protected site")
        verbose_name_plural = _("protected sites")


class HeritageIncidentKind(models.TextChoices):
    THEFT = "theft", _("Theft")
    VANDALISM = "vandalism", _("Vandalism or desecration")
    CONSTRUCTION = "construction", _("Construction or works in a protective zone")
    ACCESS_DENIED = "access_denied", _("Access denied")
    THREAT = "threat", _("Threat or intimidation")
    OTHER = "other", _("Other")


class HeritageLabels(ReviewLabels):
    author = _("Monitor")
    created = _("logged the incident")


class HeritageIncident(IncidentRecord):
    """An incident at or near a protected site, logged by a monitor and reviewed by a supervisor; the
    police's, the municipality's and the Council's response are its steps. At a site, its municipality
    is the site's."""

    review_labels = HeritageLabels()
    history_children = ("response_steps",)
    conflict_related = ("response_steps",)

    kind = models.CharField(_("kind of incident"), max_length=20, choices=HeritageIncidentKind.choices)
    site = models.ForeignKey(
        ProtectedSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("protected site"),
        help_text=_("Leave empty for a site not on the list; say which in the description."),
    )

    objects = HumanRightsQuerySet.as_manager()

    class Meta(IncidentRecord.Meta):
        verbose_name = _("heritage incident")
        verbose_name_plural = _("heritage incidents")
        indexes = record_indexes("hri", kind="kind", site="site")

    def clean(self) -> None:
        site = self.site if self.site_id is not None else None
        if site is not None:
            self.municipality_id = site.municipality_id  # it happened where the site is
        super().clean()


class HeritageResponse(models.TextChoices):
    POLICE_RECORDED = "police_recorded", _("Police recorded the incident")
    INVESTIGATION = "investigation", _("Investigation opened")
    WORKS_STOPPED = "works_stopped", _("Works stopped")
    IMC_RAISED = "imc_raised", _("Raised at the Implementation and Monitoring Council")
    REPAIRED = "repaired", _("Damage repaired")
    CHARGED = "charged", _("Perpetrator charged")
    MISSION_MEETING = "mission_meeting", _("Mission: meeting with the institution")
    MISSION_STATEMENT = "mission_statement", _("Mission: public statement")


HeritageIncidentStep = response_steps(
    HeritageIncident,
    HeritageResponse,
    name="HeritageIncidentStep",
    institutional=("police_recorded", "investigation", "works_stopped", "imc_raised", "repaired", "charged"),
    verbose_name_plural=_("institutions' response"),
    doc="A step of the response to a heritage incident: the police, the municipality, the Council, the mission.",
)


class DecisionStatus(models.TextChoices):
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PARTLY = "partly", _("Partly implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    SUPERSEDED = "superseded", _("Superseded by a later decision")


class CouncilDecisionQuerySet(NationalQuerySet):
    department = Department.RIGHTS


class CouncilDecision(TrackedItem):
    """A decision of the Implementation and Monitoring Council (Law No. 03/L-039 on Special Protective
    Zones, Art. 4), followed until it is implemented: which zone it concerns, what it asks of whom, by
    when."""

    arises_in = "year"
    duplicate = ("number", _("This decision of the Council is tracked already."))

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2008), MaxValueValidator(2100)], help_text=_("Of the session.")
    )
    number = models.PositiveSmallIntegerField(
        _("decision number"), validators=[MinValueValidator(1)], help_text=_("Its number among the year's decisions.")
    )
    site = models.ForeignKey(
        ProtectedSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("protected site"),
    )
    text = models.TextField(_("decision"), help_text=_("What the Council decided, in short."))
    responsible = models.CharField(_("responsible institution"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    current_status = models.CharField(_("status now"), max_length=20, choices=DecisionStatus.choices, blank=True)
    history = HistoricalRecords()
    sensitivity = declare(internal=["created_by", "text", "responsible"])

    objects = CouncilDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("decision of the Implementation and Monitoring Council")
        verbose_name_plural = _("Council decisions")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="council_decision_once")]

    def __str__(self) -> str:
        return f"{self.year}/{self.number}"

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.year and self.deadline.year < self.year:
            raise ValidationError({"deadline": _("A deadline cannot come before the decision's year.")})


CouncilDecisionStatus = status_entries(
    CouncilDecision,
    DecisionStatus,
    name="CouncilDecisionStatus",
    verbose_name=_("status of a Council decision"),
    item_label=_("decision"),
)
