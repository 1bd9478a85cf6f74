"""Aggregate endpoints. What each count and rate means is `rights.indicators` (the dashboards and the
reports read the same definitions); the disclosure control is `mission.api.disclosure`: partners get
perturbed counts (cell-key method) with small ones suppressed, staff the exact counts of what they
may read anyway. All counting happens in the database, one statement per request."""

from django.db.models import F
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mission.api import disclosure
from mission.api.permissions import is_partner
from mission.api.views import ERROR_RESPONSES, PortalAPIView, check_query
from rights import indicators
from rights.api.filters import ApiHearingFilter, ApiObservationFilter
from rights.models import Hearing, Observation, PartyRole, StandardRating

HEARING_RATES = {"unproductive_rate": indicators.UNPRODUCTIVE, "recorded_rate": indicators.RECORDED}
STANDARD_RATES = {"concern_rate": indicators.CONCERNS, "violation_rate": indicators.VIOLATIONS}


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
    party = f"{prefix}case__parties__"
    return {
        "none": None,
        "accused_sex": F(f"{party}sex"),
        "accused_age": F(f"{party}age_band"),
        "accused_juvenile": indicators.juvenile(party),
        "accused_community": F(f"{party}community__code"),
    }


def _choice(request, name: str, options: dict, default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in options:
        raise ValidationError({name: [_("Choose one of: %(options)s.") % {"options": ", ".join(options)}]})
    return value


def _label(group_by: str, value):
    """A month as YYYY-MM (the database gives a date, or on SQLite its text); other groups as they are."""
    return str(value)[:7] if group_by == "month" and value is not None else value


def _published(
    cells: list[dict], *, keys: tuple[str, ...], counts, rates: dict[str, indicators.Rate], perturb: bool
) -> list[dict]:
    """Each cell as a reader receives it, in the order of its `keys`: the keys, the protected counts
    (see mission.api.disclosure), the rates worked out from them (so a rate never says more than its
    counts), and whether a count was suppressed."""
    rows = []
    for cell in sorted(cells, key=lambda c: tuple((c.get(k) is None, str(c.get(k))) for k in keys)):
        row = {key: cell.get(key) for key in keys}
        row |= {name: disclosure.protect(cell[name], perturb=perturb) for name in counts}
        for name, rate in rates.items():
            row[name] = disclosure.coherent_rate(row[rate.part], row[rate.whole])
        row["suppressed"] = any(row[name] is None for name in counts)
        rows.append(row)
    return rows


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
        enum=["none", "accused_sex", "accused_age", "accused_juvenile", "accused_community"],
        description="Split each group by a characteristic of the accused (default none).",
    ),
]
COUNT = serializers.IntegerField(
    allow_null=True,
    help_text="For partners perturbed (within max_perturbation of the true count) and null below the threshold",
)
RATE = serializers.FloatField(allow_null=True, help_text="From the counts shown, 0 to 1; null when one is null")
METHOD = {
    "disclosure_control": serializers.ChoiceField(
        choices=["cell_key", "none"], help_text="cell_key for partners; none for staff (exact counts)"
    ),
    "threshold": serializers.IntegerField(allow_null=True, help_text="Counts below it are null (partners)"),
    "max_perturbation": serializers.IntegerField(help_text="The largest difference from the true count"),
}


def _response(name: str, row: dict) -> object:
    return inline_serializer(
        name,
        {
            **METHOD,
            "results": serializers.ListField(
                child=inline_serializer(f"{name}Row", {**row, "suppressed": serializers.BooleanField()})
            ),
        },
    )


class _AggregateView(PortalAPIView):
    dataset = "trial_aggregates"
    filterset_class = None

    def filtered(self, request, queryset):
        check_query(request, {"group_by", "disaggregate", "format", *self.filterset_class.base_filters})
        filterset = self.filterset_class(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def hearings(self, request):
        """The hearings the figures cover: published ones for partners, the user's scope for staff."""
        manager = Hearing.objects
        return self.filtered(request, manager.published() if is_partner(request) else manager.visible_to(request.user))

    def answer(self, request, rows: list[dict]) -> Response:
        return Response({**disclosure.method(perturb=is_partner(request)), "results": rows})


def _filter_params(filterset_class) -> list[OpenApiParameter]:
    from mission.api.views import _filter_parameters

    return _filter_parameters(filterset_class)


class HearingAggregates(_AggregateView):
    """Hearings monitored, held, adjourned (unproductive) and recorded, with their rates, per group:
    unproductive of all hearings, recorded of held hearings (rights.indicators)."""

    filterset_class = ApiHearingFilter

    @extend_schema(
        parameters=PARAMS + _filter_params(ApiHearingFilter),
        responses={
            200: _response(
                "HearingAggregates",
                {
                    "group": serializers.CharField(allow_null=True),
                    "subgroup": serializers.CharField(allow_null=True),
                    **dict.fromkeys(indicators.HEARING_COUNTS, COUNT),
                    **dict.fromkeys(HEARING_RATES, RATE),
                },
            ),
            **ERROR_RESPONSES,
        },
        tags=["trial_aggregates"],
    )
    def get(self, request):
        group_by = _choice(request, "group_by", _groups(""), "region")
        split = _choice(request, "disaggregate", _disaggregations(""), "none")
        queryset = self.hearings(request)
        groups = {"group": _groups("")[group_by], "subgroup": _disaggregations("")[split]}
        if groups["subgroup"] is not None:
            queryset = queryset.filter(case__parties__role=PartyRole.ACCUSED)
        cells = disclosure.cell_counts(
            queryset,
            groups={name: expression for name, expression in groups.items() if expression is not None},
            counts=indicators.HEARING_COUNTS,
            distinct=groups["subgroup"] is not None,  # a hearing of two accused counts once per characteristic
        )
        for cell in cells:
            cell["group"] = _label(group_by, cell.get("group"))
        keys = ("group", "subgroup")
        perturb = is_partner(request)
        return self.answer(
            request,
            _published(cells, keys=keys, counts=indicators.HEARING_COUNTS, rates=HEARING_RATES, perturb=perturb),
        )


class AccusedAggregates(_AggregateView):
    """Accused persons of the cases with a hearing in the selection, each counted once per group (a
    person whose case was heard three times in a month counts once in that month), split by sex, age,
    juvenile or community."""

    filterset_class = ApiHearingFilter

    @extend_schema(
        parameters=PARAMS + _filter_params(ApiHearingFilter),
        responses={
            200: _response(
                "AccusedAggregates",
                {
                    "group": serializers.CharField(allow_null=True),
                    "subgroup": serializers.CharField(allow_null=True),
                    "persons": COUNT,
                },
            ),
            **ERROR_RESPONSES,
        },
        tags=["trial_aggregates"],
    )
    def get(self, request):
        group_by = _choice(request, "group_by", _groups(""), "region")
        split = _choice(request, "disaggregate", _disaggregations(""), "none")
        groups = {"group": _groups("")[group_by], "subgroup": _disaggregations("")[split]}
        cells = disclosure.cell_counts(
            self.hearings(request).filter(case__parties__role=PartyRole.ACCUSED),
            groups={name: expression for name, expression in groups.items() if expression is not None},
            counts=indicators.PERSON_COUNTS,
            record="case__parties__",
            distinct=True,  # a person once, however many of their hearings are in the group
        )
        for cell in cells:
            cell["group"] = _label(group_by, cell.get("group"))
        keys = ("group", "subgroup")
        perturb = is_partner(request)
        return self.answer(
            request, _published(cells, keys=keys, counts=indicators.PERSON_COUNTS, rates={}, perturb=perturb)
        )


class StandardAggregates(_AggregateView):
    """Per fair-trial standard: ratings (excluding not applicable / not observable), concerns and
    violations, with their rates, per group. Approved observations only, for staff and partners alike."""

    filterset_class = ApiObservationFilter

    @extend_schema(
        parameters=PARAMS[:1] + _filter_params(ApiObservationFilter),
        responses={
            200: _response(
                "StandardAggregates",
                {
                    "group": serializers.CharField(allow_null=True),
                    "standard": serializers.CharField(),
                    **dict.fromkeys(indicators.RATING_COUNTS, COUNT),
                    **dict.fromkeys(STANDARD_RATES, RATE),
                },
            ),
            **ERROR_RESPONSES,
        },
        tags=["trial_aggregates"],
    )
    def get(self, request):
        group_by = _choice(request, "group_by", _groups("hearing__"), "region")
        if "disaggregate" in request.query_params:
            raise ValidationError({"disaggregate": [_("Standards are not disaggregated by the accused.")]})
        manager = Observation.objects
        observations = self.filtered(
            request, manager.published() if is_partner(request) else manager.visible_to(request.user).published()
        )
        ratings = StandardRating.objects.filter(observation__in=observations.values("pk")).exclude(
            rating__in=indicators.NOT_RATED
        )
        group = _groups("observation__hearing__")[group_by]
        cells = disclosure.cell_counts(
            ratings,
            groups={**({"group": group} if group is not None else {}), "standard": F("standard__code")},
            counts=indicators.RATING_COUNTS,
        )
        for cell in cells:
            cell["group"] = _label(group_by, cell.get("group"))
        keys = ("group", "standard")
        perturb = is_partner(request)
        return self.answer(
            request,
            _published(cells, keys=keys, counts=indicators.RATING_COUNTS, rates=STANDARD_RATES, perturb=perturb),
        )
