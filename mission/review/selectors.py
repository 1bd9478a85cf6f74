"""Reads of the review workflow: what waits for a reviewer, what waits for an author, and a record's
history as people read it."""

from typing import Any, TypeVar

from django.utils.translation import gettext

from mission.accounts.models import User
from mission.history import child_fields, history_author, history_changes, row_changes
from mission.review.models import ReviewedQuerySet, ReviewedRecord
from mission.sensitivity import restricted_fields

_R = TypeVar("_R", bound=ReviewedRecord)

# Fields every record changes on each save: listing them would drown what people changed.
_BOOKKEEPING = ["updated_at", "version", "created_at"]


def review_queue(*, queryset: ReviewedQuerySet[_R], user: User) -> ReviewedQuerySet[_R]:
    """Submitted records of `queryset`'s model in the reviewer's scope, never their own. The caller
    orders them (a `FilterSet` does) and adds what its page shows."""
    return queryset.to_review_by(user)


def returned_to(*, queryset: ReviewedQuerySet[_R], user: User) -> ReviewedQuerySet[_R]:
    """The author's drafts and records returned to them, latest change first."""
    return queryset.to_fix_by(user).order_by("-updated_at")


def record_history(
    *, record: ReviewedRecord, withheld: tuple[str, ...] = (), readable: bool = False
) -> list[dict[str, Any]]:
    """Who changed what and why, newest first: the record's own fields but `withheld` (restricted
    values the reader may not see), and those of its child rows (`history_children`) as if they were
    its own, their restricted fields only for a reader who may read them (`readable`). Each entry:
    `at`, `who`, `reason`, `what` (the status a record started in, or the child changed), `changes`
    ((label, before, after), ready to show) and `created`.

    One query for the record's history, one per child relation, one per model the changes point to."""
    model = type(record)
    records = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    pairs = list(zip(records[1:], records, strict=False))
    diffs = history_changes(model, pairs, excluded_fields=[*_BOOKKEEPING, *withheld])
    entries = [
        {
            "at": entry.history_date,
            "who": history_author(entry),
            "reason": entry.history_change_reason or "",
            "what": "" if index else entry.get_status_display(),
            "changes": diffs[index - 1] if index else [],
            "created": not index,
        }
        for index, entry in enumerate(records)
    ]
    for relation in model.history_children:
        entries += _child_entries(record, relation, readable=readable)
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _child_entries(record: ReviewedRecord, relation: str, *, readable: bool) -> list[dict[str, Any]]:
    manager = getattr(record, relation)
    child_model = manager.model
    parent = manager.field.name
    children = {child.pk: child for child in manager.all()}
    history = list(
        child_model.history.filter(**{f"{parent}_id": record.pk})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous: dict[object, object] = {}
    pairs = []
    for entry in history:
        pairs.append((entry, previous.get(entry.id)))
        previous[entry.id] = entry
    fields = child_fields(child_model, parent=parent)
    if not readable:
        fields = [name for name in fields if name not in restricted_fields(child_model)]
    diffs = row_changes(child_model, pairs, fields=fields)
    entries = []
    for entry, changes in zip(history, diffs, strict=True):
        child = children.get(entry.id)
        # A row removed since is named as its history entry knew it (its pseudonym, never a name).
        label = _row_label(child if child is not None else entry.instance)
        if entry.history_type == "-":
            what, changes = gettext("%(row)s removed") % {"row": label}, []
        elif not changes:
            continue  # a blank row the record started with, or a save that changed nothing people see
        else:
            what = label
        entries.append(
            {
                "at": entry.history_date,
                "who": history_author(entry),
                "reason": entry.history_change_reason or "",
                "what": what,
                "changes": changes,
                "created": False,
            }
        )
    return entries


def _row_label(row: Any) -> str:
    return str(row.conflict_label() if hasattr(row, "conflict_label") else row)
