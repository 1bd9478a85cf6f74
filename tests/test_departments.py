"""The department contract (mission/departments.py): declarations become registrations."""

from mission import departments, navigation
from mission.accounts.management.commands.seed_demo import MISSION_USERS, demo_users
from mission.accounts.roles import Department, Role
from mission.api import datasets
from mission.dashboards import registry as dashboards
from mission.reports import registry as reports
from mission.retention import all_purges


def test_the_departments_are_found_through_their_configs_in_installed_order():
    # The test department (tests/incidents) is installed by tests/settings.py only, after the portal's own.
    assert [config.name for config in departments.all()] == [
        "rights",
        "human_rights",
        "democratization",
        "public_safety",
        "tests.incidents",
    ]


def test_declared_records_get_navigation_dashboards_and_routes():
    from django.urls import reverse

    incidents = next(config for config in departments.all() if config.label == "incidents")
    section = next(s for s in navigation._sections if s.label == incidents.verbose_name)
    assert [item.url_name for item in section.items] == [
        "incidents:dashboard",
        "incidents:incident_list",
        "incidents:incident_queue",
    ]
    assert section.department == incidents.department
    assert any(getattr(d, "namespace", None) == "incidents" for d in dashboards._departments)
    assert reverse("incidents:incident_list") == "/test-department/incidents/"
    assert reverse("incidents:dashboard") == "/test-department/dashboard/"
    assert reverse("api:incidents:incident_list") == "/api/v1/incidents/"


def test_a_departments_declarations_are_registered_with_the_frameworks():
    rights = next(config for config in departments.all() if config.label == "rights")
    # Human Rights is two apps: trial monitoring's own sections, and the kit's one for the other app.
    assert {s.label for s in navigation._sections if s.department == Department.RIGHTS} == {
        *(s.label for s in rights.navigation),
        next(c for c in departments.all() if c.label == "human_rights").verbose_name,
    }
    assert all(datasets.get(d.code) == d for d in rights.datasets)
    assert any(type(d).__name__ == "RightsDashboards" for d in dashboards._departments)
    assert {s.name for s in rights.summaries} <= set(dashboards.summaries())
    assert all(reports.get(t.key) == t for t in rights.reports)
    assert {p.key for p in rights.purges} <= {p.key for p in all_purges()}


def test_a_lazy_declaration_imports_its_function_when_called():
    join = departments.lazy("os.path.join")
    assert join("a", "b") == "a/b"
    assert join.__name__ == "os.path.join"


def test_demo_logins_come_from_the_departments_and_the_mission():
    users = demo_users()
    declared = [(u, c.department) for c in departments.all() for u in c.demo_users]
    assert users[: len(declared)] == declared
    assert {u.role for u, _d in users[len(declared) :]} == {u.role for u in MISSION_USERS}
    assert {d for u, d in users if u.role == Role.PARTNER} == {""}
    assert len({u.username for u, _d in users}) == len(users)


def test_every_field_a_record_type_links_by_is_one_of_its_fields_and_a_kind_some_app_resolves():
    from mission import references

    declared = [
        (r, field, kind) for config in departments.all() for r in config.records for field, kind in r.references
    ]
    assert declared  # the cases of gender-based violence link to trial monitoring's cases
    for record_type, field, kind in declared:
        assert field in record_type.fields, (record_type.model, field)
        assert kind in references.kinds(), (record_type.model, kind)
