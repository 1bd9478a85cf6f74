"""Aggregate endpoints, declared on `mission.api.aggregates`: what each count and rate means is
`rights.indicators` (the dashboards and the reports read the same definitions); the framework applies
the disclosure control for partners and counts in the database, one statement per request."""

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncMonth
from rest_framework.request import Request

from mission.api.aggregates import AggregateView, Dimension
from rights import indicators
from rights.api.filters import ApiHearingFilter, ApiObservationFilter
from rights.models import Hearing, Observation, PartyRole, StandardRating
from rights.services.summaries import SUMMARY_NAME

ACCUSED = Q(case__parties__role=PartyRole.ACCUSED)


def _groups(prefix: str) -> dict[str, Dimension]:
    return {
        "region": Dimension(F(f"{prefix}case__municipality__region__code")),
        "court": Dimension(F(f"{prefix}case__court__code")),
        "court_department": Dimension(F(f"{prefix}case__court_department")),
        "category": Dimension(F(f"{prefix}case__category")),
        "month": Dimension(TruncMonth(f"{prefix}date"), month=True),
        "all": Dimension(None),
    }


def _by_accused(**split) -> dict[str, Dimension]:
    party = "case__parties__"
    return {
        "accused_sex": Dimension(F(f"{party}sex"), **split),
        "accused_age": Dimension(F(f"{party}age_band"), **split),
        "accused_juvenile": Dimension(indicators.juvenile(party), **split),
        "accused_community": Dimension(F(f"{party}community__code"), **split),
    }


class HearingAggregates(AggregateView):
    """Hearings monitored, held, adjourned (unproductive) and recorded, with their rates, per group:
    unproductive of all hearings, recorded of held hearings (rights.indicators)."""

    dataset = "trial_aggregates"
    summaries = (SUMMARY_NAME,)
    model = Hearing
    filterset_class = ApiHearingFilter
    group_by = _groups("")
    # A hearing of two accused counts once per characteristic.
    disaggregate = _by_accused(requires=ACCUSED, distinct=True)
    disaggregate_help = "Split each group by a characteristic of the accused (default none)."
    counts = indicators.HEARING_COUNTS
    rates = {"unproductive_rate": indicators.UNPRODUCTIVE, "recorded_rate": indicators.RECORDED}


class AccusedAggregates(AggregateView):
    """Accused persons of the cases with a hearing in the selection, each counted once per group (a
    person whose case was heard three times in a month counts once in that month), split by sex, age,
    juvenile or community."""

    dataset = "trial_aggregates"
    summaries = (SUMMARY_NAME,)
    model = Hearing
    filterset_class = ApiHearingFilter
    group_by = _groups("")
    disaggregate = _by_accused()
    disaggregate_help = HearingAggregates.disaggregate_help
    counts = indicators.PERSON_COUNTS
    record = "case__parties__"
    distinct = True  # a person once, however many of their hearings are in the group

    def counted(self, request: Request, records: QuerySet) -> QuerySet:
        return records.filter(ACCUSED)


class StandardAggregates(AggregateView):
    """Per fair-trial standard: ratings (excluding not applicable / not observable), concerns and
    violations, with their rates, per group. Approved observations only, for staff and partners alike."""

    dataset = "trial_aggregates"
    summaries = (SUMMARY_NAME,)
    model = Observation
    staff_see_published_only = True
    filterset_class = ApiObservationFilter
    group_by = _groups("observation__hearing__")
    keyed_by = {"standard": F("standard__code")}
    counts = indicators.RATING_COUNTS
    rates = {"concern_rate": indicators.CONCERNS, "violation_rate": indicators.VIOLATIONS}

    def counted(self, request: Request, records: QuerySet) -> QuerySet:
        return StandardRating.objects.filter(observation__in=records.values("pk")).exclude(
            rating__in=indicators.NOT_RATED
        )
