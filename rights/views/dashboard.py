from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from mission.accounts.permissions import Capability, reads_department, require_capability, scope_for
from mission.accounts.roles import Department
from mission.common import language_suffix
from mission.dashboards.filters import kept_filters
from mission.dashboards.fragments import dashboard_fragment
from mission.dashboards.services import freshness_for
from mission.dashboards.views import chart_csv
from mission.replicas import reads_from_replica
from rights.dashboards import trial_dashboard
from rights.models import Court, CourtDepartment
from rights.services.summaries import SUMMARY_NAME


@reads_from_replica
def dashboard(request):
    """The Human Rights dashboard: the trial-monitoring indicators for a period, with filters in the URL."""
    require_capability(request.user, Capability.DASHBOARDS)
    if not reads_department(request.user, Department.RIGHTS):
        raise PermissionDenied
    scope = scope_for(request.user)
    # Read with the page (from a replica where there is one), so the names on the charts and in the
    # filter are those of the figures' snapshot; the filter block is kept for exactly these courts.
    courts = Court.objects.order_by("code").values_list("pk", "code", f"name_{language_suffix()}", "seat__region_id")
    courts = [c for c in courts if scope.region_ids is None or c[3] in scope.region_ids]

    def extra() -> dict[str, forms.Field]:
        return {
            "court": forms.ChoiceField(
                label=_("Court"),
                required=False,
                choices=[("", _("All courts"))] + [(code, name) for _pk, code, name, _r in courts],
            ),
            "court_department": forms.ChoiceField(
                label=_("Court department"),
                required=False,
                choices=[("", _("All departments")), *CourtDepartment.choices],
            ),
        }

    kept = kept_filters(request, extra_fields=extra, key=tuple(courts))
    form, filters = kept.form, kept.filters
    court_id = next((pk for pk, code, _name, _r in courts if code == filters.extra.get("court")), None)
    freshness = freshness_for((SUMMARY_NAME,))

    def figures_and_charts():
        return trial_dashboard(
            filters,
            user=request.user,
            courts={str(pk): name for pk, _code, name, _r in courts},
            court_id=court_id,
            court_department=filters.extra.get("court_department") or "",
        )

    if request.GET.get("csv"):
        return chart_csv(request, figures_and_charts()[1], filters)

    def rendered() -> str:
        figures, charts = figures_and_charts()
        context = {"figures": figures, "charts": charts, "filters": filters}
        return render_to_string("dashboards/_figures_and_charts.html", context, request=request)

    fragment = dashboard_fragment(
        "rights", user=request.user, query=request.GET, version=freshness.version, render=rendered
    )
    context = {
        "form": form,
        "filters": filters,
        "filters_html": kept.html,
        "freshness": freshness,
        "figures_and_charts": fragment,
    }
    return render(request, "rights/dashboard.html", context)
