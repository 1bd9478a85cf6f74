"""What trial monitoring puts in a person's week (mission.calendars): the planned hearings they are
sent to. Titles and places only, for the phone's calendar; the case number stays in the portal."""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from mission.calendars.registry import CalendarEvent
from rights.selectors import HEARING_HOURS, plan_entries, plans_between


def calendar_events(user, first_day: datetime.date, last_day: datetime.date) -> Iterator[CalendarEvent]:
    plans = list(plans_between(user, first_day, last_day).filter(assignments__monitor=user))
    states = {"missed": _("Missed"), "cancelled": _("Cancelled by the court"), "observed": _("Observed")}
    for entry in plan_entries(plans, own=user):
        planned = entry.planned
        state = getattr(planned, "state", "upcoming")  # annotated by plans_annotated
        start = planned.starts_at()
        yield CalendarEvent(
            uid=f"plan-{planned.pk}@trial-monitoring",
            start=start,
            end=start + datetime.timedelta(hours=HEARING_HOURS),
            title=_("Hearing at %(court)s") % {"court": planned.court.name},
            location=planned.court.name,
            url=reverse("rights:plan_detail", args=[planned.pk]),
            details=(planned.case_number, planned.get_hearing_type_display() or "", planned.get_category_display()),
            warnings=tuple(entry.warnings),
            status="" if state == "upcoming" else state,
            status_label=str(states.get(state, "")),
        )
