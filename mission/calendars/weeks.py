"""A week as pages show it (My week, a department's plan): which one the address asks for, its days,
and the links to the weeks around it (`templates/includes/week_nav.html`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _


def week_start(value: str | None) -> datetime.date:
    """The Monday of the week of `value` (YYYY-MM-DD), or of today; BadRequest for anything else."""
    if not value:
        day = timezone.localdate()
    else:
        try:
            found: datetime.date | None = datetime.date.fromisoformat(value)
        except ValueError:
            found = None
        if found is None or not datetime.date(2000, 1, 1) <= found <= datetime.date(2100, 12, 31):
            raise BadRequest(_("“%(week)s” is not a date of a week: give one as YYYY-MM-DD.") % {"week": value[:40]})
        day = found
    return day - datetime.timedelta(days=day.weekday())


def week_of(request: HttpRequest) -> dict[str, Any]:
    """The week `?week=` names: `monday`, `sunday`, `days` (its seven dates), `today`, the `previous`
    and `next` weeks' Mondays, and `query`, the rest of the address (filters) for the links to them."""
    monday = week_start(request.GET.get("week"))
    query = request.GET.copy()
    query.pop("week", None)
    return {
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "days": [monday + datetime.timedelta(days=n) for n in range(7)],
        "today": timezone.localdate(),
        "previous": (monday - datetime.timedelta(days=7)).isoformat(),
        "next": (monday + datetime.timedelta(days=7)).isoformat(),
        "query": query.urlencode(),
    }
