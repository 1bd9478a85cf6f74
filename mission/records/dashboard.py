"""A department's dashboard made from its declared records (`/<url_prefix>dashboard/`): for the period
and the regions chosen, the approved records and their change from the period before, by month, by
each coded field their counts group by (`RecordType.aggregate_by`) and by region, and, for a record
type that measures steps of its response (`RecordType.response_measured`: "police opened a case"),
the share of records with that step and the median days to it, and the steps against their
deadlines (`RecordType.deadlines`, `mission.records.deadlines`); for a record type with `mapped`
fields, a map of one of them by municipality and its trend by year in one municipality. Counted from
the records, in the reader's scope; chosen on the page by the dashboards' filters (`mission.dashboards.filters`)."""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from field_offices.selectors import municipality_names
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import Capability, reads_department, require_capability, scope_for
from mission.api.disclosure import hidden_when_small
from mission.dashboards.charts import COUNT, MEAN, RATE, TEXT, Chart, Column, Figure, choropleth
from mission.dashboards.filters import Filters, kept_filters
from mission.dashboards.fragments import dashboard_fragment
from mission.dashboards.services import freshness_for
from mission.dashboards.views import chart_csv
from mission.records.dashboards import in_period
from mission.records.deadlines import deadline_dashboard
from mission.records.shapes import IncidentRecord
from mission.records.summary import (
    RESPONSE,
    Counts,
    averages,
    median_days,
    reached_share,
    record_counts,
    response_part,
    summary_name,
    summed_dimension,
    type_key,
)
from mission.replicas import reads_from_replica
from mission.review.models import ReviewStatus

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mission.departments import DepartmentConfig
    from mission.records.declaration import RecordPart, RecordType

DAYS = "days"  # a figure in days (a median), written as a whole number


def _approved(record_type: RecordType, user: Any, filters: Filters) -> QuerySet[Any]:
    """The approved records the user reads in the regions of `filters` (the map reads them: one
    record per municipality and year, a few thousand at most)."""
    model: Any = record_type.get_model()
    records: QuerySet[Any] = model._default_manager.visible_to(user).filter(status=ReviewStatus.APPROVED)
    if filters.region_ids is not None:
        records = records.filter(municipality__region_id__in=filters.region_ids)
    return records.order_by()


def record_dashboard(config: DepartmentConfig, user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    """The figures and charts of the department's declared records, read from its summary
    (`mission.records.summary`) for the regions of `filters` (the reader's scope)."""
    counts = record_counts(summary_name(config), filters.region_ids, filters.period)
    figures: list[Figure] = []
    charts: list[Chart] = []
    for record_type in config.records:
        first_figure, first_chart = len(figures), len(charts)
        model: Any = record_type.get_model()
        plural = capfirst(model._meta.verbose_name_plural)
        figures.append(Figure(plural, counts.total(record_type), counts.total(record_type, previous=True), COUNT))
        for counted in [p for p in record_type.parts if p.counted_by and not p.tally]:  # the participants
            related = counted.related_name()
            figures.append(
                Figure(
                    capfirst(str(counted.get_model()._meta.verbose_name_plural)),
                    counts.total(record_type, related),
                    counts.total(record_type, related, previous=True),
                    COUNT,
                )
            )
        for summed in [p for p in record_type.parts if p.summed]:  # the people attending, added up
            rows_model: Any = summed.get_model()
            for name in summed.summed:
                dimension = summed_dimension(summed, name, "")
                summed_label = format_lazy(
                    _("{rows}: {measure}"),
                    rows=capfirst(rows_model._meta.verbose_name_plural),
                    measure=rows_model._meta.get_field(name).verbose_name,
                )
                figures.append(
                    Figure(
                        summed_label,
                        counts.total(record_type, dimension),
                        counts.total(record_type, dimension, previous=True),
                        COUNT,
                    )
                )
        part = response_part(record_type)
        for step in record_type.response_measured:
            step_field: Any = part.get_model()._meta.get_field("step") if part else None
            label = dict(step_field.choices or ()).get(step, step) if step_field else step
            now, before = (counts.of(record_type, f"{RESPONSE}{step}", previous=p) for p in (False, True))
            share_label = (
                _("{step}: share of the incidents reported to the police")
                if issubclass(model, IncidentRecord)
                else _("{step}: share of the records")
            )
            figures.append(
                Figure(format_lazy(share_label, step=label), reached_share(now), reached_share(before), RATE)
            )
            figures.append(
                Figure(format_lazy(_("{step}: median days"), step=label), median_days(now), median_days(before), COUNT)
            )
        charts += _charts(record_type, counts, filters)
        deadline_figures, deadline_charts = deadline_dashboard(record_type, counts, timezone.localdate())
        figures += deadline_figures
        charts += deadline_charts
        if record_type.sensitive_counts:
            totals = (counts.total(record_type), counts.total(record_type, previous=True))
            figures[first_figure:] = [_small_hidden(figure, *totals) for figure in figures[first_figure:]]
            charts[first_chart:] = [_small_cells_hidden(chart) for chart in charts[first_chart:]]
    for tracker_type in config.trackers:
        from mission.trackers.dashboard import tracker_dashboard

        more_figures, more_charts = tracker_dashboard(tracker_type, user, filters)
        figures += more_figures
        charts += more_charts
    for panel in config.dashboard_panels:
        more_figures, more_charts = import_string(panel)(user, filters)
        figures += more_figures
        charts += more_charts
    return figures, charts


def _small_hidden(figure: Figure, total: int, before: int) -> Figure:
    """A figure of a record type whose counts are sensitive: a count under the disclosure threshold is
    not shown, nor a share or a median of fewer records than that."""
    if figure.kind == COUNT:
        return dataclasses.replace(
            figure, value=hidden_when_small(figure.value), previous=hidden_when_small(figure.previous)
        )
    return dataclasses.replace(
        figure,
        value=None if hidden_when_small(total) is None else figure.value,
        previous=None if hidden_when_small(before) is None else figure.previous,
    )


def _small_cells_hidden(chart: Chart) -> Chart:
    """A chart of a record type whose counts are sensitive, with every count under the threshold
    shown as not given."""
    counted = [n for n, column in enumerate(chart.columns) if n and column.kind == COUNT]
    rows = [[hidden_when_small(v) if n in counted else v for n, v in enumerate(row)] for row in chart.rows]
    return dataclasses.replace(chart, rows=rows)


def _labels(field: Any) -> dict[str, str]:
    """A coded field's values, as the summary keeps them (text), with their labels."""
    if field.is_relation:
        rows = field.related_model._default_manager.all()
        limit = field.get_limit_choices_to()  # the agencies among the institutions, say
        return {str(obj.pk): str(obj) for obj in (rows.complex_filter(limit) if limit else rows)}
    return {str(value): str(label) for value, label in field.choices or ()}


def _charts(record_type: RecordType, counts: Counts, filters: Filters) -> list[Chart]:
    model: Any = record_type.get_model()
    name = record_type.name
    key = type_key(record_type)
    plural = capfirst(model._meta.verbose_name_plural)
    count = Column(_("Approved records"), COUNT)
    charts = []
    if record_type.date_field:
        by_month = counts.by_month.get(key, Counter())
        rows = [[date_format(month, "YEAR_MONTH_FORMAT"), by_month.get(month, 0)] for month in filters.period.months()]
        title = format_lazy(_("{records} by month"), records=plural)
        charts.append(Chart(f"{name}-by-month", title, [Column(_("Month")), count], rows, style="columns"))
    for field_name in record_type.aggregate_by:
        field: Any = model._meta.get_field(field_name)
        counted = counts.of(record_type, field_name)
        rows = [[str(label), counted.get(value, 0)] for value, label in _labels(field).items()]
        title = format_lazy(_("{records} by {field}"), records=plural, field=field.verbose_name)
        charts.append(Chart(f"{name}-by-{field_name}", title, [Column(capfirst(field.verbose_name)), count], rows))
    for part in record_type.parts:
        charts += _part_charts(record_type, part, counts)
    by_region = counts.by_region.get(key, Counter())
    shown = [r for r in filters.regions if filters.region_ids is None or r.pk in filters.region_ids]
    rows = [[region.name, by_region.get(region.pk, 0)] for region in shown]
    title = format_lazy(_("{records} by region"), records=plural)
    charts.append(Chart(f"{name}-by-region", title, [Column(_("Region")), count], rows))
    return charts


def _mapped(config: DepartmentConfig) -> dict[str, tuple[RecordType, Any]]:
    """The fields the dashboard may map ("<record type>.<field>" → the record type and the field)."""
    return {
        f"{record_type.name}.{name}": (record_type, record_type.get_model()._meta.get_field(name))
        for record_type in config.records
        for name in record_type.mapped
    }


def _latest_first(record_type: RecordType) -> list[str]:
    """The order that puts a municipality's latest record first (the map's and the trend's figure)."""
    day = record_type.date_field or "created_at"
    model: Any = record_type.get_model()
    return [*(model._meta.ordering or [f"-{day}"]), "-pk"]


def _map(
    mapped: dict[str, tuple[RecordType, Any]],
    user: Any,
    filters: Filters,
    municipalities: list[Mapping[str, Any]],
) -> tuple[dict[str, Any], Chart]:
    """The municipalities coloured by the chosen field (the first by default): each one's latest
    approved record of the period; its numbers as a chart (the map's data table, and its CSV)."""
    key = filters.extra.get("indicator") or next(iter(mapped))
    record_type, field = mapped[key]
    records = _approved(record_type, user, filters).filter(in_period(record_type, filters.period))
    day = record_type.date_field or "created_at"
    latest: dict[str, tuple[Any, Any]] = {}
    for code, value, when in records.order_by("municipality__code", *_latest_first(record_type)).values_list(
        "municipality__code", field.name, day
    ):
        latest.setdefault(code, (value, when))  # an empty value stays empty: not an older record's
    values = {code: float(value) for code, (value, _when) in latest.items() if value is not None}
    inside = None
    if filters.region_ids is not None:
        inside = {m["code"] for m in municipalities if m["region_id"] in filters.region_ids}
    names = {m["code"]: m["name"] for m in municipalities}
    metric = capfirst(field.verbose_name)

    def municipality_url(code: str) -> str:
        return reverse("dashboards:municipality_detail", args=[code])

    the_map = choropleth(
        values=values, names=names, inside=inside, url=municipality_url, metric=metric, missing_is_zero=False
    )
    listed = [m for m in sorted(municipalities, key=lambda m: m["name"]) if inside is None or m["code"] in inside]
    table = Chart(
        slug=f"map-{key.replace('.', '-')}",
        title=format_lazy(_("Municipalities: {metric}"), metric=metric),
        columns=[Column(_("Municipality"), TEXT), Column(metric, COUNT), Column(_("As recorded on"), TEXT)],
        rows=[[m["name"], values.get(m["code"]), _when(latest.get(m["code"]))] for m in listed],
        links=[municipality_url(m["code"]) for m in listed],
    )
    return the_map, table


def _in_scope(user: Any, municipalities: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The municipalities of the regions the user reads, by name: the trend's choices."""
    regions = scope_for(user).region_ids
    inside = [m for m in municipalities if regions is None or m["region_id"] in regions]
    return sorted(inside, key=lambda m: m["name"])


def by_year(
    record_type: RecordType, records: QuerySet[Any], fields: Sequence[str]
) -> dict[str, dict[int, list[float | None]]]:
    """Each municipality's figures of `fields` by year (the record type's `trend_by`, else the year of
    its date): a year's figures are those of its latest record of that year, and an empty one stays
    empty, as on the map. One query, whatever the years and places."""
    year = F(record_type.trend_by) if record_type.trend_by else ExtractYear(record_type.date_field or "created_at")
    found: dict[str, dict[int, list[float | None]]] = {}  # municipality code → year → its figures
    rows = (
        records.annotate(trend_year=year)
        .order_by("municipality__code", "-trend_year", *_latest_first(record_type))
        .values_list("municipality__code", "trend_year", *fields)
    )
    for code, when, *values in rows:
        found.setdefault(code, {}).setdefault(when, [None if v is None else float(v) for v in values])
    return found


def trend_chart(
    record_type: RecordType,
    field_name: str,
    *,
    slug: str,
    municipality: str,
    figures: dict[int, float | None],
    recorded: bool,
    medians: dict[int, float | None] | None = None,
) -> Chart:
    """A mapped field's trend in one municipality: its figure each year from the first to the last
    with one (a year between without one is shown empty), and the median of the municipalities
    shown beside it when `medians` are given. `recorded`: the municipality has approved records at all,
    which the empty chart says."""
    model: Any = record_type.get_model()
    years = [when for when, value in figures.items() if value is not None]
    span = range(min(years), max(years) + 1) if years else range(0)
    columns = [Column(_("Year"), TEXT), Column(municipality, COUNT)]
    rows: list[list[Any]] = [[when, figures.get(when)] for when in span]
    note = _("Every year, whatever the period: each year's figure is from its latest approved record.")
    if medians is not None:
        columns.append(Column(_("Median of the municipalities shown"), COUNT))
        for row in rows:
            row.append(medians.get(row[0]))
        note = _(
            "Every year, whatever the period: each year's latest approved record. The median is of the "
            "municipalities shown that have a figure for the year."
        )
    empty = (
        _("No approved {records} with this figure for this municipality yet.")
        if recorded
        else _("No approved {records} for this municipality yet.")
    )
    metric = capfirst(model._meta.get_field(field_name).verbose_name)
    return Chart(
        slug=slug,
        title=format_lazy(_("{metric} by year: {municipality}"), metric=metric, municipality=municipality),
        columns=columns,
        rows=rows,
        series=tuple(range(1, len(columns))),
        style="columns",
        stacked=False,
        measured=True,
        note=str(note),
        empty_text=format_lazy(empty, records=model._meta.verbose_name_plural),
    )


def _trend(
    mapped: dict[str, tuple[RecordType, Any]],
    user: Any,
    filters: Filters,
    municipalities: list[Mapping[str, Any]],
) -> Chart:
    """The chosen field over the years in one municipality (the one chosen on the form, else the first
    by name with a figure), with the median of the municipalities shown each year to compare with.
    Every year, whatever the period: a trend is read over years."""
    key = filters.extra.get("indicator") or next(iter(mapped))
    record_type, field = mapped[key]
    found = {
        code: {when: values[0] for when, values in years.items()}
        for code, years in by_year(record_type, _approved(record_type, user, filters), [field.name]).items()
    }
    shown = [
        m for m in _in_scope(user, municipalities) if filters.region_ids is None or m["region_id"] in filters.region_ids
    ]
    codes = [m["code"] for m in shown]
    chosen = filters.extra.get("municipality")
    if chosen not in codes:
        with_figures = {code for code, years in found.items() if any(v is not None for v in years.values())}
        chosen = next((code for code in codes if code in with_figures), codes[0] if codes else None)
    pooled: dict[int, list[float]] = {}  # each year's figures of the municipalities shown
    for years in found.values():
        for when, value in years.items():
            if value is not None:
                pooled.setdefault(when, []).append(value)
    return trend_chart(
        record_type,
        field.name,
        slug=f"trend-{key.replace('.', '-')}",
        municipality=next((m["name"] for m in shown if m["code"] == chosen), ""),
        figures=found.get(chosen or "", {}),
        recorded=(chosen or "") in found,
        medians={when: statistics.median(values) for when, values in pooled.items()},
    )


def _when(found: tuple[Any, Any] | None) -> str:
    """The date of the record a municipality's figure comes from (the map's table says it)."""
    if found is None:
        return ""
    when = found[1]
    return date_format(when, "SHORT_DATE_FORMAT") if isinstance(when, datetime.date) else ""


@reads_from_replica
def dashboard_page(config: DepartmentConfig, request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The department's dashboard: for its staff and mission management who read dashboards."""
    require_capability(request.user, Capability.DASHBOARDS)
    if not reads_department(request.user, config.department):
        raise PermissionDenied
    mapped = _mapped(config)
    municipalities = municipality_names() if mapped else []
    places = [(m["code"], m["name"]) for m in _in_scope(request.user, municipalities)]

    def extra() -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        if mapped:
            choices = [(key, capfirst(field.verbose_name)) for key, (_record_type, field) in mapped.items()]
            fields["indicator"] = forms.ChoiceField(label=_("Map"), required=False, choices=choices)
            fields["municipality"] = forms.ChoiceField(
                label=_("Trend in"), required=False, choices=[("", _("The first with a figure")), *places]
            )
        return fields

    # The choices: the department's mapped fields and the municipalities read with the page.
    kept = kept_filters(request, extra_fields=extra, key=(config.label, tuple(places)))
    form, filters = kept.form, kept.filters
    freshness = freshness_for((summary_name(config),))

    def built() -> dict[str, Any]:
        figures, charts = record_dashboard(config, request.user, filters)
        found: dict[str, Any] = {"figures": figures, "charts": charts, "filters": filters}
        if mapped:
            the_map = _map(mapped, request.user, filters, municipalities)
            trend = _trend(mapped, request.user, filters, municipalities)
            found |= {"map": the_map[0], "table_chart": the_map[1], "trend_chart": trend}
        return found

    if request.GET.get("csv"):
        shown = built()
        beside_map = [shown["table_chart"], shown["trend_chart"]] if mapped else []  # the map's table, the trend
        if csv := chart_csv(request, shown["charts"] + beside_map, filters):
            return csv

    def rendered() -> str:
        return render_to_string("records/_dashboard_body.html", built(), request=request)

    # Figures, charts, the map and the trend come from the summary (and the trackers and the mapped
    # records, whose changes mark it): kept until it changes, per scope, filters and language.
    # A tracker's overdue items, the steps past their deadline and the department's panels change with
    # the day alone: kept for the day.
    by_day = (
        any(t.deadline for t in config.trackers) or any(r.deadlines for r in config.records) or config.dashboard_panels
    )
    day = timezone.localdate().isoformat() if by_day else ""
    body = dashboard_fragment(
        summary_name(config),
        user=request.user,
        query=request.GET,
        version=freshness.version,
        render=rendered,
        extra=day,
    )
    context = {
        "form": form,
        "filters": filters,
        "filters_html": kept.html,
        "title": config.verbose_name,
        "freshness": freshness,
        "body": body,
    }
    response: HttpResponse = render(request, "records/dashboard.html", context)
    return response


def _part_charts(record_type: RecordType, part: RecordPart, counts: Counts) -> list[Chart]:
    """The rows of a part (the participants) of the records counted, by each of its `counted_by`
    fields, with the totals of its `summed` fields beside (the issues resolved; a tally's rows, the
    women and the men attending, are added up, not counted): counts only, never a name."""
    model: Any = part.get_model()
    plural = capfirst(model._meta.verbose_name_plural)
    measured = [model._meta.get_field(name) for name in part.summed]
    charts = []
    for field_name in part.counted_by:
        field: Any = model._meta.get_field(field_name)
        labels = _labels(field)
        found = [] if part.tally else [counts.of(record_type, f"{part.related_name()}.{field_name}")]
        found += [counts.of(record_type, summed_dimension(part, m.name, field_name)) for m in measured]
        rows = [[str(label), *(c.get(value, 0) for c in found)] for value, label in labels.items()]
        unknown = [sum(n for value, n in c.items() if value not in labels) for c in found]  # empty: not known
        if any(unknown):
            rows.append([str(_("Not known")), *unknown])
        columns = [Column(capfirst(field.verbose_name))]
        columns += [] if part.tally else [Column(plural, COUNT)]
        columns += [Column(capfirst(m.verbose_name), COUNT) for m in measured]
        title = format_lazy(_("{rows} by {field}"), rows=plural, field=field.verbose_name)
        slug = f"{record_type.name}-{part.name}-by-{field_name}"
        series = tuple(range(1, len(columns))) if part.tally else (1,)  # a tally's parts make its whole
        charts.append(Chart(slug, title, columns, rows, series=series))
    for name in part.averaged:
        charts += _average_charts(record_type, part, name, counts)
    return charts


def _average_charts(record_type: RecordType, part: RecordPart, name: str, counts: Counts) -> list[Chart]:
    """The mean of a part's averaged field (a trainee's knowledge gain) by each of the record type's
    `aggregate_by` fields, with how many rows it is the mean of; from the summary, never the rows."""
    rows_model: Any = part.get_model()
    measured: Any = rows_model._meta.get_field(name)
    model: Any = record_type.get_model()
    charts = []
    for by in record_type.aggregate_by:
        field: Any = model._meta.get_field(by)
        found = averages(counts, record_type, part, name, by)
        rows = [[label, *found[value]] for value, label in _labels(field).items() if value in found]
        title = format_lazy(_("Mean {measure} by {field}"), measure=measured.verbose_name, field=field.verbose_name)
        columns = [
            Column(capfirst(field.verbose_name)),
            Column(capfirst(rows_model._meta.verbose_name_plural)),
            Column(_("Mean"), MEAN),
        ]
        slug = f"{record_type.name}-{part.name}-{name}-by-{by}"
        charts.append(Chart(slug, title, columns, rows, series=(2,)))
    return charts
