"""The columns of a table, each declared once for every file that writes it (a page's CSV, a report's
XLSX, CSV or COPY): its header, its kind, its width in a workbook, and its cell, which says what the
column reads and how that becomes the cell, in Python (typed values, for XLSX and the portable CSV)
and in SQL (text, for COPY on PostgreSQL). Both forms give the same text in a CSV file.

The kinds: "text" is what someone typed or may edit (case numbers, names, reference names, free text),
the only kind neutralised for spreadsheets (`mission.exports.formulas`); "label" is words the portal
writes itself (choices, pseudonyms), which never start like a formula; "int", "date" and "bool" are
typed in a workbook, and a boolean is "yes" or "no" in a CSV file."""

import functools
import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, cast

from django.db import models
from django.db.models import Case, CharField, F, TextField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mission.common import language_suffix
from mission.exports.filling import Filling
from mission.exports.streaming import Row
from mission.sensitivity import declaration, letters

Kind = Literal["text", "label", "int", "date", "bool"]
Reader = Callable[[Sequence[Row]], list[object]]  # rows of the table's `values_list` → the column's cells
SqlForm = str | Combinable  # a lookup or an expression, as `values_list` takes them
Choices = Iterable[tuple[object, str | Promise]]


@dataclass(frozen=True)
class Source:
    """What a table's rows are read from: a queryset, and whether whoever gets the file may read
    restricted values (names); cells that hold such values write pseudonyms otherwise."""

    queryset: models.QuerySet[models.Model]
    restricted: bool = False


class Cell(ABC):
    """What a column reads (lookups of the queryset's `values_list`) and how that becomes its cell."""

    kind: Kind = "text"
    # Free text over several lines: a page's CSV puts each record on one line (a report keeps the lines).
    multiline: bool = False

    @abstractmethod
    def lookups(self) -> tuple[str, ...]:
        """The `values_list` lookups the cell reads, in the active language."""

    @abstractmethod
    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        """The Python form, made once per file: a batch of rows → the column's typed cells, from the
        values at `positions` of each row. Column by column, so that a row costs few Python calls."""

    @abstractmethod
    def sql(self, source: Source) -> SqlForm | Filling:
        """The SQL form: what the database writes for COPY, as text that Python's csv writer would
        write for the Python form; or, for a cell the database cannot write (a name encrypted at
        rest), a `Filling` whose placeholder Python fills as COPY's output streams."""


def _values(positions: tuple[int, ...]) -> Reader:
    """The value at the one position, as it is."""
    (at,) = positions
    value = operator.itemgetter(at)
    return lambda rows: list(map(value, rows))


@dataclass(frozen=True)
class Field(Cell):
    """A value as it is stored. `localised`: a reference name, read in the active language
    (`name` → `name_sq`)."""

    lookup: str
    kind: Kind = "text"
    localised: bool = False

    def lookups(self) -> tuple[str, ...]:
        return (f"{self.lookup}_{language_suffix()}" if self.localised else self.lookup,)

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        return _values(positions)

    def sql(self, source: Source) -> SqlForm:
        return self.lookups()[0]


@dataclass(frozen=True)
class FreeText(Cell):
    """What someone typed; nothing typed is an empty cell (NULL). `multiline`: see `Cell`."""

    lookup: str
    multiline: bool = False

    def lookups(self) -> tuple[str, ...]:
        return (self.lookup,)

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        (at,) = positions
        return lambda rows: [row[at] or None for row in rows]

    def sql(self, source: Source) -> SqlForm:
        return NullIf(F(self.lookup), Value(""), output_field=TextField())


class Choice(Cell):
    """The label of a choice in the active language; a blank or unknown value is an empty cell."""

    kind: Kind = "label"

    def __init__(self, lookup: str, choices: Choices) -> None:
        self.lookup = lookup
        self.choices = tuple((value, label) for value, label in choices if value)

    def lookups(self) -> tuple[str, ...]:
        return (self.lookup,)

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        (at,) = positions
        labels = {value: str(label) for value, label in self.choices}
        value = operator.itemgetter(at)
        return lambda rows: list(map(labels.get, map(value, rows)))

    def sql(self, source: Source) -> SqlForm:
        return Case(
            *[When(**{self.lookup: value}, then=Value(str(label))) for value, label in self.choices],
            default=None,  # NULL: COPY writes nothing, as Python's csv writes None
            output_field=CharField(),
        )


@dataclass(frozen=True)
class YesNo(Cell):
    """A boolean: typed in a workbook, "yes" or "no" in a CSV file, empty when not known."""

    lookup: str
    kind: Kind = "bool"

    def lookups(self) -> tuple[str, ...]:
        return (self.lookup,)

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        return _values(positions)

    def sql(self, source: Source) -> SqlForm:
        return Case(
            When(**{self.lookup: True}, then=Value(str(YES))),
            When(**{self.lookup: False}, then=Value(str(NO))),
            default=None,
            output_field=CharField(),
        )


YES, NO = _("yes"), _("no")


@dataclass(frozen=True)
class DisplayName(Cell):
    """A user's name as the portal shows it: first and last name, or the username when both are blank.
    `user` is the lookup of the user ("monitor")."""

    user: str

    def lookups(self) -> tuple[str, ...]:
        return (f"{self.user}__first_name", f"{self.user}__last_name", f"{self.user}__username")

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        first, last, username = positions
        return lambda rows: [f"{row[first]} {row[last]}".strip() or row[username] for row in rows]

    def sql(self, source: Source) -> SqlForm:
        first, last, username = self.lookups()
        name = Trim(Concat(F(first), Value(" "), F(last)))
        return Coalesce(NullIf(name, Value("")), F(username))


class PseudonymOf(Cell):
    """The pseudonym that stands in for a person's name ("Accused B"), as the model declares it
    (`mission.sensitivity`); `prefix` is the path to the model ("parties__"), if not the queried one."""

    kind: Kind = "label"

    def __init__(self, model: type[models.Model], prefix: str = "") -> None:
        pseudonym = declaration(model).pseudonym
        if pseudonym is None:
            raise TypeError(f"{model.__name__} declares no pseudonym.")
        role = model._meta.get_field(pseudonym.role)
        if not isinstance(role, models.Field):
            raise TypeError(f"{model.__name__}.{pseudonym.role} is no field with choices.")
        self.model, self.prefix, self.pseudonym = model, prefix, pseudonym
        self.roles: Choices = role.flatchoices

    def lookups(self) -> tuple[str, ...]:
        return (f"{self.prefix}{self.pseudonym.role}", f"{self.prefix}{self.pseudonym.ordinal}")

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        role, ordinal = positions
        labels = {value: str(label) for value, label in self.roles}
        return lambda rows: [f"{labels.get(row[role], '')} {_letters(cast(int, row[ordinal]))}" for row in rows]

    def sql(self, source: Source) -> SqlForm:
        return self.pseudonym.sql(self.model, self.prefix)


_letters = functools.lru_cache(maxsize=4096)(letters)


@dataclass(frozen=True)
class Merged(Cell):
    """Text from a second stream of (key, text) pairs in ascending key order, merged into the table's
    rows by `key`, a lookup of each row (the accused of a hearing's case, by "case_id"): the table's
    queryset must be ordered by `key` too. One more query for the whole file, however long.

    `database` gives the SQL form when the database can write the text (pseudonyms), or None when it
    cannot (names, encrypted at rest): then COPY writes a placeholder, filled from `pairs`."""

    key: str
    pairs: Callable[[Source], Iterable[tuple[int, str]]]
    database: Callable[[Source], Combinable | None]
    kind: Kind = "label"

    def lookups(self) -> tuple[str, ...]:
        return (self.key,)

    def reader(self, positions: tuple[int, ...], source: Source) -> Reader:
        (at,) = positions
        pairs: Iterator[tuple[int, str]] = iter(self.pairs(source))
        current = next(pairs, None)

        def read(rows: Sequence[Row]) -> list[object]:
            nonlocal current
            cells: list[object] = []
            for row in rows:
                key = cast(int, row[at])
                while current is not None and current[0] < key:
                    current = next(pairs, None)
                cells.append(current[1] if current is not None and current[0] == key else None)
            return cells

        return read

    def sql(self, source: Source) -> SqlForm | Filling:
        form = self.database(source)
        if form is not None:
            return form
        return Filling(self.key, lambda: self.pairs(source))


@dataclass(frozen=True)
class Column:
    """One column of a table: `key` names it for `TableSpec.without`."""

    key: str
    header: str | Promise
    cell: Cell
    width: int = 14  # in a workbook, in characters

    @property
    def kind(self) -> Kind:
        return self.cell.kind
