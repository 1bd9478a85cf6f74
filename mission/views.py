"""The portal's shell: the home page, the health check and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from field_offices.selectors import region_list
from mission.accounts.permissions import Capability, capabilities_of, has_capability, scope_for
from mission.accounts.roles import Role


def home(request):
    """Where the user is (department, region, field team) and what they can do. Mission management
    and department heads start on the mission overview instead."""
    user = request.user
    if (
        user.is_authenticated
        and user.role in (Role.MANAGEMENT, Role.DEPARTMENT_HEAD)
        and has_capability(user, Capability.DASHBOARDS)
    ):
        return redirect("dashboards:overview")
    context = {
        "capabilities": capabilities_of(user),
        "scope": scope_for(user),
        "regions": region_list(),
    }
    return render(request, "home.html", context)


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and monitoring: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors that might query the database: the fault may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
