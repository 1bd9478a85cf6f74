from django.utils.translation import gettext_lazy as _

from mission import departments
from mission.accounts.roles import Department
from mission.api.datasets import Dataset
from mission.records.declaration import RecordPart, RecordType, StepDeadline
from mission.trackers.declaration import TrackerType

STEPS = ("step", "date", "note")


class HumanRightsConfig(departments.DepartmentConfig):
    """Human Rights & Communities beyond the courtroom: communities' rights and language compliance,
    returns and property, cultural and religious heritage. Trial monitoring is the department's other app (`rights`)."""

    name = "human_rights"
    verbose_name = _("Human rights and communities")
    department = Department.RIGHTS
    url_prefix = "human-rights/"
    records = (
        RecordType(
            model="human_rights.CommunityIncident",
            path="community-incidents",
            fields=(
                "date",
                "municipality",
                "kind",
                "community",
                "institution",
                "reported_to_police",
                "description",
            ),
            list_columns=("date", "municipality", "kind", "community", "reported_to_police"),
            filters=("kind", "community"),
            search=("description", "institution"),
            date_field="date",
            dataset="community_incidents",
            aggregate_by=("kind", "community"),
            parts=(
                RecordPart(
                    "human_rights.AffectedPerson",
                    fields=("name", "sex", "community"),
                    extra=1,
                    counted_by=("sex", "community"),
                ),
                RecordPart("human_rights.CommunityIncidentStep", fields=STEPS, extra=2),
            ),
            flag_rules="human_rights.flags.RULES",
            response_measured=("answered", "remedied"),
        ),
        RecordType(
            model="human_rights.LanguageAssessment",
            path="language-compliance",
            fields=(
                "municipality",
                "year",
                "assessed_on",
                "signs",
                "documents",
                "sessions",
                "website",
                "translators",
                "office_for_communities",
                "complaints",
                "notes",
            ),
            list_columns=("year", "municipality", "signs", "documents", "sessions", "office_for_communities"),
            search=("notes",),
            date_field="assessed_on",
            dataset="language_compliance",
            trend_by="year",
            mapped=("signs", "documents", "sessions"),
        ),
        RecordType(
            model="human_rights.ReturnMovement",
            path="returns",
            fields=(
                "date",
                "municipality",
                "settlement",
                "origin",
                "origin_place",
                "kind",
                "assistance",
                "contact",
                "description",
            ),
            list_columns=("date", "municipality", "origin", "kind", "assistance"),
            filters=("origin", "kind", "assistance"),
            search=("description", "settlement"),
            date_field="date",
            dataset="returns",
            aggregate_by=("origin", "kind", "assistance"),
            parts=(
                RecordPart(
                    "human_rights.ReturnGroup",
                    fields=("community", "households", "persons", "women"),
                    extra=2,
                    min_rows=1,
                    max_rows=20,
                    counted_by=("community",),
                    summed=("households", "persons", "women"),
                    tally=True,
                ),
            ),
        ),
        RecordType(
            model="human_rights.PropertyCase",
            path="property-cases",
            fields=(
                "date",
                "municipality",
                "claim",
                "property_kind",
                "claimant",
                "claimant_sex",
                "community",
                "focus",
                "case_number",
                "description",
            ),
            list_columns=("date", "municipality", "claim", "property_kind", "focus"),
            filters=("claim", "property_kind", "focus"),
            search=("description", "case_number", "claimant"),
            date_field="date",
            dataset="property",
            aggregate_by=("claim", "property_kind", "focus", "claimant_sex"),
            parts=(RecordPart("human_rights.PropertyCaseStep", fields=STEPS, extra=2),),
            response_measured=("verification", "court", "enforcement", "repossession"),
        ),
        RecordType(
            model="human_rights.HeritageIncident",
            path="heritage-incidents",
            fields=("date", "site", "municipality", "kind", "reported_to_police", "description"),
            list_columns=("date", "site", "municipality", "kind", "reported_to_police"),
            filters=("kind", "site"),
            search=("description",),
            date_field="date",
            dataset="heritage",
            aggregate_by=("kind", "site"),
            parts=(RecordPart("human_rights.HeritageIncidentStep", fields=STEPS, extra=2),),
            response_measured=("police_recorded", "investigation", "works_stopped"),
        ),
        RecordType(
            model="human_rights.GbvCase",
            path="gbv-cases",
            fields=(
                "date",
                "municipality",
                "kind",
                "victim",
                "victim_sex",
                "victim_age",
                "victim_community",
                "relation",
                "court_case",
                "description",
            ),
            list_columns=("date", "municipality", "kind", "relation"),
            filters=("kind", "relation"),
            search=("description", "court_case"),
            date_field="date",
            dataset="gbv",
            aggregate_by=("kind", "relation", "victim_age"),
            parts=(RecordPart("human_rights.GbvCaseStep", fields=STEPS, extra=3),),
            response_measured=("emergency_decided", "order_issued", "shelter", "indictment"),
            # How fast the courts decide the protection orders requested, against the legal deadlines.
            deadlines=(
                StepDeadline(
                    _("Emergency protection orders"),
                    "emergency_requested",
                    ("emergency_decided",),
                    days="GBV_EMERGENCY_ORDER_DAYS",
                ),
                StepDeadline(
                    _("Protection orders"),
                    "order_requested",
                    ("order_issued", "order_refused"),
                    days="GBV_PROTECTION_ORDER_DAYS",
                ),
            ),
            sensitive_counts=True,
            references=(("court_case", "court_case"),),
        ),
        RecordType(
            model="human_rights.RightsActivity",
            path="activities",
            fields=("date", "end_date", "municipality", "line", "title", "partner_institution", "description"),
            list_columns=("date", "municipality", "line", "title"),
            filters=("line",),
            search=("title", "partner_institution", "description"),
            date_field="date",
            dataset="rights_activities",
            aggregate_by=("line",),
            parts=(
                RecordPart(
                    "human_rights.ActivityParticipant",
                    fields=("name", "sex", "age_band", "community"),
                    extra=3,
                    min_rows=1,
                    max_rows=300,
                    counted_by=("sex", "age_band", "community"),
                ),
            ),
        ),
    )
    trackers = (
        TrackerType(
            model="human_rights.CouncilDecision",
            path="council-decisions",
            fields=("year", "number", "site", "text", "responsible", "deadline"),
            list_columns=("year", "number", "site", "responsible", "deadline"),
            filters=("site",),
            search=("text", "responsible"),
            dataset="heritage_council",
            grouped_by=("site",),
            done=("implemented",),
            since="year",
            deadline="deadline",
            closed=("superseded",),
        ),
        TrackerType(
            model="human_rights.LegislativeReview",
            path="legislative-review",
            fields=("title", "kind", "institution", "standards", "comments_sent", "comments", "taken_up"),
            list_columns=("title", "kind", "institution", "comments_sent", "comments", "taken_up"),
            filters=("kind", "institution"),
            search=("title", "standards"),
            dataset="legislative_review",
            public_text=("title",),
            grouped_by=("kind",),
            done=("adopted",),
            closed=("withdrawn",),
        ),
    )
    # The department's activity on the overview stays trial monitoring's (hearings monitored); these
    # records have their figures there and their own maps on the department's dashboard.
    overview_activity = False
    dashboard_label = _("Figures and maps")
    dashboard_panels = ("human_rights.panels.map_panel",)
    dashboard_reads = ("human_rights.ProtectedSite",)
    datasets = (
        Dataset("community_incidents", _("Incidents affecting communities and the institutions' response")),
        Dataset("language_compliance", _("Municipalities' compliance with the law on the use of languages")),
        Dataset("returns", _("Return movements by community, origin and assistance")),
        Dataset("property", _("Property cases and their decision and enforcement")),
        Dataset("heritage", _("Incidents at protected sites of cultural and religious heritage")),
        # Cases of gender-based violence never reach partners, not even coded: a few cases of a
        # municipality and month would point at the people. Staff's counts hide small cells too.
        Dataset("gbv", _("Cases of gender-based violence and their handling (staff only)"), partners=False),
        Dataset("rights_activities", _("Dialogue, prevention, reintegration, youth and services activities")),
        Dataset("legislative_review", _("Draft laws and policies reviewed, the mission's comments and their uptake")),
        Dataset(
            "heritage_council", _("Decisions of the Implementation and Monitoring Council and their implementation")
        ),
    )
    reference_data = "human_rights.reference.human_rights_reference_load"
    demo_data = "human_rights.demo.human_rights_demo_load"
