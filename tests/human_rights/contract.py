"""Human Rights & Communities beyond the courtroom: its contract (tests/departments.py): its URLs ×
every kind of actor, its actors and records, and where a name is planted for the access-log sweep."""

import datetime
from typing import Any

import pytest

from field_offices.models import Community, Institution, Municipality
from human_rights.models import (
    CommunityIncident,
    CouncilDecision,
    GbvCase,
    HeritageIncident,
    LanguageAssessment,
    LegislativeReview,
    PropertyCase,
    ProtectedSite,
    ReturnMovement,
    RightsActivity,
)
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
    SHARED_READ,
    department_actors,
    expectations,
    recent_months,
    record_expectations,
    record_summary_changes,
)

GET_EXPECTATIONS = {
    "human_rights:dashboard": ({}, DASHBOARDS),
    **record_expectations("human_rights", "communityincident"),
    "human_rights:communityincident_flag_close": ({"pk": "approved", "flag_pk": "flag"}, POST_ONLY),
    **record_expectations("human_rights", "languageassessment", "language_"),
    **record_expectations("human_rights", "returnmovement", "return_"),
    **record_expectations("human_rights", "propertycase", "property_"),
    **record_expectations("human_rights", "heritageincident", "heritage_"),
    **record_expectations("human_rights", "gbvcase", "gbv_"),
    **record_expectations("human_rights", "rightsactivity", "activity_"),
    # The register of drafts reviewed is shared: every department's staff read it; the department's head
    # and supervisors keep it.
    "human_rights:legislativereview_list": ({}, SHARED_READ),
    "human_rights:legislativereview_detail": ({"pk": "draft_reviewed"}, SHARED_READ),
    "human_rights:legislativereview_create": ({}, MAINTAIN),
    "human_rights:legislativereview_edit": ({"pk": "draft_reviewed"}, MAINTAIN),
    "human_rights:legislativereview_status": ({"pk": "draft_reviewed"}, POST_ONLY),
    # The Council's decisions concern national institutions: every reader of the department's records
    # reads them, whatever their region; its head and supervisors keep them.
    "human_rights:councildecision_list": ({}, NATIONAL_READ),
    "human_rights:councildecision_detail": ({"pk": "decision"}, NATIONAL_READ),
    "human_rights:councildecision_create": ({}, MAINTAIN),
    "human_rights:councildecision_edit": ({"pk": "decision"}, MAINTAIN),
    "human_rights:councildecision_status": ({"pk": "decision"}, POST_ONLY),
}
POST_EXPECTATIONS = {
    # No decision given: the reviewer is sent back with a message; nobody else gets that far.
    "human_rights:communityincident_review": ({"pk": "submitted"}, REVIEW_POSTED),
    "human_rights:languageassessment_review": ({"pk": "language_submitted"}, REVIEW_POSTED),
    "human_rights:returnmovement_review": ({"pk": "return_submitted"}, REVIEW_POSTED),
    "human_rights:propertycase_review": ({"pk": "property_submitted"}, REVIEW_POSTED),
    "human_rights:heritageincident_review": ({"pk": "heritage_submitted"}, REVIEW_POSTED),
    "human_rights:gbvcase_review": ({"pk": "gbv_submitted"}, REVIEW_POSTED),
    "human_rights:rightsactivity_review": ({"pk": "activity_submitted"}, REVIEW_POSTED),
    "human_rights:legislativereview_status": ({"pk": "draft_reviewed"}, MAINTAIN),
    # Nothing given: who keeps the decisions sees the page again with what is missing.
    "human_rights:councildecision_status": ({"pk": "decision"}, MAINTAIN),
    # No note given: who follows up sees the page again with the error; nothing is closed.
    "human_rights:communityincident_flag_close": (
        {"pk": "approved", "flag_pk": "flag"},
        expectations("login", 403, 200, 200, 403, 403, 403, 404, 403),
    ),
}
SHOWS_RESTRICTED = "human_rights:communityincident_detail"


def incident_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=3),
        "municipality": municipality,
        "kind": "language",
        "community": Community.objects.get(code="SRB"),
        "institution": "Municipal directorate of education",
        "reported_to_police": False,
        "description": "The school's notices were posted in one language only.",
    }
    return fields | overrides


def incident_parts(name: str = "Milica Provë", **steps: datetime.date) -> dict:
    record_type = record_type_of(CommunityIncident)
    assert record_type is not None
    persons, response = record_type.parts
    return {
        persons: [{"name": name, "sex": "female", "community": Community.objects.get(code="SRB")}],
        response: [{"step": step, "date": day, "note": ""} for step, day in steps.items()],
    }


def assessment_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "municipality": municipality,
        "year": datetime.date.today().year - 1,
        "assessed_on": datetime.date.today() - datetime.timedelta(days=3),
        "signs": 62.5,
        "documents": 40.0,
        "sessions": 100.0,
        "website": True,
        "translators": 2,
        "office_for_communities": True,
        "complaints": 1,
        "notes": "Signs checked on the main street.",
    }
    return fields | overrides


def return_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=3),
        "municipality": municipality,
        "settlement": "Novake",
        "origin": "serbia",
        "origin_place": "Kraljevo collective centre",
        "kind": "organised",
        "assistance": "housing",
        "contact": "Stefan Provë, 044 000 000",
        "description": "Two houses rebuilt; the road to the village is unpaved.",
    }
    return fields | overrides


def return_parts(*groups: tuple[str | None, int, int, int]) -> dict:
    """Returnees as (community code, households, persons, women)."""
    record_type = record_type_of(ReturnMovement)
    assert record_type is not None
    (part,) = record_type.parts
    rows = [
        {
            "community": Community.objects.get(code=code) if code else None,
            "households": households,
            "persons": persons,
            "women": women,
        }
        for code, households, persons, women in groups or (("SRB", 2, 7, 3),)
    ]
    return {part: rows}


def property_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=5),
        "municipality": municipality,
        "claim": "inheritance",
        "property_kind": "house",
        "claimant": "Drita Provë",
        "claimant_sex": "female",
        "community": Community.objects.get(code="ALB"),
        "focus": "women",
        "case_number": "C.nr. 123/2026",
        "description": "Her brothers registered the house in their names only.",
    }
    return fields | overrides


def property_parts(**steps: datetime.date) -> dict:
    record_type = record_type_of(PropertyCase)
    assert record_type is not None
    (part,) = record_type.parts
    return {part: [{"step": step, "date": day, "note": ""} for step, day in steps.items()]}


def heritage_content(site: ProtectedSite, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=2),
        "site": site,
        "municipality": site.municipality,
        "kind": "construction",
        "reported_to_police": True,
        "description": "A two-storey building going up inside the zone without a permit.",
    }
    return fields | overrides


def heritage_parts(**steps: datetime.date) -> dict:
    record_type = record_type_of(HeritageIncident)
    assert record_type is not None
    (part,) = record_type.parts
    return {part: [{"step": step, "date": day, "note": ""} for step, day in steps.items()]}


def gbv_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=4),
        "municipality": municipality,
        "kind": "domestic",
        "victim": "Vjosa Provë",
        "victim_sex": "female",
        "victim_age": "26_40",
        "victim_community": Community.objects.get(code="ALB"),
        "relation": "partner",
        "court_case": "P.nr. 88/2026",
        "description": "Reported by a neighbour; the police came the same night.",
    }
    return fields | overrides


def gbv_parts(**steps: datetime.date) -> dict:
    record_type = record_type_of(GbvCase)
    assert record_type is not None
    (part,) = record_type.parts
    return {part: [{"step": step, "date": day, "note": ""} for step, day in steps.items()]}


def activity_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=6),
        "end_date": None,
        "municipality": municipality,
        "line": "interfaith",
        "title": "Interfaith youth visit to the mosque and the church",
        "partner_institution": "Islamic Community and Serbian Orthodox Church",
        "description": "Thirty students of both communities.",
    }
    return fields | overrides


def activity_parts(*people: tuple[str, str]) -> dict:
    """Participants as (name, sex)."""
    record_type = record_type_of(RightsActivity)
    assert record_type is not None
    (part,) = record_type.parts
    rows = [
        {"name": name, "sex": sex, "age_band": "18_25", "community": None}
        for name, sex in people or (("Arta Provë", "female"),)
    ]
    return {part: rows}


def draft_content(**overrides: object) -> dict:
    fields = {
        "title": "Draft Law on Amending the Law on the Use of Languages",
        "kind": "law",
        "institution": Institution.objects.get(code="GOV-OPM"),
        "standards": "FCNM Art. 10 and 11",
        "comments_sent": datetime.date(2024, 3, 12),
        "comments": 14,
        "taken_up": 9,
    }
    return fields | overrides


def decision_content(**overrides: object) -> dict:
    fields = {
        "year": 2021,
        "number": 7,
        "site": ProtectedSite.objects.get(code="SPZ-PRZ-HC"),
        "text": "Stop the unauthorised construction in the historic centre.",
        "responsible": "Municipality of Prizren",
        "deadline": datetime.date(2021, 12, 31),
    }
    return fields | overrides


@pytest.fixture
def human_rights_actors(geography, management, partner, administrator):
    return department_actors(
        "communities",
        Department.RIGHTS,
        "PRZ",
        geography=geography,
        management=management,
        partner=partner,
        administrator=administrator,
        other_department_monitor="safety.monitor.prizren",
        other_department=Department.PUBLIC_SAFETY,
    )


def _reviewed(monitor, supervisor, model, make) -> tuple:
    draft, submitted, approved = make(0), make(1), make(2)
    for record in (submitted, approved):
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    return tuple(model.objects.get(pk=r.pk) for r in (draft, submitted, approved))


@pytest.fixture
def human_rights_objects(human_rights_actors):
    monitor, supervisor = human_rights_actors["monitor"], human_rights_actors["supervisor"]
    prizren = Municipality.objects.filter(region=monitor.region).order_by("code").first()
    today = datetime.date.today()

    def made(kind: str) -> Any:
        return lambda n: record_create(
            actor=monitor,
            model=CommunityIncident,
            fields=incident_content(prizren, kind=kind, date=today - datetime.timedelta(days=2)),
            parts=incident_parts(),
        )

    # A security incident not reported to the police: flagged once sent for review.
    draft, submitted, approved = _reviewed(monitor, supervisor, CommunityIncident, made("security"))
    language = _reviewed(
        monitor,
        supervisor,
        LanguageAssessment,
        lambda n: record_create(
            actor=monitor, model=LanguageAssessment, fields=assessment_content(prizren, year=today.year - 1 - n)
        ),
    )
    returns = _reviewed(
        monitor,
        supervisor,
        ReturnMovement,
        lambda n: record_create(
            actor=monitor,
            model=ReturnMovement,
            fields=return_content(prizren, date=today - datetime.timedelta(days=3 + n)),
            parts=return_parts(),
        ),
    )
    cases = _reviewed(
        monitor,
        supervisor,
        PropertyCase,
        lambda n: record_create(
            actor=monitor,
            model=PropertyCase,
            fields=property_content(prizren, date=today - datetime.timedelta(days=5 + n)),
            parts=property_parts(),
        ),
    )
    centre = ProtectedSite.objects.get(code="SPZ-PRZ-HC")
    heritage = _reviewed(
        monitor,
        supervisor,
        HeritageIncident,
        lambda n: record_create(
            actor=monitor, model=HeritageIncident, fields=heritage_content(centre), parts=heritage_parts()
        ),
    )
    gbv = _reviewed(
        monitor,
        supervisor,
        GbvCase,
        lambda n: record_create(actor=monitor, model=GbvCase, fields=gbv_content(prizren), parts=gbv_parts()),
    )
    activities = _reviewed(
        monitor,
        supervisor,
        RightsActivity,
        lambda n: record_create(
            actor=monitor, model=RightsActivity, fields=activity_content(prizren), parts=activity_parts()
        ),
    )
    head = human_rights_actors["department_head"]
    draft_reviewed = tracked_create(actor=head, model=LegislativeReview, fields=draft_content())
    tracked_status_add(
        actor=head,
        item=draft_reviewed,
        expected_version=draft_reviewed.version,
        date=datetime.date(2024, 9, 10),
        status="government",
        evidence="Approved at the government's meeting.",
    )
    decision = tracked_create(actor=head, model=CouncilDecision, fields=decision_content())
    tracked_status_add(
        actor=head,
        item=decision,
        expected_version=decision.version,
        date=datetime.date(2022, 3, 15),
        status="partly",
        evidence="The works stopped; the building stands.",
    )
    return {
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "decision": decision,
        "draft_reviewed": draft_reviewed,
        **{f"gbv_{state}": record for state, record in zip(STATES, gbv, strict=True)},
        **{f"activity_{state}": record for state, record in zip(STATES, activities, strict=True)},
        **{f"heritage_{state}": record for state, record in zip(STATES, heritage, strict=True)},
        "flag": approved.flags.get(rule="not_reported"),
        **{f"language_{state}": record for state, record in zip(STATES, language, strict=True)},
        **{f"return_{state}": record for state, record in zip(STATES, returns, strict=True)},
        **{f"property_{state}": record for state, record in zip(STATES, cases, strict=True)},
    }


STATES = ("draft", "submitted", "approved")


def plant_restricted(objects: dict, text: str) -> CommunityIncident:
    """A person's name on the draft incident: its page shows it and logs a view of the draft."""
    draft = objects["draft"]
    draft.persons.update(name=text)
    return draft


# Its API routes under /api/v1/ (tests/api/test_department_api.py tries each by role and token).
API_ROUTES = [
    "community-incidents",
    "aggregates/community-incidents",
    "aggregates/community-incidents/persons",
    "language-compliance",
    "aggregates/language-compliance",
    "returns",
    "aggregates/returns",
    "aggregates/returns/groups",
    "property-cases",
    "aggregates/property-cases",
    "heritage-incidents",
    "aggregates/heritage-incidents",
    "council-decisions",
    "council-decisions/status-history",
    "gbv-cases",
    "aggregates/gbv-cases",
    "activities",
    "aggregates/activities",
    "aggregates/activities/participants",
    "legislative-review",
    "legislative-review/status-history",
]
API_DATASET = "community_incidents"
API_DATASETS = [
    API_DATASET,
    "language_compliance",
    "returns",
    "property",
    "heritage",
    "heritage_council",
    "gbv",
    "rights_activities",
    "legislative_review",
]


@pytest.fixture
def human_rights_published(human_rights_objects):
    """The approved records: what partners may read, by route."""
    return {
        "community-incidents": [human_rights_objects["approved"]],
        "language-compliance": [human_rights_objects["language_approved"]],
        "returns": [human_rights_objects["return_approved"]],
        "property-cases": [human_rights_objects["property_approved"]],
        "heritage-incidents": [human_rights_objects["heritage_approved"]],
        "council-decisions": [human_rights_objects["decision"]],  # public decisions: partners read them all
        "council-decisions/status-history": list(human_rights_objects["decision"].status_history.all()),
        "activities": [human_rights_objects["activity_approved"]],
        "legislative-review": [human_rights_objects["draft_reviewed"]],
        "legislative-review/status-history": list(human_rights_objects["draft_reviewed"].status_history.all()),
    }


OVERVIEW_FIGURE = "Community-rights incidents"  # a figure of its own on the mission overview
REPORT_TYPE = "human_rights_communityincident_data"  # its data report, with names for its supervisor
REPORT_PARAMETERS = recent_months()


@pytest.fixture
def human_rights_summary_changes(human_rights_actors, human_rights_objects):
    """What the department's record summary counts changes (tests/dashboards/test_summaries.py)."""
    return record_summary_changes(human_rights_actors, human_rights_objects, "human_rights")
