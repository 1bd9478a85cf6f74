"""The test department's contract (tests/departments.py): its URLs × every kind of actor, its actors
and records, and where a name is planted for the access-log sweep."""

import datetime

import pytest

from field_offices.models import Municipality
from mission.accounts.roles import Department
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.departments import (
    AUTHOR_ONLY,
    CORRECT,
    CREATE,
    DASHBOARDS,
    POST_ONLY,
    READ_LIST,
    READ_ONE,
    REVIEWERS,
    department_actors,
    expectations,
    recent_months,
    record_summary_changes,
)
from tests.incidents.models import Incident

GET_EXPECTATIONS = {
    "incidents:dashboard": ({}, DASHBOARDS),
    "incidents:incident_list": ({}, READ_LIST),
    "incidents:incident_export": ({}, READ_LIST),
    "incidents:incident_queue": ({}, REVIEWERS),
    "incidents:incident_create": ({}, CREATE),
    "incidents:incident_detail": ({"pk": "draft"}, READ_ONE),
    "incidents:incident_edit": ({"pk": "draft"}, AUTHOR_ONLY),
    "incidents:incident_correct": ({"pk": "approved"}, CORRECT),
    "incidents:incident_review": ({"pk": "submitted"}, POST_ONLY),
}
POST_EXPECTATIONS = {
    # No decision given: the reviewer is sent back with a message; nobody else gets that far.
    "incidents:incident_review": ({"pk": "submitted"}, expectations("login", 403, 302, 403, 403, 403, 403, 404, 403)),
}
SHOWS_RESTRICTED = "incidents:incident_detail"

SAFETY = Department.PUBLIC_SAFETY


def content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=2),
        "municipality": municipality,
        "category": "threat",
        "victim_name": "Drita Provë",
        "description": "Threats painted on a house.",
    }
    return fields | overrides


@pytest.fixture
def incidents_actors(geography, management, partner, administrator):
    return department_actors(
        "ps",
        SAFETY,
        "PRZ",
        geography=geography,
        management=management,
        partner=partner,
        administrator=administrator,
        other_department_monitor="hr.monitor.prizren",
    )


@pytest.fixture
def incidents_objects(incidents_actors):
    monitor, supervisor = incidents_actors["monitor"], incidents_actors["supervisor"]
    prizren = Municipality.objects.filter(region=monitor.region).order_by("code").first()

    def made(**overrides: object) -> Incident:
        return Incident.objects.get(
            pk=record_create(actor=monitor, model=Incident, fields=content(prizren, **overrides)).pk
        )

    draft = made()
    submitted = made(category="assault")
    record_update(actor=monitor, record=submitted, expected_version=submitted.version, fields={}, submit=True)
    approved = made(category="damage")
    record_update(actor=monitor, record=approved, expected_version=approved.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    return {"draft": draft, "submitted": submitted, "approved": approved}


def plant_restricted(objects: dict, text: str) -> Incident:
    """The draft's victim's name: its detail page shows it and logs a view of the draft."""
    draft = objects["draft"]
    Incident.objects.filter(pk=draft.pk).update(victim_name=text)
    return draft


# Its API routes under /api/v1/ (tests/api/test_department_api.py tries each by role and token).
API_ROUTES = ["incidents", "aggregates/incidents"]
API_DATASET = "incidents"
API_DATASETS = [API_DATASET]


@pytest.fixture
def incidents_published(incidents_objects):
    """The approved incident: what partners may read, by route."""
    return {"incidents": [incidents_objects["approved"]]}


OVERVIEW_FIGURE = "Incidents"  # a figure of its own on the mission overview
REPORT_TYPE = "incidents_incident_data"  # its data report, with names for its supervisor
REPORT_PARAMETERS = recent_months()  # where its records fall


@pytest.fixture
def incidents_summary_changes(incidents_actors, incidents_objects):
    """What the department's record summary counts changes (tests/dashboards/test_summaries.py)."""
    return record_summary_changes(incidents_actors, incidents_objects, "incidents")
