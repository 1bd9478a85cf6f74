"""Demo items made through the kit's services, as a department head enters them (`manage.py seed_demo`
calls each department's demo loader)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from mission.trackers.services import tracked_create, tracked_status_add

if TYPE_CHECKING:
    from mission.accounts.models import User
    from mission.trackers.shapes import TrackedItem


def demo_tracked(
    *,
    actor: User,
    model: type[TrackedItem],
    fields: Mapping[str, object],
    history: Iterable[tuple[int, int, str]] = (),
    day: int = 15,
) -> TrackedItem:
    """An item with its status history so far: each (year, month, status) on that month's `day`, with
    demo evidence and support."""
    item = tracked_create(actor=actor, model=model, fields=fields)
    for year, month, status in history:
        tracked_status_add(
            actor=actor,
            item=item,
            expected_version=item.version,
            date=datetime.date(year, month, day),
            status=status,
            evidence="Demo evidence.",
            support="Demo support.",
        )
    return item
