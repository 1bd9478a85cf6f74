"""Rebuild the trial-monitoring summary tables (see `rights.models.summaries`): one function per
table, each one `INSERT … SELECT … GROUP BY` in the database (`mission.sql.insert_select`), listed
in TABLES in the order they are filled (`mission.dashboards.summaries`). Each fills every row, or
with `changes` only those of the changed months, by court where the table keeps courts.

The services mark what they change (in their transaction). A change to a case marks the months of
every hearing, flag and intervention of the case, as it was before and after the change, each for the
case's court (`trial_summaries_mark`). Narrower changes mark narrower parts, with a topic where they
touch only some tables: a hearing made or changed marks its own months for every table, and the
months of the hearings after it with SEQUENCE (a case's rows of one month keep the month of its
previous hearing, `CaseMonth`, `AccusedPersonMonth`: moving a hearing changes the next hearing's row
too); an observation's status or ratings mark its hearing's month with RATINGS (the rating tables);
flags and interventions theirs with FOLLOW_UP (the follow-up table).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Lag, TruncDate, TruncMonth

from mission.dashboards.services import summaries_mark
from mission.dashboards.summaries import Changes, Part, SummaryTable, month_of
from mission.sql import insert_select, insert_select_grouped
from rights.indicators import HEARING_COUNTS, NOT_RATED, RATING_COUNTS, juvenile
from rights.models import (
    AccusedPersonMonth,
    AccusedPersonRegionMonth,
    AccusedRegionMonth,
    AdjournmentMonth,
    AdjournmentRegionMonth,
    CaseMonth,
    CaseRegionMonth,
    FollowUpMonth,
    Hearing,
    HearingAccusedMonth,
    HearingMonth,
    Intervention,
    MunicipalityMonth,
    ObservationStatus,
    PartyRole,
    RatingMonth,
    RatingRegionMonth,
    RatingTotalMonth,
    StandardRating,
    flag_day,
)
from rights.models import Flag as FlagModel

SUMMARY_NAME = "trial_monitoring"
RATINGS, FOLLOW_UP, SEQUENCE = "ratings", "follow_up", "sequence"  # topics of marks (see above)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _case_dimensions(prefix: str) -> dict:
    return {
        "s_region": F(f"{prefix}municipality__region_id"),
        "s_court": F(f"{prefix}court_id"),
        "s_department": F(f"{prefix}court_department"),
    }


DIMENSIONS = {"region": "s_region", "court": "s_court", "court_department": "s_department"}
HEARING_COLUMNS = {name: f"s_{name}" for name in HEARING_COUNTS}
RATING_COLUMNS = {name: f"s_{name}" for name in RATING_COUNTS}


def _hearing_counts() -> dict:
    return {f"s_{name}": Count("pk", filter=condition) for name, condition in HEARING_COUNTS.items()}


def _first_in_month() -> str:
    """A row whose case (or person) had no hearing before in the same month: what CaseMonth keeps."""
    return f"(sub.{_qn('s_previous')} IS NULL OR sub.{_qn('s_previous')} <> sub.{_qn('s_month')})"


def _in(changes: Changes | None, day: str, court: str | None = None, case_court: str | None = None) -> Q:
    """The records of the changed parts (all of them on a full rebuild). `case_court`, the lookup of the
    case's court, repeats the courts on the joined cases (equal to the hearing's, `Hearing.court`), so
    the database reads only those courts' cases, by their index, not every case."""
    if changes is None:
        return Q()
    return changes.q(day, court) & (changes.in_groups(case_court) if case_court else Q())


def _previous_month(changes: Changes | None, partition: str) -> Window | Subquery:
    """The month of the case's hearing before this one (by date, then id), or NULL. Rebuilding
    everything, a window over each `partition` (the case's hearings, or one accused's rows) sorts the
    table once; rebuilding a few parts, one probe of the (case, date, id) index per hearing reads the
    parts' own hearings instead of every hearing of their cases."""
    month = TruncMonth("date", output_field=DateField())
    if changes is None:
        return Window(Lag(month), partition_by=[F(partition)], order_by=[F("date").asc(), F("id").asc()])
    earlier = (
        Hearing.objects.order_by("-date", "-id")
        .filter(case_id=OuterRef("case_id"))
        .filter(Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), id__lt=OuterRef("id")))
        .values(s_earlier=month)[:1]
    )
    return Subquery(earlier, output_field=DateField())


def _hearing_months(changes: Changes | None) -> int:
    hearings = (
        Hearing.objects.order_by()
        .filter(_in(changes, "date", "court_id", "case__court_id"))
        .values(s_month=TruncMonth("date"), **_case_dimensions("case__"))
    )
    return insert_select(
        HearingMonth, hearings.annotate(**_hearing_counts()), {"month": "s_month", **DIMENSIONS, **HEARING_COLUMNS}
    )


def _adjournment_months(changes: Changes | None) -> int:
    adjourned = (
        Hearing.objects.order_by()
        .filter(_in(changes, "date", "court_id", "case__court_id"), held=False)
        .values(s_month=TruncMonth("date"), **_case_dimensions("case__"), s_reason=F("adjournment_reason"))
        .annotate(s_hearings=Count("pk"))
    )
    return insert_select(
        AdjournmentMonth, adjourned, {"month": "s_month", **DIMENSIONS, "reason": "s_reason", "hearings": "s_hearings"}
    )


def _municipality_months(changes: Changes | None) -> int:
    by_municipality = (
        Hearing.objects.order_by()
        .filter(_in(changes, "date", "court_id", "case__court_id"))
        .values(
            s_month=TruncMonth("date"),
            s_region=F("case__municipality__region_id"),
            s_municipality=F("case__municipality_id"),
            s_court=F("court_id"),
        )
        .annotate(**_hearing_counts())
    )
    return insert_select(
        MunicipalityMonth,
        by_municipality,
        {
            "month": "s_month",
            "region": "s_region",
            "municipality": "s_municipality",
            "court": "s_court",
            **HEARING_COLUMNS,
        },
    )


def _case_months(changes: Changes | None) -> int:
    """One row per hearing with the month of the case's hearing before it; the first hearing of a case
    in a month is the one whose previous hearing lies in another month (or does not exist)."""
    case_months = (
        Hearing.objects.order_by()
        .filter(_in(changes, "date", "court_id", "case__court_id"))
        .values(
            s_month=TruncMonth("date", output_field=DateField()),
            s_previous=_previous_month(changes, "case_id"),
            **_case_dimensions("case__"),
            s_grounds=F("case__fundamental_rights_appeal_grounds"),
        )
    )
    return insert_select(
        CaseMonth,
        case_months,
        {
            "month": "s_month",
            "previous_month": "s_previous",
            **DIMENSIONS,
            "cases": "=COUNT(*)",
            "appeal_grounds": f"=SUM(CASE WHEN sub.{_qn('s_grounds')} THEN 1 ELSE 0 END)",
        },
        where=_first_in_month(),
        group=True,
    )


def _accused_person_months(changes: Changes | None) -> int:
    """One row per accused and hearing of their case, with the month of the case's hearing before; a
    person's first row in a month is what CaseMonth keeps for a case."""
    person_months = (
        Hearing.objects.order_by()
        .filter(_in(changes, "date", "court_id", "case__court_id"), case__parties__role=PartyRole.ACCUSED)
        .values(
            s_month=TruncMonth("date", output_field=DateField()),
            s_previous=_previous_month(changes, "case__parties__id"),
            **_case_dimensions("case__"),
            s_sex=F("case__parties__sex"),
            s_juvenile=juvenile("case__parties__"),
            s_community=Coalesce(F("case__parties__community__code"), Value("")),
        )
    )
    return insert_select(
        AccusedPersonMonth,
        person_months,
        {
            "month": "s_month",
            "previous_month": "s_previous",
            **DIMENSIONS,
            "sex": "s_sex",
            "juvenile": "s_juvenile",
            "community": "s_community",
            "persons": "=COUNT(*)",
        },
        where=_first_in_month(),
        group=True,
    )


# The characteristics of the accused that HearingAccusedMonth keeps: its `dimension` → the value's alias.
ACCUSED_CHARACTERISTICS = {"sex": "s_sex", "age_band": "s_age_band", "community": "s_community_code"}


def _hearings_by_accused(changes: Changes | None) -> int:
    """Hearings by each characteristic of their accused (each hearing once per value): the hearings
    and their accused read once, grouped by each characteristic in turn."""
    accused = (
        Hearing.objects.order_by()
        .filter(_in(changes, "date", "court_id", "case__court_id"), case__parties__role=PartyRole.ACCUSED)
        .values(
            s_hearing=F("pk"),
            s_month=TruncMonth("date"),
            **_case_dimensions("case__"),
            s_sex=Coalesce(F("case__parties__sex"), Value("")),
            s_age_band=Coalesce(F("case__parties__age_band"), Value("")),
            s_community_code=Coalesce(F("case__parties__community__code"), Value("")),
            s_community=F("case__parties__community_id"),
            s_held=F("held"),
        )
        .distinct()
    )
    hearing, held = f"sub.{_qn('s_hearing')}", f"sub.{_qn('s_held')}"
    groupings = [
        {
            "month": "s_month",
            **DIMENSIONS,
            "dimension": f"='{dimension}'",
            "value": alias,
            "community": "s_community" if dimension == "community" else "=CAST(NULL AS BIGINT)",
            # A hearing once per value, however many of its accused share it.
            "hearings": f"=COUNT(DISTINCT {hearing})",
            "adjourned": f"=COUNT(DISTINCT CASE WHEN {held} THEN NULL ELSE {hearing} END)",
        }
        for dimension, alias in ACCUSED_CHARACTERISTICS.items()
    ]
    return insert_select_grouped(HearingAccusedMonth, accused, groupings)


def _rating_months(changes: Changes | None) -> int:
    ratings = (
        StandardRating.objects.order_by()
        .filter(
            _in(
                changes,
                "observation__hearing__date",
                "observation__hearing__court_id",
                "observation__hearing__case__court_id",
            ),
            observation__status=ObservationStatus.APPROVED,
        )
        .exclude(rating__in=NOT_RATED)
        .values(
            s_month=TruncMonth("observation__hearing__date"),
            **_case_dimensions("observation__hearing__case__"),
            s_standard=F("standard_id"),
        )
        .annotate(**{f"s_{name}": Count("pk", filter=condition) for name, condition in RATING_COUNTS.items()})
    )
    return insert_select(
        RatingMonth, ratings, {"month": "s_month", **DIMENSIONS, "standard": "s_standard", **RATING_COLUMNS}
    )


def _rating_total_months(changes: Changes | None) -> int:
    totals = (
        RatingMonth.objects.order_by()
        .filter(_in(changes, "month", "court_id"))
        .values(s_month=F("month"), s_region=F("region_id"), s_court=F("court_id"), s_department=F("court_department"))
        .annotate(**{f"s_{name}": Sum(name) for name in RATING_COUNTS})
    )
    return insert_select(RatingTotalMonth, totals, {"month": "s_month", **DIMENSIONS, **RATING_COLUMNS})


# The same without courts, for dashboards not filtered by court (see RatingRegionMonth): a changed
# month is summed again whole from its table with courts, a few thousand rows.
def _case_region_months(changes: Changes | None) -> int:
    rows = (
        CaseMonth.objects.order_by()
        .filter(_in(changes, "month"))
        .values(s_month=F("month"), s_previous=F("previous_month"), s_region=F("region_id"))
        .annotate(s_cases=Sum("cases"), s_grounds=Sum("appeal_grounds"))
    )
    columns = {"month": "s_month", "previous_month": "s_previous", "region": "s_region"}
    return insert_select(CaseRegionMonth, rows, {**columns, "cases": "s_cases", "appeal_grounds": "s_grounds"})


def _adjournment_region_months(changes: Changes | None) -> int:
    rows = (
        AdjournmentMonth.objects.order_by()
        .filter(_in(changes, "month"))
        .values(s_month=F("month"), s_region=F("region_id"), s_reason=F("reason"))
        .annotate(s_hearings=Sum("hearings"))
    )
    columns = {"month": "s_month", "region": "s_region", "reason": "s_reason", "hearings": "s_hearings"}
    return insert_select(AdjournmentRegionMonth, rows, columns)


def _rating_region_months(changes: Changes | None) -> int:
    rows = (
        RatingMonth.objects.order_by()
        .filter(_in(changes, "month"))
        .values(s_month=F("month"), s_region=F("region_id"), s_standard=F("standard_id"))
        .annotate(**{f"s_{name}": Sum(name) for name in RATING_COUNTS})
    )
    columns = {"month": "s_month", "region": "s_region", "standard": "s_standard", **RATING_COLUMNS}
    return insert_select(RatingRegionMonth, rows, columns)


def _accused_region_months(changes: Changes | None) -> int:
    rows = (
        HearingAccusedMonth.objects.order_by()
        .filter(_in(changes, "month"))
        .values(s_month=F("month"), s_region=F("region_id"), s_dimension=F("dimension"), s_value=F("value"))
        .annotate(s_hearings=Sum("hearings"), s_adjourned=Sum("adjourned"))
    )
    columns = {"month": "s_month", "region": "s_region", "dimension": "s_dimension", "value": "s_value"}
    return insert_select(AccusedRegionMonth, rows, {**columns, "hearings": "s_hearings", "adjourned": "s_adjourned"})


def _accused_person_region_months(changes: Changes | None) -> int:
    characteristics = {"sex": "s_sex", "juvenile": "s_juvenile", "community": "s_community"}
    rows = (
        AccusedPersonMonth.objects.order_by()
        .filter(_in(changes, "month"))
        .values(
            s_month=F("month"),
            s_previous=F("previous_month"),
            s_region=F("region_id"),
            **{alias: F(name) for name, alias in characteristics.items()},
        )
        .annotate(s_persons=Sum("persons"))
    )
    columns = {"month": "s_month", "previous_month": "s_previous", "region": "s_region", **characteristics}
    return insert_select(AccusedPersonRegionMonth, rows, {**columns, "persons": "s_persons"})


FOLLOW_UP_COLUMNS = {
    "month": "s_month",
    **DIMENSIONS,
    "kind": "s_kind",
    "rule": "s_rule",
    "status": "s_status",
    "count": "s_count",
}


def _flag_months(changes: Changes | None) -> int:
    """Flags by the month of their day (`flag_day`): a flag on a hearing by its hearing's date, read
    through the hearings' (court, date) index, so a part reads its own hearings' flags, not every flag
    of the court's cases; a flag on a whole case by the day it was raised. The two read apart, then
    counted together."""

    def flags(**month: Any) -> dict[str, Any]:
        return dict(**month, **_case_dimensions("case__"), s_kind=Value("flag"), s_rule=F("rule"), s_status=F("status"))

    on_hearings = (
        FlagModel.objects.order_by()
        .filter(_in(changes, "hearing__date", "hearing__court_id", "case__court_id"), hearing__isnull=False)
        .values(**flags(s_month=TruncMonth("hearing__date", output_field=DateField())))
    )
    raised = TruncDate("created_at")
    on_cases = (
        FlagModel.objects.order_by()
        .alias(s_day=raised)
        .filter(_in(changes, "s_day", "case__court_id"), hearing__isnull=True)
        .values(**flags(s_month=TruncMonth(raised, output_field=DateField())))
    )
    columns = {**FOLLOW_UP_COLUMNS, "count": "=COUNT(*)"}
    return insert_select(FollowUpMonth, on_hearings.union(on_cases, all=True), columns, group=True)


def _intervention_months(changes: Changes | None) -> int:
    interventions = (
        Intervention.objects.order_by()
        .filter(_in(changes, "date", "flag__case__court_id"))
        .values(
            s_month=TruncMonth("date"),
            **_case_dimensions("flag__case__"),
            s_kind=Value("intervention"),
            s_rule=F("flag__rule"),
            s_status=F("status"),
        )
        .annotate(s_count=Count("pk"))
    )
    return insert_select(FollowUpMonth, interventions, FOLLOW_UP_COLUMNS)


# In the order they are filled: a table summed from another comes after it. Tables with courts are
# rebuilt by month and court (the group of trial_summaries_mark), the others by whole months.
BY_COURT = "court"
# What each table reads besides marks without a topic (a table filled from another reads its topics).
NO_TOPIC: frozenset[str] = frozenset()
BY_SEQUENCE = frozenset({SEQUENCE})
BY_RATINGS = frozenset({RATINGS})
BY_FOLLOW_UP = frozenset({FOLLOW_UP})
TABLES = (
    SummaryTable(HearingMonth, _hearing_months, group=BY_COURT, reads=NO_TOPIC),
    SummaryTable(AdjournmentMonth, _adjournment_months, group=BY_COURT, reads=NO_TOPIC),
    SummaryTable(MunicipalityMonth, _municipality_months, group=BY_COURT, reads=NO_TOPIC),
    SummaryTable(CaseMonth, _case_months, group=BY_COURT, reads=BY_SEQUENCE),
    SummaryTable(AccusedPersonMonth, _accused_person_months, group=BY_COURT, reads=BY_SEQUENCE),
    SummaryTable(HearingAccusedMonth, _hearings_by_accused, group=BY_COURT, reads=NO_TOPIC),
    SummaryTable(RatingMonth, _rating_months, group=BY_COURT, reads=BY_RATINGS),
    SummaryTable(RatingTotalMonth, _rating_total_months, group=BY_COURT, reads=BY_RATINGS),
    SummaryTable(CaseRegionMonth, _case_region_months, reads=BY_SEQUENCE),
    SummaryTable(AdjournmentRegionMonth, _adjournment_region_months, reads=NO_TOPIC),
    SummaryTable(RatingRegionMonth, _rating_region_months, reads=BY_RATINGS),
    SummaryTable(AccusedRegionMonth, _accused_region_months, reads=NO_TOPIC),
    SummaryTable(AccusedPersonRegionMonth, _accused_person_region_months, reads=BY_SEQUENCE),
    SummaryTable(FollowUpMonth, _flag_months, group=BY_COURT, reads=BY_FOLLOW_UP),
    SummaryTable(FollowUpMonth, _intervention_months, group=BY_COURT, reads=BY_FOLLOW_UP),
)


def trial_summary_tables() -> tuple[SummaryTable, ...]:
    """The tables of the summary SUMMARY_NAME, as `rights.apps` declares it."""
    return TABLES


def trial_summary_parts(case_ids: Iterable[int]) -> set[Part]:
    """What these cases count in now: the months of their hearings, flags and interventions, each with
    the case's court. Call before a change (and mark the result after it, with `trial_summaries_mark`)
    to mark the months a case leaves, or its old court."""
    ids = sorted(set(case_ids))
    if not ids:
        return set()
    month = TruncMonth("date", output_field=DateField())
    hearings = Hearing.objects.order_by().filter(case_id__in=ids).values_list(month, "court_id")
    flags = (
        FlagModel.objects.order_by()
        .filter(case_id__in=ids)
        .values_list(TruncMonth(flag_day(), output_field=DateField()), "case__court_id")
    )
    interventions = (
        Intervention.objects.order_by().filter(flag__case_id__in=ids).values_list(month, "flag__case__court_id")
    )
    return set(hearings.union(flags, interventions))


def trial_summaries_mark(case_ids: Iterable[int], before: Iterable[Part] = ()) -> None:
    """Mark what these cases count in now, and `before` (their parts before the change), as changed.
    Call at the end of the service's transaction."""
    summaries_mark(SUMMARY_NAME, set(before) | trial_summary_parts(case_ids))


def trial_summaries_mark_hearing(hearing_id: int) -> None:
    """Mark the month and court of one hearing for the rating tables: what its observations count in
    (flags raised or closed with them mark themselves)."""
    summaries_mark(SUMMARY_NAME, Hearing.objects.filter(pk=hearing_id).values_list("date", "court_id"), RATINGS)


def trial_following_part(hearing: Hearing, date: datetime.date) -> Part | None:
    """The month and court of the case's hearing after this one when it is on `date` (by date, then
    id): the row whose previous month this hearing is. Call with the stored date before a change."""
    following = (
        Hearing.objects.order_by("date", "id")
        .filter(Q(date__gt=date) | Q(date=date, id__gt=hearing.pk), case_id=hearing.case_id)
        .values_list("date", "court_id")
        .first()
    )
    return (month_of(following[0]), following[1]) if following else None


def trial_summaries_mark_hearing_change(
    hearing: Hearing, before: Part | None = None, following_before: Part | None = None
) -> None:
    """Mark a hearing made or changed: its month and court now and `before` (as stored before the
    change; None for a new hearing) for every table, and the months of the hearings that followed it
    before the change (`following_before`, `trial_following_part`) and follow it now, whose previous
    month it is, for the tables that keep a case's previous month (topic SEQUENCE). Its observations
    and flags count in its own month."""
    now = (month_of(hearing.date), hearing.court_id)
    before = (month_of(before[0]), before[1]) if before else None
    summaries_mark(SUMMARY_NAME, {now} | ({before} if before else set()))
    sequence = {following_before, trial_following_part(hearing, hearing.date)} - {None, now, before}
    if sequence:
        summaries_mark(SUMMARY_NAME, sequence, SEQUENCE)  # type: ignore[arg-type]  # None removed


def trial_summaries_mark_flag(flag_id: int, before: Iterable[Part] = ()) -> None:
    """Mark what a flag and its interventions count in, and `before`."""
    month = TruncMonth("date", output_field=DateField())
    flags = FlagModel.objects.order_by().filter(pk=flag_id).values_list(flag_day(), "case__court_id")
    interventions = Intervention.objects.order_by().filter(flag_id=flag_id).values_list(month, "flag__case__court_id")
    summaries_mark(SUMMARY_NAME, set(before) | set(flags.union(interventions)), FOLLOW_UP)
