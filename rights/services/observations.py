"""The observation workflow: draft → submitted → returned or approved; corrections after approval."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.concurrency import lock_version
from rights.models import Hearing, Observation, ObservationStatus, Questionnaire, Rating, StandardRating
from rights.models.observations import EDITABLE_BY_AUTHOR
from rights.services.flags import flags_raise_for_observation
from rights.services.permissions import can_review, require_record_in


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
    require_record_in(actor, region_id=hearing.case.municipality.region_id)
    existing = Observation.objects.filter(hearing=hearing, monitor=actor).first()
    if existing is not None:
        return existing
    if hearing.date > timezone.localdate():
        raise ValidationError(_("This hearing is in the future: it can be observed once it has taken place."))
    questionnaire = Questionnaire.objects.get(is_current=True)
    observation = Observation(hearing=hearing, monitor=actor, questionnaire=questionnaire)
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


def _require_author_can_edit(actor, observation: Observation) -> None:
    if observation.monitor_id != actor.pk:
        raise PermissionDenied
    require_record_in(actor, region_id=observation.hearing.case.municipality.region_id)
    if observation.status not in EDITABLE_BY_AUTHOR:
        raise ValidationError(
            _("This observation is %(status)s and cannot be edited.")
            % {"status": observation.get_status_display().lower()}
        )


@transaction.atomic
def observation_save_draft(
    *, actor, observation: Observation, expected_version: int, summary: str, ratings: Ratings
) -> Observation:
    """Save whatever the monitor has so far; only a violation without evidence is refused."""
    _require_author_can_edit(actor, observation)
    lock_version(observation, expected_version=expected_version)
    observation.summary = summary
    observation._history_user = actor
    observation.save(update_fields=["summary", "version", "updated_at"])
    _write_ratings(observation, ratings, validate=False, actor=actor)
    return observation


@transaction.atomic
def observation_submit(
    *, actor, observation: Observation, expected_version: int, summary: str, ratings: Ratings
) -> Observation:
    _require_author_can_edit(actor, observation)
    if observation.hearing.date > timezone.localdate():
        raise ValidationError(_("This hearing is in the future: it can be observed once it has taken place."))
    lock_version(observation, expected_version=expected_version)
    observation.summary = summary
    _write_ratings(observation, ratings, validate=True, actor=actor)
    _require_complete(observation)
    observation.status = ObservationStatus.SUBMITTED
    observation.submitted_at = timezone.now()
    observation._history_user = actor
    observation.save(update_fields=["summary", "status", "submitted_at", "version", "updated_at"])
    flags_raise_for_observation(observation)
    return observation


def _review(actor, observation: Observation, *, status: str, comment: str) -> Observation:
    if not can_review(actor, observation):
        raise PermissionDenied
    if observation.status != ObservationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted observation can be reviewed."))
    observation.status = status
    observation.reviewed_by = actor
    observation.reviewed_at = timezone.now()
    observation.review_comment = comment.strip()
    observation.version += 1
    observation._history_user = actor
    observation.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "version", "updated_at"])
    _refresh_published(observation)
    return observation


@transaction.atomic
def observation_return(*, actor, observation: Observation, comment: str) -> Observation:
    if not comment.strip():
        raise ValidationError({"comment": _("Tell the monitor what to change.")})
    return _review(actor, observation, status=ObservationStatus.RETURNED, comment=comment)


@transaction.atomic
def observation_approve(*, actor, observation: Observation, comment: str = "") -> Observation:
    return _review(actor, observation, status=ObservationStatus.APPROVED, comment=comment)


def correction_reason(reason: str) -> str:
    """The reason every change to a published record needs; it is kept in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    return reason


def _revise(observation: Observation, *, actor, reason: str, back_to_review: bool) -> None:
    """A new revision of an approved observation, with its reason in the history. Sent back for review
    unless the change was made by someone who may review it; partners see the result only once approved."""
    observation.revision += 1
    observation.correction_reason = reason
    if back_to_review:
        observation.status = ObservationStatus.SUBMITTED
        observation.submitted_at = timezone.now()
    observation._history_user = actor
    observation._change_reason = reason
    observation.save()
    _refresh_published(observation)


@transaction.atomic
def observation_correct(
    *, actor, observation: Observation, expected_version: int, reason: str, summary: str, ratings: Ratings
) -> Observation:
    """Correct an approved observation: a new revision with a reason. The author's correction goes back
    for review; a reviewer's stays approved."""
    author = observation.monitor_id == actor.pk
    if not author and not can_review(actor, observation):
        raise PermissionDenied
    if author:
        require_record_in(actor, region_id=observation.hearing.case.municipality.region_id)
    if observation.status != ObservationStatus.APPROVED:
        raise ValidationError(_("Only an approved observation is corrected; edit a draft directly."))
    reason = correction_reason(reason)
    lock_version(observation, expected_version=expected_version)
    observation.summary = summary
    _write_ratings(observation, ratings, validate=True, actor=actor, reason=reason)
    _require_complete(observation)
    _revise(observation, actor=actor, reason=reason, back_to_review=author)
    flags_raise_for_observation(observation)
    return observation


def published_change_review(*, actor, observations: QuerySet[Observation], reason: str) -> None:
    """After a change to a published record (a hearing, a case): the correction path of the approved
    observations that publish it (`observations`: those of the hearing, or of the case's hearings).

    Partners see hearings and cases through approved observations. A change by someone who may review
    them all stands, with its reason in the record's history; anyone else's sends them back for review
    as a new revision with that reason, and the record leaves the partners' view until approved again.
    Call inside the service's transaction, after saving the record.
    """
    approved = list(
        observations.select_for_update()
        .select_related("hearing__case__municipality")
        .filter(status=ObservationStatus.APPROVED)
    )
    if all(can_review(actor, observation) for observation in approved):
        return
    for observation in approved:
        observation.version += 1  # a change of status: an open form on the old version must not win
        _revise(observation, actor=actor, reason=reason, back_to_review=True)
