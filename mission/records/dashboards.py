"""A department's declared records on the dashboards: on the mission overview, the records of the
period (and before it) with their activity by region and municipality, and what waits for review; on
the municipality page, the latest records there. Read from the department's summary
(`mission.records.summary`), scoped to the reader; what waits for review is counted live."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from field_offices.models import Municipality
from mission.accounts.permissions import Capability, has_capability, scope_for
from mission.api.disclosure import hidden_when_small
from mission.choices import reference_values
from mission.dashboards.charts import COUNT, Chart, Figure
from mission.dashboards.counters import live_counts
from mission.dashboards.registry import Activity, AttentionItem, DepartmentDashboards, Overview
from mission.records.counters import waiting_name
from mission.records.summary import STATUS, record_counts, record_status_counts, summary_name, type_key
from mission.review.models import ReviewStatus

if TYPE_CHECKING:
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
    """The dashboards of a department that declares records and no dashboards of its own. The overview
    and the municipality page read its summary (`mission.records.summary`); what waits for review is
    counted live."""

    overview_from_summaries = True

    def __init__(self, config: DepartmentConfig) -> None:
        self.department = config.department
        self.label = config.verbose_name
        self.namespace = config.label
        self.records = config.records
        self.url_name = f"{config.label}:dashboard"  # its page: mission.records.dashboard
        self.summary = summary_name(config)
        self.overview_activity = config.overview_activity
        self.summaries = (self.summary,)

    def _records(self, record_type: RecordType, user: User) -> QuerySet[Any]:
        model: Any = record_type.get_model()
        visible: QuerySet[Any] = model._default_manager.visible_to(user)
        return visible

    def overview(self, user: User, filters: Filters) -> Overview:
        """Every record of the period in the reader's scope, whatever its status, and where."""
        figures = []
        activity = Activity(label=str(_("records")))
        counts = record_counts(self.summary, filters.region_ids, filters.period, dimensions=[STATUS])
        codes = reference_values(Municipality, "code") if self.overview_activity else {}
        for record_type in self.records:
            plural = record_type.get_model()._meta.verbose_name_plural
            url = reverse(f"{self.namespace}:{record_type.url_name('list')}")
            now, before = counts.total(record_type, STATUS), counts.total(record_type, STATUS, previous=True)
            if record_type.sensitive_counts:  # no small count anywhere; and not on the activity map
                figures.append(
                    Figure(str(plural).capitalize(), hidden_when_small(now), hidden_when_small(before), COUNT, url)
                )
                continue
            figures.append(Figure(str(plural).capitalize(), now, before, COUNT, url))
            if not self.overview_activity:
                continue
            key = type_key(record_type)
            for region, n in counts.by_region.get(key, {}).items():
                activity.by_region[region] = activity.by_region.get(region, 0) + n
            for municipality, n in counts.by_municipality.get(key, {}).items():
                code = codes.get(municipality, "")
                activity.by_municipality[code] = activity.by_municipality.get(code, 0) + n
        return Overview(figures=figures, activity=activity if self.overview_activity else None)

    def attention(self, user: User, filters: Filters) -> list[AttentionItem]:
        """The records waiting for review now, in the reader's scope: the live counts the records'
        writes keep (`mission.records.counters`), one query over a few rows per region."""
        names = [waiting_name(record_type.get_model()) for record_type in self.records]
        counts = live_counts(names, user=user, region_ids=filters.region_ids)
        attention = []
        for n, record_type in enumerate(self.records):
            plural = record_type.get_model()._meta.verbose_name_plural
            url = reverse(f"{self.namespace}:{record_type.url_name('list')}")
            queue = f"{self.namespace}:{record_type.url_name('queue')}"
            waiting_url = reverse(queue) if has_capability(user, Capability.REVIEW) else f"{url}?status=submitted"
            label = format_lazy(_("{records} waiting for review"), records=plural)
            waiting: int | None = counts[names[n]].everyone
            if record_type.sensitive_counts:  # the reviewers find them in their queue, not as a small count
                waiting = hidden_when_small(waiting)
            attention.append(AttentionItem(str(label), waiting, waiting_url))
        return attention

    def municipality_panel(
        self, user: User, municipality: Municipality, filters: Filters
    ) -> tuple[str, dict[str, Any]] | None:
        sections: list[dict[str, Any]] = []
        charts: list[Chart] = []
        region_ids = scope_for(user).region_ids
        in_scope = region_ids is None or municipality.region_id in region_ids  # else no trend: none is known
        # Counted in the reader's scope only: another region's municipality shows no counts of its records.
        by_status = record_status_counts(self.summary, municipality.pk) if in_scope else {}
        for record_type in self.records:
            model = record_type.get_model()
            records = self._records(record_type, user).filter(municipality=municipality)
            date = record_type.date_field or "created_at"
            statuses = by_status.get(type_key(record_type), Counter())
            counted = {"all": sum(statuses.values()), "approved": statuses.get(ReviewStatus.APPROVED, 0)}
            if record_type.sensitive_counts:  # a municipality's few cases would point at the people
                sections.append(
                    {
                        "label": model._meta.verbose_name_plural,
                        "hidden": hidden_when_small(counted["all"]) is None,
                        "counts": counted,
                        "list_url": reverse(f"{self.namespace}:{record_type.url_name('list')}"),
                    }
                )
                continue
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
