from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.permissions import Capability
from mission.accounts.roles import Department, Role
from mission.api.datasets import Dataset
from mission.dashboards.registry import LiveCounts, Summary
from mission.departments import DemoUser, lazy
from mission.imports.flows import ImportTarget
from mission.imports.spec import ImportSpec
from mission.navigation import NavItem, NavSection
from mission.references import Reference
from mission.reports.registry import ReportType
from mission.retention import Purge

# What a court's schedule may say of a hearing beside its court, number, date and start.
SCHEDULE_DETAILS = ("municipality", "courtroom", "hearing_type", "category", "juvenile", "language", "status", "note")


class RightsConfig(departments.DepartmentConfig):
    """Human Rights & Communities: trial monitoring (courts, cases, hearings, observations, flags)."""

    name = "rights"
    verbose_name = _("Human Rights & Communities")
    department = Department.RIGHTS
    url_prefix = "trial-monitoring/"
    urls = "rights.urls"
    api_urls = "rights.api.urls"
    navigation = (
        NavSection(
            label=_("Trial monitoring"),
            order=10,
            items=(
                NavItem(_("Dashboard"), "rights:dashboard", Capability.DASHBOARDS),
                NavItem(_("Cases"), "rights:case_list", Capability.READ_RECORDS),
                NavItem(_("Hearings"), "rights:hearing_list", Capability.READ_RECORDS),
                NavItem(_("Monitoring plan"), "rights:plan_week", Capability.READ_RECORDS),
                NavItem(_("Observations"), "rights:observation_list", Capability.READ_RECORDS),
                NavItem(_("Review queue"), "rights:review_queue", Capability.REVIEW),
                NavItem(_("Flags"), "rights:flag_list", Capability.FOLLOW_UP),
            ),
        ),
    )
    datasets = (
        Dataset("trial_monitoring", _("Trial monitoring: cases, hearings, observations")),
        Dataset("trial_aggregates", _("Trial monitoring indicators (aggregates)")),
        Dataset(
            "trial_follow_up",
            _("Trial monitoring follow-up: flags, interventions"),
            partners=False,
            capability=Capability.FOLLOW_UP,  # what the flag pages ask (rights.views.flags)
        ),
    )
    dashboards = "rights.dashboards.RightsDashboards"
    # A case of gender-based violence that reached court names it by the court's case number.
    references = (Reference("court_case", "rights.references.cases_by_number"),)
    attachable = ("rights.Case", "rights.Hearing", "rights.Observation")
    calendar_events = ("rights.planning.calendar_events",)
    imports = (
        ImportTarget(
            name="court-schedule",
            spec=ImportSpec(
                "rights.PlannedHearing",
                key=("court", "case_number", "date", "start"),
                columns=("court", "case_number", "date", "start", *SCHEDULE_DETAILS),
                optional=SCHEDULE_DETAILS,
                derived=("case", "created_by"),
            ),
            may_import="rights.imports.may_import_schedule",
            refusal="rights.imports.schedule_refusal",
            prepare="rights.imports.schedule_preparer",
            export_rows="rights.imports.schedule_rows",
            list_url="rights:plan_week",
            description=_(
                "A court's hearing schedule, into the monitoring plan: one row per hearing, named by the court's "
                "code, the case number, the date (YYYY-MM-DD) and the start (HH:MM). The municipality, when left "
                "blank, is the case's or the court's seat; a status of cancelled marks a hearing the court called "
                "off. A hearing moved to another day or hour is a new row."
            ),
        ),
        ImportTarget(
            name="courts",
            spec=ImportSpec(
                "rights.Court",
                key=("code",),
                columns=("code", "name_en", "name_sq", "name_sr", "level", "parent", "seat"),
            ),
            may_import="mission.imports.flows.administers",
            description=_(
                "The courts and their branches, by their code: the level by its code, the court a branch is part "
                "of by its code (import it first), the seat by the municipality's code."
            ),
        ),
    )
    detail_pages = (("rights.Observation", "rights:observation_detail"),)
    reminders = ("rights.services.planning.plans_remind_tomorrow", "rights.services.flags.interventions_remind_due")
    # The names are rights.services.summaries.SUMMARY_NAME and those of rights.services.counters, which
    # this module may not import (they import models).
    summaries = (
        Summary(
            "trial_monitoring",
            lazy("rights.services.summaries.trial_summary_tables"),
            live_counts=LiveCounts(
                names=("rights.open_flags", "rights.waiting_review"),
                shares=lazy("rights.services.counters.trial_count_shares"),
            ),
        ),
    )
    reports = (
        ReportType(
            key="trial_monitoring",
            label=_("Trial-monitoring report"),
            department=Department.RIGHTS,
            formats=("pdf",),
            description=_(
                "The periodic report: summary figures, indicators with charts, each region, flags and interventions."
            ),
            build=lazy("rights.reports.build_trial_monitoring_pdf"),
            monthly=True,
        ),
        ReportType(
            key="trial_monitoring_data",
            label=_("Hearings and observations (data)"),
            department=Department.RIGHTS,
            formats=("xlsx", "csv"),
            description=_(
                "Every hearing and observation of the period, and each accused person of the cases heard, "
                "one sheet or file each."
            ),
            build=lazy("rights.reports.build_trial_monitoring_data"),
            may_include_restricted=True,
        ),
    )
    purges = (
        Purge(
            "rights_party_names",
            _("Names of parties in cases untouched for the period"),
            "RETENTION_PARTY_NAMES_DAYS",
            lazy("rights.services.retention.party_names_anonymise"),
        ),
    )
    reference_data = "rights.services.reference.rights_reference_load"  # the courts and the questionnaire
    demo_data = "rights.demo.rights_demo_load"
    demo_users = (
        DemoUser("demo.monitor", "Demo", "Monitor (Prizren, Human Rights)", Role.MONITOR, "PRZ", "FT-PRZ-01"),
        DemoUser(
            "demo.monitor.mitrovica", "Demo", "Monitor (Mitrovica, Human Rights)", Role.MONITOR, "MIT", "FT-MIT-01"
        ),
        DemoUser("demo.supervisor", "Demo", "Supervisor (Prizren, Human Rights)", Role.SUPERVISOR, "PRZ"),
        DemoUser("demo.supervisor.mitrovica", "Demo", "Supervisor (Mitrovica, Human Rights)", Role.SUPERVISOR, "MIT"),
        DemoUser("demo.monitor.gjilan", "Demo", "Monitor (Gjilan, Human Rights)", Role.MONITOR, "GJI", "FT-GJI-01"),
        DemoUser("demo.supervisor.gjilan", "Demo", "Supervisor (Gjilan, Human Rights)", Role.SUPERVISOR, "GJI"),
        DemoUser("demo.monitor.peja", "Demo", "Monitor (Pejë, Human Rights)", Role.MONITOR, "PEJ", "FT-PEJ-01"),
        DemoUser("demo.supervisor.peja", "Demo", "Supervisor (Pejë, Human Rights)", Role.SUPERVISOR, "PEJ"),
        DemoUser(
            "demo.monitor.prishtina", "Demo", "Monitor (Prishtinë, Human Rights)", Role.MONITOR, "PRI", "FT-PRI-01"
        ),
        DemoUser("demo.supervisor.prishtina", "Demo", "Supervisor (Prishtinë, Human Rights)", Role.SUPERVISOR, "PRI"),
        DemoUser("demo.head", "Demo", "Head of Human Rights", Role.DEPARTMENT_HEAD),
    )
