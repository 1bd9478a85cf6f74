"""The API of every department that declares its records (mission.records): found through the
departments' test contracts (tests/departments.py: `API_DATASET`, `<label>_actors`, `<label>_objects`),
never imported. Partners read approved records, coded values only; staff read their scope."""

import pytest

from mission.api.services import token_issue
from tests.api.conftest import bearer
from tests.departments import contract_fixtures, contracts, records_in

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
DECLARED = {label: c for label, c in contracts().items() if hasattr(c, "API_DATASET")}
CANARY = "Canary Namecheck"


def _key(administrator, user, scopes):
    return token_issue(actor=administrator, user=user, name="script", scopes=list(scopes))[1]


@pytest.fixture(params=sorted(DECLARED))
def department(request):
    label = request.param
    contract = DECLARED[label]
    actors = request.getfixturevalue(f"{label}_actors")
    objects = records_in(request.getfixturevalue(f"{label}_objects"), label)
    contract.plant_restricted(objects, CANARY)
    list_url, aggregates_url = (f"/api/v1/{route}/" for route in contract.API_ROUTES[:2])  # its first record type
    return {"contract": contract, "actors": actors, "objects": objects, "list": list_url, "aggregates": aggregates_url}


def test_the_test_department_is_among_them():
    assert "incidents" in DECLARED


def test_anonymous_gets_401(department):
    assert bearer(None).get(department["list"]).status_code == 401
    assert bearer(None).get(department["aggregates"]).status_code == 401


def test_partners_read_approved_records_only_and_no_restricted_or_internal_field(department):
    actors, objects = department["actors"], department["objects"]
    key = _key(actors["administrator"], actors["partner"], [department["contract"].API_DATASET])
    response = bearer(key).get(department["list"])
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1  # the approved one
    assert rows[0]["id"] != objects["approved"].pk  # the partner's own identifier, not the database id
    model = type(objects["approved"])
    declaration = model.sensitivity
    assert not (declaration.restricted | declaration.internal) & set(rows[0])
    assert CANARY not in response.content.decode()


def test_a_partner_without_the_dataset_is_refused(department):
    actors = department["actors"]
    key = _key(actors["administrator"], actors["partner"], ["reference"])
    assert bearer(key).get(department["list"]).status_code == 403


def test_staff_read_their_scope_and_never_a_name(department):
    actors, objects = department["actors"], department["objects"]
    dataset = department["contract"].API_DATASET
    mine = bearer(_key(actors["administrator"], actors["monitor"], [dataset])).get(department["list"]).json()
    assert {row["id"] for row in mine["results"]} == {o.pk for o in objects.values()}
    assert CANARY not in str(mine)
    elsewhere = _key(actors["administrator"], actors["other_region_monitor"], [dataset])
    assert bearer(elsewhere).get(department["list"]).json()["results"] == []
    other = _key(actors["administrator"], actors["other_department_monitor"], [dataset])
    assert bearer(other).get(department["list"]).json()["results"] == []


def test_aggregates_count_for_staff_and_protect_for_partners(department):
    actors, objects = department["actors"], department["objects"]
    dataset = department["contract"].API_DATASET
    staff = bearer(_key(actors["administrator"], actors["supervisor"], [dataset]))
    rows = staff.get(department["aggregates"], {"group_by": "all"}).json()["results"]
    assert rows == [{"group": None, "records": len(objects), "approved": 1, "suppressed": False}]
    assert staff.get(department["aggregates"], {"group_by": "all"}).json()["disclosure_control"] == "none"
    partner = bearer(_key(actors["administrator"], actors["partner"], [dataset]))
    body = partner.get(department["aggregates"], {"group_by": "region"}).json()
    assert body["disclosure_control"] == "cell_key"
    assert [row["suppressed"] for row in body["results"]] == [True]  # one approved record: a small cell
    assert partner.get(department["aggregates"], {"group_by": "nonsense"}).status_code == 400
