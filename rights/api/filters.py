"""API filters: the pages' shared filters (where and when) plus `updated_since` for incremental sync.

Each list says what its period applies to (`parameter_descriptions`, shown in the schema): the same
meaning as on the pages and the dashboard."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mission.api.filters import RecordFilter, UtcDateTimeFilter
from rights.filters import CaseScopeFilterSet
from rights.models import Case, FlagStatus, Hearing, ObservationStatus, flag_day


def _period(rows_on_or_after: StrOrPromise, rows_on_or_before: StrOrPromise) -> dict[str, StrOrPromise]:
    return {"date_from": rows_on_or_after, "date_to": rows_on_or_before}


class ApiFilterSet(CaseScopeFilterSet):
    parameter_descriptions: dict[str, StrOrPromise] = {}

    updated_since = UtcDateTimeFilter(
        label=_("Changed at or after this time (ISO 8601), for incremental sync"), method="filter_updated_since"
    )

    def filter_updated_since(self, queryset, name, value):
        # ISO 8601 allows offsets up to ±23:59, PostgreSQL only ±15:59: compare in UTC.
        return queryset.filter(updated_at__gte=value.astimezone(datetime.UTC))


class ApiCaseFilter(ApiFilterSet):
    case_path = ""
    parameter_descriptions = _period(
        _("Cases with a hearing on or after this date (YYYY-MM-DD); with date_to, the same hearing in both."),
        _("Cases with a hearing on or before this date (YYYY-MM-DD); with date_from, the same hearing in both."),
    )


class ApiHearingFilter(ApiFilterSet):
    case_path = "case__"
    period_lookup = "date"
    parameter_descriptions = _period(
        _("Hearings held or scheduled on or after this date (YYYY-MM-DD)."),
        _("Hearings held or scheduled on or before this date (YYYY-MM-DD)."),
    )
    case = RecordFilter(model=Case, field_name="case_id", label=_("The hearings of this case (its `id`)"))


class ApiObservationFilter(ApiFilterSet):
    case_path = "hearing__case__"
    period_lookup = "hearing__date"
    parameter_descriptions = _period(
        _("Observations of hearings dated on or after this date (YYYY-MM-DD)."),
        _("Observations of hearings dated on or before this date (YYYY-MM-DD)."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ObservationStatus.choices)
    case = RecordFilter(model=Case, field_name="hearing__case_id", label=_("The observations of this case (its `id`)"))
    hearing = RecordFilter(
        model=Hearing, field_name="hearing_id", label=_("The observations of this hearing (its `id`)")
    )


class ApiFlagFilter(ApiFilterSet):
    case_path = "case__"
    period_lookup = "flag_day"
    parameter_descriptions = _period(
        _(
            "Flags on hearings dated on or after this date (YYYY-MM-DD); a flag on a whole case counts on the "
            "day it was raised. The dashboard counts flags the same way."
        ),
        _(
            "Flags on hearings dated on or before this date (YYYY-MM-DD); a flag on a whole case counts on the "
            "day it was raised. The dashboard counts flags the same way."
        ),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FlagStatus.choices)

    def in_period(self, queryset, bounds):
        return super().in_period(queryset.alias(flag_day=flag_day()), bounds)


class ApiInterventionFilter(ApiFilterSet):
    case_path = "flag__case__"
    period_lookup = "date"
    parameter_descriptions = _period(
        _("Interventions dated on or after this date (YYYY-MM-DD)."),
        _("Interventions dated on or before this date (YYYY-MM-DD)."),
    )
