from django.db import transaction

from mission.accounts.permissions import require_record
from mission.concurrency import lock_version
from rights.models import Case, Hearing
from rights.services.counters import trial_counts_after, trial_counts_before
from rights.services.flags import flags_raise_for_hearing
from rights.services.observations import correction_reason, published_change_review
from rights.services.summaries import trial_following_part, trial_summaries_mark_hearing_change

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
    require_record(actor, case)
    counts = trial_counts_before([case.pk])  # first: it locks the case
    hearing = Hearing(case=case, court_id=case.court_id, created_by=actor)  # the court: see Hearing.court
    _apply(hearing, fields)
    hearing.full_clean()
    hearing._history_user = actor
    hearing.save()
    _refresh_last_hearing(case)
    flags_raise_for_hearing(hearing)
    trial_summaries_mark_hearing_change(hearing)
    trial_counts_after([case.pk], counts)
    return hearing


def hearing_is_published(hearing: Hearing) -> bool:
    """Whether partners see this hearing now (then a change needs a reason: `hearing_update`)."""
    return Hearing.objects.filter(pk=hearing.pk, published=True).exists() if hearing.pk else False


@transaction.atomic
def hearing_update(*, actor, hearing: Hearing, expected_version: int | None, reason: str = "", **fields) -> Hearing:
    """Change a hearing. A published one (partners see it) changes only through the correction path:
    with a reason, kept in the history, and back to review unless a reviewer made the change."""
    require_record(actor, hearing)
    counts = trial_counts_before([hearing.case_id])  # first: it locks the case
    lock_version(hearing, expected_version=expected_version)
    published = hearing_is_published(hearing)  # read under the lock: an approval may have just landed
    counted_in = Hearing.objects.values_list("date", "court_id").get(pk=hearing.pk)  # as stored
    following = trial_following_part(hearing, counted_in[0])  # the hearing whose previous month it is
    if published:
        reason = correction_reason(reason)
    _apply(hearing, fields)
    hearing.full_clean()
    hearing._history_user = actor
    hearing._change_reason = reason.strip() or None
    hearing.published = published  # the flag follows the approvals, never a stale copy of the row
    hearing.save()
    _refresh_last_hearing(hearing.case)
    # The copy that orders the observation lists (history excludes it: it is the hearing's change).
    hearing.observations.exclude(hearing_date=hearing.date).update(hearing_date=hearing.date)
    if published:
        published_change_review(actor=actor, observations=hearing.observations.all(), reason=reason)
        hearing.published = hearing_is_published(hearing)
    flags_raise_for_hearing(hearing)
    trial_summaries_mark_hearing_change(hearing, before=counted_in, following_before=following)
    trial_counts_after([hearing.case_id], counts)
    return hearing
