"""What puts something in a person's week: each department declares functions
`(user, first_day, last_day) -> Iterable[CalendarEvent]` (`DepartmentConfig.calendar_events`), read by
"My week" and by the iCalendar feed alike."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class CalendarEvent:
    """Something the person is expected at. `title` and `location` leave the portal through the feed
    (into the phone's calendar and its provider): never a name, never a restricted value."""

    uid: str  # stable across reads, unique across the portal ("hearing-plan-12@rights")
    start: datetime.datetime  # aware
    end: datetime.datetime
    title: str
    location: str = ""
    url: str = ""  # a path of the portal
    details: tuple[str, ...] = ()  # shown on the page only, not in the feed
    warnings: tuple[str, ...] = field(default=())  # a conflict, a missing language: page and feed
    status: str = ""  # "missed", "cancelled", …: the page says it; the feed marks cancelled ones
    status_label: str = ""


_sources: list[str] = []


def register(path: str) -> None:
    if path not in _sources:
        _sources.append(path)


def events_for(user: Any, first_day: datetime.date, last_day: datetime.date) -> list[CalendarEvent]:
    """Every department's events for the person between the two days (inclusive), in time order."""
    found: list[CalendarEvent] = []
    for path in _sources:
        source: Callable[[Any, datetime.date, datetime.date], Iterable[CalendarEvent]] = import_string(path)
        found.extend(source(user, first_day, last_day))
    return sorted(found, key=lambda event: (event.start, event.title))
