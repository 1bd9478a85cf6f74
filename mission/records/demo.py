"""Demo records made through the kit's services, as a monitor and a supervisor would make them, in every
review state (`manage.py seed_demo` calls each department's demo loader)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mission.records.services import record_create, record_update
from mission.review.services import record_approve, record_return

if TYPE_CHECKING:
    from mission.accounts.models import User
    from mission.records.parts import PartRows
    from mission.review.models import ReviewedRecord


def demo_record(
    n: int,
    *,
    author: User,
    reviewer: User,
    model: type[ReviewedRecord],
    fields: Mapping[str, object],
    parts: PartRows | None = None,
    returned_because: str = "Please complete the record.",
) -> ReviewedRecord:
    """The `n`th record of a demo list, in the review state that number gives it: every fifth stays a
    draft; of the others, one in ten was returned to its author with `returned_because`, one in five
    waits for review, the rest are approved."""
    record = record_create(actor=author, model=model, fields=fields, parts=parts)
    if n % 5 == 0:
        return record
    record = record_update(actor=author, record=record, expected_version=record.version, fields={}, submit=True)
    if n % 10 == 2:
        record_return(actor=reviewer, record=record, expected_version=record.version, comment=returned_because)
    elif n % 5 != 1:
        record_approve(actor=reviewer, record=record, expected_version=record.version)
    return record
