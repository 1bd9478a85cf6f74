"""The mission overview, the municipality page, and the plumbing every dashboard page shares (CSV of a
chart's numbers)."""

from typing import Any

from django import forms
from django.http import Http404, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from field_offices.selectors import municipality_detail as select_municipality
from field_offices.selectors import municipality_names
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.models import User
from mission.accounts.permissions import Capability, require_capability
from mission.dashboards import registry
from mission.dashboards.charts import COUNT, TEXT, Chart, Column, choropleth
from mission.dashboards.filters import Filters, kept_filters
from mission.dashboards.fragments import dashboard_fragment
from mission.dashboards.services import Freshness, freshness_for
from mission.exports import csv_response
from mission.pages import get_or_404
from mission.replicas import reads_from_replica


def chart_csv(request: AuthenticatedHttpRequest, charts: list[Chart], filters: Filters) -> StreamingHttpResponse | None:
    """The CSV of one chart's numbers when the URL asks for it (`?csv=<slug>` with the page's filters),
    else None."""
    slug = request.GET.get("csv")
    if not slug:
        return None
    chart = next((c for c in charts if c.slug == slug), None)
    if chart is None:
        raise Http404
    header, rows = chart.csv_rows()
    period = filters.period
    return csv_response(f"{slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv", header, rows)


@reads_from_replica
def overview(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Mission overview: key figures with change, activity by region and on the map, what needs attention.

    When every department shown reads its overview from summaries alone, the rendered figures, region
    chart and map are kept until those summaries change (`mission.dashboards.fragments`); what needs
    attention is counted on every request."""
    require_capability(request.user, Capability.DASHBOARDS)
    departments = registry.departments_for(request.user)

    def extra() -> dict[str, forms.Field]:
        if len(departments) < 2:
            return {}
        return {
            "department": forms.ChoiceField(
                label=_("Department"),
                required=False,
                choices=[("", _("All departments"))] + [(d.department, d.label) for d in departments],
            )
        }

    kept = kept_filters(request, extra_fields=extra, key=tuple(d.department for d in departments))
    form, filters = kept.form, kept.filters
    chosen = filters.extra.get("department")
    shown = [d for d in departments if not chosen or d.department == chosen]
    freshness = freshness_for(tuple(dict.fromkeys(s for d in shown for s in d.summaries)))
    download = request.GET.get("csv") and chart_csv(
        request, _overview_figures(request.user, filters, shown)["charts"], filters
    )
    if download:
        return download
    from_summaries = bool(shown) and all(d.overview_from_summaries for d in shown)
    attention = [a for d in shown if d.overview_from_summaries for a in d.attention(request.user, filters)]

    def rendered() -> str:
        part = _overview_figures(request.user, filters, shown)
        attention.extend(part["counted_attention"])  # departments that count it with their figures
        return render_to_string("dashboards/_overview_figures.html", part | {"filters": filters}, request=request)

    fragment = dashboard_fragment(
        "overview",
        user=request.user,
        query=request.GET,
        version=freshness.version if from_summaries else None,
        render=rendered,
    )
    # The fragment holds the figures, then the region chart, then the map, in that order.
    figures, by_region, the_map = fragment.split(OVERVIEW_PARTS)
    context = {
        "form": form,
        "filters_html": kept.html,
        "filters": filters,
        "freshness": freshness,
        "attention": attention,
        "departments": shown,
        "figures_html": mark_safe(figures),  # noqa: S308 - rendered by the template engine
        "by_region_html": mark_safe(by_region),  # noqa: S308
        "map_html": mark_safe(the_map),  # noqa: S308
    }
    return render(request, "dashboards/overview.html", context)


# Between the parts of the overview's kept fragment (an HTML comment, so it can never be in the text).
OVERVIEW_PARTS = "<!-- overview-part -->"


def _overview_figures(user: User, filters: Filters, shown: list[registry.DepartmentDashboards]) -> dict[str, Any]:
    """The overview's figures, its activity by region and by municipality (charts and map), and the
    attention counted by departments that count it with their figures."""
    parts = [(d, d.overview(user, filters)) for d in shown]
    activities = [(d, p.activity) for d, p in parts if p.activity is not None]

    columns = [Column(_("Region"), TEXT)] + [Column(a.label, COUNT) for _d, a in activities]
    if len(activities) > 1:
        columns.append(Column(_("Total"), COUNT))
    regions = [r for r in filters.regions if filters.region_ids is None or r.pk in filters.region_ids]
    region_rows = []
    for region in regions:
        counts = [a.by_region.get(region.pk, 0) for _d, a in activities]
        region_rows.append([region.name, *counts, *([sum(counts)] if len(activities) > 1 else [])])
    by_region = Chart(
        slug="activity-by-region",
        title=str(_("Activity by region")),
        columns=columns,
        rows=region_rows,
        series=(len(columns) - 1,),
        links=[f"{reverse('dashboards:overview')}?{filters.querystring(region=r.code)}" for r in regions],
    )

    municipalities = municipality_names()
    inside = None
    if filters.region_ids is not None:
        inside = {m["code"] for m in municipalities if m["region_id"] in filters.region_ids}
    values: dict[str, float] = {}
    for _d, activity in activities:
        for code, count in activity.by_municipality.items():
            values[code] = values.get(code, 0) + count
    metric = activities[0][1].label if len(activities) == 1 else str(_("records"))
    names = {m["code"]: m["name"] for m in municipalities}
    region_names = {r.pk: r.name for r in filters.regions}
    area_query = filters.querystring(region="")

    def municipality_url(code: str) -> str:
        return f"{reverse('dashboards:municipality_detail', args=[code])}?{area_query}"

    the_map = choropleth(values=values, names=names, inside=inside, url=municipality_url, metric=metric)
    listed = [m for m in sorted(municipalities, key=lambda m: m["name"]) if inside is None or m["code"] in inside]
    by_municipality = Chart(
        slug="activity-by-municipality",
        title=str(_("Activity by municipality")),
        columns=[Column(_("Municipality"), TEXT), Column(_("Region"), TEXT), Column(metric, COUNT)],
        rows=[[m["name"], region_names.get(m["region_id"], "—"), values.get(m["code"], 0)] for m in listed],
        series=(2,),
        links=[municipality_url(m["code"]) for m in listed],
    )
    return {
        "figures": [f for _d, p in parts for f in p.figures],
        "counted_attention": [a for _d, p in parts for a in p.attention],
        "by_region": by_region,
        "by_municipality": by_municipality,
        "map": the_map,
        "charts": [by_region, by_municipality],
        "parts": OVERVIEW_PARTS,
    }


@reads_from_replica
def municipality_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    """One municipality: where it belongs, and each department's panel of what the user may see there."""
    require_capability(request.user, Capability.DIRECTORY)
    municipality = get_or_404(select_municipality, code=code)
    kept = kept_filters(request, regional=False)
    form, filters = kept.form, kept.filters
    departments = registry.departments_reading(request.user)
    # Before the panels read them: with tasks in-process, the summaries are brought up to date here.
    freshness: Freshness | None = freshness_for(tuple(dict.fromkeys(s for d in departments for s in d.summaries)))
    panels = []
    for department in departments:
        panel = department.municipality_panel(request.user, municipality, filters)
        if panel is not None:
            panels.append({"department": department, "template": panel[0], **panel[1]})
    charts = [panel["chart"] for panel in panels if panel.get("chart") is not None]
    charts += [chart for panel in panels for chart in panel.get("charts", ())]
    download = chart_csv(request, charts, filters)
    if download is not None:
        return download
    freshness = freshness if panels else None
    in_scope = filters.region_ids is None or municipality.region_id in filters.region_ids
    context = {
        "municipality": municipality,
        "form": form,
        "filters_html": kept.html,
        "filters": filters,
        "panels": panels,
        "freshness": freshness,
        "in_scope": in_scope,
    }
    return render(request, "dashboards/municipality_detail.html", context)
