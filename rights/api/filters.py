"""API filters: the pages' shared filters (where and when) plus `updated_since` for incremental sync."""

import django_filters
from django.utils.translation import gettext_lazy as _

from rights.filters import CaseScopeFilterSet
from rights.models import FlagStatus, ObservationStatus


class ApiFilterSet(CaseScopeFilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        label=_("Changed at or after this time (ISO 8601), for incremental sync"),
        field_name="updated_at",
        lookup_expr="gte",
    )


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
