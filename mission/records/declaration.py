"""What a department says about one kind of reviewed record; everything else is worked out from the
model (its verbose names, its fields' labels, choices and sensitivity, its queryset's scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from mission.review.models import ReviewedRecord


@dataclass(frozen=True)
class RecordPart:
    """Rows that belong to one record and are written with it on the record's form: the journalists
    of an incident, the steps of the institutional response, the participants of an activity, e.g.

        RecordPart(model="democratization.Journalist", fields=("name", "sex", "community", "outlet"))

    The model has one foreign key to the record's model (its `related_name` names the rows on the
    record, and the record's `history_children` lists it so its history shows the rows' changes), an
    `ordinal` (a row's number among the record's rows, for its pseudonym), its sensitivity declared
    (restricted values: the record's readers of restricted values only, every view logged; a pseudonym
    stands in for the others), and `django-simple-history`'s `history`. `mission.records.shapes` has
    the abstract rows every department shares."""

    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]  # what the author fills in per row, in the order of the form and the table
    extra: int = 2  # empty rows each form offers (save, then edit again, for more)
    max_rows: int = 100
    min_rows: int = 0  # rows the record needs before it goes to review (a draft may have fewer)
    counted_by: tuple[str, ...] = ()  # coded fields the department's dashboard counts the rows by
    # Whole-number fields whose mean the dashboard shows (a trainee's knowledge gain), over all the
    # rows and by each of the record type's `aggregate_by` fields (per topic, per agency).
    averaged: tuple[str, ...] = ()
    # Whole-number fields whose totals the dashboard shows (the women and the men attending a meeting,
    # the issues resolved), over all the rows and by each of the part's `counted_by` fields.
    summed: tuple[str, ...] = ()
    # Its rows are tallies (how many women and men of one community attended), not things: the
    # dashboard adds up their `summed` fields and never counts the rows themselves.
    tally: bool = False
    # The fields that name a row in a spreadsheet (a participant's name): with them, the record's author
    # imports its rows from a file (a sign-in sheet) onto a draft or returned record, a row of that
    # name updated in place (`mission.records.imports`).
    import_key: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The model's name in lower case ("journalist"): the prefix of its rows on the form."""
        return self.model.rsplit(".", 1)[1].lower()

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def link(self) -> str:
        """The row's foreign key to its record."""
        keys = [f for f in self.get_model()._meta.concrete_fields if f.many_to_one]
        owners = [f for f in keys if f.name not in self.fields]
        if len(owners) != 1:
            raise ImproperlyConfigured(f"{self.model} needs one foreign key to its record that is not a field.")
        return owners[0].name

    def related_name(self) -> str:
        """The rows' manager on the record ("journalists")."""
        name: str = self.get_model()._meta.get_field(self.link()).remote_field.get_accessor_name()  # type: ignore[union-attr,assignment]
        return name


@dataclass(frozen=True)
class StepDeadline:
    """A deadline between two steps of a record's response (a `ResponseStepRow` part), e.g. the court
    deciding an emergency protection order within a day of its request:

        StepDeadline(_("Emergency protection orders"), "emergency_requested", ("emergency_decided",),
                     days="GBV_EMERGENCY_ORDER_DAYS")

    The department's dashboard shows, of the approved records of the period that reached `started`,
    how many reached one of `ended` in time (days from the first `started` step to the first `ended`
    one), late, or not yet (within the deadline or past it, on the day read): kept in the record
    summary (`mission.records.deadlines`), so it costs the same at any number of records."""

    label: StrOrPromise  # what is measured ("Emergency protection orders")
    started: str  # the step that starts the clock
    ended: tuple[str, ...]  # the steps that stop it (an order issued or refused)
    days: int | str  # the deadline in days, or the name of the setting that holds it

    @property
    def limit(self) -> int:
        """The deadline in days (read from the settings each time, when it names one)."""
        return int(getattr(settings, self.days)) if isinstance(self.days, str) else self.days


@dataclass(frozen=True)
class RecordType:
    """One kind of reviewed record, e.g.

        RecordType(
            model="incidents.Incident",
            path="incidents",
            fields=("date", "municipality", "category", "victim_name", "description"),
            list_columns=("date", "municipality", "category"),
            filters=("category",),
            search=("description",),
            date_field="date",
            dataset="incidents",
            aggregate_by=("category",),
        )

    The model is a `mission.review.models.ReviewedRecord` with a foreign key `municipality` (its
    queryset's `region_lookup` is "municipality__region"), a department on its queryset, and its
    sensitivity declared (`mission.sensitivity`): restricted fields are shown to readers of restricted
    values only, every such view logged; internal ones never reach partners."""

    model: str  # "app_label.ModelName"
    path: str  # the URL segment of its pages and API list ("incidents")
    fields: tuple[str, ...]  # what the author fills in, in the order of the form and the detail page
    list_columns: tuple[str, ...]  # the list page's and the CSV's columns, after the status
    filters: tuple[str, ...] = ()  # fields with choices (or foreign keys) the list filters by
    search: tuple[str, ...] = ()  # text fields the list's search looks in (restricted ones: exact match)
    date_field: str | None = None  # the record's date: list order, period filters, months of aggregates
    dataset: str = ""  # the API dataset (declared on the department) of its list and aggregates
    aggregate_by: tuple[str, ...] = ()  # coded fields the aggregates endpoint groups by
    parts: tuple[RecordPart, ...] = ()  # rows written with the record on its form (`RecordPart`)
    # Dotted path of the department's `mission.records.flags.FlagRule`s; the model then has flag rows
    # (`mission.records.shapes.RecordFlagRow`, related name "flags").
    flag_rules: str | None = None
    # Steps of the response part (a `ResponseStepRow` part) the department's dashboard measures from
    # the record's date: the share of records with the step, the median days to it.
    response_measured: tuple[str, ...] = ()
    # Deadlines between two of those steps (`StepDeadline`) that its dashboard measures.
    deadlines: tuple[StepDeadline, ...] = ()
    # Numeric fields the department's dashboard maps by municipality (one chosen at a time): the value
    # of each municipality's latest approved record of the period.
    mapped: tuple[str, ...] = ()
    # The record's year (a whole-number field, "year"): the dashboard draws each mapped field's trend
    # in one municipality by it. Without it, the year of the record's date.
    trend_by: str | None = None
    # Its counts are so sensitive (cases of gender-based violence) that no count under the disclosure
    # threshold (API_SMALL_CELL_THRESHOLD) is shown to anyone, staff included: not on the dashboards,
    # the overview, a municipality's page, the results report, nor in the API's aggregates.
    sensitive_counts: bool = False
    # Fields whose value another app finds its records by (field, kind of `mission.references`): the
    # detail page links to them ("court_case" → trial monitoring's case of that number).
    references: tuple[tuple[str, str], ...] = ()
    # The fields that name one record in a spreadsheet (a municipality and a year): with them, its
    # authors import drafts from a file and update their own drafts in place (`mission.records.imports`).
    import_key: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The model's name in lower case ("incident"): the stem of URL names (`incident_list`)."""
        return self.model.rsplit(".", 1)[1].lower()

    def get_model(self) -> type[ReviewedRecord]:
        return apps.get_model(self.model)

    def url_name(self, page: str) -> str:
        """The name of one of its pages within the department's namespace: list, export, create,
        detail, edit, correct, review, queue."""
        return f"{self.name}_{page}"


def record_type_of(model: type[models.Model]) -> RecordType | None:
    """The declared record type of `model`, from the installed departments (None if it has none)."""
    from mission import departments

    label = model._meta.label
    for config in departments.all():
        for record_type in config.records:
            if record_type.model == label:
                return record_type
    return None
