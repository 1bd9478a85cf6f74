"""Option lists of reference data (regions, municipalities, courts, …), built once per language and
reused by every form that offers them.

A filter form offers a hundred or more options from reference tables that change only when reference
data is loaded or an administrator edits it. Building them on every page cost three queries, a model
instance per option and its translated label: about half of a list page's time. Here the (value, label)
pairs of a queryset are kept per process, keyed by the queryset's SQL and the language, and validated
by a version token in the shared cache that every change of a cached model replaces (on save, on delete,
and again on commit so that no process keeps what it read before the commit). A reference load replaces
it too (`reference_changed`). Without a shared cache (the embedded default runs one process) the token
lives in the process; lists are also rebuilt after `MAX_AGE_SECONDS` whatever the token says, which
bounds how long a multi-process deployment without Redis could show an old list. A request reads the
token once, however many lists and kept texts it uses (`_Request`).

Only the options are cached: a submitted value is still checked against the database by the field.

The values of reference rows that the API's lists write on every row (a hearing's court, municipality
and region codes) are kept the same way (`reference_split`, `reference_values`): a list reads the keys
from its own rows and looks the codes up here instead of joining three more tables per request.

What reference data alone decides besides (a list's filter form, rendered: `kept_while_reference_unchanged`)
is kept the same way, per version and language, in a bounded store of this process.
"""

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeGuard, TypeVar

from django import forms
from django.core import signals
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.choices import BaseChoiceIterator

from mission.common import LocalizedNameModel
from mission.replicas import primary_reads

VERSION_KEY = "mission:reference-choices-version"
MAX_AGE_SECONDS = 5 * 60

Option = tuple[str, str]

_lock = threading.Lock()
_lists: dict[tuple[str, str, str], tuple[str, float, list[Option]]] = {}
_watched: set[type[models.Model]] = set()
_values: dict[tuple[str, str], tuple[str, float, dict[Any, Any]]] = {}
_kept: "OrderedDict[tuple[Hashable, ...], tuple[float, Any]]" = OrderedDict()
KEPT_MAX = 256  # texts kept per process: a filter form is a few kilobytes
_T = TypeVar("_T")


class _Request(threading.local):
    """The token as this thread's request read it: a page asks for it with every list, form and kept
    statement it uses (six times for the case page), each a round trip to Redis; the request reads it
    once (`request_started` and `request_finished` start and end it). Outside a request (a worker's
    task, a command) it is read every time; a task run in the request's thread (the embedded default
    runs them in-process) is part of that request."""

    active = False
    token: str | None = None


_request = _Request()


def _start_request(**_: Any) -> None:
    _request.active, _request.token = True, None


def _end_request(**_: Any) -> None:
    _request.active, _request.token = False, None


signals.request_started.connect(_start_request, dispatch_uid="mission.choices.start_request")
signals.request_finished.connect(_end_request, dispatch_uid="mission.choices.end_request")


def _version() -> str:
    """The shared token; a fresh one when the cache has none (first use, or a cache that lost it), so
    that a list built under an older token is never taken for current. Read once per request."""
    if _request.token is not None:
        return _request.token
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY) or ""
    if _request.active:
        _request.token = str(token)
    return str(token)


def reference_version() -> str:
    """The reference data's version: it changes whenever a row of a cached reference list does."""
    return _version()


def reference_changed(**_: Any) -> None:
    """Reference data changed: every process builds its option lists again on next use. Connected to
    the save and delete signals of every model whose options are cached; the reference loader calls it."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _request.token = None  # this request reads the new one
    forget_reference_choices()


def reference_changed_now_and_on_commit(**kwargs: Any) -> None:
    """`reference_changed`, now and again when the transaction commits."""
    reference_changed(**kwargs)
    # Another process may build its list between this save and the commit, from what it could see
    # then: a second token on commit makes it build again.
    transaction.on_commit(reference_changed)


def reference_rows_written() -> None:
    """Rows of a reference table were written without their signals (an import's bulk write)."""
    reference_changed_now_and_on_commit()


def forget_reference_choices() -> None:
    """Drop this process's lists and kept texts (tests do, between tests that roll reference rows back)."""
    with _lock:
        _lists.clear()
        _values.clear()
        _kept.clear()


def reference_split(model: type[models.Model], lookup: str) -> tuple[str, type[models.Model], str] | None:
    """For a lookup that reaches a reference table (a `LocalizedNameModel`) through a foreign key, the
    lookup of that key ("case__municipality_id"), the reference model, and the rest of the lookup from
    it ("region__code"); None for a lookup that reaches none."""
    parts = lookup.split("__")
    current = model
    for index, part in enumerate(parts[:-1]):
        field = current._meta.get_field(part)
        related = field.related_model if (field.many_to_one or field.one_to_one) and field.concrete else None
        if not isinstance(related, type):
            return None
        if issubclass(related, LocalizedNameModel):
            attname = getattr(field, "attname", part)
            return "__".join([*parts[:index], attname]), related, "__".join(parts[index + 1 :])
        current = related
    return None


def _models_on(model: type[models.Model], lookup: str) -> Iterator[type[models.Model]]:
    yield model
    for part in lookup.split("__")[:-1]:
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
        yield model


def reference_values(model: type[models.Model], lookup: str, *, rebuild: bool = False) -> dict[Any, Any]:
    """Primary key → the value of `lookup` for every row of the reference table `model`, kept per
    process while the reference data's version stands (and at most MAX_AGE_SECONDS)."""
    for watched in _models_on(model, lookup):
        _watch(watched)
    key = (model._meta.label, lookup)
    version = _version()
    now = time.monotonic()
    kept = _values.get(key)
    if not rebuild and kept is not None and kept[0] == version and now - kept[1] < MAX_AGE_SECONDS:
        return kept[2]
    with primary_reads():  # kept under the version read now: never a replica's older rows
        values = dict(model._default_manager.order_by().values_list("pk", lookup))
    with _lock:
        _values[key] = (version, now, values)
    return values


def kept_while_reference_unchanged(parts: tuple[Hashable, ...], build: Callable[[], _T]) -> _T:
    """`build()`'s text (or what it makes: never changed by whoever reads it), kept in this process for
    these `parts` (everything else it depends on) in the active language until reference data changes,
    at most MAX_AGE_SECONDS; the least recently used go first beyond KEPT_MAX."""
    key = (_version(), translation.get_language() or "", parts)
    now = time.monotonic()
    with _lock:
        kept = _kept.get(key)
        if kept is not None and now - kept[0] < MAX_AGE_SECONDS:
            _kept.move_to_end(key)
            found: _T = kept[1]
            return found
    with primary_reads():  # kept under the version read now: never a replica's older rows
        text = build()
    with _lock:
        _kept[key] = (now, text)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_MAX:
            _kept.popitem(last=False)
    return text


def reference_watch(model: type[models.Model]) -> None:
    """Replace the version token whenever a row of `model` changes, so what was kept from it is not
    read again (`kept_while_reference_unchanged`)."""
    _watch(model)


def _watch(model: type[models.Model]) -> None:
    if model in _watched:
        return
    with _lock:
        uid = f"reference-choices:{model._meta.label}"
        post_save.connect(reference_changed_now_and_on_commit, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(reference_changed_now_and_on_commit, sender=model, weak=False, dispatch_uid=uid)
        _watched.add(model)


def is_reference_field(field: forms.Field) -> TypeGuard[forms.ModelChoiceField]:  # type: ignore[type-arg]
    """A single choice of rows of a reference table: the tables with names in the three languages
    (`LocalizedNameModel`), which only a reference load or an administrator changes."""
    return (
        isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, forms.ModelMultipleChoiceField)
        and field.queryset is not None
        and issubclass(field.queryset.model, LocalizedNameModel)
    )


def _queryset(field: forms.ModelChoiceField) -> models.QuerySet[Any, Any]:  # type: ignore[type-arg]
    if field.queryset is None:
        raise ValueError("a model choice field without a queryset has no options")
    return field.queryset


def _build(field: forms.ModelChoiceField) -> list[Option]:  # type: ignore[type-arg]
    return [(str(field.prepare_value(obj)), str(field.label_from_instance(obj))) for obj in _queryset(field)]


def reference_options(field: forms.ModelChoiceField) -> list[Option]:  # type: ignore[type-arg]
    """The field's options (without its empty choice) as (value, label) strings, from this process's
    lists while they are current."""
    queryset = _queryset(field)
    _watch(queryset.model)
    sql, params = queryset.query.sql_with_params()
    key = (f"{sql}|{params!r}|{field.to_field_name or ''}", translation.get_language() or "", type(field).__qualname__)
    version = _version()
    now = time.monotonic()
    kept = _lists.get(key)
    if kept is not None and kept[0] == version and now - kept[1] < MAX_AGE_SECONDS:
        return kept[2]
    with primary_reads():  # kept under the version read now: never a replica's older rows
        options = _build(field)
    with _lock:
        _lists[key] = (version, now, options)
    return options


class ReferenceChoices(BaseChoiceIterator):
    """What a select iterates over for a model choice field: its empty choice, then the kept options."""

    def __init__(self, field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
        self.field = field

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from reference_options(self.field)

    def __len__(self) -> int:
        return len(reference_options(self.field)) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(reference_options(self.field))
