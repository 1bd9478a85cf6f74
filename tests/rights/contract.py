"""Trial monitoring's test contract (tests/departments.py): every URL × every kind of actor, the records
the URLs name, and where a name is planted for the access-log sweep. The framework tests run it
(tests/test_department_contracts.py); `tests/test_authorization_matrix.py` fails when a URL is missing."""

import datetime

import pytest

from rights.services.flags import flags_raise_for_hearing
from rights.services.hearings import hearing_create
from rights.services.observations import observation_approve, observation_start, observation_submit
from rights.services.planning import planned_hearing_create
from tests.departments import (
    ACTORS,
    AUTHOR_ONLY,
    CORRECT,
    CREATE,
    DASHBOARDS,
    EDIT,
    FOLLOW_UP,
    LOGIN,
    POST_ONLY,
    READ_LIST,
    READ_ONE,
    REVIEWERS,
    expectations,
    recent_months,
)
from tests.rights import conftest
from tests.rights.conftest import all_complied, hearing_fields

FIXTURE_MODULES = (conftest,)  # the fixtures `rights_objects` and `rights_published` stand on

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
    "rights:hearing_detail": ({"pk": "hearing"}, READ_ONE),
    "rights:hearing_update": ({"pk": "hearing"}, EDIT),
    "rights:observation_start": ({"hearing_pk": "hearing"}, POST_ONLY),
    "rights:observation_list": ({}, READ_LIST),
    "rights:observation_export": ({}, READ_LIST),
    "rights:observation_detail": ({"pk": "draft"}, READ_ONE),
    "rights:observation_edit": ({"pk": "draft"}, AUTHOR_ONLY),
    "rights:observation_review": ({"pk": "submitted"}, POST_ONLY),
    "rights:observation_correct": ({"pk": "approved"}, CORRECT),
    "rights:review_queue": ({}, REVIEWERS),
    "rights:plan_week": ({}, READ_LIST),
    "rights:plan_create": ({}, CREATE),
    "rights:plan_detail": ({"pk": "plan"}, READ_ONE),
    "rights:plan_edit": ({"pk": "plan"}, EDIT),
    "rights:plan_assign": ({"pk": "plan"}, POST_ONLY),
    "rights:plan_status": ({"pk": "plan"}, POST_ONLY),
    "rights:flag_list": ({}, FOLLOW_UP),
    "rights:flag_detail": ({"pk": "flag"}, FOLLOW_UP),
    "rights:intervention_create": ({"pk": "flag"}, POST_ONLY),
    "rights:flag_close": ({"pk": "flag"}, POST_ONLY),
    "rights:intervention_edit": ({"pk": "intervention"}, FOLLOW_UP),
}

# POST with empty input: who gets past the permission checks (302 or a 400 form page) and who not.
POST_EXPECTATIONS = {
    # An empty choice sends nobody (a supervisor's); an empty status is refused with a message.
    "rights:plan_assign": ({"pk": "plan"}, expectations(LOGIN, 403, 302, 403, 403, 403, 403, 404, 403)),
    "rights:plan_status": ({"pk": "plan"}, expectations(LOGIN, 302, 302, 403, 403, 403, 403, 404, 403)),
    "rights:observation_start": (
        {"hearing_pk": "hearing"},
        expectations(LOGIN, 302, 302, 403, 403, 403, 403, 404, 403),
    ),
    "rights:observation_review": (
        {"pk": "submitted"},
        expectations(LOGIN, 403, 302, 403, 403, 403, 403, 404, 403),
    ),
    "rights:intervention_create": (
        {"pk": "flag"},
        expectations(LOGIN, 403, 400, 400, 403, 403, 403, 403, 403),
    ),
    "rights:flag_close": (
        {"pk": "flag"},
        expectations(LOGIN, 403, 400, 400, 403, 403, 403, 403, 403),
    ),
}


@pytest.fixture
def rights_actors(request):
    """The shared actors of tests/conftest.py are Human Rights staff."""
    return {name: None if name == "anonymous" else request.getfixturevalue(name) for name in ACTORS}


@pytest.fixture
def rights_objects(monitor, supervisor, case, hearing, standards):
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
    observation_approve(actor=supervisor, observation=approved, expected_version=approved.version)
    flags_raise_for_hearing(second)
    flag = Flag.objects.get()
    intervention = Intervention.objects.create(
        flag=flag, intervention_type="letter", addressee="Court", date=second.date, recorded_by=supervisor
    )
    plan = planned_hearing_create(
        actor=monitor,
        court=case.court,
        case_number=case.case_number,
        date=datetime.date.today() + datetime.timedelta(days=2),
        start=datetime.time(9, 30),
        hearing_type="main_trial",
    )
    return {
        "plan": plan,
        "case": case,
        "hearing": hearing,
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "flag": flag,
        "intervention": intervention,
    }


@pytest.fixture
def rights_published(monitor, supervisor, observation, standards):
    """An approved observation (with restricted free text) of the Prizren case, and its hearing and case:
    what partners may read, by route."""
    observation_submit(
        actor=monitor,
        observation=observation,
        expected_version=1,
        summary="Secret summary text",
        ratings=all_complied(standards, PUBLIC_HEARING=("violation", "Secret evidence text")),
    )
    observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
    return {"cases": [observation.hearing.case], "hearings": [observation.hearing], "observations": [observation]}


def plant_restricted(objects: dict, text: str):
    """The accused's name of the case: the pages that show it log a view of the case."""
    case = objects["case"]
    case.parties.filter(role="accused").update(name=text)
    return case


SHOWS_RESTRICTED = "rights:case_detail"  # a page the access-log sweep must find a planted name on

# Its API routes under /api/v1/ (tests/api/test_endpoints.py tries each by role and token).
API_ROUTES = [
    "courts",
    "fair-trial-standards",
    "cases",
    "hearings",
    "observations",
    "flags",
    "interventions",
    "aggregates/hearings",
    "aggregates/standards",
    "aggregates/accused",
]
API_DATASETS = ["trial_monitoring", "trial_aggregates", "trial_follow_up"]  # its datasets (a supervisor has all)
OVERVIEW_FIGURE = "Hearings monitored"  # a figure of its own on the mission overview
REPORT_TYPE = "trial_monitoring_data"  # its data report, with names for its supervisor
REPORT_PARAMETERS = recent_months()  # where its records fall


@pytest.fixture
def rights_summary_changes(monitor, supervisor, rights_objects, standards):
    """Changes through the services, each of which the trial-monitoring summaries count
    (tests/dashboards/test_summaries.py): creating, moving dates, courts and municipalities, review
    decisions, a correction that withdraws an approved observation, a deleted party, flags and
    interventions."""
    import datetime

    from rights.models import Court, Flag
    from rights.services.cases import case_update
    from rights.services.flags import flag_close, intervention_record, intervention_update
    from rights.services.hearings import hearing_update
    from rights.services.observations import observation_correct
    from tests.factories import CaseFactory, HearingFactory, ObservationFactory

    case, today = rights_objects["case"], datetime.date.today()
    made = {}

    def ago(days):
        return today - datetime.timedelta(days=days)

    # Other cases in the same and other courts and months, whose rows a partial rebuild must keep.
    for court, days in (("BC-PZ", (75, 40, 10, 1)), ("BC-PZ-SUH", (40, 100)), ("BC-MI", (75, 1))):
        other = CaseFactory(created_by=monitor, court=Court.objects.get(code=court), case_number=f"BG {court}")
        for n in days:
            ObservationFactory(hearing=HearingFactory(case=other, date=ago(n)), status="approved")

    def create_in_another_month():
        made["hearing"] = hearing_create(actor=monitor, case=case, **hearing_fields(date=ago(75)))

    def move_it_and_adjourn_it():
        hearing = made["hearing"]
        fields = hearing_fields(date=ago(40), held=False, recorded=None, adjournment_reason="absent_witness")
        made["hearing"] = hearing_update(actor=monitor, hearing=hearing, expected_version=hearing.version, **fields)

    def approve():
        submitted = rights_objects["submitted"]
        submitted.refresh_from_db()
        observation_approve(actor=supervisor, observation=submitted, expected_version=submitted.version)

    def withdraw_by_a_correction():  # the author's correction of an approved observation goes back to review
        approved = rights_objects["approved"]
        approved.refresh_from_db()
        ratings = all_complied(standards, PUBLIC_HEARING=("violation", "Seen"))
        observation_correct(
            actor=monitor,
            observation=approved,
            expected_version=approved.version,
            reason="Wrong rating",
            summary="s",
            ratings=ratings,
        )

    def move_the_case_to_another_court_and_municipality():
        case.refresh_from_db()
        court = Court.objects.get(code="BC-PZ-SUH")
        case_update(
            actor=supervisor,
            case=case,
            expected_version=case.version,
            reason="Transferred",
            court=court,
            municipality=None,
            court_department="serious_crimes",
            fundamental_rights_appeal_grounds=True,
        )

    def change_and_delete_parties():
        case.refresh_from_db()
        accused = case.parties.get(role="accused")
        injured = case.parties.get(role="injured")
        parties = [
            {"id": accused.pk, "sex": "female", "age_band": "14_17"},
            {"id": injured.pk, "delete": True},
            {"role": "accused", "name": "Besa Provë", "sex": "female", "age_band": "41_60"},
        ]
        case_update(actor=supervisor, case=case, expected_version=case.version, reason="Parties", parties=parties)

    def close_a_flag():
        flag_close(actor=supervisor, flag=Flag.objects.get(pk=rights_objects["flag"].pk), note="Followed up")

    def record_and_move_an_intervention():
        flag = Flag.objects.get(pk=rights_objects["flag"].pk)
        made["intervention"] = intervention_record(
            actor=supervisor, flag=flag, intervention_type="letter", addressee="Court", date=ago(100)
        )

    def move_an_intervention():
        intervention = made["intervention"]
        intervention_update(actor=supervisor, intervention=intervention, date=ago(10), status="done")

    return [
        create_in_another_month,
        move_it_and_adjourn_it,
        approve,
        withdraw_by_a_correction,
        move_the_case_to_another_court_and_municipality,
        change_and_delete_parties,
        close_a_flag,
        record_and_move_an_intervention,
        move_an_intervention,
    ]
