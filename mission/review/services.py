"""The steps of the review workflow, for any `ReviewedRecord`.

Every step locks the record's row and decides on the row as saved, not on the caller's copy: a copy
read before someone else's decision may name the version saved since (a caller that read the version
again, a retried task) and would otherwise let a second review through. A department's service calls
a step inside its own transaction, writes its content, and adds what follows for its records
(publication, flags).
"""

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.accounts.models import User
from mission.accounts.permissions import declared_scope, may_record
from mission.concurrency import check_version, lock_row
from mission.history import model_field
from mission.notifications.models import NotificationKind
from mission.notifications.services import notify, page_of
from mission.review.models import EDITABLE_BY_AUTHOR, REVIEW_STATE_FIELDS, ReviewedRecord, ReviewStatus
from mission.review.permissions import may_review, require_author

_R = TypeVar("_R", bound=ReviewedRecord)


def _lock(record: ReviewedRecord) -> ReviewedRecord:
    """Lock the row and bring the workflow's own fields of `record` up to it."""
    current = lock_row(record, fields=REVIEW_STATE_FIELDS)
    for name in REVIEW_STATE_FIELDS:
        attname = model_field(type(record), name).attname
        setattr(record, attname, getattr(current, attname))
    return current


def _refusal(text: object, **values: object) -> str:
    return str(text) % values if values else str(text)


@transaction.atomic
def record_edit(*, actor: User, record: ReviewedRecord, expected_version: int | None) -> None:
    """Open the author's change of a draft or returned record: the row stays locked until the caller's
    transaction ends, and `record.version` is raised for the caller's save."""
    require_author(actor, record)
    current = _lock(record)
    if record.status not in EDITABLE_BY_AUTHOR:
        raise ValidationError(_refusal(record.review_labels.not_editable, status=record.get_status_display().lower()))
    check_version(record, current, expected_version=expected_version)


@transaction.atomic
def record_submit(*, actor: User, record: ReviewedRecord, fields: tuple[str, ...] = ()) -> ReviewedRecord:
    """Send the record for review, with the content `fields` the caller changed. Call after
    `record_edit`, in the same transaction, once the content is complete."""
    record.status = ReviewStatus.SUBMITTED
    record.submitted_at = timezone.now()
    record._history_user = actor
    record.save(update_fields=[*fields, "status", "submitted_at", "version", "updated_at"])
    return record


def _review(
    *, actor: User, record: ReviewedRecord, expected_version: int | None, status: ReviewStatus, comment: str
) -> ReviewedRecord:
    if not may_review(actor, record):
        raise PermissionDenied
    current = _lock(record)
    # The decision is about the content the reviewer read: refused if it has changed since (another
    # reviewer returned it and the author resubmitted), or if the reviewer does not say what they read.
    check_version(record, current, expected_version=expected_version)
    if record.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_refusal(record.review_labels.only_submitted))
    record.status = status
    record.reviewed_by = actor
    record.reviewed_at = timezone.now()
    record.review_comment = comment.strip()
    record._history_user = actor
    record.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "version", "updated_at"])
    author = getattr(record, record.author_field)
    if author is not None and author.pk != actor.pk:
        kind = NotificationKind.RETURNED if status == ReviewStatus.RETURNED else NotificationKind.APPROVED
        notify([author], kind, url=page_of(record), record=f"model:{record._meta.label_lower}")
    return record


@transaction.atomic
def record_return(*, actor: User, record: ReviewedRecord, expected_version: int | None, comment: str) -> ReviewedRecord:
    if not comment.strip():
        raise ValidationError({"comment": _refusal(record.review_labels.return_needs_comment)})
    return _review(
        actor=actor, record=record, expected_version=expected_version, status=ReviewStatus.RETURNED, comment=comment
    )


@transaction.atomic
def record_approve(
    *, actor: User, record: ReviewedRecord, expected_version: int | None, comment: str = ""
) -> ReviewedRecord:
    return _review(
        actor=actor, record=record, expected_version=expected_version, status=ReviewStatus.APPROVED, comment=comment
    )


def correction_reason(reason: str) -> str:
    """The reason every change to a published record needs; it is kept in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    return reason


@dataclass(frozen=True)
class Correction:
    """An opened correction: its reason, and whether it goes back for review (the author's does; a
    reviewer's stands)."""

    reason: str
    back_to_review: bool


@transaction.atomic
def record_correct(*, actor: User, record: ReviewedRecord, expected_version: int | None, reason: str) -> Correction:
    """Open a correction of an approved record by its author or a reviewer; the row stays locked until
    the caller's transaction ends. The caller writes the content, then calls `record_revise`."""
    author = record.author_pk == actor.pk
    if not author and not may_review(actor, record):
        raise PermissionDenied
    if author and not may_record(actor, record):
        raise PermissionDenied
    current = _lock(record)
    if record.status != ReviewStatus.APPROVED:
        raise ValidationError(_refusal(record.review_labels.only_approved))
    reason = correction_reason(reason)
    check_version(record, current, expected_version=expected_version)
    return Correction(reason=reason, back_to_review=author)


def record_revise(record: ReviewedRecord, *, actor: User, reason: str, back_to_review: bool) -> None:
    """A new revision of an approved record, with its reason in the history; sent back for review
    unless the change was made by someone who may review it. Call with the row locked."""
    record.revision += 1
    record.correction_reason = reason
    if back_to_review:
        record.status = ReviewStatus.SUBMITTED
        record.submitted_at = timezone.now()
    record._history_user = actor
    record._change_reason = reason
    record.save()


def records_revise_after_change(*, actor: User, records: QuerySet[_R], reason: str) -> list[_R]:
    """After a change to what approved records stand on (a record they belong to): their correction
    path. A change by someone who may review them all stands, with its reason in the changed record's
    history; anyone else's sends them back for review as a new revision with that reason. Returns the
    records revised. Call inside the service's transaction, after saving the changed record."""
    path = declared_scope(records.model).region_lookup.split("__")[:-1]
    locked = records.select_for_update().filter(status=ReviewStatus.APPROVED)
    if path:
        locked = locked.select_related("__".join(path))
    approved = list(locked)
    if all(may_review(actor, record) for record in approved):
        return []
    for record in approved:
        record.version += 1  # a change of status: an open form on the old version must not win
        record_revise(record, actor=actor, reason=reason, back_to_review=True)
    return approved
