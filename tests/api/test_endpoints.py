"""The API's own mechanics, for every department: routes, tokens, sessions, errors, pagination, the
request log and the schema. Each department's routes, datasets and published records come from its test
contract (tests/departments.py); trial monitoring's endpoints themselves are tested in tests/rights/api."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mission.api.models import ApiRequestLog
from tests.api.conftest import CANARY, bearer, plant_canaries
from tests.conftest import client_for
from tests.departments import contract_fixtures, contracts

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
CONTRACTS = contracts()
REFERENCE_ENDPOINTS = ["regions", "municipalities", "field-teams", "communities"]  # the geography's
DEPARTMENT_ENDPOINTS = sorted({route for contract in CONTRACTS.values() for route in contract.API_ROUTES})
ALL_ENDPOINTS = REFERENCE_ENDPOINTS + DEPARTMENT_ENDPOINTS


def url(endpoint: str) -> str:
    return f"/api/v1/{endpoint}/"


@pytest.fixture(params=sorted(CONTRACTS))
def department(request):
    """A department's contract, its actors and its published records (`<label>_published`)."""
    label = request.param
    return {
        "label": label,
        "contract": CONTRACTS[label],
        "actors": request.getfixturevalue(f"{label}_actors"),
        "published": request.getfixturevalue(f"{label}_published"),
    }


def test_every_api_route_is_listed_here():
    """The geography's routes and those each department's test contract lists (tests/departments.py)."""
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    routes = set()
    for entry in api.url_patterns:
        for pattern in entry.url_patterns if isinstance(entry, URLResolver) else [entry]:
            if isinstance(pattern, URLPattern) and str(pattern.pattern):
                routes.add(str(pattern.pattern).rstrip("/"))
    assert routes - {"schema", "docs"} == set(ALL_ENDPOINTS)


@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS)
def test_anonymous_gets_401_with_a_json_reason(endpoint, geography):
    response = bearer(None).get(url(endpoint))
    assert response.status_code == 401
    assert "credentials" in response.json()["detail"]


@pytest.mark.parametrize("key_fixture", ["revoked_key", "expired_key"])
@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS)
def test_revoked_and_expired_tokens_get_401(request, key_fixture, endpoint):
    response = bearer(request.getfixturevalue(key_fixture)).get(url(endpoint))
    assert response.status_code == 401
    assert ("revoked" if key_fixture == "revoked_key" else "expired") in response.json()["detail"]


def test_a_made_up_token_gets_401(geography):
    assert bearer("mp_00000000_nothing").get(url("regions")).status_code == 401
    assert bearer("not-ours").get(url("regions")).json()["detail"] == "This is not a Mission Portal token."


@pytest.mark.parametrize("key", ["mp_\x00abcdef0_secret", "mp_ABCDEF01_secret", "mp_abc_secret", "mp__secret"])
def test_a_token_whose_prefix_is_not_ours_is_refused_without_a_lookup(geography, key):
    # A prefix holding NUL made PostgreSQL fail the lookup (500); none of these could ever be issued.
    with CaptureQueriesContext(connection) as queries:
        response = bearer(key).get(url("regions"))
    assert not [q for q in queries.captured_queries if 'FROM "api_apitoken"' in q["sql"]]
    assert response.status_code == 401
    assert response.json()["detail"] == "This is not a Mission Portal token."


def test_a_partner_session_cannot_use_the_api(department):
    client = client_for(department["actors"]["partner"])
    for route in department["contract"].API_ROUTES:
        assert client.get(url(route)).status_code == 403, route


def test_no_free_text_of_any_record_reaches_a_partner(department, partner_key):
    """A canary planted in every text field of every record never comes back to a partner, on any
    route of the department or of the geography."""
    plant_canaries()
    client = bearer(partner_key)
    for route in [*REFERENCE_ENDPOINTS, *department["contract"].API_ROUTES]:
        response = client.get(url(route))
        if response.status_code == 403:  # a staff-only dataset
            assert "staff only" in response.json()["detail"]
            continue
        assert response.status_code == 200, route
        assert CANARY not in response.content.decode(), route


def test_a_list_that_would_send_free_text_to_partners_is_refused_at_import():
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ImproperlyConfigured

    from mission.api.views import ValuesListView

    # Text declared internal (a case's charges) is staff only by its declaration (tests/sensitivity);
    # text nobody declared is refused.
    user = get_user_model()
    with pytest.raises(ImproperlyConfigured, match="email"):
        type("Leaky", (ValuesListView,), {"dataset": "x", "model": user, "fields": {"id": "id", "email": "email"}})
    with pytest.raises(ImproperlyConfigured, match="typed into records"):
        type(
            "Disguised",
            (ValuesListView,),
            {
                "dataset": "x",
                "model": user,
                "fields": {"id": "id", "name": "username"},
                "reference_text_fields": ("name",),
            },
        )


def test_every_request_is_logged(department, unscoped_partner_key):
    route = department["contract"].API_ROUTES[-1]
    client = bearer(unscoped_partner_key)
    client.get(url("regions"), {"page_size": "2"})
    client.get(url(route))  # not among the token's datasets
    log = list(ApiRequestLog.objects.order_by("at").values_list("path", "status", "query"))
    assert log == [("/api/v1/regions/", 200, "page_size=2"), (url(route), 403, "")]
    assert ApiRequestLog.objects.filter(token__name="Reference only").count() == 2


class TestErrors:
    def test_a_nul_character_is_refused_with_json(self, partner_key):
        # PostgreSQL refuses any query holding NUL: it must never reach the database.
        for address in (url("regions") + "?fields=code%00", url("regions") + "%00/"):
            response = bearer(partner_key).get(address)
            assert response.status_code == 400
            assert response["Content-Type"] == "application/json"
            assert "NUL character" in response.json()["detail"]

    def test_a_server_error_is_json_too(self, partner_key, settings, monkeypatch):
        from field_offices.api.views import RegionList

        def fail(self, request):
            raise RuntimeError("a bug")

        settings.DEBUG = False
        monkeypatch.setattr(RegionList, "base_queryset", fail)
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {partner_key}")
        response = client.get(url("regions"))
        assert response.status_code == 500
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "The server hit an error; the administrators have been told."}
        assert "a bug" not in response.content.decode()

    @pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/regions/1/", "/api/v2/regions/", "/api/"])
    def test_an_unknown_api_address_is_a_json_404(self, partner_key, settings, path):
        settings.DEBUG = False
        for client in (bearer(partner_key), bearer(None)):
            response = client.get(path)
            assert response.status_code == 404
            assert response["Content-Type"] == "application/json"
            assert response.json()["detail"]


class TestPagination:
    def test_the_cursor_walks_every_row_once(self, partner_key, geography):
        client = bearer(partner_key)
        seen, next_url = [], url("municipalities") + "?page_size=10"
        while next_url:
            body = client.get(next_url).json()
            seen += [row["code"] for row in body["results"]]
            next_url = body["next"]
        assert len(seen) == 38
        assert len(set(seen)) == 38

    def test_fields_picks_columns(self, partner_key, geography):
        rows = bearer(partner_key).get(url("regions"), {"fields": "code,name_sq"}).json()["results"]
        assert rows[0] == {"id": rows[0]["id"], "code": "GJI", "name_sq": "Gjilan"}


def test_the_schema_and_docs_are_public(geography):
    schema = bearer(None).get(reverse("api:schema"))
    assert schema.status_code == 200
    for route in ALL_ENDPOINTS:  # every department's routes
        assert url(route).encode() in schema.content, route
    docs = bearer(None).get(reverse("api:docs"))
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_the_api_root_lists_the_datasets_of_the_token(department, unscoped_partner_key):
    assert bearer(None).get("/api/v1/").status_code == 401
    assert [d["code"] for d in bearer(unscoped_partner_key).get("/api/v1/").json()["datasets"]] == ["reference"]
    supervisor = client_for(department["actors"]["supervisor"])
    codes = [d["code"] for d in supervisor.get("/api/v1/").json()["datasets"]]
    assert set(department["contract"].API_DATASETS) <= set(codes)


@pytest.mark.django_db(transaction=True)
def test_the_request_log_outside_a_transaction_writes_one_row_and_a_failure_leaves_the_connection_clean():
    """Outside a transaction (as in production) the log line is one round trip of its own; a row the
    database refuses raises and leaves no half-open transaction behind on the connection."""
    from django.db import IntegrityError, connection

    from mission.api.services import request_log
    from tests.conftest import require_service

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    request_log(token=None, user=None, method="GET", path="/api/v1/regions/", query="a=1", status=200, duration_ms=3)
    assert list(ApiRequestLog.objects.values_list("path", "query", "status", "duration_ms", "token", "user")) == [
        ("/api/v1/regions/", "a=1", 200, 3, None, None)
    ]
    with pytest.raises(IntegrityError):  # a negative status breaks the column's check
        request_log(token=None, user=None, method="GET", path="/x/", query="", status=-1, duration_ms=1)
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:  # the connection is usable and in autocommit
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert ApiRequestLog.objects.count() == 1


def test_the_log_line_is_written_once_the_response_is_delivered(partner_key, caplog):
    """The server closes the response after its last byte; the log row waits for that, so the partner
    does not wait for it. A log line that fails is reported, never raised into a delivered response."""
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.http import HttpResponse

    from mission.api.views import after_delivery

    # As the test client does: closing a response outside a request would close the test's connection.
    request_finished.disconnect(close_old_connections)
    try:
        done = []
        response = HttpResponse(b"{}")
        after_delivery(response, lambda: done.append(True))
        assert done == []
        response.close()
        assert done == [True]

        def broken() -> None:
            raise RuntimeError("the database went away")

        failing = HttpResponse(b"{}")
        after_delivery(failing, broken)
        with caplog.at_level("ERROR", logger="mission.api.views"):
            failing.close()
    finally:
        request_finished.connect(close_old_connections)
    assert "Work after the response failed" in caplog.text
    assert "the database went away" in caplog.text  # the traceback, for the operator

    bearer(partner_key).get(url("regions"))  # the test client closes the response, as a server does
    assert ApiRequestLog.objects.filter(path=url("regions"), status=200).count() == 1
