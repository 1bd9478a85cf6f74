"""Per-partner pseudonymous identifiers: each partner sees its own stable identifiers for cases,
hearings and observations, never the database ids (whose gaps count the unpublished records); staff
keep the real ids."""

import pytest

from mission.api.pagination import _encode
from mission.api.services import token_issue, token_rotate
from tests.api.conftest import PARTNER_SCOPES, bearer
from tests.factories import CaseFactory, HearingFactory, ObservationFactory, UserFactory
from tests.rights.api.conftest import staff_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(monitor):
    """Three published cases with a hearing and an approved observation each, and unpublished ones
    between them (the gaps a partner must not see)."""
    made = []
    for _ in range(3):
        CaseFactory(created_by=monitor)  # never published
        hearing = HearingFactory(case=CaseFactory(created_by=monitor))
        made.append(ObservationFactory(hearing=hearing, status="approved"))
    return made


def _rows(client, endpoint: str, **query) -> list[dict]:
    return client.get(f"/api/v1/{endpoint}/", query).json()["results"]


def _ids(records) -> set[int]:
    return {o.pk for o in records} | {o.hearing_id for o in records} | {o.hearing.case_id for o in records}


def test_a_partner_sees_identifiers_of_its_own_not_database_ids(partner_key, partner, administrator, records):
    other = UserFactory(partner=True, username="other.partner")
    _token, other_key = token_issue(actor=administrator, user=other, name="Other NGO", scopes=PARTNER_SCOPES)
    mine, theirs = bearer(partner_key), bearer(other_key)
    database_ids = {str(pk) for pk in _ids(records)}
    for endpoint in ("cases", "hearings", "observations"):
        my_rows, their_rows = _rows(mine, endpoint), _rows(theirs, endpoint)
        assert len(my_rows) == len(their_rows) == 3
        for row in my_rows:
            assert isinstance(row["id"], str)
            assert row["id"] not in database_ids
        assert {r["id"] for r in my_rows}.isdisjoint({r["id"] for r in their_rows})


def test_cross_references_use_the_same_partner_identifiers(partner_key, records):
    client = bearer(partner_key)
    cases = {r["id"] for r in _rows(client, "cases")}
    hearings = {r["id"]: r["case"] for r in _rows(client, "hearings")}
    assert set(hearings.values()) == cases
    for observation in _rows(client, "observations"):
        assert hearings[observation["hearing"]] == observation["case"]


def test_identifiers_survive_token_rotation(partner, administrator, records):
    token, key = token_issue(actor=administrator, user=partner, name="NGO", scopes=PARTNER_SCOPES)
    before = [r["id"] for r in _rows(bearer(key), "hearings")]
    _token, new_key = token_rotate(actor=administrator, token=token)
    assert [r["id"] for r in _rows(bearer(new_key), "hearings")] == before


def test_staff_keep_the_database_ids(monitor, administrator, records):
    rows = _rows(bearer(staff_key(monitor, administrator)), "observations")
    assert {(r["id"], r["hearing"]) for r in rows} == {(o.pk, o.hearing_id) for o in records}


def test_a_partners_cursor_does_not_carry_the_database_id(partner_key, records):
    client = bearer(partner_key)
    seen, next_url = [], "/api/v1/cases/?page_size=1"
    while next_url:
        body = client.get(next_url).json()
        seen += [r["id"] for r in body["results"]]
        if body["next"]:
            cursor = body["next"].split("cursor=")[1].split("&")[0]
            assert cursor == seen[-1]  # the identifier the partner already holds, nothing more
            assert cursor not in {_encode(pk) for pk in _ids(records)}
        next_url = body["next"]
    assert len(seen) == len(set(seen)) == 3


def test_a_forged_or_foreign_cursor_is_a_400(partner_key, records):
    client = bearer(partner_key)
    hearing = _rows(client, "hearings")[0]["id"]
    for cursor in (_encode(records[0].hearing.case_id), hearing, "a" * 26):
        response = client.get("/api/v1/cases/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()["errors"]


def test_filters_that_take_a_record_take_the_partners_identifier(partner_key, monitor, administrator, records):
    client = bearer(partner_key)
    hearing = _rows(client, "hearings")[1]
    assert [r["id"] for r in _rows(client, "hearings", case=hearing["case"])] == [hearing["id"]]
    assert [r["hearing"] for r in _rows(client, "observations", hearing=hearing["id"])] == [hearing["id"]]
    assert [r["case"] for r in _rows(client, "observations", case=hearing["case"])] == [hearing["case"]]
    response = client.get("/api/v1/hearings/", {"case": str(records[1].hearing.case_id)})  # a database id
    assert response.status_code == 400
    assert "case" in response.json()["errors"]
    staff = bearer(staff_key(monitor, administrator))
    assert [r["id"] for r in _rows(staff, "hearings", case=records[1].hearing.case_id)] == [records[1].hearing_id]
