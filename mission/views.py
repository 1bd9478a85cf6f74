"""The portal's shell: the home page and the error pages (the health checks: mission/health)."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from field_offices.selectors import region_list
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import Capability, capabilities_of, has_capability, scope_for
from mission.accounts.roles import Role
from mission.api.exceptions import is_api_request, json_error


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
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


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our own BadRequest messages say what was wrong with the address; Django's other reasons for a 400
    # (SuspiciousOperation: a forged host, a bad session cookie) are not for the visitor to read.
    reason = str(exception) if type(exception) is BadRequest else ""
    if is_api_request(request):
        return json_error(400, reason or _("The request is not valid."))
    return render(request, "400.html", {"reason": reason}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(403, _("You do not have permission to perform this action."))
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error(404, _("Not found."))
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that might query the database: the fault may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    if is_api_request(request):
        return json_error(500, _("The server hit an error; the administrators have been told."))
    return HttpResponseServerError(loader.get_template("500.html").render())
