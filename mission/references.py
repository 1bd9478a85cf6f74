"""Links between records of different apps by what both write down, without either importing the
other: a case of gender-based violence notes the court's case number, and trial monitoring, which
follows that case in court, says which of its cases has it.

An app that can find its records by such a value declares it (`DepartmentConfig.references`):

    references = (Reference("court_case", "rights.references.cases_by_number"),)

where the function takes the reader and the value and returns the `Link`s to the records of that
value the reader may open (its scoped queryset: nothing of another region, nothing of a department the
reader does not read). A record type names its fields that hold such a value
(`RecordType.references`, field → kind) and its page shows each field's links beside the value. A
value no app knows shows no link; nothing says whether a record the reader may not open exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string
from django_stubs_ext import StrOrPromise

MAX_LINKS = 5  # a number written twice is a typing slip: a handful of links, never a list


@dataclass(frozen=True)
class Link:
    label: str  # the record, as its app names it ("PKR 12/2026 (BPR)")
    url: str
    where: StrOrPromise  # the app's name ("Trial monitoring")


@dataclass(frozen=True)
class Reference:
    kind: str  # what the value is ("court_case": a court's case number)
    resolve: str  # dotted path of (user, value) -> list[Link]


_resolvers: dict[str, list[str]] = {}


def register(reference: Reference) -> None:
    found = _resolvers.setdefault(reference.kind, [])
    if reference.resolve not in found:
        found.append(reference.resolve)


def kinds() -> frozenset[str]:
    return frozenset(_resolvers)


def links(kind: str, user: Any, value: object) -> list[Link]:
    """The records of `value` the user may open, from every app that resolves `kind`."""
    text = str(value or "").strip()
    if not text:
        return []
    found: list[Link] = []
    for path in _resolvers.get(kind, []):
        resolve: Callable[[Any, str], list[Link]] = import_string(path)
        found += resolve(user, text)
    return found[:MAX_LINKS]
