"""The web tier keeps nothing of its own: two app processes share only the database, Redis and the
file storage, and a user moves between them mid-session (a load balancer without sticky sessions)."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from tests.conftest import PASSWORD, require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None, "the page has no form"
    return found.group(1)


@pytest.fixture
def two_app_processes(tmp_path):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from tests.test_celery_worker import ROOT, _database_url

    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(tmp_path / "media")}
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mission.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2).read()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def test_a_user_moves_between_app_processes_mid_session(two_app_processes, monitor):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()  # what the app processes check (the tests' own is a faster one)
    type(monitor).objects.filter(pk=monitor.pk).update(password=hasher.encode(PASSWORD, hasher.salt(), 1000))
    first, second = two_app_processes
    jar = http.cookiejar.CookieJar()  # cookies do not depend on the port: one browser, two servers
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(url: str) -> str:
        return browser.open(url, timeout=10).read().decode()

    def post(url: str, data: dict) -> str:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        return browser.open(request, timeout=10).read().decode()

    login = get(f"{first}/accounts/login/")
    post(f"{first}/accounts/login/", {"username": "monitor", "password": PASSWORD, "csrfmiddlewaretoken": _csrf(login)})

    # Signed in on the first process; the second knows the session and the user.
    page = get(f"{second}/accounts/security/")
    assert "Where you are signed in" in page
    assert monitor.get_full_name() in page

    # A form shown by the second process is accepted by the first (the CSRF secret is in the cookie).
    colleague = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    other_login = colleague.open(f"{second}/accounts/login/", timeout=10).read().decode()
    colleague.open(
        urllib.request.Request(  # noqa: S310
            f"{second}/accounts/login/",
            data=urllib.parse.urlencode(
                {"username": "monitor", "password": PASSWORD, "csrfmiddlewaretoken": _csrf(other_login)}
            ).encode(),
        ),
        timeout=10,
    ).read()
    ended = post(f"{first}/accounts/security/sessions/end/", {"scope": "others", "csrfmiddlewaretoken": _csrf(page)})
    assert "1 other session was ended." in ended

    # The session ended through the first process is gone on the second too.
    after = colleague.open(f"{second}/accounts/security/", timeout=10)
    assert after.geturl().startswith(f"{second}/accounts/login/")
    assert "Where you are signed in" in get(f"{second}/accounts/security/")  # this one stays
