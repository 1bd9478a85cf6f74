"""The department contract: what a department declares, and how the frameworks find it.

A department app's `AppConfig` subclasses `DepartmentConfig` and states what it has as class
attributes; `ready()` registers those declarations with the frameworks, so a department's `apps.py`
holds no code:

    class RightsConfig(departments.DepartmentConfig):
        name = "rights"
        department = Department.RIGHTS
        url_prefix = "trial-monitoring/"
        urls = "rights.urls"
        navigation = (NavSection(_("Trial monitoring"), items=(...)),)
        dashboards = "rights.dashboards.RightsDashboards"
        summaries = (Summary("trial", lazy("rights.services.summaries.trial_summary_tables")),)
        demo_users = (DemoUser("demo.monitor", "Demo", "Monitor (Prizren, Human Rights)", Role.MONITOR, "PRZ"),)

Subclass it as `departments.DepartmentConfig`, with `from mission import departments`: Django takes the
one `AppConfig` class of an `apps.py` as the app's, and would find two if the base were imported by name.
Anything that would import the department's models (a function, a dashboards class) is named by its
dotted path, or wrapped in `lazy()`, because an `AppConfig` module is imported before the models are
ready. The frameworks (the URLconf, the API, `seed_demo`) find the departments with `all()` and never
import them. docs/architecture.md describes the contract and the layers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

if TYPE_CHECKING:  # declarations only: the frameworks are imported when they are registered with
    from mission.api.datasets import Dataset
    from mission.dashboards.registry import Summary
    from mission.figures.declaration import FigureTable
    from mission.imports.flows import ImportTarget
    from mission.navigation import NavSection
    from mission.records.declaration import RecordType
    from mission.references import Reference
    from mission.reports.registry import ReportType
    from mission.retention import Purge
    from mission.trackers.declaration import TrackerType


def lazy(path: str) -> Callable[..., Any]:
    """A function that imports the function at `path` when it is first called, for declarations that
    name a function of a module an `AppConfig` may not import while the apps load."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return import_string(path)(*args, **kwargs)

    call.__qualname__ = call.__name__ = path
    return call


@dataclasses.dataclass(frozen=True)
class DemoUser:
    """A demo login of the department (`manage.py seed_demo`): the department is the config's."""

    username: str
    first_name: str
    last_name: str
    role: str
    region: str | None = None  # region code
    field_team: str | None = None  # field team code


class DepartmentConfig(AppConfig):
    """The base of a department's `AppConfig`: declare, and `ready()` registers."""

    department: str = ""  # a mission.accounts.roles.Department
    url_prefix: str = ""  # the pages are mounted at /<url_prefix>
    urls: str | None = None  # dotted path of the pages' URLconf
    api_urls: str | None = None  # dotted path of the API URLconf, mounted under /api/v1/
    navigation: tuple[NavSection, ...] = ()  # sections without a department get the config's
    datasets: tuple[Dataset, ...] = ()  # what an API token can be scoped to
    dashboards: str | None = None  # dotted path of a DepartmentDashboards subclass
    summaries: tuple[Summary, ...] = ()  # summary tables the dashboards framework refreshes
    reports: tuple[ReportType, ...] = ()
    purges: tuple[Purge, ...] = ()  # retention purges of the department's records
    reference_data: str | None = None  # dotted path of a loader () -> result with .lines()
    demo_data: str | None = None  # dotted path of a loader (*, records: int) -> str
    demo_users: tuple[DemoUser, ...] = ()
    # Reviewed records by declaration (mission.records): pages, navigation, API list and aggregates,
    # dashboard figures and a data report each, mounted and registered here.
    records: tuple[RecordType, ...] = ()
    # Items followed through a dated status history (mission.trackers): their pages and menu items.
    trackers: tuple[TrackerType, ...] = ()
    # What the department's dashboard shows beside its records' and trackers' figures: dotted paths of
    # functions (user, filters) -> (figures, charts), read per scope and filters, kept for the day and
    # until the department's record summary changes: its records mark it, and so does every save of the
    # models of `dashboard_reads` ("app_label.ModelName") and of its tables of figures.
    dashboard_panels: tuple[str, ...] = ()
    dashboard_reads: tuple[str, ...] = ()
    # Tables of figures kept by hand or imported (mission.figures): their pages, menu items and API list.
    figures: tuple[FigureTable, ...] = ()
    # Whether the declared records count in the overview's activity by region and on its map. A second
    # app of a department leaves the department's activity to the first (trial monitoring's hearings).
    overview_activity: bool = True
    # The menu's name of the declared records' dashboard: another than trial monitoring's "Dashboard"
    # for a second app of its department, so that the menu never holds two links of one name.
    dashboard_label: Any = None
    # The values by which the department finds its records for another app's pages
    # (`mission.references`: a court's case number).
    references: tuple[Reference, ...] = ()
    # Models of the department's own pages that take files (mission.attachments), by label
    # ("rights.Case"); the declared records take them without being named here.
    attachable: tuple[str, ...] = ()
    # What puts something in a person's week ("My week" and its iCalendar feed, mission.calendars):
    # dotted paths of functions (user, first_day, last_day) -> Iterable[CalendarEvent].
    calendar_events: tuple[str, ...] = ()
    # Notifications (mission.notifications): the pages of its own reviewed models, as (model label, URL
    # name taking the pk), for links (declared records' are known); and morning reminders, dotted paths
    # of functions (today) -> int that notify whoever should know of the day ahead.
    detail_pages: tuple[tuple[str, str], ...] = ()
    reminders: tuple[str, ...] = ()
    # Spreadsheets that update its rows in place, imported from /imports/ after a dry run, with an
    # export to edit and import back (mission.imports.flows); its tables of figures have theirs.
    imports: tuple[ImportTarget, ...] = ()

    def ready(self) -> None:
        from mission import navigation, retention
        from mission.api import datasets
        from mission.dashboards import registry as dashboards
        from mission.reports import registry as reports

        for section in self.navigation:
            navigation.register(dataclasses.replace(section, department=section.department or self.department))
        for dataset in self.datasets:
            datasets.register(dataset)
        if self.dashboards:
            dashboards.register(import_string(self.dashboards)())
        for summary in self.summaries:
            dashboards.register_summary(summary)
        for report_type in self.reports:
            reports.register(report_type)
        for purge in self.purges:
            retention.register(purge)
        if self.references:
            from mission import references

            for reference in self.references:
                references.register(reference)
        from mission.notifications import services as notifications

        for label, url_name in self.detail_pages:
            notifications.PAGES[label.lower()] = url_name
        for record_type in self.records:
            model = record_type.get_model()
            notifications.PAGES[model._meta.label_lower] = f"{self.label}:{record_type.url_name('detail')}"
        notifications.REMINDERS.extend(path for path in self.reminders if path not in notifications.REMINDERS)
        if self.calendar_events:
            from mission.calendars import registry as calendars

            for path in self.calendar_events:
                calendars.register(path)
        if self.attachable or self.records:
            from mission.attachments import registry as attachments

            for label in self.attachable:
                attachments.register(apps.get_model(label))
            for record_type in self.records:
                attachments.register(record_type.get_model())
        if self.imports or self.figures or self.records:
            from mission.imports import flows
            from mission.records.imports import part_import_family, part_import_name, record_import_flow

            for table in self.figures:
                flows.register(table.import_flow(self.label, self.department))
            for target in self.imports:
                flows.register_target(target)
            for record_type in self.records:
                if record_type.import_key:
                    flows.register(record_import_flow(record_type, self.label, self.department), listed=True)
                for part in record_type.parts:
                    if part.import_key:
                        name = part_import_name(record_type, part, self.label)
                        flows.register_family(name, part_import_family(record_type, part, self.label))
        if self.records or self.trackers or self.figures:
            from mission.records import registration

            registration.register(self)

    def page_urlpatterns(self) -> list[Any]:
        """The department's pages: its own URLconf's, then those of its declared records and trackers."""
        patterns = list(import_string(f"{self.urls}.urlpatterns")) if self.urls else []
        if self.records:
            from django.urls import path

            from mission.records.dashboard import dashboard_page
            from mission.records.views import RecordPages

            for record_type in self.records:
                patterns += RecordPages(record_type, self.label).urlpatterns()
            if not self.dashboards:  # the declared records' dashboard, unless the department has its own

                def dashboard(request: Any) -> Any:
                    return dashboard_page(self, request)

                patterns.append(path("dashboard/", dashboard, name="dashboard"))
        if self.trackers:
            from mission.trackers.views import TrackerPages

            for tracker_type in self.trackers:
                patterns += TrackerPages(tracker_type, self.label).urlpatterns()
        if self.figures:
            from mission.figures.views import FigurePages

            for table in self.figures:
                patterns += FigurePages(table, self.label, self.department).urlpatterns()
        return patterns

    def api_urlpatterns(self) -> list[Any]:
        """The department's API routes: its own API URLconf's, then those of its declared records."""
        patterns = list(import_string(f"{self.api_urls}.urlpatterns")) if self.api_urls else []
        if self.records:
            from mission.records.api import record_api_urlpatterns

            for record_type in self.records:
                patterns += record_api_urlpatterns(record_type)
        if self.trackers:
            from mission.trackers.api import tracker_api_urlpatterns

            for tracker_type in self.trackers:
                patterns += tracker_api_urlpatterns(tracker_type)
        if self.figures:
            from mission.figures.api import figure_api_urlpatterns

            for table in self.figures:
                patterns += figure_api_urlpatterns(table, self.department)
        return patterns

    def load_reference_data(self) -> Any:
        """Called by `manage.py load_reference_data`, after the geography."""
        if self.reference_data is None:
            return None
        return import_string(self.reference_data)()

    def load_demo_data(self, *, records: int) -> str | None:
        """Called by `manage.py seed_demo`, after every demo user exists."""
        if self.demo_data is None:
            return None
        loaded: str | None = import_string(self.demo_data)(records=records)
        return loaded


def all() -> Iterator[DepartmentConfig]:
    """The installed departments, in INSTALLED_APPS order."""
    return (config for config in apps.get_app_configs() if isinstance(config, DepartmentConfig))
