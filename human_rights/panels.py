"""What the dashboard of Human Rights beyond the courtroom shows beside its records' figures
(`DepartmentConfig.dashboard_panels`): the protection orders in cases of gender-based violence against
their legal deadlines, and its map layers, each municipality coloured by the approved
incidents against communities of the period, by the persons who returned in it, and by the heritage
incidents of the period, beside the protected sites there. Each layer reads one grouped query, whatever the records."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, DateField, ExpressionWrapper, F, Min, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from field_offices.models import Municipality
from field_offices.selectors import municipality_names
from human_rights.models import (
    CommunityIncident,
    GbvCase,
    GbvStep,
    HeritageIncident,
    ProtectedSite,
    ReturnGroup,
    ReturnMovement,
)
from mission.api.disclosure import hidden_when_small
from mission.choices import reference_values
from mission.dashboards.charts import COUNT, RATE, TEXT, Chart, Column, Figure, choropleth, rate
from mission.dashboards.filters import Filters
from mission.records.declaration import record_type_of
from mission.records.summary import APPROVED, record_counts, summary_name, type_key
from mission.review.models import ReviewStatus


def _approved(model: Any, user: Any, filters: Filters) -> QuerySet[Any]:
    """The model's approved records the user reads, of the period and the regions shown."""
    records: QuerySet[Any] = model.objects.visible_to(user).filter(
        status=ReviewStatus.APPROVED, date__gte=filters.period.first, date__lte=filters.period.end
    )
    if filters.region_ids is not None:
        records = records.filter(municipality__region_id__in=filters.region_ids)
    return records.order_by()


def _counted(rows: QuerySet[Any], code: str, **measure: Any) -> dict[str, int]:
    """Municipality code → the measure, from one grouped query."""
    return {row[code]: row["n"] or 0 for row in rows.values(code).annotate(**measure)}


def _layer(
    slug: str,
    title: StrOrPromise,
    columns: list[tuple[StrOrPromise, dict[str, int]]],
    filters: Filters,
    municipalities: dict[str, Any],
    note: StrOrPromise = "",
) -> Chart:
    """A map of the municipalities by the first of `columns` (label, code → number), with every column
    in its table; the municipalities outside the regions shown are grey."""
    listed = sorted(
        {code for _label, values in columns for code, n in values.items() if n and code in municipalities},
        key=lambda code: municipalities[code]["name"],
    )

    def url(code: str) -> str:
        return reverse("dashboards:municipality_detail", args=[code])

    inside = None
    if filters.region_ids is not None:
        inside = {code for code, m in municipalities.items() if m["region_id"] in filters.region_ids}
    metric, values = columns[0]
    return Chart(
        slug,
        title,
        [Column(_("Municipality"), TEXT), *(Column(label, COUNT) for label, _values in columns)],
        [[municipalities[code]["name"], *(values.get(code, 0) for _label, values in columns)] for code in listed],
        note=str(note),
        links=[url(code) for code in listed],
        shape_map=choropleth(
            values={code: float(n) for code, n in values.items()},
            names={code: m["name"] for code, m in municipalities.items()},
            inside=inside,
            url=url,
            metric=metric,
        ),
    )


def _approved_by_municipality(filters: Filters) -> Any:
    """A function: a record type's approved records of the period by municipality code, from the
    department's record summary (one query for every type, whatever the number of records)."""
    from django.apps import apps

    config: Any = apps.get_app_config("human_rights")
    counts = record_counts(summary_name(config), filters.region_ids, filters.period, dimensions=[APPROVED])
    codes = reference_values(Municipality, "code")

    def of(model: Any) -> dict[str, int]:
        record_type = record_type_of(model)
        assert record_type is not None
        found: dict[int, int] = counts.by_municipality.get(type_key(record_type), {})
        return {codes[pk]: n for pk, n in found.items() if pk in codes}

    return of


def map_panel(user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    """The three map layers: incidents against communities, returns, protected sites and the heritage
    incidents at them."""
    code = "municipality__code"
    municipalities = {m["code"]: m for m in municipality_names()}
    approved = _approved_by_municipality(filters)
    incidents = approved(CommunityIncident)
    movements = _approved(ReturnMovement, user, filters)
    persons = _counted(
        ReturnGroup.objects.filter(movement__in=movements.values("pk")).order_by(),
        f"movement__{code}",
        n=Sum("persons"),
    )
    sites = ProtectedSite.objects.order_by()
    if filters.region_ids is not None:
        sites = sites.filter(municipality__region_id__in=filters.region_ids)
    listed = _counted(sites, code, n=Count("pk"))
    at_sites = approved(HeritageIncident)
    charts = [
        _layer(
            "map-community-incidents",
            _("Community-rights incidents by municipality"),
            [(_("Community-rights incidents"), incidents)],
            filters,
            municipalities,
        ),
        _layer(
            "map-returns",
            _("Persons who returned, by municipality"),
            [(_("Persons"), persons)],
            filters,
            municipalities,
        ),
        _layer(
            "map-heritage",
            _("Heritage incidents and protected sites, by municipality"),
            [(_("Heritage incidents"), at_sites), (_("Protected sites"), listed)],
            filters,
            municipalities,
            note=_("The sites as listed today, whatever the period; the incidents of the period."),
        ),
    ]
    return [], charts


def _orders_outcome(
    cases: QuerySet[Any], requested: str, decided: tuple[str, ...], days: int, today: datetime.date
) -> dict[str, int]:
    """How many of `cases` that requested an order had it decided in time, late, or not yet (within the
    deadline, past it): counted in the database over each case's first request and first decision,
    one query whatever the number of cases."""
    per_case = cases.annotate(
        asked=Min("response_steps__date", filter=Q(response_steps__step=requested)),
        decided=Min("response_steps__date", filter=Q(response_steps__step__in=decided)),
    )
    due = ExpressionWrapper(F("asked") + datetime.timedelta(days=days), output_field=DateField())
    since = today - datetime.timedelta(days=days)
    counted: dict[str, int] = per_case.aggregate(
        in_time=Count("pk", filter=Q(decided__isnull=False, decided__lte=due)),
        late=Count("pk", filter=Q(decided__gt=due)),
        waiting=Count("pk", filter=Q(asked__isnull=False, decided__isnull=True, asked__gte=since)),
        overdue=Count("pk", filter=Q(decided__isnull=True, asked__lt=since)),
    )
    return counted


def gbv_panel(user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    """How fast the courts decided the protection orders requested in the approved cases of gender-based
    violence of the period, against the legal deadlines: decided in time, late, or not yet, each case
    by its first request and first decision. A count under the disclosure threshold is shown to no one, and a
    share of fewer requests than that neither."""
    cases = _approved(GbvCase, user, filters)
    orders = [
        (
            _("Emergency protection orders"),
            GbvStep.EMERGENCY_REQUESTED,
            (GbvStep.EMERGENCY_DECIDED,),
            settings.GBV_EMERGENCY_ORDER_DAYS,
        ),
        (
            _("Protection orders"),
            GbvStep.ORDER_REQUESTED,
            (GbvStep.ORDER_ISSUED, GbvStep.ORDER_REFUSED),
            settings.GBV_PROTECTION_ORDER_DAYS,
        ),
    ]
    today = timezone.localdate()
    figures, table = [], []
    for label, requested, decided, days in orders:
        outcome = _orders_outcome(cases, requested, decided, days, today)
        asked_total = sum(outcome.values())
        decided_total = outcome["in_time"] + outcome["late"]
        share = rate(outcome["in_time"], decided_total) if hidden_when_small(decided_total) is not None else None
        deadline = ngettext(
            "%(orders)s decided in time (deadline: %(days)d day)",
            "%(orders)s decided in time (deadline: %(days)d days)",
            days,
        )
        figures.append(Figure(deadline % {"orders": label, "days": days}, share, None, RATE))
        table.append([str(label), *(hidden_when_small(outcome[k]) for k in outcome), hidden_when_small(asked_total)])
    chart = Chart(
        "gbv-orders",
        _("Protection orders against the legal deadline"),
        [
            Column(_("Order"), TEXT),
            Column(_("Decided in time"), COUNT),
            Column(_("Decided late"), COUNT),
            Column(_("Not yet decided, within the deadline"), COUNT),
            Column(_("Not yet decided, past the deadline"), COUNT),
            Column(_("Requested"), COUNT),
        ],
        table,
        series=(1, 2, 3, 4),
        note=str(_("Counts under the disclosure threshold are not shown, to protect the people concerned.")),
    )
    return figures, [chart]
