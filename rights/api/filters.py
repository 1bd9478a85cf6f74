"""API filters: the pages' shared filters (where and when) plus `updated_since` for incremental sync."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from mission.api.filters import UtcDateTimeFilter
from rights.filters import CaseScopeFilterSet
from rights.models import FlagStatus, ObservationStatus


class ApiFilterSet(CaseScopeFilterSet):
    updated_since = UtcDateTimeFilter(
        label=_("Changed at or after this time (ISO 8601), for incremental sync"), method="filter_updated_since"
    )

    def filter_updated_since(self, queryset, name, value):
        # ISO 8601 allows offsets up to ±23:59, PostgreSQL only ±15:59: compare in UTC.
        return queryset.filter(updated_at__gte=value.astimezone(datetime.UTC))


class ApiCaseFilter(ApiFilterSet):
    case_path = ""


class ApiHearingFilter(ApiFilterSet):
    case_path = "case__"
    period_lookup = "date"


class ApiObservationFilter(ApiFilterSet):
    case_path = "hearing__case__"
    period_lookup = "hearing__date"
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ObservationStatus.choices)


class ApiFlagFilter(ApiFilterSet):
    case_path = "case__"
    period_lookup = "created_at__date"
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FlagStatus.choices)


class ApiInterventionFilter(ApiFilterSet):
    case_path = "flag__case__"
    period_lookup = "date"
