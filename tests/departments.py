"""How the framework tests find each department's part: by convention, never by import.

Every installed department with pages (`DepartmentConfig.urls` or `records`) has a test contract,
`tests/<label>/contract.py`, that gives:

- `GET_EXPECTATIONS` and `POST_EXPECTATIONS`: URL name → (kwargs naming objects, status per actor);
- a fixture `<label>_actors`: the actors of `ACTORS`, in the department (None for anonymous);
- a fixture `<label>_objects`: the records the URLs' kwargs name, "draft", "submitted" and "approved"
  of its first declared record type (and other rows they name, a flag, another record type's
  records: the framework tests over records take those of the first record type, `records_in`);
- `FIXTURE_MODULES` (optional): modules whose fixtures those fixtures stand on;
- `plant_restricted(objects, text) -> Model`: put `text` in a restricted value and return the record
  whose access log a page showing it must write;
- `SHOWS_RESTRICTED`: a URL name whose page shows the planted value.

A department with an API (tests/api) also gives:

- `API_ROUTES`: its routes under /api/v1/, and `API_DATASETS`: its datasets (its supervisor has them all);
- a fixture `<label>_published`: route → the approved records partners may read there.

A department on the dashboards and with reports (tests/dashboards, tests/reports) also gives:

- `OVERVIEW_FIGURE`: the label of a figure of its own on the mission overview;
- `REPORT_TYPE`: a report of its own that its supervisor may ask for as XLSX or CSV, with names, and
  `REPORT_PARAMETERS`: the period (`recent_months()`) in which `<label>_objects` fall.

The framework tests (tests/test_department_contracts.py, the authorisation matrix, tests/api,
tests/dashboards, tests/reports, tests/records) load the contracts with `contracts()` and take their
fixtures with `contract_fixtures()`; none imports a department's tests."""

import datetime
import importlib
from types import ModuleType
from typing import Any

from _pytest.fixtures import FixtureFunctionDefinition

from mission import departments

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


def expectations(*statuses: object) -> dict[str, object]:
    """A row of the matrix: one status per actor of `ACTORS`, in that order."""
    return dict(zip(ACTORS, statuses, strict=True))


#                          anon   mon  sup  head mgmt part adm  other-region other-dept
READ_LIST = expectations(LOGIN, 200, 200, 200, 200, 403, 403, 200, 403)
READ_ONE = expectations(LOGIN, 200, 200, 200, 200, 403, 403, 404, 403)
CREATE = expectations(LOGIN, 200, 200, 403, 403, 403, 403, 200, 403)
EDIT = expectations(LOGIN, 200, 200, 403, 403, 403, 403, 404, 403)
AUTHOR_ONLY = expectations(LOGIN, 200, 403, 403, 403, 403, 403, 404, 403)
CORRECT = expectations(LOGIN, 200, 200, 403, 403, 403, 403, 404, 403)
REVIEWERS = expectations(LOGIN, 403, 200, 403, 403, 403, 403, 403, 403)
FOLLOW_UP = expectations(LOGIN, 403, 200, 200, 403, 403, 403, 403, 403)
DASHBOARDS = expectations(LOGIN, 403, 200, 200, 200, 403, 403, 403, 403)
POST_ONLY = expectations(LOGIN, 405, 405, 405, 405, 403, 405, 405, 405)
# What concerns national institutions (trackers, tables of figures): every reader of the department's
# records reads it, whatever their region; its head and supervisors keep it.
NATIONAL_READ = expectations(LOGIN, 200, 200, 200, 200, 403, 403, 200, 403)
MAINTAIN = expectations(LOGIN, 403, 200, 200, 403, 403, 403, 403, 403)
# A shared register (a tracker whose queryset is `shared`: drafts reviewed): every department's staff
# read it, another department's included; the department's head and supervisors keep it.
SHARED_READ = expectations(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200)
# A reviewer's post without a decision: sent back with a message; nobody else gets that far.
REVIEW_POSTED = expectations(LOGIN, 403, 302, 403, 403, 403, 403, 404, 403)


def record_expectations(label: str, name: str, prefix: str = "") -> dict[str, tuple[dict[str, str], object]]:
    """The pages the kit gives a declared record type (`<label>:<name>_<page>`), each with its row of
    the matrix, on the contract's objects "<prefix>draft", "<prefix>submitted" and "<prefix>approved"."""
    return {
        f"{label}:{name}_list": ({}, READ_LIST),
        f"{label}:{name}_export": ({}, READ_LIST),
        f"{label}:{name}_queue": ({}, REVIEWERS),
        f"{label}:{name}_create": ({}, CREATE),
        f"{label}:{name}_detail": ({"pk": f"{prefix}draft"}, READ_ONE),
        f"{label}:{name}_edit": ({"pk": f"{prefix}draft"}, AUTHOR_ONLY),
        f"{label}:{name}_correct": ({"pk": f"{prefix}approved"}, CORRECT),
        f"{label}:{name}_review": ({"pk": f"{prefix}submitted"}, POST_ONLY),
    }


def department_actors(
    prefix: str,
    department: str,
    region: str,
    *,
    geography: dict[str, Any],
    management: Any,
    partner: Any,
    administrator: Any,
    other_department_monitor: str,
    other_department: str = "rights",
) -> dict[str, Any]:
    """The actors of `ACTORS` for a department placed in `region` (a monitor of its first field team, a
    supervisor, the head), with the mission-wide ones, a monitor of Mitrovica and one of another
    department in the same region (`other_department_monitor`, a username, of `other_department`)."""
    from field_offices.models import FieldTeam
    from tests.factories import UserFactory

    return {
        "anonymous": None,
        "monitor": UserFactory(
            username=f"{prefix}.monitor",
            department=department,
            region=geography[region],
            field_team=FieldTeam.objects.get(code=f"FT-{region}-01"),
        ),
        "supervisor": UserFactory(
            username=f"{prefix}.supervisor", department=department, supervisor=True, region=geography[region]
        ),
        "department_head": UserFactory(username=f"{prefix}.head", department=department, department_head=True),
        "management": management,
        "partner": partner,
        "administrator": administrator,
        "other_region_monitor": UserFactory(
            username=f"{prefix}.monitor.mitrovica",
            department=department,
            region=geography["MIT"],
            field_team=FieldTeam.objects.get(code="FT-MIT-01"),
        ),
        "other_department_monitor": UserFactory(
            username=other_department_monitor, department=other_department, region=geography[region]
        ),
    }


def with_pages() -> list[departments.DepartmentConfig]:
    return [config for config in departments.all() if config.urls or config.records or config.trackers]


def contract(config: departments.DepartmentConfig) -> ModuleType:
    return importlib.import_module(f"tests.{config.label}.contract")


def contracts() -> dict[str, ModuleType]:
    """label → contract module, for every department with pages."""
    return {config.label: contract(config) for config in with_pages()}


def contract_fixtures() -> dict[str, Any]:
    """The fixtures the contracts define or import, to put in a framework test module's namespace."""
    found: dict[str, Any] = {}
    modules = [m for contract in contracts().values() for m in (contract, *getattr(contract, "FIXTURE_MODULES", ()))]
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, FixtureFunctionDefinition):
                found.setdefault(name, value)
    return found


def records_in(objects: dict[str, Any], label: str) -> dict[str, Any]:
    """The records of the department's first declared record type among its contract's objects,
    without the other rows its URLs name (a flag, another record type's records)."""
    config = next(c for c in departments.all() if c.label == label)
    model = config.records[0].get_model()
    return {key: value for key, value in objects.items() if isinstance(value, model)}


def recent_months() -> dict[str, str]:
    """Report parameters for the months of the last few days, where each contract's records fall."""
    today = datetime.date.today()
    start = today - datetime.timedelta(days=3)
    return {"from": f"{start:%Y-%m}", "to": f"{today:%Y-%m}", "region": "", "language": "en"}


def record_summary_changes(actors: dict[str, Any], objects: dict[str, Any], label: str) -> list[Any]:
    """Changes through the kit's services that a department's record summary counts
    (`mission.records.summary`, tests/dashboards/test_summaries.py), on its contract's records of its
    first record type: a review decision, a draft sent for review, a reviewer's correction that moves
    an approved record into another month, and the author's correction that takes one back to review."""
    from mission.records.services import record_correct_content, record_update
    from mission.review.services import record_approve

    config = next(c for c in departments.all() if c.label == label)
    day = config.records[0].date_field or "date"
    monitor, supervisor = actors["monitor"], actors["supervisor"]
    records = records_in(objects, label)

    def fresh(name: str) -> Any:
        record = records[name]
        record.refresh_from_db()
        return record

    def approve_the_submitted() -> None:
        record = fresh("submitted")
        record_approve(actor=supervisor, record=record, expected_version=record.version)

    def submit_the_draft() -> None:
        record = fresh("draft")
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)

    def move_the_draft_into_another_month() -> None:
        record = fresh("draft")
        earlier = getattr(record, day) - datetime.timedelta(days=40)
        record_update(actor=monitor, record=record, expected_version=record.version, fields={day: earlier})

    def move_an_approved_one_into_another_month() -> None:
        record = fresh("approved")
        earlier = getattr(record, day) - datetime.timedelta(days=62)
        record_correct_content(
            actor=supervisor,
            record=record,
            expected_version=record.version,
            reason="The date was mistyped.",
            fields={day: earlier},
        )

    def take_an_approved_one_back_to_review() -> None:
        record = fresh("submitted")  # approved by the first change
        record_correct_content(
            actor=monitor, record=record, expected_version=record.version, reason="A detail was wrong.", fields={}
        )

    return [
        approve_the_submitted,
        move_the_draft_into_another_month,
        submit_the_draft,
        move_an_approved_one_into_another_month,
        take_an_approved_one_back_to_review,
    ]
