"""Democratization's records. Journalists' safety: an incident (the kit's `IncidentRecord`) with the
journalists it concerns and the institutions' and the mission's response, step by step."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from field_offices.models import Institution
from mission.accounts.roles import Department
from mission.common import ReferenceList
from mission.encryption import EncryptedCharField
from mission.records.shapes import (
    ActivityRecord,
    IncidentRecord,
    MunicipalAssessment,
    ParticipantRow,
    PersonRow,
    flag_rows,
    percent_field,
    record_indexes,
    response_steps,
)
from mission.review.models import ReviewedQuerySet, ReviewLabels
from mission.sensitivity import Pseudonym, declare
from mission.trackers.shapes import NationalQuerySet, TrackedItem, status_entries


class DemocratizationQuerySet(ReviewedQuerySet):
    department = Department.DEMOCRATIZATION
    region_lookup = "municipality__region"


class IncidentKind(models.TextChoices):
    """The kinds of incident a monitor picks; each counts in one category of the Council of Europe's
    Platform for the Safety of Journalists and of the SafeJournalists network (`COE_CATEGORY`,
    `SAFEJOURNALISTS_CATEGORY`), so the mission's figures compare with theirs."""

    PHYSICAL_ATTACK = "physical_attack", _("Physical attack")
    THREAT = "threat", _("Threat, including online")
    HARASSMENT = "harassment", _("Harassment")
    OBSTRUCTION = "obstruction", _("Obstruction of work")
    LEGAL_PRESSURE = "legal_pressure", _("Legal pressure, including SLAPP")
    DAMAGE = "damage", _("Damage to property or equipment")
    DETENTION = "detention", _("Detention")


# The categories' codes are those of democratization/data/journalist_safety_incident_kinds.csv (from
# the platforms' own category lists; sources in that folder's README).
COE_CATEGORY = {
    IncidentKind.PHYSICAL_ATTACK: "COE_PHYSICAL",
    IncidentKind.THREAT: "COE_HARASSMENT",
    IncidentKind.HARASSMENT: "COE_HARASSMENT",
    IncidentKind.OBSTRUCTION: "COE_CHILLING",
    IncidentKind.LEGAL_PRESSURE: "COE_CHILLING",
    IncidentKind.DAMAGE: "COE_PHYSICAL",
    IncidentKind.DETENTION: "COE_DETENTION",
}
SAFEJOURNALISTS_CATEGORY = {
    IncidentKind.PHYSICAL_ATTACK: "SJ_ATTACK",
    IncidentKind.THREAT: "SJ_THREAT_LIFE",
    IncidentKind.HARASSMENT: "SJ_OTHER_THREAT",
    IncidentKind.OBSTRUCTION: "SJ_OTHER_THREAT",
    IncidentKind.LEGAL_PRESSURE: "SJ_OTHER_THREAT",
    IncidentKind.DAMAGE: "SJ_ATTACK",
    IncidentKind.DETENTION: "SJ_OTHER_THREAT",
}


class PerpetratorType(models.TextChoices):
    PUBLIC_OFFICIAL = "public_official", _("Public official")
    POLICE = "police", _("Police")
    PRIVATE_PERSON = "private_person", _("Private person")
    UNKNOWN = "unknown", _("Unknown")


class MediaType(models.TextChoices):
    TELEVISION = "television", _("Television")
    RADIO = "radio", _("Radio")
    PRINT = "print", _("Print")
    ONLINE = "online", _("Online")
    NEWS_AGENCY = "news_agency", _("News agency")
    FREELANCE = "freelance", _("Freelance")


class MediaOutlet(ReferenceList):
    """A media outlet, from the reference list (`data/media_outlets.csv`), so counts by outlet add up."""

    media_type = models.CharField(_("type of media"), max_length=20, choices=MediaType.choices)
    languages = models.CharField(
        _("languages"), max_length=20, blank=True, help_text=_("Its main languages, ';' between.")
    )

    class Meta(ReferenceList.Meta):
        verbose_name = _("media outlet")
        verbose_name_plural = _("media outlets")


class IncidentLabels(ReviewLabels):
    author = _("Monitor")
    created = _("logged the incident")


class JournalistIncident(IncidentRecord):
    """An incident against one or more journalists, logged by a monitor and reviewed by a supervisor."""

    review_labels = IncidentLabels()
    history_children = ("journalists", "response_steps")
    conflict_related = ("journalists", "response_steps")  # an edit conflict lists their changes too

    kind = models.CharField(_("kind of incident"), max_length=20, choices=IncidentKind.choices)
    perpetrator_type = models.CharField(
        _("perpetrator"), max_length=20, choices=PerpetratorType.choices, default=PerpetratorType.UNKNOWN
    )

    objects = DemocratizationQuerySet.as_manager()

    class Meta(IncidentRecord.Meta):
        verbose_name = _("journalist safety incident")
        verbose_name_plural = _("journalist safety incidents")
        indexes = record_indexes("jsi", kind="kind", perpetrator_type="perpetrator")

    @property
    def coe_category(self) -> str:
        return COE_CATEGORY[IncidentKind(self.kind)]

    @property
    def safejournalists_category(self) -> str:
        return SAFEJOURNALISTS_CATEGORY[IncidentKind(self.kind)]


class Journalist(PersonRow):
    """A journalist an incident concerns: the name restricted, the rest counted."""

    incident = models.ForeignKey(JournalistIncident, on_delete=models.CASCADE, related_name="journalists")
    outlet = models.ForeignKey(
        MediaOutlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("media outlet"),
        help_text=_("Restricted: with the sex and community, the outlet may identify the journalist."),
    )
    outlet_other = EncryptedCharField(
        _("other outlet"), max_length=120, blank=True, help_text=_("An outlet that is not in the list.")
    )
    media_type = models.CharField(_("type of media"), max_length=20, choices=MediaType.choices, blank=True)
    sensitivity = declare(restricted=["name", "outlet", "outlet_other"], pseudonym=Pseudonym(label=_("Journalist")))

    def clean(self) -> None:
        super().clean()
        if self.outlet_id and self.outlet_other.strip():
            raise ValidationError({"outlet_other": _("Pick the outlet from the list or type another one, not both.")})

    class Meta(PersonRow.Meta):
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")


class JournalistResponse(models.TextChoices):
    POLICE_CASE = "police_case", _("Police opened a case")
    SUSPECT_IDENTIFIED = "suspect_identified", _("Suspect identified")
    CHARGED = "charged", _("Charges filed")
    JUDGMENT = "judgment", _("Judgment")
    MISSION_STATEMENT = "mission_statement", _("Mission: public statement")
    MISSION_MEETING = "mission_meeting", _("Mission: meeting with the authorities")
    MISSION_REFERRAL = "mission_referral", _("Mission: referral")


ResponseStep = response_steps(
    JournalistIncident,
    JournalistResponse,
    name="ResponseStep",
    institutional=("police_case", "suspect_identified", "charged", "judgment"),
    verbose_name_plural=_("response to the incident"),
    doc="A step of the response to an incident, by an institution or by the mission.",
)


class IncidentFlagRule(models.TextChoices):
    NO_POLICE_CASE = "no_police_case", _("No police case 30 days after an incident reported to the police")
    TARGETED_AGAIN = "targeted_again", _("A journalist already targeted this year")


IncidentFlag = flag_rows(
    JournalistIncident, IncidentFlagRule, name="IncidentFlag", constraint="incident_flag_once_per_rule"
)


class ActivityKind(models.TextChoices):
    TRAINEESHIP = "traineeship", _("Traineeship")
    VOLUNTEER = "volunteer", _("Volunteer programme")
    DIALOGUE_ACADEMY = "dialogue_academy", _("Dialogue Academy for Young Women session")
    WOMENS_CAUCUS = "womens_caucus", _("Women's caucus meeting")
    TRAINING = "training", _("Training")
    ASSEMBLY_OVERSIGHT = "assembly_oversight", _("Assembly oversight support")
    JUSTICE_FORUM = "justice_forum", _("Justice Transparency Forum event")


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINEE = "trainee", _("Trainee")
    VOLUNTEER = "volunteer", _("Volunteer")
    SPEAKER = "speaker", _("Speaker or trainer")


class ParticipantOutcome(models.TextChoices):
    EMPLOYED = "employed", _("Employed after the traineeship")
    ELECTED = "elected", _("Elected")
    NOMINATED = "nominated", _("Nominated or appointed")


class ActivityLabels(ReviewLabels):
    author = _("Organiser")
    created = _("logged the activity")


class ParticipationActivity(ActivityRecord):
    """An activity of the participation programmes (traineeships, volunteers, the Dialogue Academy,
    women's caucuses, trainings, Assembly oversight, the Justice Transparency Forum)."""

    review_labels = ActivityLabels()
    history_children = ("participants",)
    conflict_related = ("participants",)

    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)

    objects = DemocratizationQuerySet.as_manager()

    class Meta(ActivityRecord.Meta):
        verbose_name = _("participation activity")
        verbose_name_plural = _("participation activities")
        indexes = [
            models.Index(fields=["-date", "-id"], name="activity_date_id_idx"),
            models.Index(fields=["status", "date", "id"], name="activity_queue_idx"),
            models.Index(fields=["kind", "id"], name="activity_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.date:%Y-%m-%d}"


class Participant(ParticipantRow):
    """A participant of an activity: the name restricted; sex, age band, community, role and outcome
    counted."""

    activity = models.ForeignKey(ParticipationActivity, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=ParticipantOutcome.choices,
        blank=True,
        help_text=_("Where known: a trainee employed, a participant elected or nominated."),
    )
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Participant")))

    class Meta(ParticipantRow.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")


class SourceBody(models.TextChoices):
    EU_EOM = "eu_eom", _("EU Election Observation Mission")
    UK_EXPERTS = "uk_experts", _("UK electoral expert mission")
    ODIHR = "odihr", _("OSCE/ODIHR")


class RecommendationSource(ReferenceList):
    """A final report whose recommendations the tracker follows (`data/recommendation_sources.csv`)."""

    body = models.CharField(_("observed by"), max_length=20, choices=SourceBody.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1999), MaxValueValidator(2100)], help_text=_("Of the report.")
    )
    election_date = models.DateField(_("election day"), null=True, blank=True)

    class Meta(ReferenceList.Meta):
        ordering = ["-year", "-election_date", "code"]
        verbose_name = _("recommendation source")
        verbose_name_plural = _("recommendation sources")


def _addressees() -> models.Q:
    return models.Q(departments__regex=r"(^|;)democratization(;|$)")


class RecommendationPriority(models.TextChoices):
    PRIORITY = "priority", _("Priority")
    OTHER = "other", _("Other")


class ElectionArea(models.TextChoices):
    """The headings of the observers' final reports (democratization/data/election_recommendation_areas.csv)."""

    LEGAL_FRAMEWORK = "legal_framework", _("Legal framework")
    ELECTION_ADMIN = "election_admin", _("Election administration")
    VOTER_REG = "voter_reg", _("Voter registration")
    CANDIDATE_REG = "candidate_reg", _("Candidate registration")
    CAMPAIGN = "campaign", _("Election campaign")
    CAMPAIGN_FINANCE = "campaign_finance", _("Campaign finance")
    MEDIA = "media", _("Media")
    COMPLAINTS_APPEALS = "complaints_appeals", _("Complaints and appeals")
    OBSERVERS = "observers", _("Citizen and international observers")
    ELECTION_DAY = "election_day", _("Election day (voting, counting and tabulation)")
    OCV = "ocv", _("Out-of-country voting")
    WOMEN = "women", _("Participation of women")
    COMMUNITIES = "communities", _("Participation of communities (national minorities)")
    PWD = "pwd", _("Participation of persons with disabilities")


class RecommendationStatus(models.TextChoices):
    NOT_ADDRESSED = "not_addressed", _("Not addressed")
    PARTIALLY = "partially", _("Partially implemented")
    FULLY = "fully", _("Fully implemented")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("No longer relevant")


class RecommendationQuerySet(NationalQuerySet):
    department = Department.DEMOCRATIZATION


class Recommendation(TrackedItem):
    """An electoral recommendation of an observation or expert mission, followed until it is
    implemented: who made it when, in which area, who must act, and how far it has come."""

    arises_in = "source.year"  # a status from that year on
    duplicate = ("number", _("This report's recommendation with this number is in the tracker already."))

    source = models.ForeignKey(
        RecommendationSource,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source"),
        help_text=_("The report that makes the recommendation."),
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("As the report numbers it."))
    priority = models.CharField(
        _("priority"), max_length=10, choices=RecommendationPriority.choices, default=RecommendationPriority.OTHER
    )
    area = models.CharField(_("area"), max_length=20, choices=ElectionArea.choices)
    addressee = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=_addressees,
        verbose_name=_("addressee"),
        help_text=_("The institution that must act."),
    )
    text = models.TextField(_("recommendation"), help_text=_("As the report words it."))
    current_status = models.CharField(_("status now"), max_length=20, choices=RecommendationStatus.choices, blank=True)
    history = HistoricalRecords()
    # The words are the report's: partners find them there, by source, year and number.
    sensitivity = declare(internal=["created_by", "text"])

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-source__year", "source__code", "number"]
        verbose_name = _("election recommendation")
        verbose_name_plural = _("election recommendations")
        constraints = [models.UniqueConstraint(fields=["source", "number"], name="recommendation_once_per_source")]

    def __str__(self) -> str:
        return f"{self.source}, {self.number}"


RecommendationStatusEntry = status_entries(
    Recommendation,
    RecommendationStatus,
    name="RecommendationStatusEntry",
    verbose_name=_("status of a recommendation"),
    item_label=_("recommendation"),
)


class AuditOpinion(models.TextChoices):
    """The National Audit Office's opinion on the municipality's annual financial statements."""

    UNMODIFIED = "unmodified", _("Unmodified (clean)")
    QUALIFIED = "qualified", _("Qualified (with reservations)")
    ADVERSE = "adverse", _("Adverse")
    DISCLAIMER = "disclaimer", _("Disclaimer of opinion")
    NOT_YET = "not_yet", _("Not issued yet")


class GovernanceAssessment(MunicipalAssessment):
    """A municipality's governance in one year, by the indicators of `INDICATORS_VERSION`: financial
    management, human resources, performance management and public participation. Drafted by a
    monitor of the region, reviewed and approved like every record; one per municipality and year."""

    INDICATORS_VERSION = "2026.1"  # docs/democratization.md says what each indicator means in it

    indicators_version = models.CharField(
        _("indicators version"), max_length=10, default=INDICATORS_VERSION, editable=False
    )
    budget_execution = percent_field(_("budget execution (%)"), _("Share of the final budget the municipality spent."))
    own_source_revenue = percent_field(
        _("own-source revenue (%)"), _("Share of the revenue from the municipality's own sources.")
    )
    audit_opinion = models.CharField(
        _("audit opinion"), max_length=12, choices=AuditOpinion.choices, default=AuditOpinion.NOT_YET
    )
    women_senior_posts = percent_field(
        _("women in senior posts (%)"), _("Share of the senior civil-service posts held by women.")
    )
    non_majority_senior_posts = percent_field(
        _("non-majority communities in senior posts (%)"),
        _("Share of the senior posts held by members of non-majority communities."),
    )
    performance_report = models.BooleanField(
        _("performance report published"), null=True, blank=True, help_text=_("Leave empty while it is not known.")
    )
    public_meetings_held = models.PositiveSmallIntegerField(_("public meetings held"), null=True, blank=True)
    public_meetings_required = models.PositiveSmallIntegerField(
        _("public meetings the law requires"),
        default=2,
        help_text=_("The legal minimum: at least two a year (Law on Local Self-Government)."),
    )
    budget_hearings_held = models.PositiveSmallIntegerField(_("budget hearings held"), null=True, blank=True)
    decisions_published = percent_field(_("decisions published (%)"), _("Share of the assembly's decisions published."))
    objects = DemocratizationQuerySet.as_manager()

    class Meta(MunicipalAssessment.Meta):
        verbose_name = _("municipal governance assessment")
        verbose_name_plural = _("municipal governance assessments")
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="assessment_once_per_year")]
        indexes = [
            models.Index(fields=["-assessed_on", "-id"], name="assessment_date_id_idx"),
            models.Index(fields=["status", "assessed_on", "id"], name="assessment_queue_idx"),
        ]
