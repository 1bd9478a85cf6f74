"""The portal's base for list filters (django-filter): the filters copied per request in microseconds.

django-filter deep-copies a filter set's declared filters for every request (`copy.deepcopy(
self.base_filters)`), which copies each choice filter's queryset and the form field it may have made:
about 500 objects copied for the hearings list, a third of a millisecond on every view of a list. A
filter's own state is its options (`extra`), its form field made from them, and its method bound to the
filter set that holds it; each copy here gets its own options dict, makes its field again, and binds
its method to its new filter set, and shares the rest (field names, lookups, querysets, choices), which
no request changes. Every list and API filter set of the portal derives from `FilterSet`.
"""

import copy
from typing import Any

import django_filters
from django_filters.filters import Filter, FilterMethod
from django_filters.filterset import FilterSetMetaclass


def copied(filter_: Filter) -> Filter:
    """A filter for one filter set: its options its own, no form field yet, its method unbound."""
    made = copy.copy(filter_)
    made.extra = dict(filter_.extra)
    made.__dict__.pop("_field", None)
    if isinstance(made.__dict__.get("filter"), FilterMethod):
        made.method = filter_.method  # a FilterMethod of the copy (the setter drops the original's)
    return made


class _Filters(dict[str, Filter]):
    """A class's filters, which `copy.deepcopy` (django-filter's `__init__`) copies as `copied` does."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Filter]:
        return {name: copied(filter_) for name, filter_ in self.items()}


class _Metaclass(FilterSetMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        made = super().__new__(mcs, name, bases, attrs)
        made.base_filters = _Filters(made.base_filters)  # type: ignore[attr-defined]
        return made


class FilterSet(django_filters.FilterSet, metaclass=_Metaclass):
    """django-filter's `FilterSet`, its filters copied per request as `copied` says."""
