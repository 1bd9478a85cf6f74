"""Who may take which step of the review workflow. The services refuse with these rules and the pages
ask the same functions which actions to offer, so a rule is never restated."""

from django.core.exceptions import PermissionDenied

from mission.accounts.models import User
from mission.accounts.permissions import Capability, covers_record, has_capability, may_record
from mission.review.models import EDITABLE_BY_AUTHOR, ReviewedRecord, ReviewStatus


def require_author(user: User, record: ReviewedRecord) -> None:
    """The record's author, still recording where it belongs."""
    if record.author_pk != user.pk or not may_record(user, record):
        raise PermissionDenied


def may_review(user: User, record: ReviewedRecord) -> bool:
    """Whether the user reviews records like this one, whatever its status: a reviewer in its scope who
    is not its author."""
    return has_capability(user, Capability.REVIEW) and covers_record(user, record) and record.author_pk != user.pk


def may_edit(user: User, record: ReviewedRecord) -> bool:
    """Whether the page offers the author to go on editing (the service checks their scope too)."""
    return record.author_pk == user.pk and record.status in EDITABLE_BY_AUTHOR


def may_decide(user: User, record: ReviewedRecord) -> bool:
    """Whether the page offers to approve or return the record."""
    return record.status == ReviewStatus.SUBMITTED and may_review(user, record)


def may_correct(user: User, record: ReviewedRecord) -> bool:
    """Whether the user may correct the approved record: its author or a reviewer of it."""
    return record.status == ReviewStatus.APPROVED and (record.author_pk == user.pk or may_review(user, record))
