from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.roles import Department, Role
from mission.departments import DemoUser


class DemocratizationConfig(departments.DepartmentConfig):
    """Democratization: journalist safety, election recommendations, municipal governance, participation."""

    name = "democratization"
    verbose_name = _("Democratization")
    department = Department.DEMOCRATIZATION
    demo_users = (
        DemoUser(
            "demo.monitor.democratization", "Demo", "Monitor (Pejë, Democratization)", Role.MONITOR, "PEJ", "FT-PEJ-01"
        ),
    )
