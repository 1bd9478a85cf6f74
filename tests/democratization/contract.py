"""Democratization's contract (tests/departments.py): its URLs × every kind of actor, its actors and
records, and where a name is planted for the access-log sweep."""

import datetime

import pytest

from democratization.models import (
    GovernanceAssessment,
    JournalistIncident,
    MediaOutlet,
    ParticipationActivity,
    Recommendation,
    RecommendationSource,
)
from field_offices.models import Institution, Municipality
from mission.accounts.roles import Department
from mission.records.declaration import record_type_of
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from mission.trackers.services import tracked_create, tracked_status_add
from tests.departments import (
    DASHBOARDS,
    MAINTAIN,
    NATIONAL_READ,
    POST_ONLY,
    REVIEW_POSTED,
    department_actors,
    expectations,
    recent_months,
    record_expectations,
    record_summary_changes,
)

GET_EXPECTATIONS = {
    "democratization:dashboard": ({}, DASHBOARDS),
    **record_expectations("democratization", "journalistincident"),
    "democratization:journalistincident_flag_close": ({"pk": "approved", "flag_pk": "flag"}, POST_ONLY),
    **record_expectations("democratization", "participationactivity", "activity_"),
    **record_expectations("democratization", "governanceassessment", "assessment_"),
    # Recommendations concern national institutions: every reader of the department's records reads
    # them, whatever their region; its head and supervisors keep them.
    "democratization:recommendation_list": ({}, NATIONAL_READ),
    "democratization:recommendation_detail": ({"pk": "recommendation"}, NATIONAL_READ),
    "democratization:recommendation_create": ({}, MAINTAIN),
    "democratization:recommendation_edit": ({"pk": "recommendation"}, MAINTAIN),
    "democratization:recommendation_status": ({"pk": "recommendation"}, POST_ONLY),
}
POST_EXPECTATIONS = {
    # No decision given: the reviewer is sent back with a message; nobody else gets that far.
    "democratization:journalistincident_review": ({"pk": "submitted"}, REVIEW_POSTED),
    "democratization:governanceassessment_review": ({"pk": "assessment_submitted"}, REVIEW_POSTED),
    "democratization:participationactivity_review": ({"pk": "activity_submitted"}, REVIEW_POSTED),
    # Nothing given: who keeps recommendations sees the page again with what is missing.
    "democratization:recommendation_status": ({"pk": "recommendation"}, MAINTAIN),
    # No note given: who follows up sees the page again with the error; nothing is closed.
    "democratization:journalistincident_flag_close": (
        {"pk": "approved", "flag_pk": "flag"},
        expectations("login", 403, 200, 200, 403, 403, 403, 404, 403),
    ),
}
SHOWS_RESTRICTED = "democratization:journalistincident_detail"

DEMOCRATIZATION = Department.DEMOCRATIZATION


def incident_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=2),
        "municipality": municipality,
        "kind": "threat",
        "perpetrator_type": "private_person",
        "reported_to_police": True,
        "description": "Threats sent to a reporter after a story on a tender.",
    }
    return fields | overrides


def incident_parts(name: str = "Arbër Provë", **steps: datetime.date) -> dict:
    record_type = record_type_of(JournalistIncident)
    assert record_type is not None
    journalists, response = record_type.parts
    return {
        journalists: [
            {
                "name": name,
                "sex": "male",
                "community": None,
                "outlet": MediaOutlet.objects.get(code="RKIM"),
                "media_type": "radio",
            }
        ],
        response: [{"step": step, "date": day, "note": ""} for step, day in steps.items()],
    }


@pytest.fixture
def democratization_actors(geography, management, partner, administrator):
    return department_actors(
        "dem",
        DEMOCRATIZATION,
        "PEJ",
        geography=geography,
        management=management,
        partner=partner,
        administrator=administrator,
        other_department_monitor="hr.monitor.peja",
    )


@pytest.fixture
def democratization_objects(democratization_actors):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    peja = Municipality.objects.filter(region=monitor.region).order_by("code").first()

    def made(**overrides: object) -> JournalistIncident:
        record = record_create(
            actor=monitor, model=JournalistIncident, fields=incident_content(peja, **overrides), parts=incident_parts()
        )
        return JournalistIncident.objects.get(pk=record.pk)

    draft = made()
    submitted = made(kind="harassment")
    record_update(actor=monitor, record=submitted, expected_version=submitted.version, fields={}, submit=True)
    approved = made(kind="physical_attack")
    record_update(actor=monitor, record=approved, expected_version=approved.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    # The approved incident names the journalist of the submitted one, earlier the same year: flagged.
    flag = approved.flags.get(rule="targeted_again")
    activities = _activities(monitor, supervisor, peja)
    head = democratization_actors["department_head"]
    recommendation = tracked_create(actor=head, model=Recommendation, fields=recommendation_content())
    tracked_status_add(
        actor=head,
        item=recommendation,
        expected_version=recommendation.version,
        date=datetime.date(2023, 5, 2),
        status="partially",
        evidence="Draft law sent to the Assembly.",
    )
    return {
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "flag": flag,
        **activities,
        **_assessments(monitor, supervisor),
        "recommendation": recommendation,
    }


def assessment_content(municipality: Municipality, **overrides: object) -> dict:
    today = datetime.date.today()
    fields = {
        "municipality": municipality,
        "year": today.year - 1,
        "assessed_on": today - datetime.timedelta(days=2),
        "budget_execution": 87.5,
        "own_source_revenue": 21.0,
        "audit_opinion": "qualified",
        "women_senior_posts": 30.0,
        "non_majority_senior_posts": 12.5,
        "performance_report": True,
        "public_meetings_held": 3,
        "public_meetings_required": 2,
        "budget_hearings_held": 2,
        "decisions_published": 64.0,
        "notes": "From the municipality's annual report and the audit report.",
    }
    return fields | overrides


def _assessments(monitor, supervisor) -> dict:
    places = list(Municipality.objects.filter(region=monitor.region).order_by("code")[:3])

    def made(place, **overrides: object) -> GovernanceAssessment:
        record = record_create(actor=monitor, model=GovernanceAssessment, fields=assessment_content(place, **overrides))
        return GovernanceAssessment.objects.get(pk=record.pk)

    draft, submitted, approved = made(places[0]), made(places[1]), made(places[2], audit_opinion="unmodified")
    for record in (submitted, approved):
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    return {"assessment_draft": draft, "assessment_submitted": submitted, "assessment_approved": approved}


def recommendation_content(**overrides: object) -> dict:
    """A recommendation's fields; `source` and `addressee` may be given as their reference codes."""
    fields = {
        "source": "EU-EOM-2021-L",
        "number": 7,
        "priority": "priority",
        "area": "voter_reg",
        "addressee": "ASM",
        "text": "Amend the law so that the voter list is updated from the civil registry before each election.",
    } | overrides
    if isinstance(fields["source"], str):
        fields["source"] = RecommendationSource.objects.get(code=fields["source"])
    if isinstance(fields["addressee"], str):
        fields["addressee"] = Institution.objects.get(code=fields["addressee"])
    return fields


def as_posted(fields: dict) -> dict:
    """Fields as a form posts them: a related row as its key."""
    return {
        name: value.pk if hasattr(value, "pk") else ("" if value is None else value) for name, value in fields.items()
    }


def activity_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=3),
        "end_date": None,
        "municipality": municipality,
        "kind": "dialogue_academy",
        "title": "Dialogue Academy: local budgets",
        "partner_institution": "Municipal Assembly",
        "description": "Session with young women from three communities.",
    }
    return fields | overrides


def activity_parts(*names: str) -> dict:
    record_type = record_type_of(ParticipationActivity)
    assert record_type is not None
    (participants,) = record_type.parts
    rows = [
        {"name": name, "sex": "female", "age_band": "18_25", "community": None, "role": "participant", "outcome": ""}
        for name in names or ("Rina Provë",)
    ]
    return {participants: rows}


def _activities(monitor, supervisor, municipality) -> dict:
    def made(**overrides: object) -> ParticipationActivity:
        record = record_create(
            actor=monitor,
            model=ParticipationActivity,
            fields=activity_content(municipality, **overrides),
            parts=activity_parts(),
        )
        return ParticipationActivity.objects.get(pk=record.pk)

    draft, submitted, approved = made(), made(kind="training"), made(kind="womens_caucus")
    for record in (submitted, approved):
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    return {"activity_draft": draft, "activity_submitted": submitted, "activity_approved": approved}


def plant_restricted(objects: dict, text: str) -> JournalistIncident:
    """A journalist's name (and the outlet typed for them) on the draft: its page shows them and logs
    a view of the draft."""
    draft = objects["draft"]
    draft.journalists.update(name=text, outlet_other=text)
    return draft


# Its API routes under /api/v1/ (tests/api/test_department_api.py tries each by role and token).
API_ROUTES = [
    "journalist-safety",
    "aggregates/journalist-safety",
    "participation",
    "aggregates/participation",
    "aggregates/participation/participants",
    "recommendations",
    "recommendations/status-history",
    "governance",
    "aggregates/governance",
]
API_DATASET = "journalist_safety"
API_DATASETS = [API_DATASET, "participation", "election_recommendations", "governance"]


@pytest.fixture
def democratization_published(democratization_objects):
    """The approved incident: what partners may read, by route."""
    recommendation = democratization_objects["recommendation"]
    return {
        "journalist-safety": [democratization_objects["approved"]],
        "participation": [democratization_objects["activity_approved"]],
        "governance": [democratization_objects["assessment_approved"]],
        "recommendations": [recommendation],  # public reports: partners read them all
        "recommendations/status-history": list(recommendation.status_history.all()),
    }


OVERVIEW_FIGURE = "Journalist safety incidents"  # a figure of its own on the mission overview
REPORT_TYPE = "democratization_journalistincident_data"  # its data report, with names for its supervisor
REPORT_PARAMETERS = recent_months()


@pytest.fixture
def democratization_summary_changes(democratization_actors, democratization_objects):
    """What the department's record summary counts changes (tests/dashboards/test_summaries.py)."""
    return record_summary_changes(democratization_actors, democratization_objects, "democratization")
