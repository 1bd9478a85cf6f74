"""Who may take which step of the review workflow. The services refuse with these rules and the pages
ask the same functions which actions to offer, so a rule is never restated."""

from django.core.exceptions import PermissionDenied

from mission.accounts.models import User
from mission.accounts.permissions import Capability, has_capability, scope_covers
from mission.review.models import EDITABLE_BY_AUTHOR, ReviewedRecord, ReviewStatus


def record_region_id(record: ReviewedRecord) -> int | None:
    """The region of `record`, reached through the `region_lookup` its queryset declares. The objects
    on the way are read from the record, so a caller that fetched it with them costs no query."""
    obj, region = _walk(record, type(record)._default_manager.get_queryset().region_lookup)
    return getattr(obj, f"{region}_id")


def _walk(record: ReviewedRecord, lookup: str) -> tuple[object, str]:
    """The object at the end of `lookup` but its last step, read from `record`, and that step."""
    *path, last = lookup.split("__")
    obj: object = record
    for name in path:
        obj = getattr(obj, name)
    return obj, last


def record_department(record: ReviewedRecord) -> str:
    """The department of `record`: the queryset's fixed `department`, or its `department_lookup`."""
    queryset = type(record)._default_manager.get_queryset()
    if queryset.department is not None:
        return queryset.department
    obj, field = _walk(record, queryset.department_lookup)
    return getattr(obj, field)


def may_record(user: User, record: ReviewedRecord) -> bool:
    """Whether the user records in the record's department and region (a field monitor or supervisor there)."""
    return has_capability(user, Capability.RECORD) and scope_covers(
        user, department=record_department(record), region_id=record_region_id(record)
    )


def require_author(user: User, record: ReviewedRecord) -> None:
    """The record's author, still recording where it belongs."""
    if record.author_pk != user.pk or not may_record(user, record):
        raise PermissionDenied


def may_review(user: User, record: ReviewedRecord) -> bool:
    """Whether the user reviews records like this one, whatever its status: a reviewer in its scope who
    is not its author."""
    return (
        has_capability(user, Capability.REVIEW)
        and scope_covers(user, department=record_department(record), region_id=record_region_id(record))
        and record.author_pk != user.pk
    )


def may_edit(user: User, record: ReviewedRecord) -> bool:
    """Whether the page offers the author to go on editing (the service checks their scope too)."""
    return record.author_pk == user.pk and record.status in EDITABLE_BY_AUTHOR


def may_decide(user: User, record: ReviewedRecord) -> bool:
    """Whether the page offers to approve or return the record."""
    return record.status == ReviewStatus.SUBMITTED and may_review(user, record)


def may_correct(user: User, record: ReviewedRecord) -> bool:
    """Whether the user may correct the approved record: its author or a reviewer of it."""
    return record.status == ReviewStatus.APPROVED and (record.author_pk == user.pk or may_review(user, record))
