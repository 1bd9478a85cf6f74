"""Every department's URLs × every kind of actor, and the access-log sweep, from each department's
test contract (tests/departments.py): the same checks for trial monitoring and for the test department
built on the kit, found by convention."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mission.audit.models import AccessLog
from tests.conftest import client_for
from tests.departments import ACTORS, LOGIN, contract_fixtures, contracts

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())  # each contract's `<label>_actors` and `<label>_objects`, and theirs
CONTRACTS = contracts()


def _check(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    return response.status_code == expected


def _url(name, kwargs, objects):
    return reverse(name, kwargs={k: objects[v].pk for k, v in kwargs.items()})


def _setting(request, label):
    return request.getfixturevalue(f"{label}_actors"), request.getfixturevalue(f"{label}_objects")


def test_every_department_with_pages_has_a_contract():
    assert {"rights", "incidents"} <= set(CONTRACTS)


def _refused_wrongly(request, label, actor, method):
    """(URL name, expected, got) for every URL of the contract that answers `actor` otherwise."""
    actors, objects = _setting(request, label)
    client = client_for(actors[actor])
    rows = getattr(CONTRACTS[label], f"{method.upper()}_EXPECTATIONS")
    wrong = []
    for name, (kwargs, expectations) in rows.items():
        url = _url(name, kwargs, objects)
        response = client.get(url) if method == "get" else client.post(url, {})
        if not _check(response, expectations[actor]):
            wrong.append((name, expectations[actor], response.status_code))
    return wrong


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("label", sorted(CONTRACTS))
def test_get(request, label, actor):
    assert _refused_wrongly(request, label, actor, "get") == []


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("label", sorted(CONTRACTS))
def test_post(request, label, actor):
    assert _refused_wrongly(request, label, actor, "post") == []


@pytest.mark.parametrize("actor", ["monitor", "supervisor", "department_head"])
@pytest.mark.parametrize("label", sorted(CONTRACTS))
def test_every_page_that_shows_a_restricted_value_logs_the_access(request, label, actor):
    """Whatever page shows a planted name writes an access-log row for the record it belongs to: a new
    page that shows names without logging fails here (the sweep covers every URL of the contract)."""
    actors, objects = _setting(request, label)
    contract = CONTRACTS[label]
    canary = "Canary Namecheck"
    record = contract.plant_restricted(objects, canary)
    client = client_for(actors[actor])
    showing, unlogged = [], []
    for name, (kwargs, _expectations) in contract.GET_EXPECTATIONS.items():
        url = _url(name, kwargs, objects)
        AccessLog.objects.all().delete()
        response = client.get(url)
        if response.status_code != 200:
            continue
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if canary not in content.decode("utf-8", "replace"):
            continue
        showing.append(name)
        logged = AccessLog.objects.filter(
            user=actors[actor],
            content_type=ContentType.objects.get_for_model(record),
            object_id=str(record.pk),
            path=url.split("?")[0],
        ).exists()
        if not logged:
            unlogged.append(name)
    assert contract.SHOWS_RESTRICTED in showing  # the sweep sees names where they are
    assert unlogged == []
