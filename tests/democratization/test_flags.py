"""Flags on journalists' safety incidents: raised by rule when an incident goes to review or is
corrected, and nightly for what time alone makes true; closed with a note by who follows it up."""

import datetime

import pytest
from django.urls import reverse

from democratization.models import IncidentFlag, JournalistIncident
from mission.records.flags import record_flags_sweep
from mission.records.services import record_create, record_update
from mission.records.tasks import sweep_record_flags
from tests.conftest import client_for
from tests.democratization.contract import incident_content, incident_parts

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _submitted(actors, *, days_ago, name="Drilon Provë", **steps):
    monitor = actors["monitor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    fields = incident_content(municipality, date=TODAY - datetime.timedelta(days=days_ago))
    incident = record_create(
        actor=monitor, model=JournalistIncident, fields=fields, parts=incident_parts(name, **steps)
    )
    return record_update(actor=monitor, record=incident, expected_version=incident.version, fields={}, submit=True)


def _rules(incident):
    return sorted(incident.flags.values_list("rule", flat=True))


def test_no_police_case_a_month_after_a_reported_incident(democratization_actors):
    late = _submitted(democratization_actors, days_ago=40)
    assert _rules(late) == ["no_police_case"]
    with_case = _submitted(democratization_actors, days_ago=40, name="Other Provë", police_case=TODAY)
    assert _rules(with_case) == []
    recent = _submitted(democratization_actors, days_ago=10, name="Third Provë")
    assert _rules(recent) == []
    JournalistIncident.objects.filter(pk=recent.pk).update(date=TODAY - datetime.timedelta(days=31))
    assert record_flags_sweep() == 1  # time made it true: the nightly sweep finds it
    assert _rules(recent) == ["no_police_case"]
    assert sweep_record_flags() == "0 flags raised"  # once per rule and incident


def test_a_journalist_targeted_again_the_same_year(democratization_actors):
    first = _submitted(democratization_actors, days_ago=5, name="Lirie Provë")
    again = _submitted(democratization_actors, days_ago=2, name="Lirie Provë")
    other = _submitted(democratization_actors, days_ago=1, name="Somebody Else")
    assert _rules(first) == []
    assert _rules(again) == ["targeted_again"]
    assert _rules(other) == []


def test_a_draft_is_not_flagged(democratization_actors):
    monitor = democratization_actors["monitor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    fields = incident_content(municipality, date=TODAY - datetime.timedelta(days=60))
    draft = record_create(actor=monitor, model=JournalistIncident, fields=fields, parts=incident_parts())
    assert record_flags_sweep() == 0
    assert _rules(draft) == []


def _close(actor, flag, note):
    url = reverse("democratization:journalistincident_flag_close", args=[flag.incident_id, flag.pk])
    return client_for(actor).post(url, {"closing_note": note})


def test_a_supervisor_closes_a_flag_with_a_note(democratization_actors, democratization_objects):
    flag = democratization_objects["flag"]
    supervisor = democratization_actors["supervisor"]
    refused = _close(supervisor, flag, "   ")
    assert refused.status_code == 200
    assert "Say what was done" in refused.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open"
    response = _close(supervisor, flag, "Called the journalist; the earlier case is with the police.")
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.closed_by) == ("closed", supervisor)
    page = client_for(supervisor).get(response["Location"]).content.decode()
    assert "Called the journalist" in page
    assert "Close the flag" not in page
    assert _close(supervisor, flag, "Again").status_code == 200  # already closed: said, nothing changes
    assert IncidentFlag.objects.get(pk=flag.pk).closing_note.startswith("Called")


def test_who_may_close_a_flag(democratization_actors, democratization_objects):
    flag = democratization_objects["flag"]
    for actor, status in (("monitor", 403), ("management", 403), ("other_region_monitor", 404)):
        assert _close(democratization_actors[actor], flag, "No").status_code == status, actor
    flag.refresh_from_db()
    assert flag.status == "open"
    detail = reverse("democratization:journalistincident_detail", args=[flag.incident_id])
    management = client_for(democratization_actors["management"]).get(detail).content.decode()
    assert "A journalist already targeted this year" in management
    assert "Close the flag" not in management
    other = democratization_objects["submitted"]
    wrong = reverse("democratization:journalistincident_flag_close", args=[other.pk, flag.pk])
    assert client_for(democratization_actors["supervisor"]).post(wrong, {"closing_note": "x"}).status_code == 404
