"""Rebuild the trial-monitoring summary tables (see `rights.models.summaries`).

Every table is rebuilt by one `INSERT … SELECT … GROUP BY` in the database: the SELECTs are built
with the ORM (so month truncation is right on SQLite and PostgreSQL alike) and never pass through
Python. The dashboard framework runs this inside a transaction with the refresh row locked.
"""

from django.db import connection
from django.db.models import BigIntegerField, Count, DateField, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Cast, Coalesce, Lag, TruncMonth

from rights.models import (
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
    Rating,
    RatingMonth,
    RatingRegionMonth,
    RatingTotalMonth,
    StandardRating,
    flag_day,
)
from rights.models import Flag as FlagModel

SUMMARY_NAME = "trial_monitoring"
NO_COMMUNITY = Cast(Value(None), BigIntegerField())  # a typed NULL: PostgreSQL will not insert an untyped one
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
    tables = (
        HearingMonth,
        AdjournmentMonth,
        MunicipalityMonth,
        CaseMonth,
        HearingAccusedMonth,
        RatingMonth,
        RatingTotalMonth,
        RatingRegionMonth,
        AccusedRegionMonth,
        CaseRegionMonth,
        AdjournmentRegionMonth,
        FollowUpMonth,
    )
    for model in tables:
        model.objects.all().delete()
    written = 0

    counts = {
        "s_hearings": Count("pk"),
        "s_adjourned": Count("pk", filter=Q(held=False)),
        "s_held": Count("pk", filter=Q(held=True)),
        "s_recorded": Count("pk", filter=Q(recorded=True)),
    }
    count_columns = {"hearings": "s_hearings", "adjourned": "s_adjourned", "held": "s_held", "recorded": "s_recorded"}
    hearings = Hearing.objects.order_by().values(s_month=TruncMonth("date"), **_case_dimensions("case__"))
    written += _insert(HearingMonth, hearings.annotate(**counts), {"month": "s_month", **DIMENSIONS, **count_columns})
    adjourned = (
        Hearing.objects.order_by()
        .filter(held=False)
        .values(s_month=TruncMonth("date"), **_case_dimensions("case__"), s_reason=F("adjournment_reason"))
        .annotate(s_hearings=Count("pk"))
    )
    written += _insert(
        AdjournmentMonth,
        adjourned,
        {"month": "s_month", **DIMENSIONS, "reason": "s_reason", "hearings": "s_hearings"},
    )
    by_municipality = (
        Hearing.objects.order_by()
        .values(
            s_month=TruncMonth("date"),
            s_region=F("case__municipality__region_id"),
            s_municipality=F("case__municipality_id"),
        )
        .annotate(**counts)
    )
    written += _insert(
        MunicipalityMonth,
        by_municipality,
        {"month": "s_month", "region": "s_region", "municipality": "s_municipality", **count_columns},
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

    for dimension, value in (
        ("sex", "case__parties__sex"),
        ("age_band", "case__parties__age_band"),
        ("community", "case__parties__community__code"),
    ):
        accused = (
            Hearing.objects.order_by()
            .filter(case__parties__role=PartyRole.ACCUSED)
            .values(
                s_hearing=F("pk"),
                s_month=TruncMonth("date"),
                **_case_dimensions("case__"),
                s_dimension=Value(dimension),
                s_value=Coalesce(F(value), Value("")),
                s_community=F("case__parties__community_id")
                if dimension == "community"
                else Cast(Value(None), BigIntegerField()),
                s_held=F("held"),
            )
            .distinct()
        )
        written += _insert(
            HearingAccusedMonth,
            accused,
            {
                "month": "s_month",
                **DIMENSIONS,
                "dimension": "s_dimension",
                "value": "s_value",
                "community": "s_community",
                "hearings": "=COUNT(*)",
                "adjourned": f"=SUM(CASE WHEN sub.{_qn('s_held')} THEN 0 ELSE 1 END)",
            },
            group=True,
        )

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

    rating_totals = (
        RatingMonth.objects.order_by()
        .values(s_month=F("month"), s_region=F("region_id"), s_court=F("court_id"), s_department=F("court_department"))
        .annotate(s_rated=Sum("rated"), s_concerns=Sum("concerns"), s_violations=Sum("violations"))
    )
    written += _insert(
        RatingTotalMonth,
        rating_totals,
        {
            "month": "s_month",
            **DIMENSIONS,
            "rated": "s_rated",
            "concerns": "s_concerns",
            "violations": "s_violations",
        },
    )

    # The same without courts, for dashboards not filtered by court (see RatingRegionMonth).
    written += _insert(
        CaseRegionMonth,
        CaseMonth.objects.order_by()
        .values(s_month=F("month"), s_previous=F("previous_month"), s_region=F("region_id"))
        .annotate(s_cases=Sum("cases"), s_grounds=Sum("appeal_grounds")),
        {
            "month": "s_month",
            "previous_month": "s_previous",
            "region": "s_region",
            "cases": "s_cases",
            "appeal_grounds": "s_grounds",
        },
    )
    written += _insert(
        AdjournmentRegionMonth,
        AdjournmentMonth.objects.order_by()
        .values(s_month=F("month"), s_region=F("region_id"), s_reason=F("reason"))
        .annotate(s_hearings=Sum("hearings")),
        {"month": "s_month", "region": "s_region", "reason": "s_reason", "hearings": "s_hearings"},
    )
    written += _insert(
        RatingRegionMonth,
        RatingMonth.objects.order_by()
        .values(s_month=F("month"), s_region=F("region_id"), s_standard=F("standard_id"))
        .annotate(s_rated=Sum("rated"), s_concerns=Sum("concerns"), s_violations=Sum("violations")),
        {
            "month": "s_month",
            "region": "s_region",
            "standard": "s_standard",
            "rated": "s_rated",
            "concerns": "s_concerns",
            "violations": "s_violations",
        },
    )
    written += _insert(
        AccusedRegionMonth,
        HearingAccusedMonth.objects.order_by()
        .values(s_month=F("month"), s_region=F("region_id"), s_dimension=F("dimension"), s_value=F("value"))
        .annotate(s_hearings=Sum("hearings"), s_adjourned=Sum("adjourned")),
        {
            "month": "s_month",
            "region": "s_region",
            "dimension": "s_dimension",
            "value": "s_value",
            "hearings": "s_hearings",
            "adjourned": "s_adjourned",
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
            s_month=TruncMonth(flag_day(), output_field=DateField()),
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
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes the rebuilt tables for empty and picks nested loops.
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"ANALYZE {_qn(model._meta.db_table)}")
    return written
