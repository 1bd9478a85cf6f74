"""The shapes every department records, as abstract models its own models subclass: an incident with
the people it concerns and the institutions' response over time, and the rows they are made of.

Each shape keeps its history (every subclass gets its own history table: `HistoricalRecords(inherit=True)`)
and declares the sensitivity most subclasses need. A department's model adds what is its own (its kinds
as choices, its queryset's department, its sensitivity where it differs, a pseudonym) and declares the
rows as parts of its record type (`mission.records.declaration.RecordPart`), so the kit's forms, pages,
services and history handle them:

    class JournalistIncident(IncidentRecord):
        kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
        history_children = ("journalists", "response_steps")
        ...

    class Journalist(PersonRow):
        incident = models.ForeignKey(JournalistIncident, on_delete=models.CASCADE, related_name="journalists")
        outlet = models.CharField(_("media outlet"), max_length=120, blank=True)
        sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Journalist")))
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from mission.api.disclosure import record_key_field
from mission.common import BaseModel
from mission.encryption import EncryptedCharField
from mission.review.models import ReviewedRecord, ReviewLabels
from mission.sensitivity import declare
from mission.validation import past_date_error


def record_indexes(prefix: str, *, date: str = "date", **coded: str) -> list[models.Index]:
    """The indexes a record's pages read by: its list's default order (latest first), its review queue
    (by status, oldest first) and, per coded field its list filters by, that field with the key
    (`kind="kind"`: the field, then the word in the index's name "<prefix>_<word>_idx")."""
    return [
        models.Index(fields=[f"-{date}", "-id"], name=f"{prefix}_date_id_idx"),
        models.Index(fields=["status", date, "id"], name=f"{prefix}_queue_idx"),
        *(models.Index(fields=[field, "id"], name=f"{prefix}_{word}_idx") for field, word in coded.items()),
    ]


def happened(**dates: datetime.date | None) -> None:
    """Refuse, on its field, a date of something that has happened which lies in the future or before
    the mission's records start."""
    errors = {name: error for name, value in dates.items() if (error := past_date_error(value))}
    if errors:
        raise ValidationError(errors)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not known")


class AgeBand(models.TextChoices):
    UNDER_14 = "under_14", _("Under 14")
    AGE_14_17 = "14_17", _("14–17")
    AGE_18_25 = "18_25", _("18–25")
    AGE_26_40 = "26_40", _("26–40")
    AGE_41_60 = "41_60", _("41–60")
    OVER_60 = "over_60", _("Over 60")
    UNKNOWN = "unknown", _("Not known")


def percent_field(label: StrOrPromise, help_text: StrOrPromise) -> models.FloatField[Any, Any]:
    """A share in per cent, 0 to 100, empty while not known (a number in the API, as partners' tools
    expect): an assessment's indicator."""
    return models.FloatField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


def community_field(**extra: Any) -> models.ForeignKey[Any, Any]:
    """The community of a person or of the people a row counts (empty: not known, unless `extra` says
    `null=False, blank=False`)."""
    options: dict[str, Any] = {"null": True, "blank": True, "related_name": "+", "verbose_name": _("community")}
    return models.ForeignKey("field_offices.Community", on_delete=models.PROTECT, **(options | extra))


class PersonRow(BaseModel):
    """A person a record concerns (a journalist attacked, a victim, a participant): a restricted name,
    sex and community for the figures, and `ordinal`, the person's number on the record, which the
    pseudonym reads ("Journalist B"). The subclass adds its foreign key to the record and declares
    `sensitivity` with the name restricted and a `Pseudonym(label=…)`."""

    ordinal = models.PositiveSmallIntegerField(_("number"), default=0, editable=False)
    name = EncryptedCharField(
        _("name"), max_length=200, blank=True, help_text=_("Restricted: shown to the department only.")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    community = community_field()
    # Feeds the perturbation of partners' counts of people (mission.api.disclosure); history leaves it out.
    record_key = record_key_field()
    history = HistoricalRecords(inherit=True, excluded_fields=["record_key"])  # each subclass's own table

    class Meta:
        abstract = True
        ordering = ["ordinal", "pk"]

    def __str__(self) -> str:
        from mission.sensitivity import declaration

        pseudonym = declaration(type(self)).pseudonym
        return pseudonym.of(self) if pseudonym else f"{self._meta.verbose_name} {self.ordinal}"

    def conflict_label(self) -> str:
        """What a history entry or an edit conflict calls the row: its pseudonym, never the name."""
        return str(self)


class ResponseStepRow(BaseModel):
    """One dated step of the response to an incident: what an institution did (the police opened a
    case, a prosecutor charged) or what the mission did (a statement, a meeting). The subclass adds its
    foreign key to the record and `step`, a choice of its `Step` list, and lists its institutions'
    steps in `INSTITUTIONAL`."""

    date = models.DateField(_("date"))
    note = models.TextField(
        _("note"), blank=True, help_text=_("What happened, with the reference of a document if any.")
    )
    history = HistoricalRecords(inherit=True)
    sensitivity = declare(internal=["note"])

    step: str

    class Meta:
        abstract = True
        ordering = ["date", "pk"]

    def clean(self) -> None:
        super().clean()
        happened(date=self.date)
        began = self._record_date()
        if self.date and began and self.date < began:
            raise ValidationError(
                {"date": _("A step cannot come before the record's date (%(day)s).") % {"day": began}}
            )

    def _record_date(self) -> datetime.date | None:
        """The date of the record this step answers (its foreign key's record's `date`), if known."""
        for field in self._meta.concrete_fields:
            if field.many_to_one and issubclass(field.related_model, ReviewedRecord):  # type: ignore[arg-type]
                record = getattr(self, field.name, None) if getattr(self, field.attname, None) else None
                day = getattr(record, "date", None)
                return day if isinstance(day, datetime.date) else None
        return None

    def __str__(self) -> str:
        label = getattr(self, "get_step_display", lambda: "")()
        return f"{label}, {self.date:%Y-%m-%d}" if self.date else str(label)

    def conflict_label(self) -> str:
        return str(self)


def response_steps(
    record: type[ReviewedRecord],
    steps: type[models.TextChoices],
    *,
    name: str,
    institutional: tuple[str, ...],
    verbose_name_plural: Any,
    doc: str = "",
    link: str = "incident",
) -> type[ResponseStepRow]:
    """A department's response steps of `record`, its `steps` the choices of `step` (and the class's
    `Step`), `institutional` those an institution takes: assign it to a module-level name of the
    department's `models.py`, as its class would be,

        ResponseStep = response_steps(JournalistIncident, JournalistResponse, name="ResponseStep", ...)

    The rows point to the record by `link` (related name "response_steps")."""
    label = record._meta.app_label
    meta = type(
        "Meta",
        (ResponseStepRow.Meta,),
        {"app_label": label, "verbose_name": _("response step"), "verbose_name_plural": verbose_name_plural},
    )
    attributes: dict[str, Any] = {
        "__module__": f"{label}.models",
        "__doc__": doc or f"A step of the response to a {record._meta.verbose_name}.",
        "Step": steps,
        "INSTITUTIONAL": institutional,
        link: models.ForeignKey(record, on_delete=models.CASCADE, related_name="response_steps"),
        "step": models.CharField(_("step"), max_length=20, choices=steps.choices),
        "Meta": meta,
    }
    return type(name, (ResponseStepRow,), attributes)


class MonitoredRecord(ReviewedRecord):
    """What a monitor records and follows: where (its municipality), what the monitor knows of it
    (internal), and who (its `monitor`, internal). The subclass names its `date` and its kinds."""

    author_field = "monitor"

    municipality = models.ForeignKey(
        "field_offices.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What happened, as the monitor learned it. Internal: never published."),
    )
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("monitor")
    )
    # Feeds the perturbation of partners' counts (mission.api.disclosure); history leaves it out.
    record_key = record_key_field()
    history = HistoricalRecords(inherit=True, excluded_fields=["record_key"])
    sensitivity = declare(internal=["description", "monitor", "submitted_at"])

    date: models.DateField[Any, Any]

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    def clean(self) -> None:
        super().clean()
        happened(date=self.date)


class IncidentRecord(MonitoredRecord):
    """An incident a monitor logs: when and where it happened, whether it was reported to the police
    (not known until someone finds out), and what the monitor knows of it (internal). The people it
    concerns and the response to it are parts of the record (`PersonRow`, `ResponseStepRow`). The
    subclass adds its kinds; the description and the monitor are internal unless it says otherwise."""

    date = models.DateField(_("date of the incident"))
    reported_to_police = models.BooleanField(
        _("reported to the police"), null=True, blank=True, help_text=_("Leave empty while it is not known.")
    )

    class Meta(MonitoredRecord.Meta):
        abstract = True

    def __str__(self) -> str:
        kind = getattr(self, "get_kind_display", lambda: self._meta.verbose_name)()
        return f"{kind}, {self.date:%Y-%m-%d}" if self.date else str(kind)


class FollowedCase(MonitoredRecord):
    """A case the mission follows through the institutions that handle it (a property claim through the
    verification agency, the courts and enforcement; a case of domestic violence through the police,
    the courts and the services): when it began, where, what the monitor knows (internal), and who
    follows it (its `monitor`). The institutions' steps are a part of the record (`response_steps`,
    link "case"); the people it concerns are the subclass's, restricted."""

    date = models.DateField(_("date opened"), help_text=_("The day the case began: the claim, the report."))

    class Meta(MonitoredRecord.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}, {self.date:%Y-%m-%d}" if self.date else str(self._meta.verbose_name)


ACTIVITY_INTERNAL = ("description", "organiser", "submitted_at", "partner_institution", "title")


class ActivityRecord(ReviewedRecord):
    """An activity the mission runs or supports (a training, a traineeship, a forum meeting): when and
    where it took place, with which partner institution, what it was about (internal), and who logged it
    (its `organiser`). Its participants are a part of the record (`ParticipantRow`), counted without
    names outside the department. A subclass that declares its own sensitivity keeps at
    least `ACTIVITY_INTERNAL` internal."""

    author_field = "organiser"

    date = models.DateField(_("date"), help_text=_("The day it took place, or the first day."))
    end_date = models.DateField(_("last day"), null=True, blank=True, help_text=_("Leave empty for one day."))
    municipality = models.ForeignKey(
        "field_offices.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    partner_institution = models.CharField(_("partner institution"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Internal: never published."))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    # Feeds the perturbation of partners' counts (mission.api.disclosure); history leaves it out.
    record_key = record_key_field()
    history = HistoricalRecords(inherit=True, excluded_fields=["record_key"])
    sensitivity = declare(internal=ACTIVITY_INTERNAL)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%Y-%m-%d}" if self.date else str(self.title)

    def clean(self) -> None:
        super().clean()
        happened(date=self.date, end_date=self.end_date)
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The last day cannot be before the first.")})


class AssessmentLabels(ReviewLabels):
    author = _("Assessor")
    created = _("started the assessment")


class MunicipalAssessment(ReviewedRecord):
    """A municipality assessed for one year against a versioned set of indicators (its governance, its
    compliance with the language law): drafted, reviewed and approved like every record, one per
    municipality and year. The subclass adds its indicators (numbers the dashboard may map and trend:
    `RecordType.mapped`, `trend_by="year"`) and `indicators_version` with its version as the default;
    its Meta keeps the constraint (a subclass may name it). The notes and the assessor (its
    `author_field`) are internal."""

    municipality = models.ForeignKey(
        "field_offices.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(
        _("year assessed"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    assessed_on = models.DateField(_("date of the assessment"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Sources and remarks. Internal."))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor")
    )
    # Feeds the perturbation of partners' counts (mission.api.disclosure); history leaves it out.
    record_key = record_key_field()
    history = HistoricalRecords(inherit=True, excluded_fields=["record_key"])
    sensitivity = declare(internal=["notes", "assessor", "submitted_at"])

    author_field = "assessor"
    review_labels = AssessmentLabels()

    class Meta:
        abstract = True
        ordering = ["-year", "-assessed_on", "-pk"]  # the latest year first: what the map shows
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="%(app_label)s_%(class)s_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}, {self.year}"

    def validate_constraints(self, exclude: Any = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError:  # its one constraint: one assessment per municipality and year
            raise ValidationError(
                {"year": _("This municipality has an assessment of this year already: open it instead.")}
            ) from None

    def clean(self) -> None:
        super().clean()
        happened(assessed_on=self.assessed_on)
        if self.year and self.assessed_on and self.year > self.assessed_on.year:
            raise ValidationError({"year": _("A year is assessed once it has begun: not after the assessment's date.")})


class ParticipantRow(PersonRow):
    """A participant of an activity: a person row with an age band."""

    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)

    class Meta(PersonRow.Meta):
        abstract = True


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RecordFlagRow(BaseModel):
    """A flag a rule raised on a record (`mission.records.flags`): open until someone who follows up the
    record closes it with a note; raised once per rule and record. The subclass adds its foreign key to
    the record (`related_name="flags"`), `rule` with its rules' codes as choices, `history` and a
    unique constraint on the record and the rule."""

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

    rule: str

    class Meta:
        abstract = True
        ordering = ["status", "-created_at", "pk"]

    def __str__(self) -> str:
        label = getattr(self, "get_rule_display", lambda: self.rule)()
        return str(label)


def flag_rows(
    record: type[ReviewedRecord],
    rules: type[models.TextChoices],
    *,
    name: str,
    link: str = "incident",
    constraint: str | None = None,
) -> type[RecordFlagRow]:
    """A department's flag rows for `record`, the rules' codes as the `rule` choices: assign it to a
    module-level name of the department's `models.py`, as its class would be,

        IncidentFlag = flag_rows(JournalistIncident, IncidentFlagRule, name="IncidentFlag")

    The rows point to the record by `link` (related name "flags"), keep their history, their closing
    note is internal, and a rule raises one flag per record (`constraint`, by default
    "<app>_<name>_once_per_rule")."""
    from simple_history.models import HistoricalRecords

    from mission.sensitivity import declare

    label = record._meta.app_label
    meta = type(
        "Meta",
        (RecordFlagRow.Meta,),
        {
            "app_label": label,
            "verbose_name": _("flag"),
            "verbose_name_plural": _("flags"),
            "constraints": [
                models.UniqueConstraint(
                    fields=[link, "rule"], name=constraint or f"{label}_{name.lower()}_once_per_rule"
                )
            ],
        },
    )
    attributes: dict[str, Any] = {
        "__module__": f"{label}.models",
        "__doc__": f"A flag the rules of `{label}.flags` raised on a {record._meta.verbose_name}.",
        link: models.ForeignKey(
            record, on_delete=models.PROTECT, related_name="flags", verbose_name=record._meta.verbose_name
        ),
        "rule": models.CharField(_("rule"), max_length=30, choices=rules.choices),
        "history": HistoricalRecords(),
        "sensitivity": declare(internal=["closing_note"]),
        "Meta": meta,
    }
    return type(name, (RecordFlagRow,), attributes)
