from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """A person's week across departments ("My week") and its iCalendar feed for a phone's calendar.
    Departments declare what puts something in a person's week (`DepartmentConfig.calendar_events`);
    this app never imports a department."""

    name = "mission.calendars"
    label = "calendars"
    verbose_name = _("Calendars")

    def ready(self) -> None:
        from mission import navigation
        from mission.accounts.permissions import Capability

        navigation.register(
            navigation.NavSection(
                label=_("My week"),
                order=80,
                items=(navigation.NavItem(_("My week"), "calendars:week", Capability.RECORD),),
            )
        )
