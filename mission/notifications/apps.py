from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What a person should know of: in the portal and, as they choose, by e-mail at once or in a daily
    digest, in their language. Sent by Celery after the commit, never inside a request's answer.
    Frameworks and departments call `notify`; departments add morning reminders by declaration
    (`DepartmentConfig.reminders`)."""

    name = "mission.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from mission import navigation
        from mission.accounts.permissions import Capability

        navigation.register(
            navigation.NavSection(
                label=_("Notifications"),
                order=85,
                items=(navigation.NavItem(_("Notifications"), "notifications:list", Capability.DIRECTORY),),
            )
        )
