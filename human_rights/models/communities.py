"""Communities' rights: incidents that affect a non-majority community (the kit's `IncidentRecord`)
with the institutions' response over time and the mission's follow-up, and a municipality's yearly
compliance with the Law on the Use of Languages (the kit's `MunicipalAssessment`)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from human_rights.models.common import HumanRightsQuerySet
from mission.records.shapes import (
    IncidentRecord,
    MunicipalAssessment,
    PersonRow,
    community_field,
    flag_rows,
    percent_field,
    record_indexes,
    response_steps,
)
from mission.review.models import ReviewLabels
from mission.sensitivity import Pseudonym, declare


class CommunityIncidentKind(models.TextChoices):
    SECURITY = "security", _("Security incident")
    LANGUAGE = "language", _("Breach of language rights")
    DOCUMENTS = "documents", _("Access to civil documents denied")
    EDUCATION = "education", _("Access to education denied")
    PROPERTY_DAMAGE = "property_damage", _("Damage to property")
    OTHER = "other", _("Other denial of a community's rights")


class CommunityIncidentLabels(ReviewLabels):
    author = _("Monitor")
    created = _("logged the incident")


class CommunityIncident(IncidentRecord):
    """An incident that affects a non-majority community, logged by a monitor and reviewed by a
    supervisor; the institutions' response and the mission's follow-up are its steps."""

    review_labels = CommunityIncidentLabels()
    history_children = ("persons", "response_steps")
    conflict_related = ("persons", "response_steps")

    kind = models.CharField(_("kind of incident"), max_length=20, choices=CommunityIncidentKind.choices)
    community = community_field(null=False, blank=False, help_text=_("The community the incident affected."))
    institution = models.CharField(
        _("institution responsible"),
        max_length=200,
        blank=True,
        help_text=_("The institution that should answer: a municipal directorate, a school, the civil registry."),
    )

    sensitivity = declare(internal=["description", "monitor", "submitted_at", "institution"])

    objects = HumanRightsQuerySet.as_manager()

    class Meta(IncidentRecord.Meta):
        verbose_name = _("community-rights incident")
        verbose_name_plural = _("community-rights incidents")
        indexes = record_indexes("cri", kind="kind", community="community")


class AffectedPerson(PersonRow):
    """A person the incident affected: the name restricted; sex and community counted."""

    incident = models.ForeignKey(CommunityIncident, on_delete=models.CASCADE, related_name="persons")
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Person affected")))

    class Meta(PersonRow.Meta):
        verbose_name = _("person affected")
        verbose_name_plural = _("persons affected")


class CommunityResponse(models.TextChoices):
    POLICE_RECORDED = "police_recorded", _("Police recorded the incident")
    INVESTIGATION = "investigation", _("Investigation opened")
    ANSWERED = "answered", _("The institution responsible answered")
    REMEDIED = "remedied", _("The breach was remedied")
    OMBUDSPERSON = "ombudsperson", _("Referred to the Ombudsperson")
    LANGUAGE_COMMISSIONER = "commissioner", _("Referred to the Language Commissioner")
    MISSION_LETTER = "mission_letter", _("Mission: letter to the institution")
    MISSION_MEETING = "mission_meeting", _("Mission: meeting with the institution")
    MISSION_STATEMENT = "mission_statement", _("Mission: public statement")


CommunityIncidentStep = response_steps(
    CommunityIncident,
    CommunityResponse,
    name="CommunityIncidentStep",
    institutional=("police_recorded", "investigation", "answered", "remedied", "ombudsperson", "commissioner"),
    verbose_name_plural=_("response and follow-up"),
    doc="A step of the response to a community-rights incident: what the institutions did, and what the "
    "mission did to follow it up.",
)


class CommunityFlagRule(models.TextChoices):
    NOT_REPORTED = "not_reported", _("Security incident or damage to property not reported to the police")
    NO_ANSWER = "no_answer", _("No answer from the institution responsible 30 days after the incident")


CommunityIncidentFlag = flag_rows(CommunityIncident, CommunityFlagRule, name="CommunityIncidentFlag")


class LanguageAssessment(MunicipalAssessment):
    """A municipality's compliance with the Law on the Use of Languages in one year, by the indicators
    of `INDICATORS_VERSION` (docs/human-rights.md says what each means): signs, documents and assembly
    sessions in both official languages, interpretation and translation, and the municipal office for
    communities and returns."""

    INDICATORS_VERSION = "2026.1"

    indicators_version = models.CharField(
        _("indicators version"), max_length=10, default=INDICATORS_VERSION, editable=False
    )
    signs = percent_field(
        _("signs in both official languages (%)"),
        _("Share of the municipality's street and institutional signs checked that were in both languages."),
    )
    documents = percent_field(
        _("documents in both official languages (%)"),
        _("Share of the municipality's published documents and decisions available in both languages."),
    )
    sessions = percent_field(
        _("assembly sessions with interpretation (%)"),
        _("Share of the municipal assembly's sessions with interpretation into the other official language."),
    )
    website = models.BooleanField(
        _("website in both official languages"),
        null=True,
        blank=True,
        help_text=_("Leave empty while it is not known."),
    )
    translators = models.PositiveSmallIntegerField(
        _("translators and interpreters employed"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    office_for_communities = models.BooleanField(
        _("office for communities and returns functioning"),
        null=True,
        blank=True,
        help_text=_("The municipal office for communities and returns has staff and a budget, and meets the public."),
    )
    complaints = models.PositiveSmallIntegerField(
        _("language complaints filed"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10000)],
        help_text=_("Complaints about the municipality to the Language Commissioner in the year, if known."),
    )
    objects = HumanRightsQuerySet.as_manager()

    class Meta(MunicipalAssessment.Meta):
        verbose_name = _("language-compliance assessment")
        verbose_name_plural = _("language-compliance assessments")
        indexes = record_indexes("lca", date="assessed_on")
