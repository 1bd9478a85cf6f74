"""Security & Public Safety's contract (tests/departments.py): its URLs × every kind of actor, its actors
and records, and where a name is planted for the access-log sweep."""

import datetime
from typing import Any

import pytest

from field_offices.models import Institution, Municipality, Region
from mission.accounts.roles import Department
from mission.imports.models import PendingImport
from mission.imports.services import Table, import_keep
from mission.records.declaration import record_type_of
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from mission.trackers.services import tracked_create, tracked_status_add
from public_safety.models import (
    ActionItem,
    BiasMotivation,
    ForumMeeting,
    HateCrimeIncident,
    Mentoring,
    PoliceStaffFigure,
    SafetyForum,
    Strategy,
    Training,
    TrainingTopic,
)
from tests.departments import (
    DASHBOARDS,
    LOGIN,
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
    "public_safety:dashboard": ({}, DASHBOARDS),
    **record_expectations("public_safety", "hatecrimeincident"),
    "public_safety:hatecrimeincident_flag_close": ({"pk": "approved", "flag_pk": "flag"}, POST_ONLY),
    **record_expectations("public_safety", "training", "training_"),
    # Action plans concern national institutions: every reader of the department's records reads them,
    # whatever their region; its head and supervisors keep them.
    "public_safety:actionitem_list": ({}, NATIONAL_READ),
    "public_safety:actionitem_detail": ({"pk": "action"}, NATIONAL_READ),
    "public_safety:actionitem_create": ({}, MAINTAIN),
    "public_safety:actionitem_edit": ({"pk": "action"}, MAINTAIN),
    "public_safety:actionitem_status": ({"pk": "action"}, POST_ONLY),
    **record_expectations("public_safety", "forummeeting", "meeting_"),
    **record_expectations("public_safety", "mentoring", "mentoring_"),
    # The police's own figures, national like action plans; the head and supervisors keep them.
    "public_safety:policestafffigure_list": ({}, NATIONAL_READ),
    "public_safety:policestafffigure_export": ({}, NATIONAL_READ),
    "public_safety:policestafffigure_create": ({}, MAINTAIN),
    "public_safety:policestafffigure_edit": ({"pk": "figure"}, MAINTAIN),
    "public_safety:policestafffigure_delete": ({"pk": "figure"}, MAINTAIN),
    "public_safety:policestafffigure_import": ({}, MAINTAIN),
    # A dry run's refused rows are its author's (the supervisor's): another maintainer finds nothing.
    "public_safety:policestafffigure_import_errors": (
        {"pk": "pending"},
        expectations(LOGIN, 403, 200, 404, 403, 403, 403, 403, 403),
    ),
    "public_safety:policestafffigure_import_job": (
        {"pk": "pending"},
        expectations(LOGIN, 403, 200, 404, 403, 403, 403, 403, 403),
    ),
}
POST_EXPECTATIONS = {
    # No decision given: the reviewer is sent back with a message; nobody else gets that far.
    "public_safety:hatecrimeincident_review": ({"pk": "submitted"}, REVIEW_POSTED),
    "public_safety:training_review": ({"pk": "training_submitted"}, REVIEW_POSTED),
    "public_safety:forummeeting_review": ({"pk": "meeting_submitted"}, REVIEW_POSTED),
    # No file: who keeps the figures sees the form again with the error; nothing is imported.
    "public_safety:policestafffigure_import": ({}, MAINTAIN),
    # Nothing given: who keeps action plans sees the page again with what is missing.
    "public_safety:actionitem_status": ({"pk": "action"}, MAINTAIN),
    # No note given: who follows up sees the page again with the error; nothing is closed.
    "public_safety:hatecrimeincident_flag_close": (
        {"pk": "approved", "flag_pk": "flag"},
        expectations("login", 403, 200, 200, 403, 403, 403, 404, 403),
    ),
}
SHOWS_RESTRICTED = "public_safety:hatecrimeincident_detail"

PUBLIC_SAFETY = Department.PUBLIC_SAFETY


def incident_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=2),
        "municipality": municipality,
        "kind": "vandalism",
        "bias_motivation": BiasMotivation.objects.get(code="ANTI_CHRISTIAN"),
        "reported_to_police": True,
        "description": "Graffiti sprayed on the church's wall during the night.",
    }
    return fields | overrides


def incident_parts(name: str = "Dragan Provë", **steps: datetime.date) -> dict:
    record_type = record_type_of(HateCrimeIncident)
    assert record_type is not None
    victims, response = record_type.parts
    return {
        victims: [{"name": name, "sex": "male", "age_band": "41_60", "community": None}],
        response: [{"step": step, "date": day, "note": ""} for step, day in steps.items()],
    }


@pytest.fixture
def public_safety_actors(geography, management, partner, administrator):
    return department_actors(
        "safety",
        PUBLIC_SAFETY,
        "GJI",
        geography=geography,
        management=management,
        partner=partner,
        administrator=administrator,
        other_department_monitor="hr.monitor.gjilan",
    )


@pytest.fixture
def public_safety_objects(public_safety_actors):
    monitor, supervisor = public_safety_actors["monitor"], public_safety_actors["supervisor"]
    gjilan = Municipality.objects.filter(region=monitor.region).order_by("code").first()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)

    def made(parts: dict | None = None, **overrides: object) -> HateCrimeIncident:
        record = record_create(
            actor=monitor,
            model=HateCrimeIncident,
            fields=incident_content(gjilan, **overrides),
            parts=parts or incident_parts(),
        )
        return HateCrimeIncident.objects.get(pk=record.pk)

    draft = made()
    submitted = made(kind="threat")
    record_update(actor=monitor, record=submitted, expected_version=submitted.version, fields={}, submit=True)
    # The police noted bias indicators but did not record a hate crime: flagged once sent for review.
    approved = made(incident_parts(indicators=yesterday), kind="violent_attack")
    record_update(actor=monitor, record=approved, expected_version=approved.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    flag = approved.flags.get(rule="bias_not_recorded")
    trainings = _trainings(monitor, supervisor, gjilan)
    head = public_safety_actors["department_head"]
    action = tracked_create(actor=head, model=ActionItem, fields=action_content())
    tracked_status_add(
        actor=head,
        item=action,
        expected_version=action.version,
        date=datetime.date(2017, 3, 1),
        status="in_progress",
        evidence="Referral mechanism drafted with the municipalities.",
    )
    return {
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "flag": flag,
        **trainings,
        "action": action,
        **_meetings(monitor, supervisor, gjilan),
        **_mentoring(monitor, supervisor, gjilan),
        "figure": figure_made(head),
        "pending": _pending(supervisor),
    }


def forum_in(municipality: Municipality, code: str = "LPSC-TEST-1") -> SafetyForum:
    forum, _created = SafetyForum.objects.get_or_create(
        code=code,
        defaults={
            "kind": "lpsc",
            "municipality": municipality,
            "name_en": f"Local Public Safety Committee {code}",
            "name_sq": f"Komiteti Lokal për Siguri Publike {code}",
            "name_sr": f"Lokalni komitet za javnu bezbednost {code}",
        },
    )
    return forum


def meeting_content(forum: SafetyForum, **overrides: object) -> dict:
    fields = {
        "forum": forum,
        "date": datetime.date.today() - datetime.timedelta(days=4),
        "title": "Safety around the schools",
        "police": "present",
        "partner_institution": "",
        "description": "Residents asked for patrols near the primary school.",
    }
    return fields | overrides


def meeting_parts(attendance=((None, 3, 5),), issues=(("traffic", "resolved", None),)) -> dict:
    """Attendance as (community, women, men); issues as (category, follow-up, deadline)."""
    record_type = record_type_of(ForumMeeting)
    assert record_type is not None
    attending, raised = record_type.parts
    return {
        attending: [{"community": c, "women": w, "men": m} for c, w, m in attendance],
        raised: [
            {
                "category": category,
                "issue": "Cars speed past the school.",
                "action": "Speed bumps and a patrol at 8 o'clock." if deadline or follow_up != "open" else "",
                "owner": "Municipal directorate of public services",
                "deadline": deadline,
                "follow_up": follow_up,
            }
            for category, follow_up, deadline in issues
        ],
    }


def _reviewed(monitor, supervisor, model, make) -> tuple:
    draft, submitted, approved = make(0), make(1), make(2)
    for record in (submitted, approved):
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    return tuple(model.objects.get(pk=r.pk) for r in (draft, submitted, approved))


def _meetings(monitor, supervisor, municipality) -> dict:
    forum = forum_in(municipality)

    def make(n: int) -> Any:
        content = meeting_content(forum, date=datetime.date.today() - datetime.timedelta(days=4 + n))
        return record_create(actor=monitor, model=ForumMeeting, fields=content, parts=meeting_parts())

    draft, submitted, approved = _reviewed(monitor, supervisor, ForumMeeting, make)
    return {"forum": forum, "meeting_draft": draft, "meeting_submitted": submitted, "meeting_approved": approved}


def mentoring_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=10),
        "end_date": None,
        "municipality": municipality,
        "title": "Mentoring circle for women sergeants",
        "partner_institution": "Kosovo Police",
        "description": "Monthly sessions with a senior officer.",
    }
    return fields | overrides


def mentoring_parts(*people: tuple[str, str]) -> dict:
    """Participants as (name, role)."""
    record_type = record_type_of(Mentoring)
    assert record_type is not None
    (part,) = record_type.parts
    rows = [
        {"name": name, "sex": "female", "age_band": "26_40", "community": None, "rank": "sergeant", "role": role}
        for name, role in people or (("Drita Provë", "mentee"),)
    ]
    return {part: rows}


def _mentoring(monitor, supervisor, municipality) -> dict:
    def make(n: int) -> Any:
        content = mentoring_content(municipality, title=f"Mentoring circle {n}")
        return record_create(actor=monitor, model=Mentoring, fields=content, parts=mentoring_parts())

    draft, submitted, approved = _reviewed(monitor, supervisor, Mentoring, make)
    return {"mentoring_draft": draft, "mentoring_submitted": submitted, "mentoring_approved": approved}


def figure_made(actor, **overrides: object) -> PoliceStaffFigure:
    """A year's figures of women and men of one rank in one region (Gjilan's sergeants, by default)."""
    fields = {
        "year": 2024,
        "region": Region.objects.get(code="GJI"),
        "rank": "sergeant",
        "level": "first_line",
        "women": 31,
        "men": 214,
        "source": "Kosovo Police, annual staffing letter",
    } | overrides
    figure = PoliceStaffFigure(**fields)
    figure._history_user = actor
    figure.save()
    return figure


def _pending(supervisor) -> PendingImport:
    """A file the supervisor checked (a dry run) and has not applied: a row of it is refused."""
    table = Table(
        ["year", "region", "rank", "level", "women", "men", "source"], [(2, ["2024", "XXX", "", "", "", "", ""])]
    )
    return import_keep(table, user=supervisor, spec=figure_table().import_spec(), file_name="figures.csv")


def figure_table():
    from django.apps import apps

    (table,) = apps.get_app_config("public_safety").figures
    return table


def action_content(**overrides: object) -> dict:
    """An action's fields; `strategy` and `responsible` may be given as their reference codes."""
    fields = {
        "strategy": "PVE-2015",
        "objective": 2,
        "number": 3,
        "text": "Set up a referral mechanism for persons at risk of radicalisation in every municipality.",
        "responsible": "MIA",
        "deadline": datetime.date(2018, 12, 31),
    } | overrides
    if isinstance(fields["strategy"], str):
        fields["strategy"] = Strategy.objects.get(code=fields["strategy"])
    if isinstance(fields["responsible"], str):
        fields["responsible"] = Institution.objects.get(code=fields["responsible"])
    return fields


def training_content(municipality: Municipality, **overrides: object) -> dict:
    fields = {
        "date": datetime.date.today() - datetime.timedelta(days=3),
        "end_date": None,
        "municipality": municipality,
        "title": "Investigating hate crimes: first responders",
        "topic": TrainingTopic.objects.get(code="HATE_CRIME_INV"),
        "agency": Institution.objects.get(code="KP"),
        "unit": "Regional Directorate Gjilan",
        "trainers": "Two trainers of the Academy",
        "partner_institution": "Kosovo Academy for Public Safety",
        "description": "One-day course for patrol officers.",
    }
    return fields | overrides


def training_parts(*trainees: tuple[str, int | None, int | None, int | None]) -> dict:
    """Trainees as (name, score before, score after, evaluation)."""
    record_type = record_type_of(Training)
    assert record_type is not None
    (part,) = record_type.parts
    rows = [
        {
            "name": name,
            "sex": "female",
            "age_band": "26_40",
            "community": None,
            "rank": "officer",
            "agency": None,
            "pre_score": before,
            "post_score": after,
            "satisfaction": evaluation,
        }
        for name, before, after, evaluation in trainees or (("Besa Provë", 50, 75, 4),)
    ]
    return {part: rows}


def _trainings(monitor, supervisor, municipality) -> dict:
    def made(**overrides: object) -> Training:
        record = record_create(
            actor=monitor, model=Training, fields=training_content(municipality, **overrides), parts=training_parts()
        )
        return Training.objects.get(pk=record.pk)

    draft, submitted, approved = made(), made(title="Cybercrime basics"), made(title="Community policing")
    for record in (submitted, approved):
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record_approve(actor=supervisor, record=approved, expected_version=approved.version)
    return {"training_draft": draft, "training_submitted": submitted, "training_approved": approved}


def plant_restricted(objects: dict, text: str) -> HateCrimeIncident:
    """A victim's name on the draft: its page shows it and logs a view of the draft."""
    draft = objects["draft"]
    draft.victims.update(name=text)
    return draft


# Its API routes under /api/v1/ (tests/api/test_department_api.py tries each by role and token).
API_ROUTES = [
    "hate-crimes",
    "aggregates/hate-crimes",
    "aggregates/hate-crimes/victims",
    "trainings",
    "aggregates/trainings",
    "aggregates/trainings/trainees",
    "forum-meetings",
    "aggregates/forum-meetings",
    "aggregates/forum-meetings/attendance",
    "mentoring",
    "aggregates/mentoring",
    "aggregates/mentoring/participants",
    "women-in-police",
    "action-plans",
    "action-plans/status-history",
]
API_DATASET = "hate_crimes"
API_DATASETS = [API_DATASET, "trainings", "action_plans", "forums", "mentoring", "women_in_police"]


@pytest.fixture
def public_safety_published(public_safety_objects):
    """The approved incident: what partners may read, by route."""
    return {
        "hate-crimes": [public_safety_objects["approved"]],
        "trainings": [public_safety_objects["training_approved"]],
        "action-plans": [public_safety_objects["action"]],  # public plans: partners read them all
        "action-plans/status-history": list(public_safety_objects["action"].status_history.all()),
        "forum-meetings": [public_safety_objects["meeting_approved"]],
        "mentoring": [public_safety_objects["mentoring_approved"]],
        "women-in-police": [public_safety_objects["figure"]],  # the police's figures: partners read them all
    }


OVERVIEW_FIGURE = "Hate-crime incidents"  # a figure of its own on the mission overview
REPORT_TYPE = "public_safety_hatecrimeincident_data"  # its data report, with names for its supervisor
REPORT_PARAMETERS = recent_months()


@pytest.fixture
def public_safety_summary_changes(public_safety_actors, public_safety_objects):
    """What the department's record summary counts changes (tests/dashboards/test_summaries.py)."""
    return record_summary_changes(public_safety_actors, public_safety_objects, "public_safety")
