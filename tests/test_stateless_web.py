"""The web tier keeps nothing of its own: two app processes share only the database, Redis and the
file storage, and a user moves between them mid-session (a load balancer without sticky sessions)."""

import pytest
from django.db import connection

from tests.app_processes import Browser, csrf_token, gunicorn_processes, set_checked_password
from tests.conftest import PASSWORD, require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_app_processes(tmp_path):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from tests.test_celery_worker import _database_url

    env = {"DEBUG": "true", "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(tmp_path / "media")}
    with gunicorn_processes(env, count=2) as bases:
        yield bases


def test_a_user_moves_between_app_processes_mid_session(two_app_processes, monitor):
    set_checked_password(monitor, PASSWORD)
    first, second = two_app_processes
    browser = Browser()  # cookies do not depend on the port: one browser, two servers
    browser.sign_in(first, "monitor", PASSWORD)

    # Signed in on the first process; the second knows the session and the user.
    page = browser.get(f"{second}/accounts/security/")
    assert "Where you are signed in" in page
    assert monitor.get_full_name() in page

    # A form shown by the second process is accepted by the first (the CSRF secret is in the cookie).
    colleague = Browser()
    colleague.sign_in(second, "monitor", PASSWORD)
    ended = browser.post(
        f"{first}/accounts/security/sessions/end/", {"scope": "others", "csrfmiddlewaretoken": csrf_token(page)}
    )
    assert "1 other session was ended." in ended

    # The session ended through the first process is gone on the second too.
    after = colleague.opener.open(f"{second}/accounts/security/", timeout=10)
    assert after.geturl().startswith(f"{second}/accounts/login/")
    assert "Where you are signed in" in browser.get(f"{second}/accounts/security/")  # this one stays
