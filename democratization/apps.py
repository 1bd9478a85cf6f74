from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.roles import Department, Role
from mission.api.datasets import Dataset
from mission.departments import DemoUser
from mission.records.declaration import RecordPart, RecordType
from mission.trackers.declaration import TrackerType


class DemocratizationConfig(departments.DepartmentConfig):
    """Democratization: journalist safety, election recommendations, municipal governance, participation."""

    name = "democratization"
    verbose_name = _("Democratization")
    department = Department.DEMOCRATIZATION
    url_prefix = "democratization/"
    records = (
        RecordType(
            model="democratization.JournalistIncident",
            path="journalist-safety",
            fields=("date", "municipality", "kind", "perpetrator_type", "reported_to_police", "description"),
            list_columns=("date", "municipality", "kind", "perpetrator_type", "reported_to_police"),
            filters=("kind", "perpetrator_type"),
            search=("description",),
            date_field="date",
            dataset="journalist_safety",
            aggregate_by=("kind", "perpetrator_type"),
            parts=(
                RecordPart(
                    "democratization.Journalist",
                    fields=("name", "sex", "community", "outlet", "outlet_other", "media_type"),
                    extra=1,
                    min_rows=1,
                ),
                RecordPart("democratization.ResponseStep", fields=("step", "date", "note"), extra=2),
            ),
            flag_rules="democratization.flags.RULES",
            response_measured=("police_case",),
        ),
        RecordType(
            model="democratization.ParticipationActivity",
            path="participation",
            fields=("date", "end_date", "municipality", "kind", "title", "partner_institution", "description"),
            list_columns=("date", "municipality", "kind", "title"),
            filters=("kind",),
            search=("title", "partner_institution", "description"),
            date_field="date",
            dataset="participation",
            aggregate_by=("kind",),
            parts=(
                RecordPart(
                    "democratization.Participant",
                    fields=("name", "sex", "age_band", "community", "role", "outcome"),
                    import_key=("name",),  # a sign-in sheet names each person
                    extra=3,
                    min_rows=1,
                    max_rows=300,
                    counted_by=("sex", "age_band", "community", "role", "outcome"),
                ),
            ),
        ),
        RecordType(
            model="democratization.GovernanceAssessment",
            path="governance",
            fields=(
                "municipality",
                "year",
                "assessed_on",
                "budget_execution",
                "own_source_revenue",
                "audit_opinion",
                "women_senior_posts",
                "non_majority_senior_posts",
                "performance_report",
                "public_meetings_held",
                "public_meetings_required",
                "budget_hearings_held",
                "decisions_published",
                "notes",
            ),
            list_columns=("year", "municipality", "audit_opinion", "budget_execution", "decisions_published"),
            filters=("audit_opinion",),
            search=("notes",),
            date_field="assessed_on",
            dataset="governance",
            aggregate_by=("audit_opinion",),
            trend_by="year",
            import_key=("municipality", "year"),  # a year's figures for many municipalities, from a spreadsheet
            mapped=(
                "budget_execution",
                "own_source_revenue",
                "women_senior_posts",
                "non_majority_senior_posts",
                "decisions_published",
            ),
        ),
    )
    trackers = (
        TrackerType(
            model="democratization.Recommendation",
            path="recommendations",
            fields=("source", "number", "priority", "area", "addressee", "text"),
            list_columns=("source", "number", "area", "addressee"),
            filters=("source", "area", "addressee", "priority"),
            search=("text",),
            dataset="election_recommendations",
            grouped_by=("addressee", "area"),
            done=("fully",),
            since="source__year",
        ),
    )
    datasets = (
        Dataset("journalist_safety", _("Journalists' safety incidents")),
        Dataset("participation", _("Participation programmes")),
        Dataset("election_recommendations", _("Election recommendations and their implementation")),
        Dataset("governance", _("Municipal governance indicators")),
    )
    reference_data = "democratization.reference.democratization_reference_load"
    demo_data = "democratization.demo.democratization_demo_load"
    demo_users = (
        DemoUser(
            "demo.monitor.democratization", "Demo", "Monitor (Pejë, Democratization)", Role.MONITOR, "PEJ", "FT-PEJ-01"
        ),
        DemoUser(
            "demo.supervisor.democratization", "Demo", "Supervisor (Pejë, Democratization)", Role.SUPERVISOR, "PEJ"
        ),
        DemoUser("demo.head.democratization", "Demo", "Head of Democratization", Role.DEPARTMENT_HEAD),
    )
