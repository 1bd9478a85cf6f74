"""`/healthz/` (liveness) and `/readyz/` (readiness) for load balancers and monitoring.

Liveness says only that this process answers: no database, no authentication, so a database outage
does not make an orchestrator restart every web process. Readiness runs the checks of
`mission.health.checks` and answers 503 when one fails. Anyone gets the verdict; the detail (which
check failed, timings, ages) only a monitoring system holding HEALTH_READYZ_TOKEN (`Authorization:
Bearer …`) or a signed-in administrator. Neither carries any record data."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from mission.accounts.roles import Role
from mission.health.checks import readiness


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers requests."""
    return JsonResponse({"status": "ok"})


def monitoring_or_administrator(request: HttpRequest, token: str) -> bool:
    """Whether the request carries `token` as its Bearer token (a monitoring system; never with an
    empty token), or comes from a signed-in administrator."""
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.role == Role.ADMINISTRATOR)


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(check.ok for check in checks)
    body: dict[str, object] = {"status": "ready" if ready else "not ready"}
    if monitoring_or_administrator(request, settings.HEALTH_READYZ_TOKEN):
        body["checks"] = {check.name: {"ok": check.ok, **check.detail} for check in checks}
    return JsonResponse(body, status=200 if ready else 503)
