"""Aggregate endpoints by declaration. A department says what it counts and by what; this module parses
the request, counts in the database (one statement), applies the disclosure control for partners
(`mission.api.disclosure`: cell-key perturbation, small counts suppressed, rates from the published
counts) and writes the OpenAPI schema. Staff get the exact counts of what they may read anyway.

Partners all read the same published records, so a partner's answer is kept in the shared cache until
the department's summaries next change (`summaries`: their version moves when a refresh applies the
changes the services marked, within DASHBOARD_REFRESH_MINUTES, and when they are rebuilt), so partners'
figures are as fresh as the dashboards': counting a million records per request would hold a worker for
seconds, and partners ask the same questions again and again. Staff answers, which depend on the
reader's scope, are counted each time.

    class HearingAggregates(AggregateView):
        dataset = "trial_aggregates"
        model = Hearing
        filterset_class = ApiHearingFilter
        group_by = {"region": Dimension(F("case__municipality__region__code")), "all": Dimension(None)}
        counts = {"hearings": Q(), "held": Q(held=True)}
        rates = {"held_rate": Rate(part="held", whole="hearings")}
"""

import hashlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.core.cache import cache
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mission.api import disclosure
from mission.api.permissions import is_partner
from mission.api.views import ERROR_RESPONSES, PortalAPIView, _filter_parameters, check_query
from mission.dashboards.services import freshness_for
from mission.replicas import replica_reads

if TYPE_CHECKING:
    import django_filters


class Rate(Protocol):
    """A rate of two of the view's counts (e.g. an indicator): `part` of `whole`."""

    @property
    def part(self) -> str: ...
    @property
    def whole(self) -> str: ...


@dataclass(frozen=True)
class Dimension:
    """What the rows of an aggregate are grouped (or split) by.

    `expression` is grouped on (None: one row for everything); with `month`, the value is written
    as YYYY-MM. A split that reaches related records (the accused of a hearing's case) names the rows
    that take part (`requires`) and counts each record once per cell (`distinct`)."""

    expression: Combinable | None
    month: bool = False
    requires: Q | None = None
    distinct: bool = False

    def label(self, value: object) -> object:
        # The database gives a month as a date (or, on SQLite, its text).
        return str(value)[:7] if self.month and value is not None else value


COUNT = serializers.IntegerField(
    allow_null=True,
    help_text="For partners perturbed (within max_perturbation of the true count) and null below the threshold",
)
MEAN = serializers.FloatField(
    allow_null=True, help_text="The mean of the values given, to one decimal; null when too few give one"
)
TOTAL = serializers.IntegerField(
    allow_null=True, help_text="The exact sum over the records counted; null where the row's count is withheld"
)
RATE = serializers.FloatField(allow_null=True, help_text="From the counts shown, 0 to 1; null when one is null")
METHOD: "dict[str, serializers.Field[Any, Any, Any, Any]]" = {
    "disclosure_control": serializers.ChoiceField(
        choices=["cell_key", "none", "suppression"],
        help_text="cell_key for partners; none for staff (exact counts); suppression where every small count is "
        "hidden, staff's included (cases of gender-based violence)",
    ),
    "threshold": serializers.IntegerField(allow_null=True, help_text="Counts below it are null (partners)"),
    "max_perturbation": serializers.IntegerField(help_text="The largest difference from the true count"),
}


PARTNER_KEY_PREFIX = "mission:partner-aggregate"
# A kept answer whose version no request asks for any more expires on its own.
PARTNER_ANSWER_SECONDS = 24 * 60 * 60


class AggregateView(PortalAPIView):
    """Counts of a department's records per group, for staff and partners.

    Declare: `dataset`; `model` (its manager has `published()` and `visible_to(user)`); the
    `filterset_class` applied to it; `group_by` (name → Dimension; the first is the default) and
    optionally `disaggregate` (name → Dimension, with "none" added); `counts` (name → the condition a
    counted record meets; an empty Q counts every one) and `rates` (name → Rate of two counts);
    `keyed_by` (further groups always present, name → expression, e.g. a standard's code). Counting
    another record than the model (people of a case, ratings of an observation) overrides `counted`
    and sets `record` (the lookup prefix of the counted record) and `distinct`."""

    model: ClassVar[type[models.Model]]
    filterset_class: ClassVar["type[django_filters.FilterSet] | None"] = None
    group_by: ClassVar[Mapping[str, Dimension]] = {}
    disaggregate: ClassVar[Mapping[str, Dimension]] = {}
    keyed_by: ClassVar[Mapping[str, Combinable]] = {}
    counts: ClassVar[Mapping[str, Q]] = {}
    rates: ClassVar[Mapping[str, Rate]] = {}
    # name → a whole-number value of the counted record whose mean each group gives (a trainee's gain),
    # null for partners where fewer than the threshold have a value (`disclosure.protected_mean`)
    means: ClassVar[Mapping[str, Combinable]] = {}
    # name → an aggregate over rows joined to the counted record (Sum("groups__persons"): the persons
    # who returned), each group's sum given only where its counts are (none suppressed): a total of
    # fewer records than the threshold would point at a household.
    totals: ClassVar[Mapping[str, Any]] = {}
    record: ClassVar[str] = ""
    distinct: ClassVar[bool] = False
    staff_see_published_only: ClassVar[bool] = False  # e.g. only approved observations count
    # No small count for anyone, staff included (cases of gender-based violence): staff's cells under
    # the threshold are suppressed too, unperturbed.
    suppress_small: ClassVar[bool] = False
    disaggregate_help: ClassVar[str] = "Split each group by a characteristic of what is counted (default none)."
    # The department's summaries whose version says when its records last changed: partners' answers
    # are kept until it moves. None declared: counted for every request.
    summaries: ClassVar[tuple[str, ...]] = ()
    get: Callable[..., Response]  # made by `__init_subclass__` for a subclass that declares counts

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.counts:
            return
        name = cls.__name__
        row: dict[str, serializers.Field[Any, Any, Any, Any]] = {
            "group": serializers.CharField(allow_null=True),
            **({"subgroup": serializers.CharField(allow_null=True)} if cls.disaggregate else {}),
            **dict.fromkeys(cls.keyed_by, serializers.CharField()),
            **dict.fromkeys(cls.counts, COUNT),
            **dict.fromkeys(cls.rates, RATE),
            **dict.fromkeys(cls.means, MEAN),
            **dict.fromkeys(cls.totals, TOTAL),
            "suppressed": serializers.BooleanField(),
        }
        response = inline_serializer(
            name, {**METHOD, "results": serializers.ListField(child=inline_serializer(f"{name}Row", row))}
        )
        parameters = [
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(cls.group_by),
                description=f"What each row counts (default {next(iter(cls.group_by))}).",
            )
        ]
        if cls.disaggregate:
            parameters.append(
                OpenApiParameter(
                    "disaggregate",
                    OpenApiTypes.STR,
                    OpenApiParameter.QUERY,
                    enum=["none", *cls.disaggregate],
                    description=cls.disaggregate_help,
                )
            )
        if cls.filterset_class is not None:
            parameters += _filter_parameters(cls.filterset_class)

        def get(self: AggregateView, request: Request) -> Response:
            with replica_reads():  # after authentication, which reads the primary
                return self.kept_for_partners(request)

        cls.get = extend_schema(
            description=inspect.cleandoc(cls.__doc__ or ""),
            parameters=parameters,
            responses={200: response, **ERROR_RESPONSES},
            tags=[cls.dataset],
        )(get)

    # --- what a department may override -----------------------------------------------------------
    def counted(self, request: Request, records: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
        """The rows counted, from the model's records in scope and filtered (default: those records)."""
        return records

    # --- the machinery ----------------------------------------------------------------------------
    def records(self, request: Request) -> QuerySet[Any, Any]:
        """The model's records the figures cover: published ones for partners, the user's scope for
        staff; filtered by the request."""
        allowed = {"group_by", "format", *(self.filterset_class.base_filters if self.filterset_class else ())}
        if self.disaggregate:
            allowed.add("disaggregate")
        elif "disaggregate" in request.query_params:
            raise ValidationError({"disaggregate": [_("These figures are not disaggregated.")]})
        check_query(request, allowed)
        # The department's manager: `published()` and `visible_to(user)`, which no base class declares.
        manager: Any = self.model._default_manager
        queryset: QuerySet[Any, Any]
        if is_partner(request):
            queryset = manager.published()
        else:
            scoped = manager.visible_to(request.user)
            queryset = scoped.published() if self.staff_see_published_only else scoped
        if self.filterset_class is None:
            return queryset
        filterset = self.filterset_class(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def kept_for_partners(self, request: Request) -> Response:
        """A partner's answer from the cache when the same question was answered since the records last
        changed; otherwise counted (and, for a partner, kept). Only answers are kept, never errors."""
        key = self.partner_key(request)
        if key is not None and (kept := cache.get(key)) is not None:
            return Response(kept)
        response = self.aggregate(request)
        if key is not None:
            cache.set(key, response.data, PARTNER_ANSWER_SECONDS)
        return response

    def partner_key(self, request: Request) -> str | None:
        """The cache key of a partner's question: the endpoint, every value of every parameter, the
        disclosure control's settings, and the version of the summaries. None for staff, and while the
        summaries were never built."""
        if not self.summaries or not is_partner(request):
            return None
        version = freshness_for(self.summaries).version
        if version is None:
            return None
        query = sorted((name, sorted(values)) for name, values in request.query_params.lists())
        method = sorted(disclosure.method(perturb=True).items())  # the threshold and the noise, as configured
        parts = (type(self).__module__, type(self).__qualname__, query, method, version.isoformat())
        return f"{PARTNER_KEY_PREFIX}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"

    def aggregate(self, request: Request) -> Response:
        group = self.group_by[_choice(request, "group_by", self.group_by, next(iter(self.group_by)))]
        split = None
        if self.disaggregate:
            name = _choice(request, "disaggregate", {"none": None, **self.disaggregate}, "none")
            split = self.disaggregate.get(name)
        queryset = self.counted(request, self.records(request))
        if split is not None and split.requires is not None:
            queryset = queryset.filter(split.requires)
        groups: dict[str, Combinable] = {}
        if group.expression is not None:
            groups["group"] = group.expression
        if split is not None and split.expression is not None:
            groups["subgroup"] = split.expression
        groups |= self.keyed_by
        cells = disclosure.cell_counts(
            queryset,
            groups=groups,
            counts=self.counts,
            record=self.record,
            distinct=self.distinct or (split is not None and split.distinct),
            measures=self.means,
            totals=self.totals,
        )
        for cell in cells:
            cell["group"] = group.label(cell.get("group"))
        keys = ("group", *(["subgroup"] if self.disaggregate else []), *self.keyed_by)
        perturb = is_partner(request)
        method = disclosure.method(perturb=perturb, suppress=self.suppress_small)
        return Response({**method, "results": self.published(cells, keys, perturb)})

    def published(self, cells: list[dict[str, Any]], keys: tuple[str, ...], perturb: bool) -> list[dict[str, Any]]:
        """Each cell as a reader receives it, in the order of its `keys`: the keys, the protected counts,
        the rates worked out from them (so a rate never says more than its counts), and whether a count
        was suppressed."""
        rows = []
        for cell in sorted(cells, key=lambda c: tuple((c.get(k) is None, str(c.get(k))) for k in keys)):
            row = {key: cell.get(key) for key in keys}
            suppress = self.suppress_small
            row |= {name: disclosure.protect(cell[name], perturb=perturb, suppress=suppress) for name in self.counts}
            for name, rate in self.rates.items():
                row[name] = disclosure.coherent_rate(row[rate.part], row[rate.whole])
            for name in self.means:
                row[name] = disclosure.protected_mean(*cell[name], perturb=perturb, suppress=suppress)
            suppressed = any(row[name] is None for name in self.counts)
            row |= {name: None if suppressed else cell[name] for name in self.totals}
            row["suppressed"] = suppressed
            rows.append(row)
        return rows


def _choice(request: Request, name: str, options: Mapping[str, object], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in options:
        raise ValidationError({name: [_("Choose one of: %(options)s.") % {"options": ", ".join(options)}]})
    return value
