"""A list's rows, rendered once for the same rows: the HTML of a fragment kept by what it shows.

A list's first page is read fresh on every view (`mission.kept_pages`), and most views of it show the
same rows as the view before: the same queue refreshed, the same hearings opened by every monitor of a
team. Rendering those rows (their links, dates, labels, escaping) cost a page more than reading them.
`{% jinja_kept %}` (mission/templatetags/fragments.py) keeps the HTML a fragment made (a list's table, a
record page's body), keyed by everything it was made from: the fragment, the language, the time zone,
the address prefix, and each value given to it, where a row read by a kept statement stands for itself
by its columns as the database returned them (`mark`, by `mission.kept_pages`), and the kept rows
attached to it as its children (`adopt`, by `mission.kept_pages.attach`) by theirs. A row whose data
changed has other columns, so another key: the page shows what was read on this view, always. The
page's form token is put in after (a fragment is given it as `csrf_token`).

A fragment rendered this way reads nothing but its values, its rows' columns (and their related rows
read in the same statement) and their attached children: not rows prefetched otherwise, not a value a
view put on a row after it was read (a row that has either does not stand for itself), not the time of
day, not the user. A value that cannot stand for itself (a form, a function made for the page) renders
the fragment as usual. With the test suite's setting (`MISSION_CHECK_KEPT_STATEMENTS`) a fragment that
reads the database while it is rendered to be kept (a relation left out of a row's statement) fails the
test that renders it. The key is a hash: the rows it is made of, names among them, are not kept.
"""

import contextlib
import datetime
import decimal
import enum
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.functional import Promise

from mission.jinja import Words

# Where a kept statement's instance keeps the columns it was made from (`mission.kept_pages`).
KEPT_ROW = "_kept_row"
KEPT_CHILDREN = "_kept_children"  # cache name → the kept rows attached (`mission.kept_pages.attach`)
# How many attributes the instance held when it was marked (or its children attached): one set since
# (a value a view put on it, a deferred field read) is not in its row, and it no longer stands for itself.
KEPT_SIZE = "_kept_size"
KEPT_FRAGMENTS = 512  # a page of rows is ten to forty kilobytes

_kept: "OrderedDict[int, str]" = OrderedDict()
_lock = threading.Lock()
_PLAIN = (str, int, float, bool, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, type(None))


class _NotKeptError(Exception):
    """A value that does not stand for itself."""


def mark(instance: Model, row: Sequence[Any]) -> None:
    """`instance` was made from `row` (its statement's columns, its related rows' included)."""
    held = instance.__dict__
    values = tuple(row)
    if list in map(type, values):  # an array or a JSON list: as a tuple, to be hashed
        values = tuple(tuple(value) if type(value) is list else value for value in values)
    held[KEPT_ROW] = (type(instance), values)
    held[KEPT_SIZE] = len(held) + (KEPT_SIZE not in held)


def adopt(parent: Model, cache_name: str, children: Sequence[Model]) -> None:
    """`children` were attached to `parent` as its `cache_name` rows (after `attach` put them where the
    relation reads them): they stand for it with its row."""
    held = parent.__dict__
    held.setdefault(KEPT_CHILDREN, {})[cache_name] = children
    if KEPT_ROW in held:
        held[KEPT_SIZE] = len(held)


def _key_of(value: Any) -> Hashable:
    if isinstance(value, _PLAIN):
        return (type(value), value)
    if isinstance(value, Model):
        held = value.__dict__
        kept: Hashable | None = held.get(KEPT_ROW)
        if kept is None or held[KEPT_SIZE] != len(held):
            raise _NotKeptError
        children = held.get(KEPT_CHILDREN)
        prefetched = held.get("_prefetched_objects_cache")
        if prefetched is not None and (children is None or prefetched.keys() != children.keys()):
            raise _NotKeptError  # rows prefetched otherwise than by `attach`
        if children is None:
            return kept
        return (kept, tuple((name, tuple(_key_of(child) for child in rows)) for name, rows in sorted(children.items())))
    if isinstance(value, list | tuple):
        return (type(value), tuple(_key_of(item) for item in value))
    if isinstance(value, dict):  # a mapping of plain keys (a choices' labels by value)
        return (dict, tuple(sorted((name, _key_of(item)) for name, item in value.items())))
    if isinstance(value, Promise):  # a lazy translation: its words in the active language (in the key)
        return (Promise, str(value))
    if isinstance(value, type) and issubclass(value, enum.Enum):  # choices: their labels are code's
        return value
    if isinstance(value, Words):  # words a view writes in Python: the same function says the same
        return (Words, value.say)
    raise _NotKeptError


def fragment_key(fragment: object, values: dict[str, Any]) -> int | None:
    """What `fragment` (a compiled template) with `values` is made from, or None when a value cannot
    stand for itself: a hash of it, so that the rows it is made of (names among them) are not kept."""
    try:
        keys = tuple((item, _key_of(value)) for item, value in sorted(values.items()))
    except (_NotKeptError, TypeError):  # TypeError: a mapping whose keys do not sort
        return None
    key = (
        fragment,  # the compiled template itself: in development, one edited is another
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        get_urlconf(),
        keys,
    )
    # A hash of it, so that the rows it is made of (names among them) are not what is kept: 64 bits
    # (a second hash of the same tuple would be derived from the first and add nothing).
    try:
        return hash(key)
    except TypeError:  # a column of a type without a hash (a JSON document)
        return None


def kept_fragment(fragment: object, values: dict[str, Any], render: Callable[[], str]) -> str:
    """`render()`, kept for `fragment` (a compiled template: one edited while the portal runs in
    development is another; not the templates it includes) and its `values` (see the module's note)."""
    key = fragment_key(fragment, values)
    if key is None:
        return render()
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    html = _render_reading_nothing(render) if getattr(settings, "MISSION_CHECK_KEPT_STATEMENTS", False) else render()
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT_FRAGMENTS:
            _kept.popitem(last=False)
    return html


def _render_reading_nothing(render: Callable[[], str]) -> str:
    """`render()`, failing if it reads the database (the test suite's setting): a fragment that is kept
    reads nothing but its values, so a relation left out of a row's statement is found by the test
    that renders it, instead of being read once and kept."""

    def refuse(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        raise AssertionError(f"a kept fragment read the database: {sql}")

    with contextlib.ExitStack() as stack:
        for connection in connections.all(initialized_only=True):
            stack.enter_context(connection.execute_wrapper(refuse))
        return render()


def forget_all() -> None:
    """Drop every kept fragment (tests; a deployment never needs it: a key names what it was made from)."""
    with _lock:
        _kept.clear()
