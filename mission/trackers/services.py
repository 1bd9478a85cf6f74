"""Writing tracked items and their status history: by who maintains the department's trackers (its
head and supervisors: `may_maintain`), each change with its version checked and kept in the history."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from mission.accounts.permissions import Capability, has_capability, reads_department
from mission.concurrency import lock_version
from mission.records.summary import record_summary_mark_items
from mission.trackers.shapes import StatusEntryRow, TrackedItem

if TYPE_CHECKING:
    from mission.accounts.models import User
    from mission.accounts.permissions import AnyUser


def department_of_items(model: type[TrackedItem]) -> str:
    department: str = model._default_manager.get_queryset().department  # type: ignore[attr-defined]
    return department


def may_maintain(user: AnyUser, model: type[TrackedItem]) -> bool:
    """Whether the user enters items and their status: the department's head and its supervisors."""
    return has_capability(user, Capability.FOLLOW_UP) and reads_department(user, department_of_items(model))


def _require(actor: User, model: type[TrackedItem]) -> None:
    if not may_maintain(actor, model):
        raise PermissionDenied


def _apply(item: TrackedItem, fields: Mapping[str, object]) -> None:
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean(exclude=[f.name for f in item._meta.fields if f.name not in fields])


@transaction.atomic
def tracked_create(*, actor: User, model: type[TrackedItem], fields: Mapping[str, object]) -> TrackedItem:
    _require(actor, model)
    item = model(created_by=actor)
    _apply(item, fields)
    item._history_user = actor
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # saved meanwhile by someone else: said as the model's check says it
        item.validate_constraints()
        raise
    record_summary_mark_items(model)
    return item


@transaction.atomic
def tracked_update(
    *, actor: User, item: TrackedItem, expected_version: int | None, fields: Mapping[str, object]
) -> TrackedItem:
    """Change what the item says; refused with a ConcurrentEditError if it changed since."""
    _require(actor, type(item))
    lock_version(item, expected_version=expected_version)
    _apply(item, fields)
    item._history_user = actor
    item.save()
    record_summary_mark_items(type(item))
    return item


@transaction.atomic
def tracked_status_add(
    *,
    actor: User,
    item: TrackedItem,
    expected_version: int | None,
    date: datetime.date,
    status: str,
    evidence: str = "",
    support: str = "",
) -> StatusEntryRow:
    """A dated step of the item's status history; the item's status now is its latest entry's (an entry
    dated before the latest one fills in the past and leaves the status now as it is)."""
    _require(actor, type(item))
    lock_version(item, expected_version=expected_version)
    meta: Any = item._meta  # the subclass's: its status history
    entries: Any = meta.get_field("status_history").related_model
    entry = entries(item=item, date=date, status=status, evidence=evidence.strip(), support=support.strip())
    entry.recorded_by = actor
    entry.full_clean(exclude=["item"])
    entry._history_user = actor
    entry.save()
    latest = entries._default_manager.filter(item=item).order_by("-date", "-pk").first()
    item.current_status, item.status_date = latest.status, latest.date
    item._history_user = actor
    item.save()
    record_summary_mark_items(type(item))
    return entry  # type: ignore[no-any-return]
