"""Statistical disclosure control for the aggregates partners read: the cell-key method that national
statistics offices use for tables built on demand (Australian Bureau of Statistics, TableBuilder;
Office for National Statistics, 2021 census).

Suppressing small cells alone is beaten by differencing: two allowed counts over sets that differ by
one record reveal that record. So every count a partner receives is perturbed first:

- each record carries a fixed random **record key** (`record_key_field()`, an integer drawn once from
  the operating system's random source when the record is made; never sent to anyone);
- a cell's **cell key** is the sum of the keys of the records it counts, modulo `KEY_RANGE`, read as a
  fraction in [0, 1);
- the **perturbation table** (`noise`) gives, for the cell's true value and its cell key, a small
  whole-number noise between −`MAX_NOISE` and +`MAX_NOISE`; it never makes a count negative, its mean
  is 0 for every true value, and a true zero stays zero;
- the same set of records always has the same cell key, so the same cell always gets the same noise:
  repeating a query averages nothing away, and the difference of two overlapping cells carries the
  noise of both, so it never gives a count for certain;
- then a perturbed count below `API_SMALL_CELL_THRESHOLD` is suppressed (null), and so is every rate
  computed from it.

Departments declare what a cell counts: a queryset of the records in scope, the groups, and one
condition per count (`cell_counts`); the kit sums the counts and the keys in the database (one
statement) and `protect` perturbs and suppresses them. Rates come from the perturbed counts
(`coherent_rate`), capped so that a part never exceeds its whole.
"""

import functools
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

KEY_RANGE = 2**32  # record keys are in [0, KEY_RANGE); a million of them sum well inside 64 bits
MAX_NOISE = 2  # the largest change the perturbation makes to a count
NOISE_SD = 1.0  # the spread of the noise before it is bounded (its variance is a little below 1)
PTABLE_ROWS = MAX_NOISE + 1  # true values 1..MAX_NOISE have their own row; larger ones share the last


def new_record_key() -> int:
    """A record key: uniform in [0, KEY_RANGE), from the operating system's random source."""
    return secrets.randbelow(KEY_RANGE)


def record_key_field() -> "models.BigIntegerField[int, int]":
    """The record key of a model whose records feed partner aggregates. Never listed in an API
    endpoint's fields, never editable: a partner who learnt keys could undo the perturbation."""
    return models.BigIntegerField(
        _("record key"),
        default=new_record_key,
        editable=False,
        help_text=_("Random; used to perturb published counts. Never shown to partners."),
    )


def _tilted(support: list[int], tilt: float) -> list[float]:
    weights = [math.exp(-(d * d) / (2 * NOISE_SD**2) + tilt * d) for d in support]
    total = sum(weights)
    return [w / total for w in weights]


@functools.cache
def _row(value: int) -> tuple[tuple[int, float], ...]:
    """The noise distribution for a true value (≥ 1): a discretised normal on −MAX_NOISE..MAX_NOISE,
    cut where the count would go below zero, and tilted so that its mean stays 0 (no bias towards
    larger small counts). Returns (noise, cumulative probability) pairs."""
    support = [d for d in range(-MAX_NOISE, MAX_NOISE + 1) if value + d >= 0]
    low, high = -20.0, 20.0
    for _step in range(200):  # bisection on the tilt: the mean grows with it
        tilt = (low + high) / 2
        mean = sum(d * p for d, p in zip(support, _tilted(support, tilt), strict=True))
        if mean > 0:
            high = tilt
        else:
            low = tilt
    cumulative, rows = 0.0, []
    for d, p in zip(support, _tilted(support, (low + high) / 2), strict=True):
        cumulative += p
        rows.append((d, cumulative))
    rows[-1] = (rows[-1][0], 1.0)
    return tuple(rows)


def noise(value: int, cell_key: float) -> int:
    """The perturbation table: the noise for a cell's true value and its cell key in [0, 1)."""
    if value <= 0:
        return 0
    for d, cumulative in _row(min(value, PTABLE_ROWS)):
        if cell_key < cumulative:
            return d
    return _row(min(value, PTABLE_ROWS))[-1][0]


def possible_values(published: int) -> list[int]:
    """The true values that could have been published as `published` (what an attacker who knows
    the table can work out): every true value within MAX_NOISE whose row can reach it."""
    if published < 0:
        return []
    candidates = range(max(published - MAX_NOISE, 0), published + MAX_NOISE + 1)
    return [t for t in candidates if (t == 0 and published == 0) or (t > 0 and published - t in _noises(t))]


def _noises(value: int) -> set[int]:
    return {d for d, _cumulative in _row(min(value, PTABLE_ROWS))}


@dataclass(frozen=True)
class Counted:
    """A cell before protection: its true count and the sum of its records' keys."""

    value: int
    key_sum: int

    @property
    def cell_key(self) -> float:
        return (self.key_sum % KEY_RANGE) / KEY_RANGE

    def perturbed(self) -> int:
        return self.value + noise(self.value, self.cell_key)


def cell_counts(
    queryset: QuerySet[Any, Any],
    *,
    groups: Mapping[str, Combinable],
    counts: Mapping[str, Q],
    record: str = "",
    distinct: bool = False,
    measures: Mapping[str, Combinable] | None = None,
    totals: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Count records per group in one statement, each count with the sum of its records' keys.

    `queryset` holds the records in scope (filtered, scoped); `groups` maps a name to the expression
    grouped on (none: one row for everything); `counts` maps a count's name to the condition a record
    meets to be counted. `record` is the lookup prefix of the counted record when it is reached
    through a relation (e.g. "case__parties__" to count people from hearings); with `distinct`, each
    (record, group) is counted once however many joined rows repeat it. `measures` maps a name to a
    whole-number value of the counted record (a trainee's knowledge gain) whose sum and number of values
    each group also gets, for its mean (`protected_mean`). `totals` maps a name to an aggregate over the
    rows joined to a counted record (the persons of a return movement's groups of returnees): counted per
    record and group first, so each record counts once in a group, and each group gets the totals'
    sums (a group that is a field of the joined rows sums only those rows).

    Returns one dict per group: the group values under their names, a `Counted` per count, per
    measure (its sum, how many values), and per total its sum.
    """
    pk, key = F(f"{record}pk" if record else "pk"), F(f"{record}record_key" if record else "record_key")
    columns: dict[str, Combinable] = {f"g_{name}": expression for name, expression in groups.items()}
    if distinct:
        columns["r_id"] = pk
    columns["r_key"] = key
    for name, condition in counts.items():
        columns[f"c_{name}"] = (
            Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
            if condition
            else Value(1, output_field=IntegerField())  # an empty condition: every record counts
        )
    measures = measures or {}
    for name, expression in measures.items():
        columns[f"m_{name}"] = expression
    totals = totals or {}
    if totals:  # one row per record and group, with its totals over its joined rows
        columns["r_id"] = pk
        inner = queryset.order_by().values(**columns).annotate(**{f"t_{name}": e for name, e in totals.items()})
    else:
        inner = queryset.order_by().values(**columns)
    if distinct and not totals:
        inner = inner.distinct()
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a scope that sees nothing
        sql = None
    connection = connections[queryset.db]
    qn = connection.ops.quote_name
    keys = [f"sub.{qn(f'g_{name}')}" for name in groups]
    sums = []
    for name in counts:
        flag = f"sub.{qn(f'c_{name}')}"
        sums += [f"COALESCE(SUM({flag}), 0)", f"COALESCE(SUM({flag} * sub.{qn('r_key')}), 0)"]
    for name in measures:
        value = f"sub.{qn(f'm_{name}')}"
        sums += [f"COALESCE(SUM({value}), 0)", f"COUNT({value})"]
    sums += [f"COALESCE(SUM(sub.{qn(f't_{name}')}), 0)" for name in totals]
    rows: list[tuple[Any, ...]] = []
    if sql is not None:
        # Identifiers are quoted, the inner SELECT is the ORM's, and its values stay parameters.
        statement = f"SELECT {', '.join(keys + sums)} FROM ({sql}) sub"  # noqa: S608
        if keys:
            statement += f" GROUP BY {', '.join(keys)}"
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
    if not groups and not rows:
        rows = [tuple(0 for _ in sums)]
    result = []
    for row in rows:
        values = dict(zip(groups, row[: len(keys)], strict=True))
        numbers = row[len(keys) :]
        for n, name in enumerate([*counts, *measures]):
            first, second = int(numbers[2 * n]), int(numbers[2 * n + 1])
            values[name] = Counted(first, second) if name in counts else (first, second)
        paired = 2 * (len(counts) + len(measures))
        for n, name in enumerate(totals):
            values[name] = int(numbers[paired + n])
        result.append(values)
    return result


_N = TypeVar("_N", int, float)


def hidden_when_small(value: _N | None) -> _N | None:
    """A count of something so sensitive that no reader, staff included, is told a small one (cases of
    gender-based violence): None when it is above 0 and under API_SMALL_CELL_THRESHOLD."""
    if value is not None and 0 < value < settings.API_SMALL_CELL_THRESHOLD:
        return None
    return value


def protect(cell: Counted, *, perturb: bool, suppress: bool = False) -> int | None:
    """What a reader receives for a cell: for partners (`perturb`) the perturbed count, or None when
    that is below API_SMALL_CELL_THRESHOLD; for staff reading within their own rights, the count, or,
    where every small count is hidden (`suppress`), None for one under the threshold."""
    if not perturb:
        return None if suppress and hidden_when_small(cell.value) is None else cell.value
    value = cell.perturbed()
    return value if value >= settings.API_SMALL_CELL_THRESHOLD else None


def protected_mean(total: int, n: int, *, perturb: bool, suppress: bool = False) -> float | None:
    """A mean of `n` values summing to `total`, to one decimal: None without values, and for partners
    (`perturb`), or for everyone where small counts are hidden (`suppress`), when fewer than
    API_SMALL_CELL_THRESHOLD people give it."""
    if not n or ((perturb or suppress) and n < settings.API_SMALL_CELL_THRESHOLD):
        return None
    return round(total / n, 1)


def coherent_rate(part: int | None, whole: int | None) -> float | None:
    """A rate from published counts: None when either is suppressed or the whole is 0; a perturbed
    part larger than its whole reads as 100 %, never more."""
    if part is None or not whole:
        return None
    return round(min(part, whole) / whole, 4)


def method(*, perturb: bool, suppress: bool = False) -> dict[str, Any]:
    """What an aggregate response says about its disclosure control, so a reader can weigh it."""
    if not perturb and suppress:
        return {
            "disclosure_control": "suppression",
            "threshold": settings.API_SMALL_CELL_THRESHOLD,
            "max_perturbation": 0,
        }
    if not perturb:
        return {"disclosure_control": "none", "threshold": None, "max_perturbation": 0}
    return {
        "disclosure_control": "cell_key",
        "threshold": settings.API_SMALL_CELL_THRESHOLD,
        "max_perturbation": MAX_NOISE,
    }
