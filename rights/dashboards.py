"""Trial monitoring on the dashboards: the Human Rights dashboard's charts, and what Human Rights
contributes to the mission overview and to the municipality page."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mission.accounts.permissions import Capability, has_capability
from mission.accounts.roles import Department
from mission.dashboards.charts import COUNT, RATE, TEXT, Chart, Column, Figure, rate
from mission.dashboards.filters import Filters
from mission.dashboards.registry import Activity, AttentionItem, DepartmentDashboards, Overview
from rights import indicators
from rights.models import AdjournmentReason, AgeBand, CourtDepartment, FlagRule, FlagStatus, InterventionStatus, Sex
from rights.selectors import municipality_activity
from rights.services.summaries import SUMMARY_NAME


class RightsDashboards(DepartmentDashboards):
    department = Department.RIGHTS
    label = _("Human Rights & Communities")
    url_name = "rights:dashboard"
    summaries = (SUMMARY_NAME,)
    overview_from_summaries = True

    def attention(self, user, filters):
        return attention(user, filters.region_ids)

    def overview(self, user, filters) -> Overview:
        scope = indicators.Scope(user=user, period=filters.period, region_ids=filters.region_ids)
        counts = indicators.overview_counts(scope)
        now = indicators.hearing_counts(counts["hearings"])
        before = indicators.hearing_counts(counts["hearings_before"])
        dashboard = f"{reverse('rights:dashboard')}?{filters.querystring()}"
        figures = [
            Figure(str(_("Hearings monitored")), now["hearings"], before["hearings"], COUNT, dashboard),
            Figure(str(_("Cases monitored")), counts["cases"], counts["cases_before"], COUNT, dashboard),
            Figure(
                str(_("Unproductive hearings")),
                indicators.UNPRODUCTIVE.of(now),
                indicators.UNPRODUCTIVE.of(before),
                RATE,
            ),
        ]
        return Overview(
            figures=figures,
            activity=Activity(
                label=str(_("hearings monitored")),
                by_region=counts["by_region"],
                by_municipality=counts["by_municipality"],
            ),
        )

    def municipality_panel(self, user, municipality, filters):
        scope = indicators.Scope(
            user=user, period=filters.period, region_ids=filters.region_ids, municipality_id=municipality.pk
        )
        activity = municipality_activity(user=user, municipality=municipality)
        grouped = indicators.municipality_indicators(scope) if activity["in_scope"] else {}
        chart = monthly_hearings_chart(filters, grouped)
        chart.slug = "municipality-hearings-by-month"
        return "rights/_municipality_panel.html", {"chart": chart, **activity}


def attention(user, region_ids) -> list[AttentionItem]:
    counts = indicators.attention_counts(user=user, region_ids=region_ids)
    items = []
    flags_url = reverse("rights:flag_list") if has_capability(user, Capability.FOLLOW_UP) else ""
    items.append(AttentionItem(str(_("open flags (trial monitoring)")), counts["open_flags"], flags_url))
    waiting_url = (
        reverse("rights:review_queue")
        if has_capability(user, Capability.REVIEW)
        else f"{reverse('rights:observation_list')}?status=submitted"
    )
    items.append(AttentionItem(str(_("observations waiting for review")), counts["waiting_review"], waiting_url))
    return items


def monthly_hearings_chart(filters, grouped) -> Chart:
    by_month = {row["key"][:7]: row for row in grouped.get("month", [])}
    rows = []
    for month in filters.period.months():
        counts = indicators.hearing_counts(by_month.get(f"{month:%Y-%m}", {}))
        rows.append(
            [
                date_format(month, "YEAR_MONTH_FORMAT"),
                counts["held"],
                counts["adjourned"],
                counts["hearings"],
                indicators.UNPRODUCTIVE.of(counts),
                indicators.RECORDED.of(counts),
            ]
        )
    return Chart(
        slug="hearings-by-month",
        title=str(_("Hearings monitored by month")),
        columns=[
            Column(_("Month"), TEXT),
            Column(_("Held"), COUNT),
            Column(_("Adjourned"), COUNT),
            Column(_("Hearings"), COUNT),
            Column(_("Unproductive"), RATE),
            Column(_("Recorded (of held)"), RATE),
        ],
        rows=rows,
        series=(1, 2),
        style="columns",
        axis_labels=[date_format(m, "M y") for m in filters.period.months()],
    )


def _group_rows(grouped, dim, labels: dict, cases: dict | None = None) -> list[list]:
    rows = []
    case_rows = {r["key"]: r for r in (cases or {}).get(dim, [])}
    for row in sorted(grouped.get(dim, []), key=lambda r: -r["hearings"]):
        key = row["key"]
        counts = indicators.hearing_counts(row)
        case_row = case_rows.get(key, {})
        case_counts = {"cases": case_row.get("cases", 0), "appeal_grounds": case_row.get("appeal_grounds", 0)}
        rows.append(
            [
                labels.get(key, key or "—"),
                counts["hearings"],
                indicators.UNPRODUCTIVE.of(counts),
                indicators.RECORDED.of(counts),
                case_counts["cases"],
                indicators.APPEAL_GROUNDS.of(case_counts),
            ]
        )
    return rows


def _rating_counts(row: dict) -> dict[str, int]:
    """A rating row's counts by the names of indicators.RATING_COUNTS (zero where it has none)."""
    return {name: row.get(name) or 0 for name in indicators.RATING_COUNTS}


def _breakdown_columns(first) -> list[Column]:
    return [
        Column(first, TEXT),
        Column(_("Hearings"), COUNT),
        Column(_("Unproductive"), RATE),
        Column(_("Recorded (of held)"), RATE),
        Column(_("Cases"), COUNT),
        Column(_("Cases with fundamental-rights grounds for appeal"), RATE),
    ]


def trial_dashboard(
    filters: Filters, *, user, courts: dict[str, str], court_id: int | None = None, court_department: str = ""
) -> tuple[list, list]:
    """The key figures and charts of the Human Rights dashboard for these filters, as the page and
    the reports show them (`user` None: a scheduled report, limited by the filters' regions alone)."""
    scope = indicators.Scope(
        user=user,
        period=filters.period,
        region_ids=filters.region_ids,
        court_id=court_id,
        court_department=court_department,
    )
    return human_rights_charts(filters, courts=courts, **indicators.trial_indicators(scope))


def human_rights_charts(
    filters: Filters, *, courts: dict[str, str], hearings, cases, persons, ratings, follow_up
) -> tuple[list, list]:
    """The key figures and charts of the Human Rights dashboard from the indicator queries."""
    figures = key_figures(hearings=hearings, cases=cases, persons=persons, ratings=ratings)
    charts = [
        monthly_hearings_chart(filters, hearings),
        trend_chart(filters, cases, ratings),
        adjournment_chart(hearings),
        *breakdown_charts(filters, hearings, cases, courts),
        standards_chart(ratings),
        *follow_up_charts(follow_up),
        *accused_charts(cases),
        *person_charts(persons),
    ]
    return figures, charts


def key_figures(*, hearings, cases, persons, ratings) -> list[Figure]:
    """The figures at the top, each beside the period before."""
    now_counts = indicators.hearing_counts(indicators.one(hearings, "total"))
    before_counts = indicators.hearing_counts(indicators.one(hearings, "before"))
    case_total, case_before = indicators.one(cases, "total"), indicators.one(cases, "before")
    rating_total, rating_before = indicators.one(ratings, "total"), indicators.one(ratings, "before")
    return [
        Figure(str(_("Hearings monitored")), now_counts["hearings"], before_counts["hearings"]),
        Figure(str(_("Cases monitored")), case_total.get("cases", 0), case_before.get("cases", 0)),
        Figure(
            str(_("Accused persons")),
            indicators.one(persons, "total").get("persons", 0),
            indicators.one(persons, "before").get("persons", 0),
        ),
        Figure(
            str(_("Unproductive hearings")),
            indicators.UNPRODUCTIVE.of(now_counts),
            indicators.UNPRODUCTIVE.of(before_counts),
            RATE,
        ),
        Figure(
            str(_("Hearings recorded (of held)")),
            indicators.RECORDED.of(now_counts),
            indicators.RECORDED.of(before_counts),
            RATE,
        ),
        Figure(
            str(_("Cases with fundamental-rights grounds for appeal")),
            indicators.APPEAL_GROUNDS.of(case_total),
            indicators.APPEAL_GROUNDS.of(case_before),
            RATE,
        ),
        Figure(
            str(_("Ratings that are violations")),
            indicators.VIOLATIONS.of(_rating_counts(rating_total)),
            indicators.VIOLATIONS.of(_rating_counts(rating_before)),
            RATE,
        ),
    ]


def trend_chart(filters: Filters, cases, ratings) -> Chart:
    """Cases heard and ratings given, month by month."""
    cases_by_month = {row["key"][:7]: row for row in cases.get("month", [])}
    ratings_by_month = {row["key"][:7]: row for row in ratings.get("month", [])}
    rows = []
    for month in filters.period.months():
        case_row = cases_by_month.get(f"{month:%Y-%m}", {})
        rating_counts = _rating_counts(ratings_by_month.get(f"{month:%Y-%m}", {}))
        rows.append(
            [
                date_format(month, "YEAR_MONTH_FORMAT"),
                case_row.get("cases", 0),
                rating_counts["rated"],
                indicators.CONCERNS.of(rating_counts),
                indicators.VIOLATIONS.of(rating_counts),
            ]
        )
    return Chart(
        slug="cases-by-month",
        title=str(_("Cases monitored and ratings by month")),
        columns=[
            Column(_("Month"), TEXT),
            Column(_("Cases with a hearing"), COUNT),
            Column(_("Ratings"), COUNT),
            Column(_("Concerns"), RATE),
            Column(_("Violations"), RATE),
        ],
        rows=rows,
        series=(1,),
        style="columns",
        axis_labels=[date_format(m, "M y") for m in filters.period.months()],
    )


def adjournment_chart(hearings) -> Chart:
    """Adjourned hearings by reason, with each reason's share of all adjourned hearings."""
    reasons = {str(k): str(v) for k, v in AdjournmentReason.choices}
    adjourned = indicators.hearing_counts(indicators.one(hearings, "total"))["adjourned"]
    rows = sorted(
        (
            [reasons.get(r["key"], r["key"]), r["hearings"], rate(r["hearings"], adjourned)]
            for r in hearings.get("reason", [])
        ),
        key=lambda row: -row[1],
    )
    return Chart(
        slug="adjournment-reasons",
        title=str(_("Why hearings were adjourned")),
        columns=[
            Column(_("Reason"), TEXT),
            Column(_("Adjourned hearings"), COUNT),
            Column(_("Share of adjourned"), RATE),
        ],
        rows=rows,
    )


def breakdown_charts(filters: Filters, hearings, cases, courts: dict[str, str]) -> list[Chart]:
    """Hearings and cases by region, court and court department."""
    region_names = {str(r.pk): r.name for r in filters.regions}
    departments = {str(k): str(v) for k, v in CourtDepartment.choices}
    return [
        Chart(
            slug="by-region",
            title=str(_("By region")),
            columns=_breakdown_columns(_("Region")),
            rows=_group_rows(hearings, "region", region_names, cases),
        ),
        Chart(
            slug="by-court",
            title=str(_("By court")),
            columns=_breakdown_columns(_("Court")),
            rows=_group_rows(hearings, "court", courts, cases),
        ),
        Chart(
            slug="by-court-department",
            title=str(_("By court department")),
            columns=_breakdown_columns(_("Court department")),
            rows=_group_rows(hearings, "court_department", departments, cases),
        ),
    ]


def standards_chart(ratings) -> Chart:
    """Ratings, concerns and violations per fair-trial standard."""
    rows = []
    for row in sorted(ratings.get("standard", []), key=lambda r: int(r["key"])):
        counts = _rating_counts(row)
        rows.append(
            [
                row["label"],
                counts["rated"],
                counts["concerns"],
                indicators.CONCERNS.of(counts),
                counts["violations"],
                indicators.VIOLATIONS.of(counts),
            ]
        )
    return Chart(
        slug="standards",
        title=str(_("Fair-trial standards: violation rate")),
        columns=[
            Column(_("Standard"), TEXT),
            Column(_("Ratings"), COUNT),
            Column(_("Concerns"), COUNT),
            Column(_("Concern rate"), RATE),
            Column(_("Violations"), COUNT),
            Column(_("Violation rate"), RATE),
        ],
        rows=rows,
        series=(5,),
        note=str(_("Approved observations only; ratings of not applicable or not observable are left out.")),
    )


def follow_up_charts(follow_up) -> list[Chart]:
    """Flags by status and by rule, interventions by status."""

    def counted(dim, labels, measure):
        return sorted(
            ([labels.get(r["key"], r["key"]), r[measure]] for r in follow_up.get(dim, [])), key=lambda x: -x[1]
        )

    statuses = {str(k): str(v) for k, v in FlagStatus.choices}
    rules = {str(k): str(v) for k, v in FlagRule.choices}
    intervention_statuses = {str(k): str(v) for k, v in InterventionStatus.choices}
    return [
        Chart(
            slug="flags-by-status",
            title=str(_("Flags on the hearings of the period, by status")),
            columns=[Column(_("Status"), TEXT), Column(_("Flags"), COUNT)],
            rows=counted("flag_status", statuses, indicators.FLAGS),
        ),
        Chart(
            slug="flags-by-rule",
            title=str(_("Flags on the hearings of the period, by rule")),
            columns=[Column(_("Rule"), TEXT), Column(_("Flags"), COUNT)],
            rows=counted("flag_rule", rules, indicators.FLAGS),
        ),
        Chart(
            slug="interventions-by-status",
            title=str(_("Interventions in the period, by status")),
            columns=[Column(_("Status"), TEXT), Column(_("Interventions"), COUNT)],
            rows=counted("intervention_status", intervention_statuses, indicators.INTERVENTIONS),
        ),
    ]


def accused_charts(cases) -> list[Chart]:
    """Hearings by sex, age and community of their accused."""

    def chart(slug, title, dim, labels, order=None):
        rows = [
            [labels.get(r["key"]) or r["label"] or str(_("Not known")), r["hearings"], indicators.UNPRODUCTIVE.of(r)]
            for r in cases.get(dim, [])
        ]
        if order:
            rows.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
        else:
            rows.sort(key=lambda row: -row[1])
        return Chart(
            slug=slug,
            title=title,
            columns=[Column(_("Accused"), TEXT), Column(_("Hearings"), COUNT), Column(_("Unproductive"), RATE)],
            rows=rows,
            note=str(_("A hearing counts once for each group its accused belong to.")),
        )

    sexes = {str(k): str(v) for k, v in Sex.choices}
    ages = {str(k): str(v) for k, v in AgeBand.choices}
    return [
        chart("accused-by-sex", str(_("Hearings by sex of the accused")), "sex", sexes),
        chart(
            "accused-by-age",
            str(_("Hearings by age of the accused (under 18: juvenile)")),
            "age_band",
            ages,
            list(ages.values()),
        ),
        chart("accused-by-community", str(_("Hearings by community of the accused")), "community", {}),
    ]


def person_charts(persons: dict[str, list[dict]]) -> list[Chart]:
    """Accused persons of the cases monitored, each counted once, by sex, juvenile and community: what
    published trial-monitoring reports count, beside the hearings."""
    total = indicators.one(persons, "total").get("persons", 0)
    note = str(_("Each accused person counts once, however many of their hearings were monitored."))
    groups = {
        "sex": {str(k): str(v) for k, v in Sex.choices},
        "juvenile": {
            "juvenile": str(_("Juvenile (under 18)")),
            "adult": str(_("Adult")),
            "unknown": str(_("Not known")),
        },
        "community": {},
    }
    titles = {
        "sex": _("Accused persons by sex"),
        "juvenile": _("Accused persons: juveniles and adults"),
        "community": _("Accused persons by community"),
    }
    charts = []
    for dim, labels in groups.items():
        rows = sorted(
            (
                [labels.get(r["key"]) or r["label"] or str(_("Not known")), r["persons"], rate(r["persons"], total)]
                for r in persons.get(dim, [])
            ),
            key=lambda row: -row[1],
        )
        charts.append(
            Chart(
                slug=f"persons-by-{dim}",
                title=str(titles[dim]),
                columns=[Column(_("Accused"), TEXT), Column(_("Persons"), COUNT), Column(_("Share"), RATE)],
                rows=rows,
                note=note,
            )
        )
    return charts
