"""Security & Public Safety's records. Hate-crime response: an incident (the kit's `IncidentRecord`)
with its victims and the police's and the mission's response, step by step, assessed against what a
hate-crime investigation needs (the bias recorded, indicators documented, an investigation, charges
with the bias motive). Trainings: an activity (the kit's `ActivityRecord`) for a law-enforcement
agency on a topic, with its trainees' test scores before and after and their evaluation of the
course."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from field_offices.models import Institution
from mission.accounts.roles import Department
from mission.api.disclosure import record_key_field
from mission.common import BaseModel, LocalizedNameModel
from mission.records.shapes import (
    ActivityRecord,
    AgeBand,
    IncidentRecord,
    ParticipantRow,
    PersonRow,
    ResponseStepRow,
    flag_rows,
    record_indexes,
)
from mission.review.models import ReviewedQuerySet, ReviewLabels
from mission.sensitivity import Pseudonym, declare
from mission.trackers.shapes import NationalQuerySet, TrackedItem, status_entries


class PublicSafetyQuerySet(ReviewedQuerySet):
    department = Department.PUBLIC_SAFETY
    region_lookup = "municipality__region"


class BiasMotivation(LocalizedNameModel, BaseModel):
    """A bias motivation of OSCE/ODIHR's hate-crime reporting (`data/bias_motivations.csv`)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
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
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(internal=["description", "monitor", "submitted_at"])

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
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Victim")))

    class Meta(PersonRow.Meta):
        verbose_name = _("victim")
        verbose_name_plural = _("victims")


class HateCrimeStep(ResponseStepRow):
    """A step of the response to a hate crime: what the police, prosecution and courts did, where it
    was referred, and what the mission did."""

    class Step(models.TextChoices):
        RECORDED = "recorded", _("Police recorded it as a hate crime")
        INDICATORS = "indicators", _("Police documented bias indicators")
        INVESTIGATION = "investigation", _("Investigation opened")
        CHARGED = "charged", _("Charged with the bias motive")
        JUDGMENT = "judgment", _("Judgment")
        OMBUDSPERSON = "ombudsperson", _("Referred to the Ombudsperson")
        INSPECTORATE = "inspectorate", _("Referred to the Police Inspectorate")
        MISSION_MEETING = "mission_meeting", _("Mission: meeting with the police")
        MISSION_STATEMENT = "mission_statement", _("Mission: public statement")

    INSTITUTIONAL = ("recorded", "indicators", "investigation", "charged", "judgment", "ombudsperson", "inspectorate")

    incident = models.ForeignKey(HateCrimeIncident, on_delete=models.CASCADE, related_name="response_steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    history = HistoricalRecords()
    sensitivity = declare(internal=["note"])

    class Meta(ResponseStepRow.Meta):
        verbose_name = _("response step")
        verbose_name_plural = _("police response")


class HateCrimeFlagRule(models.TextChoices):
    BIAS_NOT_RECORDED = "bias_not_recorded", _("Bias indicators documented, but not recorded as a hate crime")
    NO_INVESTIGATION = "no_investigation", _("No investigation 30 days after an incident reported to the police")


HateCrimeFlag = flag_rows(HateCrimeIncident, HateCrimeFlagRule, name="HateCrimeFlag")


class TrainingTopic(LocalizedNameModel, BaseModel):
    """A topic of the department's capacity building (`data/training_topics.csv`)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")


def _agencies() -> models.Q:
    """The law-enforcement agencies of the shared list of institutions."""
    return models.Q(departments__regex=r"(^|;)public_safety(;|$)", kind="police_security")


class TrainingLabels(ReviewLabels):
    author = _("Organiser")
    created = _("logged the training")


class Training(ActivityRecord):
    """A course for a law-enforcement agency on one topic: who was trained, how much they learned (the
    test before and after) and what they thought of it."""

    author_field = "organiser"
    review_labels = TrainingLabels()
    history_children = ("trainees",)
    conflict_related = ("trainees",)

    topic = models.ForeignKey(TrainingTopic, on_delete=models.PROTECT, related_name="+", verbose_name=_("topic"))
    agency = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=_agencies,
        verbose_name=_("agency"),
        help_text=_("The agency the course is for."),
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True, help_text=_("The unit or directorate, if one."))
    trainers = models.CharField(
        _("trainers"), max_length=300, blank=True, help_text=_("Who taught it. Internal: never published.")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    record_key = record_key_field()
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(
        internal=["description", "organiser", "submitted_at", "partner_institution", "title", "trainers", "unit"]
    )

    objects = PublicSafetyQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = record_indexes("training", topic="topic", agency="agency")

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%Y-%m-%d}" if self.date else str(self.title)


class Rank(models.TextChoices):
    """The ranks of the Kosovo Police, and who else a course may train."""

    OFFICER = "officer", _("Police officer")
    SERGEANT = "sergeant", _("Sergeant")
    LIEUTENANT = "lieutenant", _("Lieutenant")
    CAPTAIN = "captain", _("Captain")
    MAJOR = "major", _("Major")
    LT_COLONEL = "lt_colonel", _("Lieutenant colonel")
    COLONEL = "colonel", _("Colonel")
    GENERAL = "general", _("General")
    CIVILIAN = "civilian", _("Civilian staff")
    OTHER = "other", _("Other (not police)")


def _score(label: Any, help_text: Any) -> "models.PositiveSmallIntegerField[Any, Any]":
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(100)], help_text=help_text
    )


class Trainee(ParticipantRow):
    """A trainee of a course: the name restricted; sex, age band, community, rank and agency counted;
    the scores of the test before and after the course (0 to 100) and the trainee's evaluation of it
    (1 to 5), whose means the dashboard shows by topic and agency."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="trainees")
    rank = models.CharField(_("rank"), max_length=12, choices=Rank.choices, default=Rank.OFFICER)
    agency = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_agencies,
        verbose_name=_("agency"),
        help_text=_("Leave empty for the course's agency."),
    )
    pre_score = _score(_("test before (0–100)"), _("The score of the test before the course."))
    post_score = _score(_("test after (0–100)"), _("The score of the same test after the course."))
    gain = models.SmallIntegerField(_("knowledge gain (points)"), null=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("evaluation (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The trainee's evaluation of the course: 1 very poor, 5 excellent."),
    )
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Trainee")))

    class Meta(ParticipantRow.Meta):
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")

    def clean(self) -> None:
        super().clean()
        if self.post_score is not None and self.pre_score is None:
            raise ValidationError({"pre_score": _("Give the score before the course too, or neither.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.agency_id is None and self.training_id is not None:
            self.agency_id = self.training.agency_id  # counted with the course's agency
        both = self.pre_score is not None and self.post_score is not None
        self.gain = self.post_score - self.pre_score if both else None
        super().save(*args, **kwargs)


class StrategyArea(models.TextChoices):
    COMMUNITY_POLICING = "community_policing", _("Community policing")
    ORGANISED_CRIME = "organised_crime", _("Organised crime")
    VIOLENT_EXTREMISM = "violent_extremism", _("Violent extremism")
    CYBERCRIME = "cybercrime", _("Cybercrime")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")


class Strategy(LocalizedNameModel, BaseModel):
    """A government strategy whose action plan the department follows (`data/strategies.csv`)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    area = models.CharField(_("area"), max_length=20, choices=StrategyArea.choices)
    first_year = models.PositiveSmallIntegerField(
        _("from"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    last_year = models.PositiveSmallIntegerField(_("to"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year", "name_en"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def clean(self) -> None:
        super().clean()
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("A strategy cannot end before it begins.")})


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped from the plan")


class ActionQuerySet(NationalQuerySet):
    department = Department.PUBLIC_SAFETY


def _responsible() -> models.Q:
    return models.Q(departments__regex=r"(^|;)public_safety(;|$)")


class ActionItem(TrackedItem):
    """An action of a strategy's action plan, followed until it is completed: who must do it by when,
    and how far it has come."""

    arises_in = "strategy.first_year"  # a status from that year on
    duplicate = ("number", _("This strategy's action with this number is tracked already."))

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+", verbose_name=_("strategy"))
    objective = models.PositiveSmallIntegerField(
        _("objective"), help_text=_("The number of the plan's objective the action serves (2 in 2.5).")
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("The action's number under it (5 in 2.5)."))
    text = models.TextField(_("action"), help_text=_("As the action plan words it."))
    responsible = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=_responsible,
        verbose_name=_("responsible institution"),
    )
    deadline = models.DateField(_("deadline"))
    current_status = models.CharField(_("status now"), max_length=20, choices=ActionStatus.choices, blank=True)
    history = HistoricalRecords()
    # The words are the action plan's: partners find them there, by the strategy and the numbers.
    sensitivity = declare(internal=["created_by", "text"])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["strategy__code", "objective", "number"]
        verbose_name = _("action of an action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "objective", "number"], name="action_once_per_strategy")
        ]

    def __str__(self) -> str:
        return f"{self.strategy.code if self.strategy_id else ''} {self.objective}.{self.number}".strip()


ActionStatusEntry = status_entries(
    ActionItem, ActionStatus, name="ActionStatusEntry", verbose_name=_("status of an action"), item_label=_("action")
)
