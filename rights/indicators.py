"""Reads for the trial-monitoring dashboards: the indicators, summed from the summary tables in the
database, a few UNION ALL queries per page whatever the size of the data.

Each query stacks several groupings of one period (`part`s), every row shaped alike:
`dim` (which grouping), `key` (the group, as text), `label` (a name where the grouping needs one),
and four sums `a`..`d` whose meaning depends on the table.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce

from mission.common import language_suffix
from mission.dashboards.periods import Period
from rights.models import (
    AdjournmentMonth,
    CaseMonth,
    Flag,
    FlagStatus,
    FollowUpMonth,
    HearingAccusedMonth,
    HearingMonth,
    MunicipalityMonth,
    Observation,
    ObservationStatus,
    RatingMonth,
)

SUMS = ("a", "b", "c", "d")


def _sum(expression, condition: Q | None = None):
    return Coalesce(Sum(expression, filter=condition), 0)


def _part(queryset: QuerySet, dim: str, key=None, label=None, **sums) -> QuerySet:
    keys = {
        "dim": Value(dim, output_field=CharField()),
        "key": Cast(key, CharField()) if key is not None else Value("", output_field=CharField()),
        "label": Cast(label, CharField()) if label is not None else Value("", output_field=CharField()),
    }
    zero = {name: Value(0) for name in SUMS if name not in sums}
    return queryset.order_by().values(**keys).annotate(**{name: sums.get(name) or zero[name] for name in SUMS})


def _union(parts: list[QuerySet]) -> dict[str, list[dict]]:
    rows = parts[0].union(*parts[1:], all=True)
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["dim"]].append(row)
    return grouped


@dataclass
class Scope:
    """What the figures cover: the user, the period, and the dashboard filters."""

    user: object
    period: Period
    region_ids: frozenset[int] | None
    court_id: int | None = None
    court_department: str = ""
    municipality_id: int | None = None
    extra: dict = field(default_factory=dict)

    def rows(self, model, period: Period | None = None, *, distinct_from: bool = False) -> QuerySet:
        """The summary rows in scope for a period. With `distinct_from`, only the case-month rows that
        are a case's first in the period (so that their sum counts each case once)."""
        period = period or self.period
        queryset = model.objects.visible_to(self.user).filter(month__gte=period.first, month__lte=period.last)
        if self.region_ids is not None:
            queryset = queryset.filter(region_id__in=self.region_ids)
        if model is MunicipalityMonth:
            if self.municipality_id:
                queryset = queryset.filter(municipality_id=self.municipality_id)
        else:
            if self.court_id:
                queryset = queryset.filter(court_id=self.court_id)
            if self.court_department:
                queryset = queryset.filter(court_department=self.court_department)
        if distinct_from:
            queryset = queryset.filter(Q(previous_month__isnull=True) | Q(previous_month__lt=period.first))
        return queryset


def _hearing_sums() -> dict:
    """a: hearings, b: adjourned, c: recorded, d: held."""
    return {"a": _sum("hearings"), "b": _sum("adjourned"), "c": _sum("recorded"), "d": _sum("held")}


def _case_sums() -> dict:
    """a: cases, b: with fundamental-rights grounds for appeal."""
    return {"a": _sum("cases"), "b": _sum("appeal_grounds")}


def _one(grouped: dict, dim: str) -> dict:
    rows = grouped.get(dim) or [{}]
    return {name: rows[0].get(name) or 0 for name in SUMS}


def overview_counts(scope: Scope) -> dict:
    """For the mission overview: hearings and cases of the period and the one before, hearings by
    region and by municipality. One query."""
    previous = scope.period.previous()
    grouped = _union(
        [
            _part(scope.rows(HearingMonth), "hearings", **_hearing_sums()),
            _part(scope.rows(HearingMonth, previous), "hearings_before", **_hearing_sums()),
            _part(scope.rows(CaseMonth, distinct_from=True), "cases", **_case_sums()),
            _part(scope.rows(CaseMonth, previous, distinct_from=True), "cases_before", **_case_sums()),
            _part(scope.rows(HearingMonth), "region", key=F("region_id"), **_hearing_sums()),
            _part(scope.rows(MunicipalityMonth), "municipality", key=F("municipality__code"), **_hearing_sums()),
        ]
    )
    return {
        "hearings": _one(grouped, "hearings"),
        "hearings_before": _one(grouped, "hearings_before"),
        "cases": _one(grouped, "cases"),
        "cases_before": _one(grouped, "cases_before"),
        "by_region": {int(r["key"]): r["a"] for r in grouped.get("region", [])},
        "by_municipality": {r["key"]: r["a"] for r in grouped.get("municipality", [])},
    }


def municipality_indicators(scope: Scope) -> dict[str, list[dict]]:
    """Hearings of one municipality by month. One query."""
    return _union([_part(scope.rows(MunicipalityMonth), "month", key=F("month"), **_hearing_sums())])


def hearing_indicators(scope: Scope) -> dict[str, list[dict]]:
    """Hearings of the period and the one before; by month, region, court, court department and
    adjournment reason. One query."""
    sums = _hearing_sums()
    rows = scope.rows(HearingMonth)
    return _union(
        [
            _part(rows, "total", **sums),
            _part(scope.rows(HearingMonth, scope.period.previous()), "before", **sums),
            _part(rows, "month", key=F("month"), **sums),
            _part(rows, "region", key=F("region_id"), **sums),
            _part(rows, "court", key=F("court_id"), **sums),
            _part(rows, "court_department", key=F("court_department"), **sums),
            _part(scope.rows(AdjournmentMonth), "reason", key=F("reason"), a=_sum("hearings")),
        ]
    )


def case_indicators(scope: Scope) -> dict[str, list[dict]]:
    """Cases (each counted once in the period), and hearings by the sex, age band and community of
    their accused (a: hearings, b: adjourned). One query."""
    suffix = language_suffix()
    cases = scope.rows(CaseMonth, distinct_from=True)
    accused = scope.rows(HearingAccusedMonth)
    count = {"a": _sum("hearings"), "b": _sum("adjourned")}
    return _union(
        [
            _part(cases, "total", **_case_sums()),
            _part(scope.rows(CaseMonth, scope.period.previous(), distinct_from=True), "before", **_case_sums()),
            _part(scope.rows(CaseMonth), "month", key=F("month"), **_case_sums()),
            _part(cases, "region", key=F("region_id"), **_case_sums()),
            _part(cases, "court", key=F("court_id"), **_case_sums()),
            _part(cases, "court_department", key=F("court_department"), **_case_sums()),
            _part(accused.filter(dimension="sex"), "sex", key=F("value"), **count),
            _part(accused.filter(dimension="age_band"), "age_band", key=F("value"), **count),
            _part(
                accused.filter(dimension="community"),
                "community",
                key=F("value"),
                label=F(f"community__name_{suffix}"),
                **count,
            ),
        ]
    )


def rating_indicators(scope: Scope) -> dict[str, list[dict]]:
    """Per standard (approved observations): a: rated, b: concerns, c: violations; and the same by
    month. One query."""
    suffix = language_suffix()
    rows = scope.rows(RatingMonth)
    sums = {"a": _sum("rated"), "b": _sum("concerns"), "c": _sum("violations")}
    return _union(
        [
            _part(rows, "standard", key=F("standard__order"), label=F(f"standard__name_{suffix}"), **sums),
            _part(rows, "month", key=F("month"), **sums),
            _part(rows, "total", **sums),
            _part(scope.rows(RatingMonth, scope.period.previous()), "before", **sums),
        ]
    )


def follow_up_indicators(scope: Scope) -> dict[str, list[dict]]:
    """Flags raised in the period by status and by rule; interventions by status. One query."""
    rows = scope.rows(FollowUpMonth)
    flags, interventions = rows.filter(kind="flag"), rows.filter(kind="intervention")
    count = {"a": _sum("count")}
    return _union(
        [
            _part(flags, "flag_status", key=F("status"), **count),
            _part(flags, "flag_rule", key=F("rule"), **count),
            _part(interventions, "intervention_status", key=F("status"), **count),
        ]
    )


def attention_counts(*, user, region_ids: frozenset[int] | None) -> dict[str, int]:
    """What waits now (live, not from the summaries): open flags and observations waiting for review."""
    flags = Flag.objects.visible_to(user).filter(status=FlagStatus.OPEN)
    waiting = Observation.objects.visible_to(user).filter(status=ObservationStatus.SUBMITTED)
    if region_ids is not None:
        flags = flags.filter(case__municipality__region_id__in=region_ids)
        waiting = waiting.filter(hearing__case__municipality__region_id__in=region_ids)
    return {"open_flags": flags.count(), "waiting_review": waiting.exclude(monitor=user).count()}
