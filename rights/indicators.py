"""The trial-monitoring indicators: what each one counts, over what (written once, here, and read by
the summary tables behind the dashboards and the reports, and by the API aggregates), and the reads
for the dashboards, summed from the summary tables in the database in one statement per page
(`mission.dashboards.rollup`), whatever the size of the data.

The results are grouped by name (`"month"`, `"region"`, …), each row a dict whose sums are named
`a`…`d` (their meaning per grouping is said below), as the dashboards read them.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from mission.common import language_suffix
from mission.dashboards.counters import live_counts
from mission.dashboards.periods import Period
from mission.dashboards.rollup import Rollup, rollup_many
from rights.models import (
    JUVENILE_AGE_BANDS,
    AccusedPersonMonth,
    AccusedPersonRegionMonth,
    AccusedRegionMonth,
    AdjournmentMonth,
    AdjournmentRegionMonth,
    AgeBand,
    CaseMonth,
    CaseRegionMonth,
    FollowUpMonth,
    HearingAccusedMonth,
    HearingMonth,
    MunicipalityMonth,
    Rating,
    RatingMonth,
    RatingRegionMonth,
    RatingTotalMonth,
)
from rights.services.counters import OPEN_FLAGS, WAITING_REVIEW

# What is counted. Hearings: each hearing once; its condition on Hearing.
HEARING_COUNTS: dict[str, Q] = {
    "hearings": Q(),
    "adjourned": Q(held=False),
    "held": Q(held=True),
    "recorded": Q(held=True, recorded=True),  # recorded as the law requires; only a held hearing can be
}
# Accused persons: each person once (Party rows with the role "accused"), whatever number of hearings.
PERSON_COUNTS: dict[str, Q] = {"persons": Q()}


def juvenile(prefix: str = "") -> Case:
    """Whether an accused was a juvenile (under 18): "juvenile", "adult", or "unknown" when the age
    is not known. `prefix` leads to the Party ("case__parties__" from a hearing)."""
    return Case(
        When(**{f"{prefix}age_band__in": JUVENILE_AGE_BANDS}, then=Value("juvenile")),
        When(**{f"{prefix}age_band": AgeBand.UNKNOWN}, then=Value("unknown")),
        default=Value("adult"),
        output_field=CharField(),
    )


# Ratings of approved observations, except "not applicable" and "not observable"; condition on StandardRating.
NOT_RATED = (Rating.NOT_APPLICABLE, Rating.NOT_OBSERVABLE, "")
RATING_COUNTS: dict[str, Q] = {
    "rated": Q(),
    "concerns": Q(rating=Rating.CONCERN),
    "violations": Q(rating=Rating.VIOLATION),
}


@dataclass(frozen=True)
class Rate:
    """An indicator that is a share: the count `part` of the count `whole` (names of the counts above)."""

    part: str
    whole: str

    def of(self, counts: Mapping[str, int | None]) -> float | None:
        """The share, or None when there is nothing to divide by."""
        whole = counts.get(self.whole) or 0
        return (counts.get(self.part) or 0) / whole if whole else None


# Over what. As the Justice Monitor indicators: unproductive of all hearings, recorded of held ones.
UNPRODUCTIVE = Rate("adjourned", "hearings")
RECORDED = Rate("recorded", "held")
CONCERNS = Rate("concerns", "rated")
VIOLATIONS = Rate("violations", "rated")
APPEAL_GROUNDS = Rate("appeal_grounds", "cases")

HEARING_SUMS = ("hearings", "adjourned", "recorded", "held")  # the measures of the hearing summaries


def hearing_counts(row: Mapping[str, int | None]) -> dict[str, int]:
    """A hearing row's counts by the names of HEARING_COUNTS (zero where a row has none)."""
    return {name: row.get(name) or 0 for name in HEARING_SUMS}


WITHOUT_COURTS = {
    RatingMonth: RatingRegionMonth,
    HearingAccusedMonth: AccusedRegionMonth,
    CaseMonth: CaseRegionMonth,
    AdjournmentMonth: AdjournmentRegionMonth,
    AccusedPersonMonth: AccusedPersonRegionMonth,
}


@dataclass
class Scope:
    """What the figures cover: the user, the period, and the dashboard filters."""

    user: object
    period: Period
    region_ids: frozenset[int] | None
    court_id: int | None = None
    court_department: str = ""
    municipality_id: int | None = None

    @property
    def both(self) -> Period:
        """The period and the one before it, which the change is measured against."""
        return Period(self.period.previous().first, self.period.last)

    def rows(self, model, period: Period | None = None, *, by_court: bool = False) -> QuerySet:
        """The summary rows in scope for a period (the chosen one by default). Without a court
        filter, and unless the rows are grouped by court (`by_court`), a table's sum over courts
        stands in for it where there is one (far fewer rows)."""
        period = period or self.period
        if not (by_court or self.court_id or self.court_department):
            model = WITHOUT_COURTS.get(model, model)
        # No user: a scheduled report, limited by `region_ids` alone.
        manager = model.objects.all() if self.user is None else model.objects.visible_to(self.user)
        queryset = manager.filter(month__gte=period.first, month__lte=period.last)
        if self.region_ids is not None:
            queryset = queryset.filter(region_id__in=self.region_ids)
        if model is MunicipalityMonth:
            if self.municipality_id:
                queryset = queryset.filter(municipality_id=self.municipality_id)
        elif model not in WITHOUT_COURTS.values():
            if self.court_id:
                queryset = queryset.filter(court_id=self.court_id)
            if self.court_department:
                queryset = queryset.filter(court_department=self.court_department)
        return queryset

    def current(self) -> Q:
        """Of the rows of `both`, those in the chosen period."""
        return Q(month__gte=self.period.first)

    def previous(self) -> Q:
        return Q(month__lt=self.period.first)

    def first_in(self, period: Period) -> Q:
        """Case-month rows that are a case's first in the period: its hearing before was earlier."""
        return Q(previous_month__isnull=True) | Q(previous_month__lt=period.first)


def _when(condition: Q, name: str):
    return Case(When(condition, then=F(name)), default=Value(0))


BEFORE = "_before"  # a measure of the period before the chosen one: its name and this


def _now_and_before(scope: Scope, names: tuple[str, ...]) -> dict:
    """Each measure summed over the chosen period, and again (named with BEFORE) over the one before."""
    return {n: _when(scope.current(), n) for n in names} | {n + BEFORE: _when(scope.previous(), n) for n in names}


def _sums(*names: str) -> dict:
    return {name: F(name) for name in names}


def _rows(grouped: dict, dim: str, names: tuple[str, ...], *, before: bool = False) -> list[dict]:
    """The rows of a grouping with the measures `names` (of the period before, with `before`)."""
    out = []
    for row in grouped.get(dim, []):
        record = {"key": row["key"] or "", "label": row["label"] or ""}
        record |= {name: row.get(name + BEFORE if before else name) or 0 for name in names}
        out.append(record)
    return out


def _current_only(rows: list[dict], names: tuple[str, ...]) -> list[dict]:
    """Groups that only exist in the previous period have nothing to show for the chosen one."""
    return [r for r in rows if any(r.get(name) for name in names)]


def _split(grouped: dict, prefix: str, names: tuple[str, ...], *, before: bool = True) -> dict[str, list[dict]]:
    total = f"{prefix}total"
    result = {"total": _rows(grouped, total, names), "before": _rows(grouped, total, names, before=before)}
    for dim in ("month", "region", "court", "court_department"):
        result[dim] = _current_only(_rows(grouped, f"{prefix}{dim}", names), names)
    return result


def _groups(prefix: str) -> dict:
    return {
        f"{prefix}month": F("month"),
        f"{prefix}region": F("region_id"),
        f"{prefix}court": F("court_id"),
        f"{prefix}court_department": F("court_department"),
    }


CASE_SUMS = ("cases", "appeal_grounds")
ACCUSED_SUMS = ("hearings", "adjourned")
RATING_SUMS = ("rated", "concerns", "violations")
FLAGS, INTERVENTIONS = "flags", "interventions"


def trial_indicators(scope: Scope) -> dict[str, dict[str, list[dict]]]:
    """Everything the Human Rights dashboard shows, in one statement. Each row has `key`, `label` and
    its measures by name:
    - hearings: hearings, adjourned, recorded, held; by month, region, court, court department,
      adjournment reason (hearings only); plus `total` and `before`;
    - cases: cases (each once in the period), appeal_grounds (with fundamental-rights grounds for
      appeal); `month` counts the cases heard in each month; plus hearings by the accused's sex, age
      band and community (hearings, adjourned);
    - persons: accused persons (each once in the period), by sex, juvenile (rights.indicators.juvenile)
      and community (with its name); plus `total` and `before`;
    - ratings: rated, concerns, violations; by standard (with its name) and month; total, before;
    - follow_up: flags by status and by rule (flags), interventions by status (interventions).
    """
    rollups = [
        Rollup(
            scope.rows(HearingMonth, scope.both), _groups("h_"), _now_and_before(scope, HEARING_SUMS), total="h_total"
        ),
        Rollup(scope.rows(AdjournmentMonth), {"h_reason": F("reason")}, _sums("hearings")),
        Rollup(
            scope.rows(CaseMonth, by_court=True).filter(scope.first_in(scope.period)),
            {k: v for k, v in _groups("c_").items() if k != "c_month"},
            _sums(*CASE_SUMS),
            total="c_total",
        ),
        Rollup(
            scope.rows(CaseMonth, scope.period.previous()).filter(scope.first_in(scope.period.previous())),
            {},
            _sums(*CASE_SUMS),
            total="c_before",
        ),
        # The cases heard in a month are all its case-month rows, whatever came before.
        Rollup(scope.rows(CaseMonth), {"c_month": F("month")}, _sums(*CASE_SUMS)),
        Rollup(
            scope.rows(HearingAccusedMonth),
            {"accused": F("value")},
            _sums(*ACCUSED_SUMS),
            labels={"accused": F("dimension")},
        ),
        # Accused persons, each once in the period (see AccusedPersonMonth), and in the period before.
        Rollup(
            scope.rows(AccusedPersonMonth).filter(scope.first_in(scope.period)),
            {"p_sex": F("sex"), "p_juvenile": F("juvenile"), "p_community": F("community")},
            _sums("persons"),
            total="p_total",
        ),
        Rollup(
            scope.rows(AccusedPersonMonth, scope.period.previous()).filter(scope.first_in(scope.period.previous())),
            {},
            _sums("persons"),
            total="p_before",
        ),
        Rollup(scope.rows(RatingMonth), {"r_standard": F("standard_id")}, _sums(*RATING_SUMS)),
        Rollup(
            scope.rows(RatingTotalMonth, scope.both),
            {"r_month": F("month")},
            _now_and_before(scope, RATING_SUMS),
            total="r_total",
        ),
        Rollup(
            scope.rows(FollowUpMonth),
            {"f_status": F("status"), "f_rule": F("rule")},
            {FLAGS: _when(Q(kind="flag"), "count"), INTERVENTIONS: _when(Q(kind="intervention"), "count")},
        ),
    ]
    grouped = rollup_many(rollups)

    hearings = _split(grouped, "h_", HEARING_SUMS)
    hearings["reason"] = _rows(grouped, "h_reason", ("hearings",))
    cases = _split(grouped, "c_", CASE_SUMS, before=False)
    cases["before"] = _rows(grouped, "c_before", CASE_SUMS)
    cases["month"] = _rows(grouped, "c_month", CASE_SUMS)
    names = labels(language_suffix())
    by_dimension = defaultdict(list)
    for row in _rows(grouped, "accused", ACCUSED_SUMS):
        label = names["community"].get(row["key"], "") if row["label"] == "community" else ""
        by_dimension[row["label"]].append({**row, "label": label})
    cases |= {"sex": by_dimension["sex"], "age_band": by_dimension["age_band"], "community": by_dimension["community"]}
    standards = []
    for row in _current_only(_rows(grouped, "r_standard", RATING_SUMS), RATING_SUMS):
        order, name = names["standard"].get(row["key"], (0, row["key"]))
        standards.append({**row, "key": str(order), "label": name})
    ratings = {
        "total": _rows(grouped, "r_total", RATING_SUMS),
        "before": _rows(grouped, "r_total", RATING_SUMS, before=True),
        "standard": standards,
        "month": _current_only(_rows(grouped, "r_month", RATING_SUMS), RATING_SUMS),
    }
    flag_rules = [r for r in _rows(grouped, "f_rule", (FLAGS,)) if r["key"]]
    follow_up = {
        "flag_status": _current_only(_rows(grouped, "f_status", (FLAGS,)), (FLAGS,)),
        "flag_rule": _current_only(flag_rules, (FLAGS,)),
        "intervention_status": _current_only(_rows(grouped, "f_status", (INTERVENTIONS,)), (INTERVENTIONS,)),
    }
    persons = {
        "total": _rows(grouped, "p_total", ("persons",)),
        "before": _rows(grouped, "p_before", ("persons",)),
        "sex": _rows(grouped, "p_sex", ("persons",)),
        "juvenile": _rows(grouped, "p_juvenile", ("persons",)),
        "community": [
            {**row, "label": names["community"].get(row["key"], "")}
            for row in _rows(grouped, "p_community", ("persons",))
        ],
    }
    return {"hearings": hearings, "cases": cases, "persons": persons, "ratings": ratings, "follow_up": follow_up}


def labels(suffix: str) -> dict[str, dict]:
    """The names the indicators show, in one query: the standards (by id: order and name) and the
    communities (by code). Looked up after summing, so the sums never join them row by row."""
    from field_offices.models import Community
    from rights.models import FairTrialStandard

    standards = FairTrialStandard.objects.order_by().values_list(
        Cast("pk", CharField()), "order", f"name_{suffix}", Value("standard")
    )
    communities = Community.objects.order_by().values_list("code", Value(0), f"name_{suffix}", Value("community"))
    result: dict[str, dict] = {"standard": {}, "community": {}}
    for key, order, name, kind in standards.union(communities, all=True):
        result[kind][key] = (order, name) if kind == "standard" else name
    return result


def one(grouped: dict, dim: str) -> dict:
    """The single row of a total (an empty one when there was nothing to sum: read it with .get)."""
    return _single(grouped.get(dim) or [])


def _single(rows: list[dict]) -> dict:
    return rows[0] if rows else {}


def overview_counts(scope: Scope) -> dict:
    """For the mission overview, in one statement: hearings and cases of the period and the one
    before, hearings by region and by municipality."""
    cases_now = scope.current() & scope.first_in(scope.period)
    cases_before = scope.previous() & scope.first_in(scope.period.previous())
    grouped = rollup_many(
        [
            Rollup(
                scope.rows(HearingMonth, scope.both),
                {"region": F("region_id")},
                _now_and_before(scope, HEARING_SUMS),
                total="hearings",
            ),
            Rollup(
                scope.rows(CaseMonth, scope.both),
                {},
                {"cases": _when(cases_now, "cases"), "cases" + BEFORE: _when(cases_before, "cases")},
                total="cases",
            ),
            Rollup(scope.rows(MunicipalityMonth), {"municipality": F("municipality__code")}, _sums("hearings")),
        ]
    )
    by_region = _current_only(_rows(grouped, "region", ("hearings",)), ("hearings",))
    return {
        "hearings": _single(_rows(grouped, "hearings", HEARING_SUMS)),
        "hearings_before": _single(_rows(grouped, "hearings", HEARING_SUMS, before=True)),
        "cases": _single(_rows(grouped, "cases", ("cases",))).get("cases", 0),
        "cases_before": _single(_rows(grouped, "cases", ("cases",), before=True)).get("cases", 0),
        "by_region": {int(r["key"]): r["hearings"] for r in by_region},
        "by_municipality": {r["key"]: r["hearings"] for r in _rows(grouped, "municipality", ("hearings",))},
    }


def municipality_indicators(scope: Scope) -> dict[str, list[dict]]:
    """Hearings of one municipality by month (hearings, adjourned, recorded, held)."""
    grouped = rollup_many([Rollup(scope.rows(MunicipalityMonth), {"month": F("month")}, _sums(*HEARING_SUMS))])
    return {"month": _rows(grouped, "month", HEARING_SUMS)}


def attention_counts(*, user, region_ids: frozenset[int] | None) -> dict[str, int]:
    """What waits now (live, not from the summaries): open flags, and observations waiting for review
    but the user's own, as `Flag.objects.visible_to(user)` and `Observation.objects.visible_to(user)`
    would count them, read from the counts the services keep (`rights.services.counters`) in one query
    of a few rows per region."""
    counts = live_counts([OPEN_FLAGS, WAITING_REVIEW], user=user, region_ids=region_ids)
    return {"open_flags": counts[OPEN_FLAGS].everyone, "waiting_review": counts[WAITING_REVIEW].others}
