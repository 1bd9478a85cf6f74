import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mission.api.identifiers import for_owner
from mission.api.models import ApiRequestLog
from rights.services.hearings import hearing_create
from rights.services.observations import observation_start
from tests.api.conftest import SECRETS, bearer, staff_key
from tests.conftest import client_for
from tests.factories import FlagFactory
from tests.rights.conftest import hearing_fields

pytestmark = pytest.mark.django_db

PARTNER_ENDPOINTS = [
    "regions",
    "municipalities",
    "field-teams",
    "communities",
    "courts",
    "fair-trial-standards",
    "cases",
    "hearings",
    "observations",
    "aggregates/hearings",
    "aggregates/standards",
    "aggregates/accused",
]
STAFF_ONLY_ENDPOINTS = ["flags", "interventions"]
ALL_ENDPOINTS = PARTNER_ENDPOINTS + STAFF_ONLY_ENDPOINTS


def url(endpoint: str) -> str:
    return f"/api/v1/{endpoint}/"


REFERENCE_ENDPOINTS = ["regions", "municipalities", "field-teams", "communities"]  # the geography's


def test_every_api_route_is_listed_here():
    """The geography's routes and those each department's test contract lists (tests/departments.py)."""
    from tests.departments import contracts

    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    routes = set()
    for entry in api.url_patterns:
        for pattern in entry.url_patterns if isinstance(entry, URLResolver) else [entry]:
            if isinstance(pattern, URLPattern) and str(pattern.pattern):
                routes.add(str(pattern.pattern).rstrip("/"))
    listed = set(REFERENCE_ENDPOINTS) | {route for contract in contracts().values() for route in contract.API_ROUTES}
    assert routes - {"schema", "docs"} == listed
    assert set(ALL_ENDPOINTS) <= listed


@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS)
def test_anonymous_gets_401_with_a_json_reason(endpoint, geography):
    response = bearer(None).get(url(endpoint))
    assert response.status_code == 401
    assert "credentials" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", PARTNER_ENDPOINTS)
def test_a_partner_token_with_the_scope_reads(endpoint, partner_key, published):
    assert bearer(partner_key).get(url(endpoint)).status_code == 200


@pytest.mark.parametrize("endpoint", STAFF_ONLY_ENDPOINTS)
def test_partners_never_read_staff_only_datasets(endpoint, partner_key):
    response = bearer(partner_key).get(url(endpoint))
    assert response.status_code == 403
    assert "staff only" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", ["cases", "hearings", "observations", "aggregates/hearings"])
def test_a_partner_token_without_the_scope_is_refused(endpoint, unscoped_partner_key):
    response = bearer(unscoped_partner_key).get(url(endpoint))
    assert response.status_code == 403
    assert "does not include the dataset" in response.json()["detail"]


@pytest.mark.parametrize("key_fixture", ["revoked_key", "expired_key"])
@pytest.mark.parametrize("endpoint", ["regions", "hearings"])
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


def test_a_partner_session_cannot_use_the_api(partner, published):
    assert client_for(partner).get(url("hearings")).status_code == 403


def test_no_restricted_value_or_field_ever_reaches_a_partner(partner_key, published):
    client = bearer(partner_key)
    for endpoint in PARTNER_ENDPOINTS:
        body = client.get(url(endpoint)).content.decode()
        for secret in SECRETS:
            assert secret not in body, (endpoint, secret)
        for row in json.loads(body)["results"]:
            assert not {"case_number", "summary", "monitor", "outcome", "name", "evidence"} & set(row), endpoint
            for rating in row.get("ratings", []):
                assert "evidence" not in rating


CANARY = "CANARY"


def _plant_canaries() -> None:
    """Every text field of every record (anything scoped to a region) and of every user holds the canary,
    each value unique: whatever a monitor could have typed."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import models

    from mission.accounts.permissions import ScopedQuerySet

    for model in apps.get_models():
        scoped = isinstance(model._default_manager.get_queryset(), ScopedQuerySet)
        if not scoped and model is not get_user_model():
            continue
        texts = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name != "password"
        ]
        for pk in model._default_manager.values_list("pk", flat=True):
            values = {f.attname: f"{CANARY}{model._meta.model_name}{pk}{f.name}"[: f.max_length] for f in texts}
            model._default_manager.filter(pk=pk).update(**values)


def test_no_free_text_of_any_record_reaches_a_partner(partner_key, published):
    """A canary planted in every text field of every record never comes back to a partner, whatever
    endpoint or parameter they use."""
    FlagFactory(hearing=published.hearing, rule="violation", subject="x")
    _plant_canaries()
    client = bearer(partner_key)
    for endpoint in PARTNER_ENDPOINTS:
        response = client.get(url(endpoint))
        assert response.status_code == 200, endpoint
        assert CANARY not in response.content.decode(), endpoint
    for endpoint in ("aggregates/hearings", "aggregates/standards"):
        for group_by in ("region", "court", "court_department", "category", "month", "all"):
            body = client.get(url(endpoint), {"group_by": group_by}).content.decode()
            assert CANARY not in body, (endpoint, group_by)


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


def test_partners_see_approved_records_only(partner, partner_key, monitor, case, published, standards):
    draft_hearing = hearing_create(actor=monitor, case=case, **hearing_fields())
    observation_start(actor=monitor, hearing=draft_hearing)
    client = bearer(partner_key)
    ids = for_owner(partner.pk)  # partners see identifiers of their own (tests/api/test_identifiers.py)
    assert [r["id"] for r in client.get(url("observations")).json()["results"]] == [
        ids.encode("rights.observation", published.pk)
    ]
    assert [r["id"] for r in client.get(url("hearings")).json()["results"]] == [
        ids.encode("rights.hearing", published.hearing_id)
    ]


def test_staff_read_their_scope_with_restricted_fields(monitor, other_region_monitor, administrator, published):
    mine = bearer(staff_key(monitor, administrator)).get(url("observations")).json()["results"]
    assert mine[0]["summary"] == "Secret summary text"
    assert any(r.get("evidence") == "Secret evidence text" for r in mine[0]["ratings"])
    theirs = bearer(staff_key(other_region_monitor, administrator)).get(url("observations")).json()["results"]
    assert theirs == []


def test_staff_sessions_work_too(supervisor, published):
    response = client_for(supervisor).get(url("flags"))
    assert response.status_code == 200
    assert response.json()["results"][0]["rule"] == "violation"


@pytest.mark.parametrize("endpoint", STAFF_ONLY_ENDPOINTS)
def test_monitors_read_no_follow_up_through_the_api_as_on_the_pages(
    endpoint, monitor, supervisor, administrator, published
):
    """The flag pages refuse monitors (no follow-up capability): so does the API, token or session."""
    assert client_for(monitor).get(reverse("rights:flag_list")).status_code == 403
    for client in (bearer(staff_key(monitor, administrator)), client_for(monitor)):
        response = client.get(url(endpoint))
        assert response.status_code == 403
        assert "results" not in response.json()
    assert "trial_follow_up" not in [d["code"] for d in client_for(monitor).get("/api/v1/").json()["datasets"]]
    assert bearer(staff_key(supervisor, administrator)).get(url(endpoint)).status_code == 200


def test_other_departments_read_no_trial_data(other_department_monitor, administrator, published):
    rows = bearer(staff_key(other_department_monitor, administrator)).get(url("cases")).json()["results"]
    assert rows == []


def test_every_request_is_logged(partner_key, geography):
    bearer(partner_key).get(url("regions"), {"page_size": "2"})
    bearer(partner_key).get(url("flags"))
    log = list(ApiRequestLog.objects.order_by("at").values_list("path", "status", "query"))
    assert log == [("/api/v1/regions/", 200, "page_size=2"), ("/api/v1/flags/", 403, "")]
    assert ApiRequestLog.objects.filter(token__name="NGO system").count() == 2


class TestErrors:
    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"region": "NOWHERE"}, "region"),
            ({"date_from": "yesterday"}, "date_from"),
            ({"updated_since": "soon"}, "updated_since"),
            ({"court_department": "kitchen"}, "court_department"),
            ({"cursor": "!!not-a-cursor!!"}, "cursor"),
            ({"cursor": "aWQ6eA"}, "cursor"),
            ({"page_size": "0"}, "page_size"),
            ({"page_size": "100000"}, "page_size"),
            ({"fields": "id,secret"}, "fields"),
            ({"colour": "blue"}, "colour"),
        ],
    )
    def test_bad_input_gets_400_naming_the_parameter(self, partner_key, query, field):
        response = bearer(partner_key).get(url("hearings"), query)
        assert response.status_code == 400
        body = response.json()
        assert field in body["errors"]
        assert body["detail"]

    @pytest.mark.parametrize("value", ["²", "٣", "1e2", "+5", "99999999999999999999"])
    def test_a_page_size_is_written_in_plain_digits(self, partner_key, value):
        # str.isdigit takes superscripts and other scripts' digits, which int() then refuses or reads.
        response = bearer(partner_key).get(url("hearings"), {"page_size": value})
        assert response.status_code == 400
        assert "page_size" in response.json()["errors"]

    @pytest.mark.parametrize("cursor", ["aWQ6wrI", "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"])  # id:², id:99…9 (24 nines)
    def test_a_cursor_with_odd_digits_or_beyond_any_id_is_refused(self, partner_key, cursor):
        response = bearer(partner_key).get(url("hearings"), {"cursor": cursor})
        assert response.status_code == 400
        assert "cursor" in response.json()["errors"]

    @pytest.mark.parametrize("endpoint", ["cases", "hearings", "observations", "aggregates/hearings"])
    @pytest.mark.parametrize(
        "moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00", "0001-01-01"]
    )
    def test_an_updated_since_outside_the_calendar_is_refused(self, partner_key, published, endpoint, moment):
        # In UTC these fall in year 10000 or year 0, which Python's datetime cannot hold.
        response = bearer(partner_key).get(url(endpoint), {"updated_since": moment})
        assert response.status_code == 400
        assert "updated_since" in response.json()["errors"]

    def test_the_extremes_of_the_calendar_still_work(self, partner_key, published):
        client = bearer(partner_key)
        assert len(client.get(url("hearings"), {"updated_since": "0001-01-01T00:00:00Z"}).json()["results"]) == 1
        assert client.get(url("hearings"), {"updated_since": "9999-12-31T23:59:59Z"}).json()["results"] == []

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

    def test_aggregate_choices_are_checked(self, partner_key):
        response = bearer(partner_key).get(url("aggregates/hearings"), {"group_by": "judge"})
        assert response.status_code == 400
        assert "group_by" in response.json()["errors"]


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

    def test_updated_since_syncs_incrementally(self, partner_key, published):
        client = bearer(partner_key)
        assert len(client.get(url("hearings"), {"updated_since": "2000-01-01T00:00:00Z"}).json()["results"]) == 1
        assert client.get(url("hearings"), {"updated_since": "2999-01-01T00:00:00Z"}).json()["results"] == []


def test_the_schema_and_docs_are_public(geography):
    schema = bearer(None).get(reverse("api:schema"))
    assert schema.status_code == 200
    assert b"/api/v1/hearings/" in schema.content
    docs = bearer(None).get(reverse("api:docs"))
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_the_api_root_lists_the_datasets_of_the_token(unscoped_partner_key, supervisor):
    assert bearer(None).get("/api/v1/").status_code == 401
    assert bearer(unscoped_partner_key).get("/api/v1/").json()["datasets"][0]["code"] == "reference"
    codes = [d["code"] for d in client_for(supervisor).get("/api/v1/").json()["datasets"]]
    assert "trial_follow_up" in codes


def test_updated_since_accepts_any_iso_offset(partner_key, published):
    # Found by schemathesis: PostgreSQL rejects offsets beyond ±15:59, which ISO 8601 allows.
    response = bearer(partner_key).get(url("hearings"), {"updated_since": "1928-01-04T10:12:44.0-21:41"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


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
