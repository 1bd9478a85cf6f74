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
read in the same statement) and their attached children: not rows prefetched otherwise (a row that has
them does not stand for itself), not the time of day, not the user. A value that cannot stand for
itself (a form, a function made for the page) renders the fragment as usual.
"""

import datetime
import decimal
import enum
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db.models import Model
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.functional import Promise

from mission.jinja import Words

# Where a kept statement's instance keeps the columns it was made from (`mission.kept_pages`).
KEPT_ROW = "_kept_row"
KEPT_CHILDREN = "_kept_children"  # cache name → the kept rows attached (`mission.kept_pages.attach`)
KEPT_FRAGMENTS = 512  # a page of rows is ten to forty kilobytes

_kept: "OrderedDict[Hashable, str]" = OrderedDict()
_lock = threading.Lock()
_PLAIN = (str, int, float, bool, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, type(None))


class _NotKeptError(Exception):
    """A value that does not stand for itself."""


def mark(instance: Model, row: Sequence[Any]) -> None:
    """`instance` was made from `row` (its statement's columns, its related rows' included)."""
    values = tuple(row)
    if list in map(type, values):  # an array column: as a tuple, to be hashed
        values = tuple(tuple(value) if type(value) is list else value for value in values)
    instance.__dict__[KEPT_ROW] = (type(instance), values)


def adopt(parent: Model, cache_name: str, children: Sequence[Model]) -> None:
    """`children` were attached to `parent` as its `cache_name` rows: they stand for it with its row."""
    parent.__dict__.setdefault(KEPT_CHILDREN, {})[cache_name] = children


def _key_of(value: Any) -> Hashable:
    if isinstance(value, _PLAIN):
        return (type(value), value)
    if isinstance(value, Model):
        held = value.__dict__
        kept: Hashable | None = held.get(KEPT_ROW)
        if kept is None:
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
    if isinstance(value, Promise):  # a lazy translation: its words in the active language (in the key)
        return (Promise, str(value))
    if isinstance(value, type) and issubclass(value, enum.Enum):  # choices: their labels are code's
        return value
    if isinstance(value, Words):  # words a view writes in Python: the same function says the same
        return (Words, value.say)
    raise _NotKeptError


def fragment_key(fragment: Hashable, values: dict[str, Any]) -> Hashable | None:
    """What `fragment` (a compiled template) with `values` is made from, or None when a value cannot
    stand for itself."""
    try:
        keys = tuple((item, _key_of(value)) for item, value in sorted(values.items()))
    except _NotKeptError:
        return None
    key = (
        fragment,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        get_urlconf(),
        keys,
    )
    try:
        hash(key)
    except TypeError:  # a column of a type without a hash (a JSON document)
        return None
    return key


def kept_fragment(fragment: Hashable, values: dict[str, Any], render: Callable[[], str]) -> str:
    """`render()`, kept for `fragment` (a compiled template: one edited while the portal runs in
    development is another) and its `values` (see the module's note)."""
    key = fragment_key(fragment, values)
    if key is None:
        return render()
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    html = render()
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT_FRAGMENTS:
            _kept.popitem(last=False)
    return html


def forget_all() -> None:
    """Drop every kept fragment (tests; a deployment never needs it: a key names what it was made from)."""
    with _lock:
        _kept.clear()
