"""Hate-crime response: an incident (the kit's `IncidentRecord`) with its victims and the police's and
the mission's response, step by step, assessed against what a hate-crime investigation needs (the bias
recorded, indicators documented, an investigation, charges with the bias motive)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.common import ReferenceList
from mission.records.shapes import AgeBand, IncidentRecord, PersonRow, flag_rows, record_indexes, response_steps
from mission.review.models import ReviewLabels
from mission.sensitivity import Pseudonym, declare
from public_safety.models.common import PublicSafetyQuerySet


class BiasMotivation(ReferenceList):
    """A bias motivation of OSCE/ODIHR's hate-crime reporting (`data/bias_motivations.csv`)."""

    class Meta(ReferenceList.Meta):
        verbose_name = _("bias motivation")
        verbose_name_plural = _("bias motivations")


class HateCrimeKind(models.TextChoices):
    """What a monitor picks; each kind counts in one of ODIHR's three types of incident (`ODIHR_TYPE`)."""

    VIOLENT_ATTACK = "violent_attack", _("Violent attack against people")
    THREAT = "threat", _("Threat")
    DAMAGE = "damage", _("Damage to property")
    ARSON = "arson", _("Arson")
    DESECRATION = "desecration", _("Desecration of graves or religious sites")
    VANDALISM = "vandalism", _("Vandalism, including graffiti")


class OdihrType(models.TextChoices):
    ATTACK_PEOPLE = "ATTACK_PEOPLE", _("Violent attacks against people")
    THREATS = "THREATS", _("Threats")
    ATTACK_PROPERTY = "ATTACK_PROPERTY", _("Attacks against property")


ODIHR_TYPE = {
    HateCrimeKind.VIOLENT_ATTACK: OdihrType.ATTACK_PEOPLE,
    HateCrimeKind.THREAT: OdihrType.THREATS,
    HateCrimeKind.DAMAGE: OdihrType.ATTACK_PROPERTY,
    HateCrimeKind.ARSON: OdihrType.ATTACK_PROPERTY,
    HateCrimeKind.DESECRATION: OdihrType.ATTACK_PROPERTY,
    HateCrimeKind.VANDALISM: OdihrType.ATTACK_PROPERTY,
}


class HateCrimeLabels(ReviewLabels):
    author = _("Monitor")
    created = _("logged the incident")


class HateCrimeIncident(IncidentRecord):
    """A suspected hate crime, logged by a monitor and reviewed by a supervisor; the police's response
    to it is followed step by step."""

    review_labels = HateCrimeLabels()
    history_children = ("victims", "response_steps")
    conflict_related = ("victims", "response_steps")

    kind = models.CharField(_("kind of incident"), max_length=20, choices=HateCrimeKind.choices)
    bias_motivation = models.ForeignKey(
        BiasMotivation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bias motivation"),
        help_text=_("The main one, as OSCE/ODIHR's hate-crime reporting groups them."),
    )

    objects = PublicSafetyQuerySet.as_manager()

    class Meta(IncidentRecord.Meta):
        verbose_name = _("hate-crime incident")
        verbose_name_plural = _("hate-crime incidents")
        indexes = record_indexes("hci", kind="kind", bias_motivation="bias")

    @property
    def odihr_type(self) -> str:
        return ODIHR_TYPE[HateCrimeKind(self.kind)]


class Victim(PersonRow):
    """A victim of a hate crime: the name restricted; sex, age band and community counted."""

    incident = models.ForeignKey(HateCrimeIncident, on_delete=models.CASCADE, related_name="victims")
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Victim")))

    class Meta(PersonRow.Meta):
        verbose_name = _("victim")
        verbose_name_plural = _("victims")


class HateCrimeResponse(models.TextChoices):
    RECORDED = "recorded", _("Police recorded it as a hate crime")
    INDICATORS = "indicators", _("Police documented bias indicators")
    INVESTIGATION = "investigation", _("Investigation opened")
    CHARGED = "charged", _("Charged with the bias motive")
    JUDGMENT = "judgment", _("Judgment")
    OMBUDSPERSON = "ombudsperson", _("Referred to the Ombudsperson")
    INSPECTORATE = "inspectorate", _("Referred to the Police Inspectorate")
    MISSION_MEETING = "mission_meeting", _("Mission: meeting with the police")
    MISSION_STATEMENT = "mission_statement", _("Mission: public statement")


HateCrimeStep = response_steps(
    HateCrimeIncident,
    HateCrimeResponse,
    name="HateCrimeStep",
    institutional=("recorded", "indicators", "investigation", "charged", "judgment", "ombudsperson", "inspectorate"),
    verbose_name_plural=_("police response"),
    doc="A step of the response to a hate crime: what the police, prosecution and courts did, where it was "
    "referred, and what the mission did.",
)


class HateCrimeFlagRule(models.TextChoices):
    BIAS_NOT_RECORDED = "bias_not_recorded", _("Bias indicators documented, but not recorded as a hate crime")
    NO_INVESTIGATION = "no_investigation", _("No investigation 30 days after an incident reported to the police")


HateCrimeFlag = flag_rows(HateCrimeIncident, HateCrimeFlagRule, name="HateCrimeFlag")
