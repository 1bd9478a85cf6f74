"""A request's first statement is its kept connection's health check (mission/connections.py): a page
and an API request answer after the database dropped the connection, and the check costs no round
trip of its own."""

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mission.api.services import token_issue
from tests.conftest import client_for, require_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]


def drop_the_connection() -> None:
    """What a database restart does to a kept connection: the server ends it, from another connection."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None,
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    connection.health_check_done = False  # type: ignore[attr-defined]  # a new request on the kept connection


def test_a_page_answers_after_the_database_dropped_the_connection(postgresql, monitor):
    client = client_for(monitor)
    assert client.get(reverse("home")).status_code == 200
    drop_the_connection()
    assert client.get(reverse("home")).status_code == 200


def test_an_api_request_answers_after_the_database_dropped_the_connection(postgresql, partner, administrator):
    _token, key = token_issue(actor=administrator, user=partner, name="NGO", scopes=["reference"])
    client = client_for(None)
    url = "/api/v1/regions/"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    drop_the_connection()
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


@pytest.mark.parametrize("api", [False, True])
def test_a_working_connection_is_not_checked_with_a_statement_of_its_own(
    api, postgresql, monitor, partner, administrator, monkeypatch
):
    """Django's check is `is_usable()` (a `SELECT 1`); the first statement stands in for it."""
    if api:
        _token, key = token_issue(actor=administrator, user=partner, name="NGO", scopes=["reference"])
        client, url, headers = client_for(None), "/api/v1/regions/", {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    else:
        client, url, headers = client_for(monitor), reverse("home"), {}
    client.get(url, **headers)
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    connection.health_check_done = False
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    assert checks == []
    first = queries.captured_queries[0]["sql"]
    if api:  # the token's lookup, run by name once prepared on the connection (mission/prepared.py)
        from mission.api.token_lookup import _statement
        from mission.prepared import statement_name

        assert first.startswith(f"EXECUTE {statement_name(_statement('default')[0])}(")
    else:
        assert "django_session" in first
