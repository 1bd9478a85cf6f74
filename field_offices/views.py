from django.http import Http404
from django.shortcuts import render

from field_offices.models import Municipality, Region
from field_offices.selectors import municipality_detail as select_municipality
from field_offices.selectors import region_detail as select_region
from field_offices.selectors import region_list as select_regions
from mission.accounts.permissions import Capability, require_capability
from mission.dashboards import registry
from mission.dashboards.filters import read_filters
from mission.dashboards.services import freshness_for
from mission.dashboards.views import chart_csv


def region_list(request):
    require_capability(request.user, Capability.DIRECTORY)
    return render(request, "field_offices/region_list.html", {"regions": select_regions()})


def region_detail(request, code: str):
    require_capability(request.user, Capability.DIRECTORY)
    try:
        region = select_region(code=code)
    except Region.DoesNotExist:
        raise Http404 from None
    return render(request, "field_offices/region_detail.html", {"region": region})


def municipality_detail(request, code: str):
    """One municipality: where it belongs, and each department's panel of what the user may see there."""
    require_capability(request.user, Capability.DIRECTORY)
    try:
        municipality = select_municipality(code=code)
    except Municipality.DoesNotExist:
        raise Http404 from None
    form, filters = read_filters(request, regional=False)
    departments = registry.departments_reading(request.user)
    panels = []
    for department in departments:
        panel = department.municipality_panel(request.user, municipality, filters)
        if panel is not None:
            panels.append({"department": department, "template": panel[0], **panel[1]})
    charts = [panel["chart"] for panel in panels if panel.get("chart") is not None]
    download = chart_csv(request, charts, filters)
    if download is not None:
        return download
    freshness = freshness_for(tuple(dict.fromkeys(s for d in departments for s in d.summaries))) if panels else None
    in_scope = filters.region_ids is None or municipality.region_id in filters.region_ids
    context = {
        "municipality": municipality,
        "form": form,
        "filters": filters,
        "panels": panels,
        "freshness": freshness,
        "in_scope": in_scope,
    }
    return render(request, "field_offices/municipality_detail.html", context)
