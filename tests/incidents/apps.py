from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.roles import Department, Role
from mission.api.datasets import Dataset
from mission.departments import DemoUser
from mission.records.declaration import RecordType


class IncidentsConfig(departments.DepartmentConfig):
    """Public-safety incidents, as a test department would log them."""

    name = "tests.incidents"
    label = "incidents"
    verbose_name = _("Incidents (test department)")
    department = Department.PUBLIC_SAFETY
    url_prefix = "test-department/"
    records = (
        RecordType(
            model="incidents.Incident",
            path="incidents",
            fields=("date", "municipality", "category", "victim_name", "description"),
            list_columns=("date", "municipality", "category", "victim_name"),
            filters=("category",),
            search=("description", "victim_name"),
            date_field="date",
            dataset="incidents",
            aggregate_by=("category",),
        ),
    )
    datasets = (Dataset("incidents", _("Incidents (test department)")),)
    demo_data = "tests.incidents.demo.incidents_demo_load"
    demo_users = (
        DemoUser("demo.incidents.monitor", "Demo", "Monitor (Prizren, Incidents)", Role.MONITOR, "PRZ", "FT-PRZ-01"),
        DemoUser("demo.incidents.supervisor", "Demo", "Supervisor (Prizren, Incidents)", Role.SUPERVISOR, "PRZ"),
    )
