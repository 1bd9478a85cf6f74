"""Every trial-monitoring URL × every kind of actor (GET, and POST for the POST-only actions).

`tests/test_authorization_matrix.py` fails when a URL is missing here."""

import pytest
from django.urls import reverse

from rights.services.flags import flags_raise_for_hearing
from rights.services.hearings import hearing_create
from rights.services.observations import observation_approve, observation_start, observation_submit
from tests.conftest import client_for
from tests.rights.conftest import all_complied, hearing_fields

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "monitor",
    "supervisor",
    "department_head",
    "management",
    "partner",
    "administrator",
    "other_region_monitor",
    "other_department_monitor",
]
LOGIN = "login"  # a redirect to the login page

#                          anon   mon  sup  head mgmt part adm  other-region other-dept
READ_LIST = dict(zip(ACTORS, [LOGIN, 200, 200, 200, 200, 403, 403, 200, 403], strict=True))
READ_ONE = dict(zip(ACTORS, [LOGIN, 200, 200, 200, 200, 403, 403, 404, 403], strict=True))
CREATE = dict(zip(ACTORS, [LOGIN, 200, 200, 403, 403, 403, 403, 200, 403], strict=True))
EDIT = dict(zip(ACTORS, [LOGIN, 200, 200, 403, 403, 403, 403, 404, 403], strict=True))
AUTHOR_ONLY = dict(zip(ACTORS, [LOGIN, 200, 403, 403, 403, 403, 403, 404, 403], strict=True))
CORRECT = dict(zip(ACTORS, [LOGIN, 200, 200, 403, 403, 403, 403, 404, 403], strict=True))
REVIEWERS = dict(zip(ACTORS, [LOGIN, 403, 200, 403, 403, 403, 403, 403, 403], strict=True))
FOLLOW_UP = dict(zip(ACTORS, [LOGIN, 403, 200, 200, 403, 403, 403, 403, 403], strict=True))
DASHBOARDS = dict(zip(ACTORS, [LOGIN, 403, 200, 200, 200, 403, 403, 403, 403], strict=True))
POST_ONLY = dict(zip(ACTORS, [LOGIN, 405, 405, 405, 405, 403, 405, 405, 405], strict=True))

GET_EXPECTATIONS = {
    "rights:dashboard": ({}, DASHBOARDS),
    "rights:case_list": ({}, READ_LIST),
    "rights:case_export": ({}, READ_LIST),
    "rights:case_create": ({}, CREATE),
    "rights:case_detail": ({"pk": "case"}, READ_ONE),
    "rights:case_update": ({"pk": "case"}, EDIT),
    "rights:hearing_create": ({"case_pk": "case"}, EDIT),
    "rights:hearing_list": ({}, READ_LIST),
    "rights:hearing_export": ({}, READ_LIST),
    "rights:hearing_update": ({"pk": "hearing"}, EDIT),
    "rights:observation_start": ({"hearing_pk": "hearing"}, POST_ONLY),
    "rights:observation_list": ({}, READ_LIST),
    "rights:observation_export": ({}, READ_LIST),
    "rights:observation_detail": ({"pk": "draft"}, READ_ONE),
    "rights:observation_edit": ({"pk": "draft"}, AUTHOR_ONLY),
    "rights:observation_review": ({"pk": "submitted"}, POST_ONLY),
    "rights:observation_correct": ({"pk": "approved"}, CORRECT),
    "rights:review_queue": ({}, REVIEWERS),
    "rights:flag_list": ({}, FOLLOW_UP),
    "rights:flag_detail": ({"pk": "flag"}, FOLLOW_UP),
    "rights:intervention_create": ({"pk": "flag"}, POST_ONLY),
    "rights:flag_close": ({"pk": "flag"}, POST_ONLY),
    "rights:intervention_edit": ({"pk": "intervention"}, FOLLOW_UP),
}

# POST with empty input: who gets past the permission checks (302 or a 400 form page) and who not.
POST_EXPECTATIONS = {
    "rights:observation_start": (
        {"hearing_pk": "hearing"},
        dict(zip(ACTORS, [LOGIN, 302, 302, 403, 403, 403, 403, 404, 403], strict=True)),
    ),
    "rights:observation_review": (
        {"pk": "submitted"},
        dict(zip(ACTORS, [LOGIN, 403, 302, 403, 403, 403, 403, 404, 403], strict=True)),
    ),
    "rights:intervention_create": (
        {"pk": "flag"},
        dict(zip(ACTORS, [LOGIN, 403, 400, 400, 403, 403, 403, 403, 403], strict=True)),
    ),
    "rights:flag_close": (
        {"pk": "flag"},
        dict(zip(ACTORS, [LOGIN, 403, 400, 400, 403, 403, 403, 403, 403], strict=True)),
    ),
}


@pytest.fixture
def objects(monitor, supervisor, case, hearing, standards):
    from rights.models import Flag, Intervention

    draft = observation_start(actor=monitor, hearing=hearing)
    second = hearing_create(actor=monitor, case=case, **hearing_fields(recorded=False))
    submitted = observation_start(actor=monitor, hearing=second)
    observation_submit(
        actor=monitor, observation=submitted, expected_version=1, summary="s", ratings=all_complied(standards)
    )
    third = hearing_create(actor=monitor, case=case, **hearing_fields())
    approved = observation_start(actor=monitor, hearing=third)
    observation_submit(
        actor=monitor, observation=approved, expected_version=1, summary="s", ratings=all_complied(standards)
    )
    observation_approve(actor=supervisor, observation=approved)
    flags_raise_for_hearing(second)
    flag = Flag.objects.get()
    intervention = Intervention.objects.create(
        flag=flag, intervention_type="letter", addressee="Court", date=second.date, recorded_by=supervisor
    )
    return {
        "case": case,
        "hearing": hearing,
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "flag": flag,
        "intervention": intervention,
    }


@pytest.fixture
def actors(request):
    return {name: None if name == "anonymous" else request.getfixturevalue(name) for name in ACTORS}


def _check(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    return response.status_code == expected


def _url(name, kwargs, objects):
    return reverse(name, kwargs={k: objects[v].pk for k, v in kwargs.items()})


@pytest.mark.parametrize("actor", ACTORS)
def test_get(actors, objects, actor):
    client = client_for(actors[actor])
    wrong = []
    for name, (kwargs, expectations) in GET_EXPECTATIONS.items():
        response = client.get(_url(name, kwargs, objects))
        if not _check(response, expectations[actor]):
            wrong.append((name, expectations[actor], response.status_code))
    assert wrong == []


@pytest.mark.parametrize("actor", ACTORS)
def test_post(actors, objects, actor):
    client = client_for(actors[actor])
    wrong = []
    for name, (kwargs, expectations) in POST_EXPECTATIONS.items():
        response = client.post(_url(name, kwargs, objects), {})
        if not _check(response, expectations[actor]):
            wrong.append((name, expectations[actor], response.status_code))
    assert wrong == []


@pytest.mark.parametrize("actor", ["monitor", "supervisor", "department_head"])
def test_every_page_that_shows_a_name_logs_the_access(actors, objects, actor):
    """Whatever page shows a party's name writes an access-log row for its case: a new page that shows
    names without logging fails here (the sweep covers every URL of the matrix above)."""
    from django.contrib.contenttypes.models import ContentType

    from mission.audit.models import AccessLog
    from rights.models import Case

    case = objects["case"]
    case.parties.filter(role="accused").update(name="Canary Namecheck")
    client = client_for(actors[actor])
    showing, unlogged = [], []
    for name, (kwargs, _expectations) in GET_EXPECTATIONS.items():
        url = _url(name, kwargs, objects)
        AccessLog.objects.all().delete()
        response = client.get(url)
        if response.status_code != 200:
            continue
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if "Canary Namecheck" not in content.decode("utf-8", "replace"):
            continue
        showing.append(name)
        logged = AccessLog.objects.filter(
            user=actors[actor],
            content_type=ContentType.objects.get_for_model(Case),
            object_id=str(case.pk),
            path=url.split("?")[0],
        ).exists()
        if not logged:
            unlogged.append(name)
    assert "rights:case_detail" in showing  # the sweep sees names where they are
    assert unlogged == []
