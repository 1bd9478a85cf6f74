"""Trial monitoring's API: its endpoints by role and token, what partners and staff read of cases,
hearings, observations, flags and interventions, and its filters' errors. The mechanics every department
shares (tokens, errors, pagination, the request log, the schema) are in tests/api/test_endpoints.py."""

import json

import pytest
from django.urls import reverse

from mission.api.identifiers import for_owner
from mission.api.models import ApiRequestLog
from rights.services.hearings import hearing_create
from rights.services.observations import observation_start
from tests.api.conftest import CANARY, bearer, plant_canaries
from tests.conftest import client_for
from tests.factories import FlagFactory
from tests.rights import contract
from tests.rights.api.conftest import SECRETS, staff_key
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


REFERENCE_ENDPOINTS = ["regions", "municipalities", "field-teams", "communities"]  # the geography's


def url(endpoint: str) -> str:
    return f"/api/v1/{endpoint}/"


def test_every_endpoint_tested_here_is_in_the_contract():
    """The framework tests (tests/api) try every route of the contract: these are among them."""
    assert set(ALL_ENDPOINTS) <= set(REFERENCE_ENDPOINTS) | set(contract.API_ROUTES)


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


def test_no_free_text_of_any_record_reaches_a_partner(partner_key, published):
    """A canary planted in every text field of every record never comes back to a partner, whatever
    endpoint or parameter they use."""
    FlagFactory(hearing=published.hearing, rule="violation", subject="x")
    plant_canaries()
    client = bearer(partner_key)
    for endpoint in PARTNER_ENDPOINTS:
        response = client.get(url(endpoint))
        assert response.status_code == 200, endpoint
        assert CANARY not in response.content.decode(), endpoint
    for endpoint in ("aggregates/hearings", "aggregates/standards"):
        for group_by in ("region", "court", "court_department", "category", "month", "all"):
            body = client.get(url(endpoint), {"group_by": group_by}).content.decode()
            assert CANARY not in body, (endpoint, group_by)


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

    def test_aggregate_choices_are_checked(self, partner_key):
        response = bearer(partner_key).get(url("aggregates/hearings"), {"group_by": "judge"})
        assert response.status_code == 400
        assert "group_by" in response.json()["errors"]


class TestPagination:
    def test_updated_since_syncs_incrementally(self, partner_key, published):
        client = bearer(partner_key)
        assert len(client.get(url("hearings"), {"updated_since": "2000-01-01T00:00:00Z"}).json()["results"]) == 1
        assert client.get(url("hearings"), {"updated_since": "2999-01-01T00:00:00Z"}).json()["results"] == []


def test_updated_since_accepts_any_iso_offset(partner_key, published):
    # Found by schemathesis: PostgreSQL rejects offsets beyond ±15:59, which ISO 8601 allows.
    response = bearer(partner_key).get(url("hearings"), {"updated_since": "1928-01-04T10:12:44.0-21:41"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
