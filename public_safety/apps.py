from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.roles import Department, Role
from mission.departments import DemoUser


class PublicSafetyConfig(departments.DepartmentConfig):
    """Security & Public Safety: trainings, community safety forums, hate-crime response, women in police."""

    name = "public_safety"
    verbose_name = _("Security & Public Safety")
    department = Department.PUBLIC_SAFETY
    demo_users = (
        DemoUser("demo.monitor.safety", "Demo", "Monitor (Gjilan, Public Safety)", Role.MONITOR, "GJI", "FT-GJI-01"),
    )
