from django.db import transaction

from mission.concurrency import lock_version
from rights.models import Case, Hearing
from rights.services.flags import flags_raise_for_hearing
from rights.services.permissions import require_record_in

HEARING_FIELDS = (
    "date",
    "scheduled_start",
    "actual_start",
    "end",
    "hearing_type",
    "session_number",
    "held",
    "adjournment_reason",
    "adjournment_note",
    "recorded",
    "public",
    "closure_basis",
    "accused_represented",
    "interpretation_needed",
    "interpretation_provided",
    "next_hearing_date",
    "outcome",
)


def _refresh_last_hearing(case: Case) -> None:
    latest = case.hearings.order_by("-date").values_list("date", flat=True).first()
    if case.last_hearing_date != latest:
        Case.objects.filter(pk=case.pk).update(last_hearing_date=latest)
        case.last_hearing_date = latest


def _apply(hearing: Hearing, fields: dict) -> None:
    unknown = set(fields) - set(HEARING_FIELDS)
    if unknown:
        raise TypeError(f"unknown hearing fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(hearing, name, value)
    if hearing.held:
        hearing.adjournment_reason = ""
    if not hearing.interpretation_needed:
        hearing.interpretation_provided = None


@transaction.atomic
def hearing_create(*, actor, case: Case, **fields) -> Hearing:
    require_record_in(actor, region_id=case.municipality.region_id)
    hearing = Hearing(case=case, created_by=actor)
    _apply(hearing, fields)
    hearing.full_clean()
    hearing._history_user = actor
    hearing.save()
    _refresh_last_hearing(case)
    flags_raise_for_hearing(hearing)
    return hearing


@transaction.atomic
def hearing_update(*, actor, hearing: Hearing, expected_version: int | None, **fields) -> Hearing:
    require_record_in(actor, region_id=hearing.case.municipality.region_id)
    lock_version(hearing, expected_version=expected_version)
    _apply(hearing, fields)
    hearing.full_clean()
    hearing._history_user = actor
    hearing.save()
    _refresh_last_hearing(hearing.case)
    flags_raise_for_hearing(hearing)
    return hearing
