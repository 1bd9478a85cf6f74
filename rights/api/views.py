"""Trial-monitoring endpoints. Staff read what `visible_to` gives them; partners read published
(approved) records only, and never the fields their models declare internal or restricted
(`mission.sensitivity`)."""

from collections import defaultdict

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from mission.api.permissions import is_partner
from mission.api.views import ValuesListView
from rights.api import filters
from rights.models import (
    Case,
    Court,
    FairTrialStandard,
    Flag,
    Hearing,
    Intervention,
    Observation,
    Rating,
    StandardRating,
)

NAMES = {"name_en": "name_en", "name_sq": "name_sq", "name_sr": "name_sr"}
# Codes of the reference data (courts, municipalities, regions): text, but an administrator's, not a monitor's.
WHERE = ("court", "municipality", "region")


def _scoped(request, model):
    """Partners: published rows of every region. Staff: their scope, as on the pages."""
    manager = model.objects
    return manager.published() if is_partner(request) else manager.visible_to(request.user)


class CourtList(ValuesListView):
    """Courts, their branches and departments, with their seat (municipality code)."""

    partners_share_scope = True

    dataset = "reference"
    model = Court
    fields = {
        "id": "id",
        "code": "code",
        **NAMES,
        "level": "level",
        "parent": "parent__code",
        "seat": "seat__code",
        "updated_at": "updated_at",
    }
    reference_text_fields = ("code", *NAMES, "parent", "seat")

    def base_queryset(self, request):
        return Court.objects.all()


class StandardList(ValuesListView):
    """The fair-trial standards of every questionnaire version; `code` stays the same across versions."""

    partners_share_scope = True

    dataset = "reference"
    model = FairTrialStandard
    fields = {
        "id": "id",
        "questionnaire": "questionnaire__version",
        "code": "code",
        "order": "order",
        **NAMES,
        "legal_basis": "legal_basis",
        "guidance_en": "guidance_en",
        "guidance_sq": "guidance_sq",
        "guidance_sr": "guidance_sr",
        "updated_at": "updated_at",
    }
    reference_text_fields = (
        "questionnaire",
        "code",
        *NAMES,
        "legal_basis",
        "guidance_en",
        "guidance_sq",
        "guidance_sr",
    )

    def base_queryset(self, request):
        return FairTrialStandard.objects.all()


class CaseList(ValuesListView):
    """Monitored cases. Partners receive cases with at least one approved observation, coded values
    only: no case numbers, no charges as typed (the category is their coded form); names of parties
    never leave through the API."""

    partners_share_scope = True

    dataset = "trial_monitoring"
    model = Case
    filterset_class = filters.ApiCaseFilter
    fields = {
        "id": "id",
        "court": "court__code",
        "municipality": "municipality__code",
        "region": "municipality__region__code",
        "court_department": "court_department",
        "category": "category",
        "charges": "charges",
        "fundamental_rights_appeal_grounds": "fundamental_rights_appeal_grounds",
        "case_number": "case_number",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }
    identifiers = {"id": Case}
    reference_text_fields = WHERE

    def base_queryset(self, request):
        return _scoped(request, Case)


class HearingList(ValuesListView):
    """Monitored hearings. Partners receive hearings with an approved observation, coded values only:
    whether it was public, not the legal basis for closing it as the judge stated it."""

    partners_share_scope = True

    dataset = "trial_monitoring"
    model = Hearing
    filterset_class = filters.ApiHearingFilter
    fields = {
        "id": "id",
        "case": "case_id",
        "court": "case__court__code",
        "municipality": "case__municipality__code",
        "region": "case__municipality__region__code",
        "court_department": "case__court_department",
        "category": "case__category",
        "date": "date",
        "hearing_type": "hearing_type",
        "session_number": "session_number",
        "held": "held",
        "adjournment_reason": "adjournment_reason",
        "recorded": "recorded",
        "public": "public",
        "closure_basis": "closure_basis",
        "accused_represented": "accused_represented",
        "interpretation_needed": "interpretation_needed",
        "interpretation_provided": "interpretation_provided",
        "next_hearing_date": "next_hearing_date",
        "case_number": "case__case_number",
        "outcome": "outcome",
        "updated_at": "updated_at",
    }
    identifiers = {"id": Hearing, "case": Case}
    reference_text_fields = WHERE

    def base_queryset(self, request):
        return _scoped(request, Hearing)


class ObservationList(ValuesListView):
    """Observations with their ratings of the fair-trial standards. Partners receive approved ones,
    without the monitor, the summary or the evidence notes (free text may name people)."""

    partners_share_scope = True

    dataset = "trial_monitoring"
    model = Observation
    filterset_class = filters.ApiObservationFilter
    fields = {
        "id": "id",
        "hearing": "hearing_id",
        "case": "hearing__case_id",
        "date": "hearing__date",
        "court": "hearing__case__court__code",
        "region": "hearing__case__municipality__region__code",
        "status": "status",
        "questionnaire": "questionnaire__version",
        "revision": "revision",
        "summary": "summary",
        "monitor": "monitor__username",
        "submitted_at": "submitted_at",
        "updated_at": "updated_at",
    }
    identifiers = {"id": Observation, "hearing": Hearing, "case": Case}
    reference_text_fields = ("court", "region", "questionnaire")
    extra_schema = {
        "ratings": serializers.ListField(
            child=inline_serializer(
                "Rating",
                {
                    "standard": serializers.CharField(),
                    "rating": serializers.ChoiceField(choices=Rating.values, allow_blank=True),
                    "evidence": serializers.CharField(allow_blank=True, required=False),
                },
            )
        )
    }

    def base_queryset(self, request):
        return _scoped(request, Observation)

    def enrich(self, rows, request) -> None:
        """`ratings`: one query for the whole page."""
        partner = is_partner(request)
        columns = ["observation_id", "standard__code", "rating"] + ([] if partner else ["evidence"])
        ratings = defaultdict(list)
        for rating in (
            StandardRating.objects.filter(observation_id__in=[r["id"] for r in rows])
            .order_by("observation_id", "standard__order")
            .values(*columns)
        ):
            observation = rating.pop("observation_id")
            rating["standard"] = rating.pop("standard__code")
            ratings[observation].append(rating)
        for row in rows:
            row["ratings"] = ratings.get(row["id"], [])


class FlagList(ValuesListView):
    """Flags raised by the monitoring rules (staff only)."""

    dataset = "trial_follow_up"
    model = Flag
    filterset_class = filters.ApiFlagFilter
    fields = {
        "id": "id",
        "case": "case_id",
        "hearing": "hearing_id",
        "observation": "observation_id",
        "rule": "rule",
        "status": "status",
        "created_at": "created_at",
        "closed_at": "closed_at",
        "closing_note": "closing_note",
        "updated_at": "updated_at",
    }
    identifiers = {"case": Case, "hearing": Hearing, "observation": Observation}

    def base_queryset(self, request):
        return Flag.objects.visible_to(request.user)


class InterventionList(ValuesListView):
    """Interventions that followed flags (staff only)."""

    dataset = "trial_follow_up"
    model = Intervention
    filterset_class = filters.ApiInterventionFilter
    fields = {
        "id": "id",
        "flag": "flag_id",
        "case": "flag__case_id",
        "intervention_type": "intervention_type",
        "addressee": "addressee",
        "date": "date",
        "status": "status",
        "outcome": "outcome",
        "updated_at": "updated_at",
    }
    identifiers = {"case": Case}

    def base_queryset(self, request):
        return Intervention.objects.visible_to(request.user)
