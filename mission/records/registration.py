"""What `DepartmentConfig.ready()` registers for a department's declared records: a navigation section
(each list, each review queue), the dashboards (unless the department has its own) and a data
report per record type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from mission import navigation
from mission.accounts.permissions import Capability
from mission.api.datasets import name_enum
from mission.dashboards import registry as dashboards
from mission.navigation import NavItem, NavSection

if TYPE_CHECKING:
    from mission.departments import DepartmentConfig


def register(config: DepartmentConfig) -> None:
    from mission.records.deadlines import check_steps

    items: list[NavItem] = []
    for record_type in config.records:
        check_steps(record_type)
        plural = record_type.get_model()._meta.verbose_name_plural or record_type.path
        name = f"{config.label}:{record_type.url_name('list')}"
        items.append(NavItem(capfirst(plural), name, Capability.READ_RECORDS))
        queue = f"{config.label}:{record_type.url_name('queue')}"
        items.append(NavItem(format_lazy(_("Review: {records}"), records=plural), queue, Capability.REVIEW))
    for tracker_type in config.trackers:
        model = tracker_type.get_model()
        meta: Any = model._meta  # the subclass's: its statuses
        statuses: Any = meta.get_field("current_status")
        name_enum(f"{model.__name__}StatusEnum", [value for value, _label in statuses.choices])
        plural = model._meta.verbose_name_plural or tracker_type.path
        item = NavItem(capfirst(plural), f"{config.label}:{tracker_type.url_name('list')}", Capability.READ_RECORDS)
        tracked: Any = model._default_manager.get_queryset()  # a NationalQuerySet
        if tracked.shared:  # every department reads it: a section for all
            navigation.register(NavSection(label=capfirst(plural), items=(item,), department=None))
        else:
            items.append(item)
    for table in config.figures:
        plural = table.get_model()._meta.verbose_name_plural or table.path
        items.append(NavItem(capfirst(plural), f"{config.label}:{table.url_name('list')}", Capability.READ_RECORDS))
    if config.records and not config.dashboards:  # the declared records' dashboard (mission.records.dashboard)
        label = config.dashboard_label or _("Dashboard")
        items.insert(0, NavItem(label, f"{config.label}:dashboard", Capability.DASHBOARDS))
    navigation.register(NavSection(label=config.verbose_name, items=tuple(items), department=config.department))
    if config.records and not config.dashboards:
        from mission.records.dashboards import RecordDashboards
        from mission.records.summary import record_summary_register

        record_summary_register(config)
        dashboards.register(RecordDashboards(config))
        from django.apps import apps

        from mission.records.summary import record_summary_watch

        for label in (*config.dashboard_reads, *(table.model for table in config.figures)):
            record_summary_watch(apps.get_model(label))
    from mission.records.reports import report_types
    from mission.reports import registry as reports

    for report_type in report_types(config):
        reports.register(report_type)
    if config.records and not config.dashboards:  # the dashboard's figures and charts as a PDF
        from mission.records.results import results_report_type

        reports.register(results_report_type(config))
