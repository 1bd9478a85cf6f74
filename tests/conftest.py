"""Shared fixtures: the reference geography, the actors of STYLE.md, and the rule for service tests."""

import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from field_offices.models import FieldTeam, Region
from mission.accounts.roles import Department
from tests.factories import UserFactory

# In CI a test that needs a service must run, never skip: MISSION_REQUIRE_SERVICES lists the services
# that this run must have (comma-separated: chromium, redis, postgresql).
REQUIRED_SERVICES = {s.strip() for s in os.environ.get("MISSION_REQUIRE_SERVICES", "").split(",") if s.strip()}

PASSWORD = "correct-horse-battery"


def require_service(available: bool, service: str, what: str) -> None:
    """Skip on a laptop without the service; fail where MISSION_REQUIRE_SERVICES names it (CI)."""
    if available:
        return
    if service in REQUIRED_SERVICES:
        pytest.fail(f"{what} is required in this run (MISSION_REQUIRE_SERVICES) but not available")
    pytest.skip(f"{what} is not available")


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Albanian leaves the language active in the test's thread (LocaleMiddleware activates
    it per request and nothing deactivates it): each test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_in_process(request, settings):
    """Tasks run in-process unless a test starts real workers (the `worker_queue` fixture)."""
    from mission.celery import app

    eager = "worker_queue" not in request.fixturenames
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _full_unauthenticated_allowance():
    """API requests without a valid token are throttled per address, and every test client comes from
    127.0.0.1 (and the cache may be Redis, which outlives the run): each test starts with a full one."""
    from django.core.cache import cache

    from mission.api.throttling import UnauthenticatedRateThrottle

    cache.delete(UnauthenticatedRateThrottle.cache_format % {"scope": "unauthenticated", "ident": "127.0.0.1"})


@pytest.fixture(autouse=True)
def _fresh_reference_choices():
    """Option lists of reference data are kept per process (mission/choices.py); a test that adds a
    court and rolls it back must not leave it in the next test's filter form."""
    from mission.choices import forget_reference_choices

    forget_reference_choices()


@pytest.fixture(autouse=True)
def _fresh_page_statements():
    """Partners' page statements are kept per process (mission/api/rows.py); a test that changes a
    view's scope (to make it fail, say) must not be answered by the statement of the test before."""
    from mission.api.rows import page_statements

    page_statements.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data once per test database; tests roll back to it. (Transactional tests, which
    run last, empty the tables; `geography` loads it again for them.)"""
    with django_db_blocker.unblock():
        call_command("load_reference_data", stdout=StringIO())


@pytest.fixture
def geography(db):
    """The real reference data: 5 regions, 38 municipalities, field teams, communities, and every
    department's own (courts, the fair-trial questionnaire)."""
    if not Region.objects.exists():
        call_command("load_reference_data", stdout=StringIO())
    return {region.code: region for region in Region.objects.all()}


def _team(code: str) -> FieldTeam:
    return FieldTeam.objects.get(code=code)


# The actors: someone who may act, a read-only colleague, out-of-scope staff, a partner, an administrator.
@pytest.fixture
def monitor(geography):
    return UserFactory(username="monitor", region=geography["PRZ"], field_team=_team("FT-PRZ-01"))


@pytest.fixture
def supervisor(geography):
    return UserFactory(username="supervisor", supervisor=True, region=geography["PRZ"])


@pytest.fixture
def other_region_monitor(geography):
    return UserFactory(username="monitor.mitrovica", region=geography["MIT"], field_team=_team("FT-MIT-01"))


@pytest.fixture
def other_department_monitor(geography):
    return UserFactory(
        username="monitor.democratization", department=Department.DEMOCRATIZATION, region=geography["PRZ"]
    )


@pytest.fixture
def department_head(geography):
    return UserFactory(username="head", department_head=True)


@pytest.fixture
def management(geography):
    return UserFactory(username="management", management=True)


@pytest.fixture
def partner(geography):
    return UserFactory(username="partner", partner=True)


@pytest.fixture
def administrator(geography):
    return UserFactory(username="administrator", administrator=True)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_link(response, rel: str = "next") -> str | None:
    """The href of a list page's Next (or Previous, rel="prev") link as the page renders it, unescaped
    and ready for `client.get`; None when the page has no such link."""
    import html
    import re

    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', response.content.decode())
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def rendered_fields(monkeypatch) -> list[str]:
    """The names of the form fields rendered by `{% field_row %}` (through `{% filter_fields %}`) from
    here on: what a page built instead of taking it from the kept filter forms."""
    from mission.templatetags import fragments

    rendered: list[str] = []
    field_row = fragments.field_row

    def counted(field):
        rendered.append(field.name)
        return field_row(field)

    monkeypatch.setattr(fragments, "field_row", counted)
    return rendered
