"""Writing a declared record: create, edit (a draft or a returned record, saved or submitted), and
correct an approved one. The review workflow's steps (`mission.review.services`) do the locking and
the rules; these add the content the author typed and check it against the model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mission.accounts.permissions import (
    Capability,
    covers_record,
    department_of,
    has_capability,
    may_record,
    reads_department,
)
from mission.records.flags import record_flags_raise
from mission.records.parts import PartRows, parts_complete, parts_save
from mission.records.summary import record_summary_mark_moved
from mission.review.models import ReviewedRecord
from mission.review.services import record_correct, record_edit, record_revise, record_submit

if TYPE_CHECKING:
    from mission.accounts.models import User


def _require_place(actor: User, record: ReviewedRecord, fields: Mapping[str, object]) -> None:
    """The record lies where the actor records. Someone who records for the department but chose a
    municipality of another region made a choice the form can correct: said on that field."""
    if not has_capability(actor, Capability.RECORD) or not reads_department(actor, department_of(record)):
        raise PermissionDenied
    if may_record(actor, record):
        return
    if "municipality" in fields:
        raise ValidationError({"municipality": _("You record in the municipalities of your own region only.")})
    raise PermissionDenied


def _apply(record: ReviewedRecord, fields: Mapping[str, object], actor: User | None = None) -> None:
    """Put `fields` on the record and check it against the model. With `actor`, a record placed out of
    the actor's region is refused as such before anything else is said of it (a duplicate there would
    tell them what that region holds)."""
    for name, value in fields.items():
        setattr(record, name, value)
    try:
        record.full_clean(exclude=[f.name for f in record._meta.fields if f.name not in fields])
    except ValidationError:
        if actor is not None and getattr(record, "municipality_id", None) is not None:
            _require_place(actor, record, fields)
        raise


def _saved(record: ReviewedRecord) -> None:
    """Save a new record; one that someone saved meanwhile with the same unique values is refused as
    the model's check would have refused it, not as a database error."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        record.validate_constraints()  # says what clashes, on its field where the model says so
        raise


@transaction.atomic
def record_create(
    *, actor: User, model: type[ReviewedRecord], fields: Mapping[str, object], parts: PartRows | None = None
) -> ReviewedRecord:
    """A new draft of `model` by `actor`, with the content `fields` (field name → value) and the rows
    of its parts (`mission.records.parts.part_rows`)."""
    record = model(**{model.author_field: actor})
    _apply(record, fields, actor)
    _require_place(actor, record, fields)
    record._history_user = actor
    _saved(record)
    parts_save(record, parts or {}, actor=actor)
    return record


@transaction.atomic
def record_update(
    *,
    actor: User,
    record: ReviewedRecord,
    expected_version: int | None,
    fields: Mapping[str, object],
    submit: bool = False,
    parts: PartRows | None = None,
    reason: str = "",
) -> ReviewedRecord:
    """The author's change of their draft or returned record (and its parts' rows), saved as a draft
    or, with `submit`, sent for review. Refused with a ConcurrentEditError when it changed since
    `expected_version`. `reason`: its history's (an import's "import of <file>")."""
    record_edit(actor=actor, record=record, expected_version=expected_version)
    record_summary_mark_moved(record)  # its date or place may change: the month it leaves changes too
    _apply(record, fields, actor)
    _require_place(actor, record, fields)
    parts_save(record, parts or {}, actor=actor, reason=reason)
    if reason:
        record._change_reason = reason
    if submit:
        parts_complete(record)
        record_submit(actor=actor, record=record, fields=tuple(fields))
        record_flags_raise(record)
        return record
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def record_correct_content(
    *,
    actor: User,
    record: ReviewedRecord,
    expected_version: int | None,
    reason: str,
    fields: Mapping[str, object],
    parts: PartRows | None = None,
) -> ReviewedRecord:
    """A correction of an approved record (and its parts' rows) by its author or a reviewer, with its
    reason: a new revision, back to review unless a reviewer made it."""
    correction = record_correct(actor=actor, record=record, expected_version=expected_version, reason=reason)
    record_summary_mark_moved(record)
    _apply(record, fields)
    if not covers_record(actor, record):  # moved out of the scope of whoever corrects it
        raise ValidationError({"municipality": _("You record in the municipalities of your own region only.")})
    parts_save(record, parts or {}, actor=actor, reason=correction.reason)
    parts_complete(record)
    record_revise(record, actor=actor, reason=correction.reason, back_to_review=correction.back_to_review)
    record_flags_raise(record)
    return record
