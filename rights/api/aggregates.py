"""Aggregate endpoints with small-cell suppression: a count below API_SMALL_CELL_THRESHOLD is returned
as null with `suppressed: true`, and so is every rate computed from it. All grouping happens in the
database (GROUP BY, conditional counts)."""

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mission.api.permissions import is_partner
from mission.api.views import ERROR_RESPONSES, PortalAPIView, check_query
from rights.api.filters import ApiHearingFilter, ApiObservationFilter
from rights.models import Hearing, Rating, StandardRating

NOT_RATED = (Rating.NOT_APPLICABLE, Rating.NOT_OBSERVABLE, "")


def _groups(prefix: str) -> dict:
    return {
        "region": F(f"{prefix}case__municipality__region__code"),
        "court": F(f"{prefix}case__court__code"),
        "court_department": F(f"{prefix}case__court_department"),
        "category": F(f"{prefix}case__category"),
        "month": TruncMonth(f"{prefix}date"),
        "all": None,
    }


def _disaggregations(prefix: str) -> dict:
    return {
        "none": None,
        "accused_sex": f"{prefix}case__parties__sex",
        "accused_age": f"{prefix}case__parties__age_band",
        "accused_community": f"{prefix}case__parties__community__code",
    }


def _choice(request, name: str, options: dict, default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in options:
        raise ValidationError({name: [_("Choose one of: %(options)s.") % {"options": ", ".join(options)}]})
    return value


def _suppress(row: dict, counts: list[str], rates: dict[str, tuple[str, str]]) -> dict:
    threshold = settings.API_SMALL_CELL_THRESHOLD
    suppressed = False
    for name in counts:
        if row[name] is not None and row[name] < threshold:
            row[name] = None
            suppressed = True
    for rate, (numerator, denominator) in rates.items():
        num, den = row[numerator], row[denominator]
        row[rate] = None if num is None or not den else round(num / den, 4)
    row["suppressed"] = suppressed
    return row


def _label(value):
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


PARAMS = [
    OpenApiParameter(
        "group_by",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=["region", "court", "court_department", "category", "month", "all"],
        description="What each row counts (default region).",
    ),
    OpenApiParameter(
        "disaggregate",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=["none", "accused_sex", "accused_age", "accused_community"],
        description="Split each group by a characteristic of the accused (default none).",
    ),
]
COUNT = serializers.IntegerField(allow_null=True, help_text="null when below the small-cell threshold")
RATE = serializers.FloatField(allow_null=True)


class _AggregateView(PortalAPIView):
    dataset = "trial_aggregates"
    filterset_class = None

    def filtered(self, request, queryset):
        check_query(request, {"group_by", "disaggregate", "format", *self.filterset_class.base_filters})
        filterset = self.filterset_class(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs


def _filter_params(filterset_class) -> list[OpenApiParameter]:
    from mission.api.views import _filter_parameters

    return _filter_parameters(filterset_class)


class HearingAggregates(_AggregateView):
    """Hearings monitored, adjourned (unproductive) and recorded, with their rates, per group."""

    filterset_class = ApiHearingFilter

    @extend_schema(
        parameters=PARAMS + _filter_params(ApiHearingFilter),
        responses={
            200: inline_serializer(
                "HearingAggregates",
                {
                    "threshold": serializers.IntegerField(),
                    "results": serializers.ListField(
                        child=inline_serializer(
                            "HearingAggregateRow",
                            {
                                "group": serializers.CharField(allow_null=True),
                                "subgroup": serializers.CharField(allow_null=True),
                                "hearings": COUNT,
                                "adjourned": COUNT,
                                "recorded": COUNT,
                                "unproductive_rate": RATE,
                                "recorded_rate": RATE,
                                "suppressed": serializers.BooleanField(),
                            },
                        )
                    ),
                },
            ),
            **ERROR_RESPONSES,
        },
        tags=["trial_aggregates"],
    )
    def get(self, request):
        group_by = _choice(request, "group_by", _groups(""), "region")
        split = _choice(request, "disaggregate", _disaggregations(""), "none")
        manager = Hearing.objects
        queryset = self.filtered(
            request, manager.published() if is_partner(request) else manager.visible_to(request.user)
        )
        group = _groups("")[group_by]
        subgroup = _disaggregations("")[split]
        if subgroup:
            queryset = queryset.filter(case__parties__role="accused")
        keys = {}
        if group is not None:
            keys["group"] = group
        if subgroup:
            keys["subgroup"] = F(subgroup)
        distinct = bool(subgroup)  # a hearing of two accused counts once per characteristic
        rows = queryset.order_by().values(**keys) if keys else queryset.order_by()
        aggregates = {
            "hearings": Count("pk", distinct=distinct),
            "adjourned": Count("pk", filter=Q(held=False), distinct=distinct),
            "recorded": Count("pk", filter=Q(recorded=True), distinct=distinct),
        }
        data = list(rows.annotate(**aggregates).order_by(*keys)) if keys else [queryset.aggregate(**aggregates)]
        results = []
        for row in data:
            row = {
                "group": _label(row.get("group")),
                "subgroup": row.get("subgroup"),
                **{k: row[k] for k in aggregates},
            }
            results.append(
                _suppress(
                    row,
                    list(aggregates),
                    {
                        "unproductive_rate": ("adjourned", "hearings"),
                        "recorded_rate": ("recorded", "hearings"),
                    },
                )
            )
        return Response({"threshold": settings.API_SMALL_CELL_THRESHOLD, "results": results})


class StandardAggregates(_AggregateView):
    """Per fair-trial standard: ratings (excluding not applicable / not observable), concerns and
    violations, with their rates, per group. Approved observations only, for staff and partners alike."""

    filterset_class = ApiObservationFilter

    @extend_schema(
        parameters=PARAMS[:1] + _filter_params(ApiObservationFilter),
        responses={
            200: inline_serializer(
                "StandardAggregates",
                {
                    "threshold": serializers.IntegerField(),
                    "results": serializers.ListField(
                        child=inline_serializer(
                            "StandardAggregateRow",
                            {
                                "group": serializers.CharField(allow_null=True),
                                "standard": serializers.CharField(),
                                "rated": COUNT,
                                "concerns": COUNT,
                                "violations": COUNT,
                                "concern_rate": RATE,
                                "violation_rate": RATE,
                                "suppressed": serializers.BooleanField(),
                            },
                        )
                    ),
                },
            ),
            **ERROR_RESPONSES,
        },
        tags=["trial_aggregates"],
    )
    def get(self, request):
        from rights.models import Observation

        group_by = _choice(request, "group_by", _groups("hearing__"), "region")
        if "disaggregate" in request.query_params:
            raise ValidationError({"disaggregate": [_("Standards are not disaggregated by the accused.")]})
        manager = Observation.objects
        observations = self.filtered(
            request, manager.published() if is_partner(request) else manager.visible_to(request.user).published()
        )
        ratings = StandardRating.objects.filter(observation__in=observations.values("pk")).exclude(rating__in=NOT_RATED)
        group = _groups("observation__hearing__")[group_by]
        keys = {"standard_code": F("standard__code")}
        if group is not None:
            keys = {"group": group, **keys}
        aggregates = {
            "rated": Count("pk"),
            "concerns": Count("pk", filter=Q(rating=Rating.CONCERN)),
            "violations": Count("pk", filter=Q(rating=Rating.VIOLATION)),
        }
        data = ratings.order_by().values(**keys).annotate(**aggregates).order_by(*keys)
        results = []
        for row in data:
            row = {
                "group": _label(row.get("group")),
                "standard": row["standard_code"],
                **{k: row[k] for k in aggregates},
            }
            results.append(
                _suppress(
                    row,
                    list(aggregates),
                    {
                        "concern_rate": ("concerns", "rated"),
                        "violation_rate": ("violations", "rated"),
                    },
                )
            )
        return Response({"threshold": settings.API_SMALL_CELL_THRESHOLD, "results": results})
