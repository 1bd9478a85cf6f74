"""The department's dashboard (mission.records.dashboard) over journalists' safety incidents: known
answers, scope, the period before, and a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democratization.models import JournalistIncident
from field_offices.models import FieldTeam
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.democratization.contract import incident_content, incident_parts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
URL = reverse("democratization:dashboard")


def _approved(actors, *, days_ago, kind="threat", reported=True, monitor=None, supervisor=None, **steps):
    monitor = monitor or actors["monitor"]
    supervisor = supervisor or actors["supervisor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    day = TODAY - datetime.timedelta(days=days_ago)
    fields = incident_content(municipality, date=day, kind=kind, reported_to_police=reported)
    steps = {step: day + datetime.timedelta(days=n) for step, n in steps.items()}
    incident = record_create(actor=monitor, model=JournalistIncident, fields=fields, parts=incident_parts(**steps))
    record_update(actor=monitor, record=incident, expected_version=incident.version, fields={}, submit=True)
    incident.refresh_from_db()
    return record_approve(actor=supervisor, record=incident, expected_version=incident.version)


def _figures(response):
    return {str(f.label): f.value for f in response.context["figures"]}


def _chart(response, slug):
    chart = next(c for c in response.context["charts"] if c.slug == slug)
    return {row[0]: row[1] for row in chart.rows}


def test_the_figures_have_the_known_answers(democratization_actors, geography):
    actors = democratization_actors
    _approved(actors, days_ago=20, police_case=4)
    _approved(actors, days_ago=25, kind="harassment", police_case=10)
    _approved(actors, days_ago=30)  # reported, no police case yet
    _approved(actors, days_ago=12, kind="obstruction", reported=False)  # not reported: not in the share
    draft = record_create(
        actor=actors["monitor"],
        model=JournalistIncident,
        fields=incident_content(actors["monitor"].region.municipalities.first(), date=TODAY),
        parts=incident_parts(),
    )
    assert draft.status == "draft"  # drafts are not counted
    mitrovica = UserFactory(
        username="dem.monitor.mit2",
        department="democratization",
        region=geography["MIT"],
        field_team=FieldTeam.objects.get(code="FT-MIT-01"),
    )
    mitrovica_supervisor = UserFactory(
        username="dem.sup.mit", department="democratization", supervisor=True, region=geography["MIT"]
    )
    _approved(actors, days_ago=15, monitor=mitrovica, supervisor=mitrovica_supervisor, police_case=1)

    head = client_for(actors["department_head"]).get(URL)
    assert head.status_code == 200
    figures = _figures(head)
    assert figures["Journalist safety incidents"] == 5
    assert figures["Police opened a case: share of the incidents reported to the police"] == pytest.approx(3 / 4)
    assert figures["Police opened a case: median days"] == 4  # of 1, 4 and 10
    by_kind = _chart(head, "journalistincident-by-kind")
    assert (by_kind["Threat, including online"], by_kind["Harassment"], by_kind["Obstruction of work"]) == (3, 1, 1)
    assert sum(_chart(head, "journalistincident-by-month").values()) == 5
    by_region = _chart(head, "journalistincident-by-region")
    assert (by_region["Pejë/Peć"], by_region["Mitrovicë/Mitrovica"]) == (4, 1)

    supervisor = _figures(client_for(actors["supervisor"]).get(URL))  # their region only
    assert supervisor["Journalist safety incidents"] == 4
    assert supervisor["Police opened a case: median days"] == 7  # of 4 and 10
    mitrovica_only = _figures(client_for(actors["department_head"]).get(URL, {"region": "MIT"}))
    assert mitrovica_only["Journalist safety incidents"] == 1


def test_the_csv_of_a_chart(democratization_actors):
    _approved(democratization_actors, days_ago=3)
    response = client_for(democratization_actors["department_head"]).get(URL, {"csv": "journalistincident-by-kind"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert '"Threat, including online",1' in body.replace("\r\n", "\n")
    assert client_for(democratization_actors["department_head"]).get(URL, {"csv": "nope"}).status_code == 404


def test_the_dashboard_costs_the_same_queries_at_two_sizes(democratization_actors):
    client = client_for(democratization_actors["department_head"])
    _approved(democratization_actors, days_ago=3, police_case=1)

    def count():
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        _approved(democratization_actors, days_ago=5 + n, kind="detention", police_case=n)
    assert count() == few


@pytest.mark.parametrize(
    ("query", "current"),
    [
        ({}, ["Last 12 months"]),  # the default period
        ({"from": "2026-01", "to": "2026-12"}, ["Last 12 months"]),  # also this year: one link, not two
        ({"from": "2026-12", "to": "2026-12"}, ["This month"]),
        ({"from": "2025-01", "to": "2025-12"}, ["Last year"]),
        ({"from": "2026-01"}, []),  # the period shown is the year so far, but no shortcut was followed
        ({"from": "2026-02", "to": "2026-12"}, []),
        ({"from": "junk", "to": "2026-12"}, []),
    ],
)
def test_in_december_exactly_the_shortcut_the_address_names_is_current(
    democratization_actors, monkeypatch, query, current
):
    import types

    from mission.dashboards import periods

    monkeypatch.setattr(periods, "timezone", types.SimpleNamespace(localdate=lambda: datetime.date(2026, 12, 10)))
    response = client_for(democratization_actors["department_head"]).get(URL, query)
    links = response.context["filters"].preset_links()
    assert [link["label"] for link in links if link["current"]] == current
    assert response.content.decode().count('aria-current="true"') == len(current)
