from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The dashboard framework: periods and filters in the URL, charts with their data tables and CSV,
    the municipality map, summary freshness, and the mission overview. Departments plug in through
    `mission.dashboards.registry`; this app never imports a department."""

    name = "mission.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
