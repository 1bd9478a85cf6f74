"""Plausibility rules shared by every model: what a date of something observed or planned may be.

Models call these from `clean()`, which the services run through `full_clean()`, so forms, imports and
the API all get the same rule and the same message.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

# The mission's records start with its mandate (June 1999); nothing it monitors happened earlier.
EARLIEST_RECORD_DATE = datetime.date(1999, 6, 10)
# How far ahead a court schedules: a hearing or a next hearing beyond this is a typing error.
SCHEDULING_HORIZON = datetime.timedelta(days=2 * 366)


def past_date_error(value: datetime.date | None) -> str | None:
    """For something that has already happened (an appointment, a decision): not in the future, not
    before the mission's records start."""
    if value is None:
        return None
    today = timezone.localdate()
    if value > today:
        return _("This date is in the future; enter the date it happened.")
    return _earliest_error(value)


def scheduled_date_error(value: datetime.date | None) -> str | None:
    """For something that happened or is planned (a hearing): not before the mission's records start,
    and not more than the scheduling horizon ahead."""
    if value is None:
        return None
    latest = timezone.localdate() + SCHEDULING_HORIZON
    if value > latest:
        return _("This date is more than two years ahead (latest %(latest)s); check the year.") % {
            "latest": formats.date_format(latest, "SHORT_DATE_FORMAT")
        }
    return _earliest_error(value)


def _earliest_error(value: datetime.date) -> str | None:
    if value < EARLIEST_RECORD_DATE:
        return _("This date is before %(earliest)s, when the mission's records start; check the year.") % {
            "earliest": formats.date_format(EARLIEST_RECORD_DATE, "SHORT_DATE_FORMAT")
        }
    return None
