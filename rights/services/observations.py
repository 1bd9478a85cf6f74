"""The observation workflow: draft → submitted → returned or approved; corrections after approval."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.accounts.permissions import require_record
from mission.review.services import (
    correction_reason,
    record_approve,
    record_correct,
    record_edit,
    record_return,
    record_revise,
    record_submit,
    records_revise_after_change,
)
from rights.models import Hearing, Observation, ObservationStatus, Questionnaire, Rating, StandardRating
from rights.services.counters import trial_counts_after, trial_counts_before
from rights.services.flags import flags_raise_for_observation
from rights.services.summaries import trial_summaries_mark_hearing

# Hearings and cases need a reason for a change once published, as observations do.
__all__ = ["correction_reason"]


def _refresh_published(observation: Observation) -> None:
    """Partners see a hearing (and its case) once one of its observations is approved; keep the flags
    that say so true after every change of status."""
    hearing = observation.hearing
    approved = Observation.objects.filter(hearing=hearing, status=ObservationStatus.APPROVED).exists()
    if hearing.published != approved:
        Hearing.objects.filter(pk=hearing.pk).update(published=approved)
        hearing.published = approved
    case = hearing.case
    case_published = approved or Hearing.objects.filter(case=case, published=True).exists()
    if case.published != case_published:
        type(case).objects.filter(pk=case.pk).update(published=case_published)
        case.published = case_published


# ratings: {standard_id: (rating, evidence)}
Ratings = dict[int, tuple[str, str]]


@transaction.atomic
def observation_start(*, actor, hearing: Hearing) -> Observation:
    """The actor's observation of this hearing: their existing one, or a new draft with every standard
    of the current questionnaire waiting to be rated."""
    require_record(actor, hearing)
    existing = Observation.objects.filter(hearing=hearing, monitor=actor).first()
    if existing is not None:
        return existing
    if hearing.date > timezone.localdate():
        raise ValidationError(_("This hearing is in the future: it can be observed once it has taken place."))
    questionnaire = Questionnaire.objects.get(is_current=True)
    observation = Observation(hearing=hearing, monitor=actor, questionnaire=questionnaire, hearing_date=hearing.date)
    observation._history_user = actor
    observation.save()
    StandardRating.objects.bulk_create(
        StandardRating(observation=observation, standard=standard) for standard in questionnaire.standards.all()
    )
    return observation


def _write_ratings(observation: Observation, ratings: Ratings, *, validate: bool, actor, reason: str = "") -> None:
    errors = {}
    for rating in observation.ratings.select_related("standard"):
        if rating.standard_id not in ratings:
            continue
        value, evidence = ratings[rating.standard_id]
        if (rating.rating, rating.evidence) == (value or "", evidence or ""):
            continue
        rating.rating, rating.evidence = value or "", (evidence or "").strip()
        if validate or rating.rating == Rating.VIOLATION:
            try:
                rating.full_clean(exclude=["observation", "standard"])
            except ValidationError as error:
                errors[rating.standard.code] = error.messages
        rating._history_user = actor
        rating._change_reason = reason or None
        rating.save(update_fields=["rating", "evidence", "updated_at"])
    if errors:
        raise ValidationError(errors)


def _require_complete(observation: Observation) -> None:
    errors = {}
    for rating in observation.ratings.select_related("standard"):
        if not rating.rating:
            errors[rating.standard.code] = [_("Rate this standard (use “not observable” if you could not see it).")]
    if not observation.summary.strip():
        errors["summary"] = [_("Write a short summary of the hearing.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def observation_save_draft(
    *, actor, observation: Observation, expected_version: int | None, summary: str, ratings: Ratings
) -> Observation:
    """Save whatever the monitor has so far; only a violation without evidence is refused."""
    record_edit(actor=actor, record=observation, expected_version=expected_version)
    observation.summary = summary
    observation._history_user = actor
    observation.save(update_fields=["summary", "version", "updated_at"])
    _write_ratings(observation, ratings, validate=False, actor=actor)
    return observation


@transaction.atomic
def observation_submit(
    *, actor, observation: Observation, expected_version: int | None, summary: str, ratings: Ratings
) -> Observation:
    case_id = observation.hearing.case_id
    counts = trial_counts_before([case_id])  # first: it locks the case
    record_edit(actor=actor, record=observation, expected_version=expected_version)
    if observation.hearing.date > timezone.localdate():
        raise ValidationError(_("This hearing is in the future: it can be observed once it has taken place."))
    observation.summary = summary
    _write_ratings(observation, ratings, validate=True, actor=actor)
    _require_complete(observation)
    record_submit(actor=actor, record=observation, fields=("summary",))
    flags_raise_for_observation(observation)
    trial_summaries_mark_hearing(observation.hearing_id)
    trial_counts_after([case_id], counts)
    return observation


@transaction.atomic
def observation_return(*, actor, observation: Observation, expected_version: int | None, comment: str) -> Observation:
    case_id = observation.hearing.case_id
    counts = trial_counts_before([case_id])  # first: it locks the case
    record_return(actor=actor, record=observation, expected_version=expected_version, comment=comment)
    _refresh_published(observation)
    trial_summaries_mark_hearing(observation.hearing_id)
    trial_counts_after([case_id], counts)
    return observation


@transaction.atomic
def observation_approve(
    *, actor, observation: Observation, expected_version: int | None, comment: str = ""
) -> Observation:
    case_id = observation.hearing.case_id
    counts = trial_counts_before([case_id])  # first: it locks the case
    record_approve(actor=actor, record=observation, expected_version=expected_version, comment=comment)
    _refresh_published(observation)
    trial_summaries_mark_hearing(observation.hearing_id)
    trial_counts_after([case_id], counts)
    return observation


@transaction.atomic
def observation_correct(
    *, actor, observation: Observation, expected_version: int | None, reason: str, summary: str, ratings: Ratings
) -> Observation:
    """Correct an approved observation: a new revision with a reason. The author's correction goes back
    for review; a reviewer's stays approved."""
    case_id = observation.hearing.case_id
    counts = trial_counts_before([case_id])  # first: it locks the case
    correction = record_correct(actor=actor, record=observation, expected_version=expected_version, reason=reason)
    observation.summary = summary
    _write_ratings(observation, ratings, validate=True, actor=actor, reason=correction.reason)
    _require_complete(observation)
    record_revise(observation, actor=actor, reason=correction.reason, back_to_review=correction.back_to_review)
    _refresh_published(observation)
    flags_raise_for_observation(observation)
    trial_summaries_mark_hearing(observation.hearing_id)
    trial_counts_after([case_id], counts)
    return observation


def published_change_review(*, actor, observations: QuerySet[Observation], reason: str) -> None:
    """After a change to a published record (a hearing, a case): the correction path of the approved
    observations that publish it (`observations`: those of the hearing, or of the case's hearings).

    Partners see hearings and cases through approved observations. A change by someone who may review
    them all stands, with its reason in the record's history; anyone else's sends them back for review
    as a new revision with that reason, and the record leaves the partners' view until approved again.
    Call inside the service's transaction, after saving the record.
    """
    for observation in records_revise_after_change(actor=actor, records=observations, reason=reason):
        _refresh_published(observation)
