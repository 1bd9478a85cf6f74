from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.roles import Department, Role
from mission.api.datasets import Dataset
from mission.departments import DemoUser
from mission.figures.declaration import FigureTable
from mission.records.declaration import RecordPart, RecordType
from mission.trackers.declaration import TrackerType


class PublicSafetyConfig(departments.DepartmentConfig):
    """Security & Public Safety: trainings, community safety forums, hate-crime response, women in police."""

    name = "public_safety"
    verbose_name = _("Security & Public Safety")
    department = Department.PUBLIC_SAFETY
    url_prefix = "public-safety/"
    records = (
        RecordType(
            model="public_safety.HateCrimeIncident",
            path="hate-crimes",
            fields=("date", "municipality", "kind", "bias_motivation", "reported_to_police", "description"),
            list_columns=("date", "municipality", "kind", "bias_motivation", "reported_to_police"),
            filters=("kind", "bias_motivation"),
            search=("description",),
            date_field="date",
            dataset="hate_crimes",
            aggregate_by=("kind", "bias_motivation"),
            parts=(
                RecordPart(
                    "public_safety.Victim",
                    fields=("name", "sex", "age_band", "community"),
                    extra=1,
                    counted_by=("sex", "age_band", "community"),
                ),
                RecordPart("public_safety.HateCrimeStep", fields=("step", "date", "note"), extra=2),
            ),
            flag_rules="public_safety.flags.RULES",
            response_measured=("recorded", "investigation", "charged"),
        ),
        RecordType(
            model="public_safety.Training",
            path="trainings",
            fields=(
                "date",
                "end_date",
                "municipality",
                "title",
                "topic",
                "agency",
                "unit",
                "trainers",
                "partner_institution",
                "description",
            ),
            list_columns=("date", "municipality", "title", "topic", "agency"),
            filters=("topic", "agency"),
            search=("title", "description"),
            date_field="date",
            dataset="trainings",
            aggregate_by=("topic", "agency"),
            parts=(
                RecordPart(
                    "public_safety.Trainee",
                    fields=(
                        "name",
                        "sex",
                        "age_band",
                        "community",
                        "rank",
                        "agency",
                        "pre_score",
                        "post_score",
                        "satisfaction",
                    ),
                    import_key=("name",),  # a sign-in sheet names each person
                    extra=3,
                    min_rows=1,
                    max_rows=300,
                    counted_by=("sex", "community", "rank", "agency"),
                    averaged=("gain", "satisfaction"),
                ),
            ),
        ),
        RecordType(
            model="public_safety.ForumMeeting",
            path="forum-meetings",
            fields=("forum", "date", "title", "police", "partner_institution", "description"),
            list_columns=("date", "forum", "municipality", "police"),
            filters=("forum", "police"),
            search=("title", "description"),
            date_field="date",
            dataset="forums",
            aggregate_by=("police",),
            parts=(
                RecordPart(
                    "public_safety.Attendance",
                    fields=("community", "women", "men"),
                    extra=3,
                    min_rows=1,
                    max_rows=20,
                    counted_by=("community",),
                    summed=("women", "men"),
                    tally=True,
                ),
                RecordPart(
                    "public_safety.ForumIssue",
                    fields=("category", "issue", "action", "owner", "deadline", "follow_up"),
                    extra=2,
                    max_rows=50,
                    counted_by=("category", "follow_up"),
                    summed=("resolved",),
                ),
            ),
        ),
        RecordType(
            model="public_safety.Mentoring",
            path="mentoring",
            fields=("date", "end_date", "municipality", "title", "partner_institution", "description"),
            list_columns=("date", "municipality", "title"),
            search=("title", "description"),
            date_field="date",
            dataset="mentoring",
            parts=(
                RecordPart(
                    "public_safety.Mentee",
                    fields=("name", "sex", "age_band", "community", "rank", "role"),
                    import_key=("name",),  # a sign-in sheet names each person
                    extra=3,
                    min_rows=1,
                    max_rows=200,
                    counted_by=("sex", "community", "rank", "role"),
                ),
            ),
        ),
    )
    figures = (
        FigureTable(
            model="public_safety.PoliceStaffFigure",
            path="women-in-police",
            key=("year", "region", "rank", "level"),
            values=("women", "men"),
            notes=("source",),
            dataset="women_in_police",
            region="region",
        ),
    )
    dashboard_panels = ("public_safety.panels.forum_panel", "public_safety.panels.women_in_police_panel")
    dashboard_reads = ("public_safety.SafetyForum", "public_safety.GenderTarget")
    trackers = (
        TrackerType(
            model="public_safety.ActionItem",
            path="action-plans",
            fields=("strategy", "objective", "number", "text", "responsible", "deadline"),
            list_columns=("strategy", "objective", "number", "responsible", "deadline"),
            filters=("strategy", "responsible"),
            search=("text",),
            dataset="action_plans",
            grouped_by=("strategy", "responsible"),
            done=("completed",),
            since="strategy__first_year",
            deadline="deadline",
            closed=("dropped",),
        ),
    )
    datasets = (
        Dataset("action_plans", _("Strategies' action plans and their implementation")),
        Dataset("forums", _("Community safety forums' meetings, attendance and issues")),
        Dataset("mentoring", _("Mentoring of women in the police")),
        Dataset("women_in_police", _("Women and men in the police by year, region, rank and management level")),
        Dataset("hate_crimes", _("Hate-crime incidents and the police response")),
        Dataset("trainings", _("Trainings of law-enforcement officers and their results")),
    )
    reference_data = "public_safety.reference.public_safety_reference_load"
    demo_data = "public_safety.demo.public_safety_demo_load"
    demo_users = (
        DemoUser("demo.monitor.safety", "Demo", "Monitor (Gjilan, Public Safety)", Role.MONITOR, "GJI", "FT-GJI-01"),
        DemoUser("demo.supervisor.safety", "Demo", "Supervisor (Gjilan, Public Safety)", Role.SUPERVISOR, "GJI"),
        DemoUser("demo.head.safety", "Demo", "Head of Security & Public Safety", Role.DEPARTMENT_HEAD),
    )
