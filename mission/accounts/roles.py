"""Departments and roles: the two axes every permission question starts from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    RIGHTS = "rights", _("Human Rights & Communities")
    DEMOCRATIZATION = "democratization", _("Democratization")
    PUBLIC_SAFETY = "public_safety", _("Security & Public Safety")
    MISSION = "mission", _("Mission-wide")


PROGRAMME_DEPARTMENTS = (Department.RIGHTS, Department.DEMOCRATIZATION, Department.PUBLIC_SAFETY)


class Role(models.TextChoices):
    MONITOR = "monitor", _("Field monitor")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    MANAGEMENT = "management", _("Mission management")
    PARTNER = "partner", _("Partner")
    ADMINISTRATOR = "administrator", _("Administrator")


FIELD_ROLES = (Role.MONITOR, Role.SUPERVISOR)  # placed in a region
DEPARTMENT_ROLES = (Role.MONITOR, Role.SUPERVISOR, Role.DEPARTMENT_HEAD)  # belong to one department
MISSION_ROLES = (Role.MANAGEMENT, Role.ADMINISTRATOR)  # mission-wide, at headquarters
