"""What Security & Public Safety's dashboard shows beside its records' figures
(`DepartmentConfig.dashboard_panels`): the community safety forums that function and the actions past
their deadline, and the women's share in the police by year, rank and management level against the
gender-equality plan's target. Each reads a few grouped rows, whatever the number of records."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from field_offices.selectors import municipality_names
from mission.dashboards.charts import COUNT, RATE, TEXT, Chart, Column, Figure, choropleth, rate
from mission.dashboards.filters import Filters
from mission.review.models import ReviewStatus
from public_safety.models import (
    PENDING,
    ForumIssue,
    ForumMeeting,
    GenderTarget,
    ManagementLevel,
    PoliceStaffFigure,
    Rank,
    SafetyForum,
)

YEARS_SHOWN = 5  # the years the charts by rank and level compare, up to the latest


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def forum_panel(user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    """How many active forums of the regions shown met at least `PUBLIC_SAFETY_FORUM_MEETINGS` times
    (approved meetings) in the six months to today, and six months earlier; by municipality; and the
    actions agreed at approved meetings that are past their deadline and not followed up."""
    today = timezone.localdate()
    since, before = months_before(today, 6), months_before(today, 12)
    forums = SafetyForum.objects.filter(active=True).order_by()
    if filters.region_ids is not None:
        forums = forums.filter(municipality__region_id__in=filters.region_ids)
    places = dict(forums.values_list("pk", "municipality__code"))
    meetings = (
        ForumMeeting.objects.visible_to(user)
        .filter(status=ReviewStatus.APPROVED, forum_id__in=forums.values("pk"), date__gt=before, date__lte=today)
        .order_by()
        .values("forum_id")
        .annotate(now=Count("pk", filter=Q(date__gt=since)), then=Count("pk", filter=Q(date__lte=since)))
    )
    needed = settings.PUBLIC_SAFETY_FORUM_MEETINGS
    functioning = {row["forum_id"] for row in meetings if row["now"] >= needed}
    earlier = {row["forum_id"] for row in meetings if row["then"] >= needed}
    label = format_lazy(_("Forums functioning (met {n} times or more in six months)"), n=needed)
    approved = ForumMeeting.objects.visible_to(user).filter(status=ReviewStatus.APPROVED)
    if filters.region_ids is not None:
        approved = approved.filter(municipality__region_id__in=filters.region_ids)
    due = ForumIssue.objects.filter(meeting__in=approved.values("pk"), follow_up__in=PENDING, deadline__lt=today)
    overdue = due.order_by().count()
    figures = [
        Figure(label, len(functioning), len(earlier), COUNT),
        Figure(_("Share of the active forums functioning"), rate(len(functioning), len(places)), None, RATE),
        Figure(_("Forum actions past their deadline"), overdue, None, COUNT),
    ]
    municipalities = {m["code"]: m for m in municipality_names()}
    by_place: dict[str, list[int]] = {}
    for pk, code in places.items():
        counts = by_place.setdefault(code, [0, 0])
        counts[0] += 1
        counts[1] += pk in functioning
    listed = sorted(by_place, key=lambda code: municipalities[code]["name"])
    metric = _("Forums functioning")

    def municipality_url(code: str) -> str:
        return reverse("dashboards:municipality_detail", args=[code])

    inside = None
    if filters.region_ids is not None:
        inside = {code for code, m in municipalities.items() if m["region_id"] in filters.region_ids}
    chart = Chart(
        "forums-by-municipality",
        _("Active forums and those functioning, by municipality"),
        [Column(_("Municipality")), Column(_("Active forums"), COUNT), Column(metric, COUNT)],
        [[municipalities[code]["name"], *by_place[code]] for code in listed],
        series=(2,),
        note=str(_("As of today, whatever the period.")),
        links=[municipality_url(code) for code in listed],
        shape_map=choropleth(
            values={code: float(working) for code, (_n, working) in by_place.items()},
            names={code: m["name"] for code, m in municipalities.items()},
            inside=inside,
            url=municipality_url,
            metric=metric,
        ),
    )
    return figures, [chart]


def women_in_police_panel(user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    """The women's share of the police of the regions shown, each year against the plan's target, and
    by rank and management level over the last years; every year, whatever the period."""
    staff = PoliceStaffFigure.objects.order_by()
    if filters.region_ids is not None:
        staff = staff.filter(region_id__in=filters.region_ids)
    yearly = {
        row["year"]: rate(row["women"] or 0, (row["women"] or 0) + (row["men"] or 0))
        for row in staff.values("year").annotate(women=Sum("women"), men=Sum("men"))
    }
    targets = {year: float(share) / 100 for year, share in GenderTarget.objects.values_list("year", "share")}
    years = sorted(yearly)
    figures: list[Figure] = []
    if years:
        latest = years[-1]
        figures.append(
            Figure(
                format_lazy(_("Women's share in the police, {year}"), year=latest),
                yearly[latest],
                yearly.get(latest - 1),
                RATE,
            )
        )
    span = range(years[0], years[-1] + 1) if years else range(0)
    note = str(_("Every year, whatever the period: the police's figures at the end of each year."))
    trend = Chart(
        "women-in-police-by-year",
        _("Women's share in the police by year, against the target"),
        [Column(_("Year"), TEXT), Column(_("Women's share"), RATE), Column(_("Target"), RATE)],
        [[year, yearly.get(year), targets.get(year)] for year in span],
        series=(1, 2),
        style="columns",
        stacked=False,
        measured=True,
        note=note,
        empty_text=_("No women-in-police figures yet."),
    )
    shown = years[-YEARS_SHOWN:]
    charts = [trend]
    for field, choices, slug, title in (
        ("rank", Rank.choices, "women-in-police-by-rank", _("Women's share by rank")),
        ("level", ManagementLevel.choices, "women-in-police-by-level", _("Women's share by management level")),
    ):
        found = {
            (row[field], row["year"]): rate(row["women"] or 0, (row["women"] or 0) + (row["men"] or 0))
            for row in staff.filter(year__in=shown).values(field, "year").annotate(women=Sum("women"), men=Sum("men"))
        }
        listed = [(value, label) for value, label in choices if any((value, year) in found for year in shown)]
        charts.append(
            Chart(
                slug,
                title,
                [
                    Column(_("Rank") if field == "rank" else _("Management level")),
                    *(Column(str(y), RATE) for y in shown),
                ],
                [[str(label), *(found.get((value, year)) for year in shown)] for value, label in listed],
                series=tuple(range(1, len(shown) + 1)),
                style="columns",
                stacked=False,
                measured=True,
                note=note,
                empty_text=_("No women-in-police figures yet."),
            )
        )
    return figures, charts
