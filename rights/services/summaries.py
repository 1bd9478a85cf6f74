"""Rebuild the trial-monitoring summary tables (see `rights.models.summaries`).

Every table is rebuilt by one `INSERT … SELECT … GROUP BY` in the database: the SELECTs are built
with the ORM (so month truncation is right on SQLite and PostgreSQL alike) and never pass through
Python. The dashboard framework runs this inside a transaction with the refresh row locked.
"""

from django.db import connection
from django.db.models import Count, DateField, F, Q, QuerySet, Value, Window
from django.db.models.functions import Lag, TruncMonth

from rights.models import (
    AccusedMonth,
    CaseMonth,
    FollowUpMonth,
    Hearing,
    HearingMonth,
    Intervention,
    ObservationStatus,
    Party,
    PartyRole,
    Rating,
    RatingMonth,
    StandardRating,
)
from rights.models import Flag as FlagModel

SUMMARY_NAME = "trial_monitoring"
NOT_RATED = (Rating.NOT_APPLICABLE, Rating.NOT_OBSERVABLE, "")


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert(model, queryset: QuerySet, columns: dict[str, str], *, where: str = "", group: bool = False) -> int:
    """INSERT INTO model's table the columns (model field → alias in the queryset) of a SELECT.

    With `group`, the aliases that are not aggregates are grouped on, and the aggregates are given
    as SQL in `columns` values prefixed with "=" (for window queries, which cannot be grouped in the
    same SELECT).
    """
    inner, params = queryset.query.sql_with_params()
    targets = ", ".join(_qn(model._meta.get_field(name).column) for name in columns)
    sources, keys = [], []
    for source in columns.values():
        if source.startswith("="):
            sources.append(source[1:])
        else:
            sources.append(f"sub.{_qn(source)}")
            keys.append(f"sub.{_qn(source)}")
    # Identifiers are quoted, the inner SELECT is the ORM's, and its values stay parameters.
    sql = f"INSERT INTO {_qn(model._meta.db_table)} ({targets}) SELECT {', '.join(sources)} FROM ({inner}) sub"  # noqa: S608
    if where:
        sql += f" WHERE {where}"
    if group:
        sql += f" GROUP BY {', '.join(keys)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _case_dimensions(prefix: str) -> dict:
    return {
        "s_region": F(f"{prefix}municipality__region_id"),
        "s_court": F(f"{prefix}court_id"),
        "s_department": F(f"{prefix}court_department"),
    }


DIMENSIONS = {"region": "s_region", "court": "s_court", "court_department": "s_department"}


def trial_summaries_refresh() -> int:
    """Replace every trial-monitoring summary row; returns the number of rows written."""
    for model in (HearingMonth, CaseMonth, AccusedMonth, RatingMonth, FollowUpMonth):
        model.objects.all().delete()
    written = 0

    hearings = (
        Hearing.objects.order_by()
        .values(
            s_month=TruncMonth("date"),
            **_case_dimensions("case__"),
            s_municipality=F("case__municipality_id"),
            s_category=F("case__category"),
            s_reason=F("adjournment_reason"),
        )
        .annotate(s_hearings=Count("pk"), s_recorded=Count("pk", filter=Q(recorded=True)))
    )
    written += _insert(
        HearingMonth,
        hearings,
        {
            "month": "s_month",
            **DIMENSIONS,
            "municipality": "s_municipality",
            "category": "s_category",
            "adjournment_reason": "s_reason",
            "hearings": "s_hearings",
            "recorded": "s_recorded",
        },
    )

    # One row per hearing with the month of the case's hearing before it; the first hearing of a case
    # in a month is the one whose previous hearing lies in another month (or does not exist).
    month = TruncMonth("date", output_field=DateField())
    case_months = Hearing.objects.order_by().values(
        s_case=F("case_id"),
        s_month=month,
        s_previous=Window(Lag(month), partition_by=[F("case_id")], order_by=[F("date").asc(), F("id").asc()]),
        **_case_dimensions("case__"),
        s_grounds=F("case__fundamental_rights_appeal_grounds"),
    )
    first_in_month = f"(sub.{_qn('s_previous')} IS NULL OR sub.{_qn('s_previous')} <> sub.{_qn('s_month')})"
    written += _insert(
        CaseMonth,
        case_months,
        {
            "month": "s_month",
            "previous_month": "s_previous",
            **DIMENSIONS,
            "cases": "=COUNT(*)",
            "appeal_grounds": f"=SUM(CASE WHEN sub.{_qn('s_grounds')} THEN 1 ELSE 0 END)",
        },
        where=first_in_month,
        group=True,
    )

    party = _qn(Party._meta.db_table)
    inner, params = case_months.query.sql_with_params()
    targets = ", ".join(
        _qn(AccusedMonth._meta.get_field(name).column)
        for name in (
            "month",
            "previous_month",
            "region",
            "court",
            "court_department",
            "sex",
            "age_band",
            "community",
            "accused",
        )
    )
    keys = ", ".join(f"sub.{_qn(a)}" for a in ("s_month", "s_previous", "s_region", "s_court", "s_department"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_qn(AccusedMonth._meta.db_table)} ({targets}) "  # noqa: S608 (as in _insert)
            f"SELECT {keys}, p.{_qn('sex')}, p.{_qn('age_band')}, p.{_qn('community_id')}, COUNT(*) "
            f"FROM ({inner}) sub JOIN {party} p ON p.{_qn('case_id')} = sub.{_qn('s_case')} "
            f"WHERE {first_in_month} AND p.{_qn('role')} = %s "
            f"GROUP BY {keys}, p.{_qn('sex')}, p.{_qn('age_band')}, p.{_qn('community_id')}",
            [*params, PartyRole.ACCUSED],
        )
        written += max(cursor.rowcount, 0)

    ratings = (
        StandardRating.objects.order_by()
        .filter(observation__status=ObservationStatus.APPROVED)
        .exclude(rating__in=NOT_RATED)
        .values(
            s_month=TruncMonth("observation__hearing__date"),
            **_case_dimensions("observation__hearing__case__"),
            s_standard=F("standard_id"),
        )
        .annotate(
            s_rated=Count("pk"),
            s_concerns=Count("pk", filter=Q(rating=Rating.CONCERN)),
            s_violations=Count("pk", filter=Q(rating=Rating.VIOLATION)),
        )
    )
    written += _insert(
        RatingMonth,
        ratings,
        {
            "month": "s_month",
            **DIMENSIONS,
            "standard": "s_standard",
            "rated": "s_rated",
            "concerns": "s_concerns",
            "violations": "s_violations",
        },
    )

    follow_up = {
        "month": "s_month",
        **DIMENSIONS,
        "kind": "s_kind",
        "rule": "s_rule",
        "status": "s_status",
        "count": "s_count",
    }
    flags = (
        FlagModel.objects.order_by()
        .values(
            s_month=TruncMonth("created_at", output_field=DateField()),
            **_case_dimensions("case__"),
            s_kind=Value("flag"),
            s_rule=F("rule"),
            s_status=F("status"),
        )
        .annotate(s_count=Count("pk"))
    )
    written += _insert(FollowUpMonth, flags, follow_up)
    interventions = (
        Intervention.objects.order_by()
        .values(
            s_month=TruncMonth("date"),
            **_case_dimensions("flag__case__"),
            s_kind=Value("intervention"),
            s_rule=F("flag__rule"),
            s_status=F("status"),
        )
        .annotate(s_count=Count("pk"))
    )
    written += _insert(FollowUpMonth, interventions, follow_up)
    return written
