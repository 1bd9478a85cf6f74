"""Every role against every URL that exists.

The URL list is read from the resolver, so a new URL without an expectation here fails
`test_every_url_has_an_expectation` until somebody decides who may open it.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from mission.audit.services import access_record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "monitor", "supervisor", "department_head", "management", "partner", "administrator"]
STAFF = ["monitor", "supervisor", "department_head", "management", "administrator"]

# Open to anyone: signing in, resetting a password, choosing a language, the health check.
PUBLIC = {
    "accounts:login": 200,
    "accounts:password_reset": 200,
    "accounts:password_reset_done": 200,
    "accounts:password_reset_confirm": 200,  # an invalid link shows the "expired" page
    "accounts:password_reset_complete": 200,
    "set_language": 302,  # a GET just goes back; the switch itself is a POST
    "healthz": 200,
    "readyz": 200,  # the verdict for anyone (tests/health); the detail only for monitoring and administrators
    "accounts:logout": 405,  # signing out takes a POST
}
# Pages for staff; partners get 403, anonymous users the login page.
STAFF_PAGES = {
    "home",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:people",
    "accounts:security",
    "accounts:two_factor_setup",  # setting up an app, for a signed-in user who chooses to
    "field_offices:region_list",
    "field_offices:region_detail",
    "dashboards:municipality_detail",
}
# Sign-in security for a signed-in user: the code page (only between a password and its code) and the
# recovery codes (only just after they were made) send a signed-in user on; the rest take a POST. Every
# actor is tried in tests/accounts/test_two_factor.py and test_sessions.py.
OWN_SECURITY = {
    "accounts:two_factor_verify": (302, "home"),
    "accounts:recovery_codes": (302, "accounts:security"),
    "accounts:recovery_codes_renew": (405, None),
    "accounts:two_factor_disable": (405, None),
    "accounts:sessions_end": (405, None),
}
# Pages for staff with dashboards (supervisors, heads, management); everyone else 403, anonymous the login.
DASHBOARD_PAGES = {"dashboards:overview", "reports:list", "reports:create"}
# Pages of one report job: every actor is tried in tests/reports/test_reports.py (TestAccess).
REPORT_JOB_PAGES = {"reports:detail", "reports:status", "reports:download", "reports:rerun"}
# Files on records: every actor is tried in tests/attachments/test_views.py.
ATTACHMENT_PAGES = {"attachments:add", "attachments:download", "attachments:remove"}
# A person's week and calendar feed: every actor is tried in tests/rights/test_my_week.py.
CALENDAR_PAGES = {"calendars:week", "calendars:feed_create", "calendars:feed_revoke", "calendars:feed"}
# A person's own notifications: every actor is tried in tests/notifications/test_notifications.py.
NOTIFICATION_PAGES = {"notifications:list", "notifications:open", "notifications:read", "notifications:settings"}
# Imports under /imports/: every actor is tried in tests/rights/test_schedule_import.py and tests/imports.
IMPORT_PAGES_PREFIX = "imports:"
# Management and department heads start on the mission overview.
HOME_REDIRECTS = {"management", "department_head"}
SAMPLE_KWARGS = {"code": "PRZ", "uidb64": "MQ", "token": "not-a-valid-token", "app_label": "accounts"}


def _url_names(patterns=None, namespace="") -> set[str]:
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def _admin_url(name: str) -> str:
    """Reverse an admin URL with a real object where it takes one."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            obj = model._default_manager.order_by("pk").first()
            object_id = str(obj.pk) if obj else "0"
            shapes = [({}, ()), ({"object_id": object_id}, ()), ({"id": object_id}, ())]
            if name.endswith("_simple_history"):  # a version of the row (none yet: the page finds nothing)
                version = obj.history.first() if obj is not None else None
                shapes.append(({}, (object_id, str(version.pk) if version else "0")))
            for kwargs, args in shapes:
                try:
                    return reverse(name, kwargs=kwargs or None, args=args or None)
                except Exception:  # noqa: S112 (try the next shape of arguments)
                    continue
    if name == "admin:auth_user_password_change":  # Django's UserAdmin names it after the auth app
        return reverse(name, kwargs={"id": str(get_user_model().objects.order_by("pk").first().pk)})
    if name == "admin:view_on_site":
        return reverse(name, kwargs={"content_type_id": ContentType.objects.first().pk, "object_id": "1"})
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "field_offices"})
    return reverse(name)


def _url(name: str) -> str:
    if name.startswith("admin:"):
        return _admin_url(name)
    if name == "dashboards:municipality_detail":
        return reverse(name, kwargs={"code": "22"})
    for keys in ([], ["code"], ["uidb64", "token"]):
        try:
            return reverse(name, kwargs={k: SAMPLE_KWARGS[k] for k in keys})
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot reverse {name}")


@pytest.fixture
def actors(request, monitor):
    access_record(actor=monitor, obj=monitor)  # so that the access-log admin has a row
    return {name: None if name == "anonymous" else request.getfixturevalue(name) for name in ROLES}


def test_every_url_has_an_expectation():
    from tests.departments import contracts

    expected = {name for contract in contracts().values() for name in contract.GET_EXPECTATIONS}
    names = _url_names()
    # Admin URLs are tried below; API routes by role and token in tests/api/test_endpoints.py, which
    # fails in the same way when a route is missing there.
    pages = {n for n in names if not n.startswith(("admin:", "api:"))}
    known = set(PUBLIC) | STAFF_PAGES | DASHBOARD_PAGES | REPORT_JOB_PAGES | ATTACHMENT_PAGES | set(OWN_SECURITY)
    known |= CALENDAR_PAGES | NOTIFICATION_PAGES | {"metrics"}
    known |= {n for n in pages if n.startswith(IMPORT_PAGES_PREFIX)}
    unknown = pages - known - expected
    assert not unknown, f"URLs with no expectation in the authorisation matrix: {sorted(unknown)}"


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(actors, role):
    client = client_for(actors[role])
    for name, status in PUBLIC.items():
        response = client.get(_url(name))
        expected = 403 if role == "partner" and name != "accounts:logout" else status
        assert response.status_code == expected, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages(actors, role):
    client = client_for(actors[role])
    for name in sorted(STAFF_PAGES):
        response = client.get(_url(name))
        if role == "anonymous":
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("accounts:login")), name
        elif role == "partner":
            assert response.status_code == 403, name
        elif name == "home" and role in HOME_REDIRECTS:
            assert response.status_code == 302
            assert response["Location"] == reverse("dashboards:overview")
        else:
            assert response.status_code == 200, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_metrics_are_for_administrators_and_monitorings_token(actors, role):
    """Without the token (tests/health/test_metrics.py), administrators only; a 403, never the login."""
    response = client_for(actors[role]).get(reverse("metrics"))
    assert response.status_code == (200 if role == "administrator" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_own_security_pages(actors, role):
    client = client_for(actors[role])
    for name, (status, destination) in sorted(OWN_SECURITY.items()):
        response = client.get(_url(name))
        if role == "anonymous":
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("accounts:login")), name
        elif role == "partner":
            assert response.status_code == 403, name
        else:
            assert response.status_code == status, (role, name)
            if destination:
                assert response["Location"] == reverse(destination), (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_pages(actors, role):
    client = client_for(actors[role])
    for name in sorted(DASHBOARD_PAGES):
        response = client.get(_url(name))
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        elif role in ("supervisor", "department_head", "management"):
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code == 403, (role, name)


# Read-only by design even for administrators: an audit trail nobody can forge or erase, and
# municipalities that come only from the reference data.
FORBIDDEN_TO_ADMINISTRATORS = {
    "admin:audit_accesslog_add",
    "admin:audit_accesslog_delete",
    "admin:field_offices_municipality_add",
    "admin:field_offices_municipality_delete",
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
    "admin:api_apirequestlog_add",
    "admin:api_apirequestlog_delete",
    "admin:accounts_securityevent_add",
    "admin:accounts_securityevent_delete",
    "admin:autocomplete",  # answers only with the query parameters of an autocomplete widget
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_administrators_only(actors, role):
    client = client_for(actors[role])
    names = sorted(n for n in _url_names() if n.startswith("admin:"))
    assert len(names) > 20
    wrong = []
    for name in names:
        url = _url(name)
        response = client.get(url)
        status, location = response.status_code, response.get("Location", "")
        if role == "administrator":
            if name in FORBIDDEN_TO_ADMINISTRATORS:
                ok = status == 403
            else:
                ok = status < 500 and status != 403 and not location.startswith(reverse("accounts:login"))
        elif role == "anonymous":
            ok = status == 302 and "login" in location
        else:
            ok = status == 403
        if not ok:
            wrong.append((name, url, status))
    assert wrong == [], "\n".join(map(str, wrong))
