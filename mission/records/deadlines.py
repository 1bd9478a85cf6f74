"""Deadlines between two steps of a record's response (`RecordType.deadlines`, `StepDeadline`): how
many of the approved records of a period that reached the starting step (an order requested) reached
an ending one (the order decided) in time, late, or not yet, within the deadline or past it.

Kept in the record summary (`mission.records.summary`) under the dimension `deadline.<started>`, per
month of the record's date and region, one value per record:

- the days from the first starting step to the first ending one, when it ended ("3");
- `open:<date of the first starting step>` when it has not ended, so that whether it is past its
  deadline is decided on the day it is read, not on the day the summary was made;
- none when it never started (not counted).

A dashboard then reads a few hundred summary rows, whatever the number of records."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mission.api.disclosure import hidden_when_small
from mission.dashboards.charts import COUNT, RATE, TEXT, Chart, Column, Figure, rate

if TYPE_CHECKING:
    from mission.records.declaration import RecordPart, RecordType, StepDeadline
    from mission.records.summary import Counts

DEADLINE = "deadline."
OPEN = "open:"


def deadline_dimension(deadline: StepDeadline) -> str:
    return f"{DEADLINE}{deadline.started}"


def check_steps(record_type: RecordType) -> None:
    """A record type's measured steps and deadlines name steps of its response part (at start-up: a
    misspelt step would measure nothing, silently)."""
    from mission.records.summary import response_part

    named = {*record_type.response_measured}
    for deadline in record_type.deadlines:
        named |= {deadline.started, *deadline.ended}
        if deadline.limit < 0:  # and a missing setting fails here, not on the dashboard
            raise ImproperlyConfigured(f"{record_type.model}: the deadline of {deadline.started} is negative.")
    if not named:
        return
    part = response_part(record_type)
    if part is None:
        raise ImproperlyConfigured(f"{record_type.model} measures steps but has no response part.")
    step: Any = part.get_model()._meta.get_field("step")
    unknown = named - {value for value, _label in step.choices or ()}
    if unknown:
        raise ImproperlyConfigured(f"{record_type.model} measures steps its response has not: {sorted(unknown)}.")


# --- Filling ---------------------------------------------------------------------------------------
class _OpenSince(models.Func):
    """`open:<the date>` (text), or NULL when the date is: a record whose clock runs since then."""

    output_field = CharField()
    template = f"('{OPEN}' || %(expressions)s)"


def deadline_values(steps_part: RecordPart, deadlines: tuple[StepDeadline, ...]) -> dict[str, Any]:
    """Per deadline, the alias `v_<started>` → each record's value as the summary keeps it (above),
    from the dates of its first starting and first ending steps (correlated subqueries on the steps'
    foreign key to their record)."""
    from mission.records.summary import DaysBetween

    steps: Any = steps_part.get_model()._default_manager
    link = steps_part.link()

    def first(codes: tuple[str, ...]) -> Subquery:
        found = steps.filter(**{link: OuterRef("pk"), "step__in": codes}).order_by("date").values("date")[:1]
        return Subquery(found, output_field=models.DateField())

    values: dict[str, Any] = {}
    for deadline in deadlines:
        started = first((deadline.started,))
        took = Cast(DaysBetween(first(deadline.ended), started), output_field=CharField())
        values[f"v_{deadline.started}"] = Coalesce(took, _OpenSince(Cast(started, output_field=CharField())))
    return values


# --- Reading ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """Of the records that reached a deadline's starting step: ended in time, late, not yet within the
    deadline, not yet past it."""

    in_time: int = 0
    late: int = 0
    waiting: int = 0
    overdue: int = 0

    @property
    def ended(self) -> int:
        return self.in_time + self.late

    @property
    def started(self) -> int:
        return self.ended + self.waiting + self.overdue


def outcome(histogram: Counter[str | None], days: int, today: datetime.date) -> Outcome:
    """The outcome of a deadline of `days` read on `today`, from the summary's values (above)."""
    since = today - datetime.timedelta(days=days)
    counted: Counter[str] = Counter()
    for value, n in histogram.items():
        if value is None:
            continue
        if value.startswith(OPEN):
            clock = datetime.date.fromisoformat(value[len(OPEN) :])
            counted["waiting" if clock >= since else "overdue"] += n
        else:
            counted["in_time" if int(value) <= days else "late"] += n
    return Outcome(**counted)


def deadline_dashboard(
    record_type: RecordType, counts: Counts, today: datetime.date
) -> tuple[list[Figure], list[Chart]]:
    """The share of each deadline's ended records that ended in time (this period and the one before),
    and a table of every deadline's outcome. Of a record type whose counts are sensitive, a share of
    fewer ended records than the disclosure threshold is not shown (its table's small counts are hidden
    with the rest of its charts)."""
    if not record_type.deadlines:
        return [], []
    figures, rows = [], []
    sensitive = record_type.sensitive_counts
    for deadline in record_type.deadlines:
        days = deadline.limit
        dimension = deadline_dimension(deadline)
        now, before = (outcome(counts.of(record_type, dimension, previous=p), days, today) for p in (False, True))

        def share(found: Outcome) -> float | None:
            if sensitive and hidden_when_small(found.ended) is None:
                return None
            return rate(found.in_time, found.ended)

        label = ngettext(
            "%(label)s: in time (deadline: %(days)d day)", "%(label)s: in time (deadline: %(days)d days)", days
        )
        figures.append(Figure(label % {"label": deadline.label, "days": days}, share(now), share(before), RATE))
        rows.append([str(deadline.label), now.in_time, now.late, now.waiting, now.overdue, now.started])
    model: Any = record_type.get_model()
    chart = Chart(
        f"{record_type.name}-deadlines",
        format_lazy(_("{records}: steps against their deadlines"), records=capfirst(model._meta.verbose_name_plural)),
        [
            Column(_("Step"), TEXT),
            Column(_("In time"), COUNT),
            Column(_("Late"), COUNT),
            Column(_("Not yet, within the deadline"), COUNT),
            Column(_("Not yet, past the deadline"), COUNT),
            Column(_("In all"), COUNT),
        ],
        rows,
        series=(1, 2, 3, 4),
        note=str(
            _(
                "Of the approved records of the period that reached the first step: days from its first "
                "date to the first date of the step that ends it; not yet ended, as of today."
            )
        ),
    )
    return figures, [chart]
