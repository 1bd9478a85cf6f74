"""List filters for cases, hearings and observations (django-filter). One base class knows the way from
each list's rows to their case, so the shared filters are written once."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, F, OrderBy, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from field_offices.models import Municipality, Region
from mission.accounts.models import User
from mission.filtersets import FilterSet
from mission.forms import kept_filter_form
from mission.review.selectors import review_queue
from rights.models import (
    CaseCategory,
    Court,
    CourtDepartment,
    FairTrialStandard,
    Flag,
    Hearing,
    HearingType,
    Observation,
    ObservationStatus,
    Rating,
    StandardRating,
)

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
DATE = forms.DateInput(attrs={"type": "date"})


class CaseScopeFilterSet(FilterSet):
    """Where and when: the filters that pages and API share. `case_path` leads from the listed rows to
    their case ("", "case__" or "hearing__case__"); subclasses say what the period applies to."""

    case_path = ""
    period_lookup: str | None = None  # the hearing date of the rows; None for cases

    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_on_case",
        field_name="municipality__region",
        empty_label=_("All regions"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name_en"),
        to_field_name="code",
        method="filter_on_case",
        field_name="municipality",
        empty_label=_("All municipalities"),
    )
    court = django_filters.ModelChoiceFilter(
        label=_("Court"),
        queryset=Court.objects.all(),
        to_field_name="code",
        method="filter_on_case",
        field_name="court",
        empty_label=_("All courts"),
    )
    court_department = django_filters.ChoiceFilter(
        label=_("Court department"),
        choices=CourtDepartment.choices,
        method="filter_on_case",
        field_name="court_department",
        empty_label=_("All departments"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=CaseCategory.choices,
        method="filter_on_case",
        field_name="category",
        empty_label=_("All categories"),
    )
    date_from = django_filters.DateFilter(label=_("From"), method="filter_period", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), method="filter_period", widget=DATE)

    def filter_on_case(self, queryset, name, value):
        return queryset.filter(**{f"{self.case_path}{name}": value})

    def filter_period(self, queryset, name, value):
        # Both bounds are applied together in `filter_queryset`: for a case, the same hearing must lie
        # after `date_from` and before `date_to`, which two separate conditions do not ensure.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        bounds = {op: data[name] for name, op in (("date_from", "gte"), ("date_to", "lte")) if data.get(name)}
        return self.in_period(queryset, bounds) if bounds else queryset

    def in_period(self, queryset, bounds: dict[str, datetime.date]):
        """The rows whose date lies within `bounds` ({"gte": first, "lte": last}, either optional)."""
        if self.period_lookup is None:  # a case is in the period when one of its hearings is
            hearings = Hearing.objects.filter(case=OuterRef("pk"), **{f"date__{op}": day for op, day in bounds.items()})
            return queryset.filter(Exists(hearings))
        return queryset.filter(**{f"{self.period_lookup}__{op}": day for op, day in bounds.items()})


class TrialFilterSet(CaseScopeFilterSet):
    """The list pages' filters: the shared ones, plus search, flagged and sorting."""

    sorts: dict[str, tuple[StrOrPromise, list[str | OrderBy]]] = {}

    q = django_filters.CharFilter(label=_("Case number"), method="filter_case_number")
    flagged = django_filters.ChoiceFilter(
        label=_("Flagged"), choices=YES_NO[1:], empty_label=_("Any"), method="filter_flagged"
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), method="filter_sort", empty_label=None)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["sort"].extra["choices"] = [(key, label) for key, (label, _order) in self.sorts.items()]
        self.filters["sort"].extra["empty_label"] = None

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self._form = kept_filter_form(self)
        return self._form

    def form_key_parts(self) -> tuple:
        """What the form depends on besides its class, values, language and reference data: nothing, so
        its rendered fields are kept (`{% filter_fields %}`)."""
        return ()

    def filter_case_number(self, queryset, name, value):
        return queryset.filter(**{f"{self.case_path}case_number__icontains": value.strip()})

    def flag_exists(self):
        raise NotImplementedError

    def filter_flagged(self, queryset, name, value):
        exists = self.flag_exists()
        return queryset.filter(exists) if value == "yes" else queryset.exclude(exists)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.sorts[value][1])

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = queryset.order_by(*next(iter(self.sorts.values()))[1])
        return queryset


class CaseFilter(TrialFilterSet):
    case_path = ""
    sorts = {
        "-last_hearing": (_("Latest hearing first"), [F("last_hearing_date").desc(nulls_last=True), "-pk"]),
        "case_number": (_("Case number"), ["case_number", "pk"]),
        "-created_at": (_("Newest case first"), ["-created_at", "-pk"]),
    }

    def flag_exists(self):
        return Exists(Flag.objects.filter(case=OuterRef("pk")))


class HearingFilter(TrialFilterSet):
    case_path = "case__"
    period_lookup = "date"
    sorts = {
        "-date": (_("Latest first"), ["-date", "-scheduled_start", "-pk"]),
        "date": (_("Oldest first"), ["date", "scheduled_start", "pk"]),
        "case_number": (_("Case number"), ["case__case_number", "-date", "pk"]),
    }
    hearing_type = django_filters.ChoiceFilter(label=_("Type"), choices=HearingType.choices, empty_label=_("All types"))
    held = django_filters.ChoiceFilter(label=_("Held"), choices=YES_NO[1:], empty_label=_("Any"), method="filter_held")

    def filter_held(self, queryset, name, value):
        return queryset.filter(held=value == "yes")

    def flag_exists(self):
        return Exists(Flag.objects.filter(hearing=OuterRef("pk")))


class ObservationFilter(TrialFilterSet):
    case_path = "hearing__case__"
    # The hearing's date copied onto the observation: the orders and the period read one table's index.
    period_lookup = "hearing_date"
    sorts = {
        "-date": (_("Latest hearing first"), ["-hearing_date", "-pk"]),
        "date": (_("Oldest hearing first"), ["hearing_date", "pk"]),
        "status": (_("Status"), ["status", "-hearing_date", "-pk"]),
    }
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ObservationStatus.choices, empty_label=_("All statuses")
    )
    violation = django_filters.ChoiceFilter(
        label=_("Standard rated a violation"), method="filter_violation", empty_label=_("Any or none")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        codes = FairTrialStandard.objects.filter(questionnaire__is_current=True).order_by("order")
        self.filters["violation"].extra["choices"] = [("any", _("Any standard"))] + [(s.code, s.name) for s in codes]

    def filter_violation(self, queryset, name, value):
        ratings = StandardRating.objects.filter(observation=OuterRef("pk"), rating=Rating.VIOLATION)
        if value != "any":
            ratings = ratings.filter(standard__code=value)
        return queryset.filter(Exists(ratings))

    def flag_exists(self):
        return Exists(Flag.objects.filter(hearing=OuterRef("hearing")))


class ReviewQueueFilter(TrialFilterSet):
    """The review queue's filters: where (region, court), whose (monitor) and whether the hearing is
    flagged. `monitors` are the colleagues the `reviewer` may pick, as (username, name) pairs. `qs` is
    the reviewer's queue of the filtered rows (submitted, in their scope, never their own) whatever
    queryset it is given, built when it is read: a page whose first page is kept never builds it."""

    case_path = "hearing__case__"
    sorts = {
        "submitted": (_("Oldest submission first"), ["submitted_at", "pk"]),
        "-date": (_("Latest hearing first"), ["-hearing_date", "-pk"]),
    }
    # Not needed to pick the next observation to review (django-filter drops a filter set to None).
    municipality = court_department = category = date_from = date_to = None  # type: ignore[assignment]
    monitor = django_filters.ChoiceFilter(label=_("Monitor"), method="filter_monitor", empty_label=_("All monitors"))

    def __init__(self, *args, monitors: list[tuple[str, str]], reviewer: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["monitor"].extra["choices"] = monitors
        self.reviewer = reviewer

    @property
    def qs(self) -> QuerySet[Observation]:
        if not hasattr(self, "_queue"):
            self._queue = review_queue(queryset=super().qs, user=self.reviewer)
        return self._queue

    def form_key_parts(self) -> tuple:
        return tuple(self.filters["monitor"].extra["choices"])  # the colleagues this reviewer may pick

    def filter_monitor(self, queryset, name, value):
        return queryset.filter(monitor__username=value)

    def flag_exists(self):
        return Exists(Flag.objects.filter(hearing=OuterRef("hearing")))


class PlanFilter(FilterSet):
    """The monitoring plan's filters: where, which court, and the priorities (category, juvenile,
    flagged cases), who goes and what became of it. The selector annotates `flagged` and `state`."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        field_name="municipality__region",
        empty_label=_("All regions"),
    )
    court = django_filters.ModelChoiceFilter(
        label=_("Court"), queryset=Court.objects.all(), to_field_name="code", empty_label=_("All courts")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=CaseCategory.choices, empty_label=_("All categories")
    )
    juvenile = django_filters.ChoiceFilter(
        label=_("Juvenile"), choices=YES_NO[1:], empty_label=_("Any"), method="filter_yes_no"
    )
    flagged = django_filters.ChoiceFilter(
        label=_("Case flagged"), choices=YES_NO[1:], empty_label=_("Any"), method="filter_yes_no"
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Monitors"),
        choices=[("none", _("Nobody assigned yet")), ("some", _("Monitors assigned")), ("me", _("Assigned to me"))],
        empty_label=_("Any"),
        method="filter_assigned",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            ("upcoming", _("Upcoming")),
            ("observed", _("Observed")),
            ("missed", _("Missed")),
            ("cancelled", _("Cancelled by the court")),
        ],
        empty_label=_("Any"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignments__monitor=self.user) if self.user is not None else queryset.none()
        return queryset.filter(assigned_count=0) if value == "none" else queryset.filter(assigned_count__gt=0)
