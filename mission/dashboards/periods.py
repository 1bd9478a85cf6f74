"""Dashboard periods: whole calendar months, from a first to a last month, both included."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MAX_MONTHS = 120  # ten years: longer spans are a report, not a dashboard
# The months a period may start and end in. Wide enough for any record of a mission, and far enough
# from years 1 and 9999 that a period's end and its previous period stay in Python's calendar.
EARLIEST_MONTH = datetime.date(1900, 1, 1)
LATEST_MONTH = datetime.date(2999, 12, 1)


def month_in_range(month: datetime.date) -> bool:
    return EARLIEST_MONTH <= month <= LATEST_MONTH


def month_range_message() -> str:
    return _("Enter a month from %(first)s to %(last)s.") % {
        "first": f"{EARLIEST_MONTH:%Y-%m}",
        "last": f"{LATEST_MONTH:%Y-%m}",
    }


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> int:
    """How many months from `first` to `last`, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Period:
    first: datetime.date  # the first day of the first month
    last: datetime.date  # the first day of the last month

    @property
    def length(self) -> int:
        return months_between(self.first, self.last)

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return add_months(self.last, 1) - datetime.timedelta(days=1)

    def months(self) -> list[datetime.date]:
        return [add_months(self.first, i) for i in range(self.length)]

    def previous(self) -> "Period":
        """The period of the same length just before this one, for showing change."""
        return Period(add_months(self.first, -self.length), add_months(self.first, -1))

    def label(self) -> str:
        first = date_format(self.first, "YEAR_MONTH_FORMAT")
        if self.first == self.last:
            return first
        return f"{first} – {date_format(self.last, 'YEAR_MONTH_FORMAT')}"

    def query(self) -> dict[str, str]:
        return {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}


def this_month() -> datetime.date:
    return month_start(timezone.localdate())


def last_months(count: int, *, until: datetime.date | None = None) -> Period:
    last = until or this_month()
    return Period(add_months(last, -(count - 1)), last)


def presets() -> list[tuple[str, Period]]:
    """The periods offered as one-click links above every dashboard."""
    now = this_month()
    return [
        (str(_("This month")), Period(now, now)),
        (str(_("Last 3 months")), last_months(3)),
        (str(_("Last 12 months")), last_months(12)),
        (str(_("This year")), Period(datetime.date(now.year, 1, 1), now)),
        (str(_("Last year")), Period(datetime.date(now.year - 1, 1, 1), datetime.date(now.year - 1, 12, 1))),
    ]


def current_preset(period: Period) -> str | None:
    """The label of the first preset that is `period`: in December the last 12 months are also this
    year, and one highlighted link says which period is shown, two make the reader wonder."""
    return next((label for label, preset in presets() if preset == period), None)


DEFAULT_MONTHS = 12
