"""A department's declared records on the dashboards: on the mission overview, the records of the
period (and before it) with their activity by region and municipality, and what waits for review; on
the municipality page, the latest records there. Counted in the database, scoped to the reader."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mission.accounts.permissions import Capability, has_capability, scope_for
from mission.dashboards.charts import COUNT, Chart, Figure
from mission.dashboards.registry import Activity, AttentionItem, DepartmentDashboards, Overview
from mission.review.models import ReviewStatus

if TYPE_CHECKING:
    from field_offices.models import Municipality
    from mission.accounts.models import User
    from mission.dashboards.filters import Filters
    from mission.dashboards.periods import Period
    from mission.departments import DepartmentConfig
    from mission.records.declaration import RecordType

LATEST = 5  # records listed on the municipality page


def in_period(record_type: RecordType, period: Period) -> Q:
    """The record type's records dated in `period` (by its date, else the day it was made)."""
    day = record_type.date_field or "created_at__date"
    return Q(**{f"{day}__gte": period.first, f"{day}__lte": period.end})


class RecordDashboards(DepartmentDashboards):
    """The dashboards of a department that declares records and no dashboards of its own."""

    def __init__(self, config: DepartmentConfig) -> None:
        self.department = config.department
        self.label = config.verbose_name
        self.namespace = config.label
        self.records = config.records
        self.url_name = f"{config.label}:dashboard"  # its page: mission.records.dashboard

    def _records(self, record_type: RecordType, user: User) -> QuerySet[Any]:
        model: Any = record_type.get_model()
        visible: QuerySet[Any] = model._default_manager.visible_to(user)
        return visible

    def overview(self, user: User, filters: Filters) -> Overview:
        figures, attention = [], []
        activity = Activity(label=str(_("records")))
        for record_type in self.records:
            plural = record_type.get_model()._meta.verbose_name_plural
            records = self._records(record_type, user)
            if filters.region_ids is not None:
                records = records.filter(municipality__region_id__in=filters.region_ids)
            counted = records.aggregate(
                now=Count("pk", filter=in_period(record_type, filters.period)),
                before=Count("pk", filter=in_period(record_type, filters.period.previous())),
                waiting=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
            )
            url = reverse(f"{self.namespace}:{record_type.url_name('list')}")
            figures.append(Figure(str(plural).capitalize(), counted["now"], counted["before"], COUNT, url))
            dated = records.filter(in_period(record_type, filters.period)).order_by()
            for row in dated.values("municipality__region_id", "municipality__code").annotate(n=Count("pk")):
                region, code = row["municipality__region_id"], row["municipality__code"]
                activity.by_region[region] = activity.by_region.get(region, 0) + row["n"]
                activity.by_municipality[code] = activity.by_municipality.get(code, 0) + row["n"]
            queue = f"{self.namespace}:{record_type.url_name('queue')}"
            waiting_url = reverse(queue) if has_capability(user, Capability.REVIEW) else f"{url}?status=submitted"
            label = format_lazy(_("{records} waiting for review"), records=plural)
            attention.append(AttentionItem(str(label), counted["waiting"], waiting_url))
        return Overview(figures=figures, activity=activity, attention=attention)

    def municipality_panel(
        self, user: User, municipality: Municipality, filters: Filters
    ) -> tuple[str, dict[str, Any]] | None:
        sections: list[dict[str, Any]] = []
        charts: list[Chart] = []
        region_ids = scope_for(user).region_ids
        in_scope = region_ids is None or municipality.region_id in region_ids  # else no trend: none is known
        for record_type in self.records:
            model = record_type.get_model()
            records = self._records(record_type, user).filter(municipality=municipality)
            date = record_type.date_field or "created_at"
            counted = records.aggregate(all=Count("pk"), approved=Count("pk", filter=Q(status=ReviewStatus.APPROVED)))
            trends = (
                _trends(record_type, records.filter(status=ReviewStatus.APPROVED), municipality) if in_scope else []
            )
            charts += trends
            sections.append(
                {
                    "label": model._meta.verbose_name_plural,
                    "counts": counted,
                    "latest": list(records.select_related("municipality").order_by(f"-{date}", "-pk")[:LATEST]),
                    "detail_name": f"{self.namespace}:{record_type.url_name('detail')}",
                    "list_url": reverse(f"{self.namespace}:{record_type.url_name('list')}"),
                    "charts": trends,
                }
            )
        return "records/_municipality_panel.html", {"title": self.label, "sections": sections, "charts": charts}


def _trends(record_type: RecordType, approved: QuerySet[Any], municipality: Municipality) -> list[Chart]:
    """The trend of each of the record type's mapped fields in the municipality, from its approved
    records (in one query)."""
    if not record_type.mapped:
        return []
    from mission.records.dashboard import by_year, trend_chart  # which imports this module

    years = by_year(record_type, approved, record_type.mapped).get(municipality.code, {})
    return [
        trend_chart(
            record_type,
            name,
            slug=f"trend-{record_type.name}-{name}",
            municipality=municipality.name,
            figures={when: values[n] for when, values in years.items()},
            recorded=bool(years),
        )
        for n, name in enumerate(record_type.mapped)
    ]
