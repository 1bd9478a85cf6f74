"""Community-rights incidents and language compliance: the flags, a monitor's incident and its
follow-up through the form, one assessment per municipality and year, and the lists and the
dashboard at a query count that does not grow with the records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from field_offices.models import Community
from human_rights.models import CommunityIncident, LanguageAssessment
from mission.dashboards.services import summaries_refresh
from mission.records.flags import record_flags_sweep
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.human_rights.contract import assessment_content, incident_content, incident_parts

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _prizren(actors):
    return actors["monitor"].region.municipalities.order_by("code").first()


def _submitted(actors, *, days_ago=2, **overrides):
    monitor = actors["monitor"]
    steps = overrides.pop("steps", {})
    fields = incident_content(_prizren(actors), date=TODAY - datetime.timedelta(days=days_ago), **overrides)
    incident = record_create(actor=monitor, model=CommunityIncident, fields=fields, parts=incident_parts(**steps))
    return record_update(actor=monitor, record=incident, expected_version=incident.version, fields={}, submit=True)


def _rules(incident):
    return sorted(incident.flags.values_list("rule", flat=True))


def test_a_security_incident_not_reported_to_the_police_is_flagged(human_rights_actors):
    assert _rules(_submitted(human_rights_actors, kind="security", reported_to_police=False)) == ["not_reported"]
    assert _rules(_submitted(human_rights_actors, kind="security", reported_to_police=True)) == []
    assert _rules(_submitted(human_rights_actors, kind="security", reported_to_police=None)) == []  # not known
    assert _rules(_submitted(human_rights_actors, kind="language", reported_to_police=False)) == []


def test_no_answer_from_the_institution_a_month_after_the_incident(human_rights_actors):
    late = _submitted(human_rights_actors, days_ago=40)
    assert _rules(late) == ["no_answer"]
    monitor = human_rights_actors["monitor"]
    fields = incident_content(_prizren(human_rights_actors), date=TODAY - datetime.timedelta(days=40))
    answered = record_create(
        actor=monitor, model=CommunityIncident, fields=fields, parts=incident_parts(answered=TODAY)
    )
    answered = record_update(actor=monitor, record=answered, expected_version=answered.version, fields={}, submit=True)
    assert _rules(answered) == []
    recent = _submitted(human_rights_actors, days_ago=10)
    assert _rules(recent) == []
    CommunityIncident.objects.filter(pk=recent.pk).update(date=TODAY - datetime.timedelta(days=31))
    assert record_flags_sweep() == 1  # time made it true: the nightly sweep finds it
    assert _rules(recent) == ["no_answer"]


def test_a_monitor_logs_a_language_breach_and_its_follow_up(human_rights_actors):
    monitor = human_rights_actors["monitor"]
    client = client_for(monitor)
    create = reverse("human_rights:communityincident_create")
    token = client.get(create).context["submission_token"]
    day = TODAY - datetime.timedelta(days=9)
    data = {
        "submission_token": token,
        "version": "",
        "date": f"{day:%Y-%m-%d}",
        "municipality": _prizren(human_rights_actors).pk,
        "kind": "language",
        "community": Community.objects.get(code="TUR").pk,
        "institution": "Municipal civil registry",
        "reported_to_police": "unknown",
        "description": "Birth certificates issued in one language only.",
        "affectedperson-TOTAL_FORMS": 1,
        "affectedperson-INITIAL_FORMS": 0,
        "affectedperson-0-id": "",
        "affectedperson-0-name": "Ayşe Provë",
        "affectedperson-0-sex": "female",
        "affectedperson-0-community": Community.objects.get(code="TUR").pk,
        "communityincidentstep-TOTAL_FORMS": 2,
        "communityincidentstep-INITIAL_FORMS": 0,
        "communityincidentstep-0-id": "",
        "communityincidentstep-0-step": "mission_letter",
        "communityincidentstep-0-date": f"{day + datetime.timedelta(days=1):%Y-%m-%d}",
        "communityincidentstep-0-note": "Letter 12/26 to the director",
        "communityincidentstep-1-id": "",
        "communityincidentstep-1-step": "commissioner",
        "communityincidentstep-1-date": f"{day + datetime.timedelta(days=2):%Y-%m-%d}",
        "communityincidentstep-1-note": "",
    }
    response = client.post(create, data)
    assert response.status_code == 302, response.context and response.context.get("form").errors
    incident = CommunityIncident.objects.get(description__startswith="Birth certificates")
    assert incident.reported_to_police is None
    assert sorted(incident.response_steps.values_list("step", flat=True)) == ["commissioner", "mission_letter"]
    page = client.get(reverse("human_rights:communityincident_detail", args=[incident.pk])).content.decode()
    assert "Referred to the Language Commissioner" in page
    assert "Letter 12/26 to the director" in page
    assert "Ayşe Provë" in page  # the monitor reads the name; the view is logged
    # Management reads the pseudonym, never the name.
    other = client_for(human_rights_actors["management"])
    page = other.get(reverse("human_rights:communityincident_detail", args=[incident.pk])).content.decode()
    assert "Ayşe Provë" not in page
    assert "Person affected A" in page


def test_a_step_before_the_incident_is_refused(human_rights_actors):
    fields = incident_content(_prizren(human_rights_actors))
    with pytest.raises(ValidationError, match="cannot come before"):
        record_create(
            actor=human_rights_actors["monitor"],
            model=CommunityIncident,
            fields=fields,
            parts=incident_parts(answered=fields["date"] - datetime.timedelta(days=1)),
        )
    assert not CommunityIncident.objects.exists()


def test_a_municipality_is_assessed_once_a_year(human_rights_actors):
    monitor = human_rights_actors["monitor"]
    prizren = _prizren(human_rights_actors)
    record_create(actor=monitor, model=LanguageAssessment, fields=assessment_content(prizren))
    with pytest.raises(ValidationError, match="assessment of this year already"):
        record_create(actor=monitor, model=LanguageAssessment, fields=assessment_content(prizren))
    with pytest.raises(ValidationError, match="0"):
        record_create(actor=monitor, model=LanguageAssessment, fields=assessment_content(prizren, year=2020, signs=120))
    assert LanguageAssessment.objects.count() == 1


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_and_the_dashboard_cost_the_same_queries_at_two_sizes(human_rights_actors):
    client = client_for(human_rights_actors["supervisor"])
    pages = [
        reverse("human_rights:communityincident_list"),
        reverse("human_rights:languageassessment_list"),
        reverse("human_rights:dashboard"),
    ]
    supervisor, monitor = human_rights_actors["supervisor"], human_rights_actors["monitor"]
    places = list(monitor.region.municipalities.order_by("code"))

    def approved(n: int) -> None:
        incident = _submitted(human_rights_actors, days_ago=2 + n)
        record_approve(actor=supervisor, record=incident, expected_version=incident.version)
        assessment = record_create(
            actor=monitor, model=LanguageAssessment, fields=assessment_content(places[n % len(places)], year=2010 + n)
        )
        assessment = record_update(
            actor=monitor, record=assessment, expected_version=assessment.version, fields={}, submit=True
        )
        record_approve(actor=supervisor, record=assessment, expected_version=assessment.version)

    approved(0)
    summaries_refresh()
    few = [_queries(client, url) for url in pages]
    for n in range(1, 7):
        approved(n)
    summaries_refresh()
    assert [_queries(client, url) for url in pages] == few
