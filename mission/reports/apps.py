from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports as Celery jobs: requested or scheduled, tracked, downloadable. Departments register
    their report types through `mission.reports.registry`; this app never imports a department."""

    name = "mission.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from mission import navigation
        from mission.accounts.permissions import Capability

        navigation.register(
            navigation.NavSection(
                label=_("Reports"),
                order=90,
                items=(navigation.NavItem(_("Reports"), "reports:list", Capability.REPORTS),),
            )
        )
