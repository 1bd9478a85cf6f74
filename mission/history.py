"""What changed between two history records (django-simple-history), as people read it.

One helper for every page that shows a change: a record's history, the edit-conflict page. Stored codes
become their choice labels in the interface language, user IDs become names, dates follow the locale.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# (field label, value before, value after), each ready to show.
Change = tuple[str, str, str]
# Related rows by model and primary key, fetched once for every change shown on a page.
RelatedRows = dict[type[models.Model], dict[object, models.Model]]

EMPTY = "—"


def model_field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """The field `name` of `model`: a column or a foreign key, never the reverse side of a relation."""
    # Here rather than in mission.common (models) so that this module imports before the apps load.
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is the reverse side of a relation, not a field")
    return field


def object_label(obj: models.Model) -> str:
    """A person by their name (the username when they have none), anything else by `str()`."""
    if hasattr(obj, "get_full_name") and hasattr(obj, "get_username"):
        name: str = obj.get_full_name() or obj.get_username()
        return name
    return str(obj)


def display_value(field: "models.Field[Any, Any]", value: object, related: RelatedRows | None = None) -> str:
    """One stored value of `field` as the interface shows it. `related` holds the rows a foreign key
    may point to (see `fetch_related`); without it a foreign key costs a query."""
    if value in (None, ""):
        return EMPTY
    if field.is_relation and field.related_model is not None:
        model = field.related_model
        rows = related.get(model, {}) if related is not None else None
        obj = rows.get(value) if rows is not None else model._default_manager.filter(pk=value).first()
        return object_label(obj) if obj is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT"
        )
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def fetch_related(model: type[models.Model], values: Iterable[tuple[str, object]]) -> RelatedRows:
    """The rows that foreign-key values point to, one query per related model. `values` are
    (field name, stored value) pairs of `model`."""
    wanted: dict[type[models.Model], set[object]] = defaultdict(set)
    for name, value in values:
        field = model._meta.get_field(name)
        if field.is_relation and field.related_model is not None and value not in (None, ""):
            wanted[field.related_model].add(value)
    return {related: related._default_manager.in_bulk(list(pks)) for related, pks in wanted.items()}


def history_changes(
    model: type[models.Model], pairs: Sequence[tuple[Any, Any]], *, excluded_fields: Sequence[str] = ()
) -> list[list[Change]]:
    """For each (newer, older) pair of history records of `model`, the fields that changed, labelled.

    The users and other rows the changes point to are fetched together, so a long history costs one
    query per related model, not one per change."""
    deltas = [
        [(c.field, c.old, c.new) for c in new.diff_against(old, excluded_fields=list(excluded_fields)).changes]
        for new, old in pairs
    ]
    return label_changes(model, deltas)


def row_changes(
    model: type[models.Model], pairs: Sequence[tuple[object | None, object]], *, fields: Sequence[str]
) -> list[list[Change]]:
    """For each (newer, older) pair of rows of `model` (model instances or history records, the older
    one `None` for a row that did not exist yet), the `fields` that differ, labelled as in
    `history_changes`. For child rows whose history is read field by field: the answers of a checklist,
    which to the user are fields of the parent record's form."""
    deltas = []
    for new, old in pairs:
        delta: list[tuple[str, object, object]] = []
        for name in fields:
            attname = model_field(model, name).attname
            before = getattr(old, attname) if old is not None else None
            after = getattr(new, attname)
            if (before if before is not None else "") != (after if after is not None else ""):
                delta.append((name, before, after))
        deltas.append(delta)
    return label_changes(model, deltas)


def label_changes(
    model: type[models.Model], deltas: Sequence[Sequence[tuple[str, object, object]]]
) -> list[list[Change]]:
    """(field name, stored value before, stored value after) as people read them; the rows foreign keys
    point to are fetched once for all of `deltas`."""
    related = fetch_related(
        model, ((name, value) for delta in deltas for name, old, new in delta for value in (old, new))
    )
    return [
        [
            (str(field.verbose_name), display_value(field, old, related), display_value(field, new, related))
            for field, old, new in ((model_field(model, name), old, new) for name, old, new in delta)
        ]
        for delta in deltas
    ]


def child_fields(model: type[models.Model], *, parent: str) -> list[str]:
    """The fields of a child row (an answer of a checklist) that a person fills in: those the model
    names in `child_fields`, else every editable concrete field but its key, its parent and its
    timestamps."""
    declared = getattr(model, "child_fields", None)
    if declared is not None:
        return list(declared)
    skipped = {model._meta.pk.name, parent, "created_at", "updated_at"}
    return [field.name for field in model._meta.concrete_fields if field.editable and field.name not in skipped]


def history_author(entry: Any) -> str:
    """Who made a change kept by django-simple-history, as people read it ("" for the system)."""
    return object_label(entry.history_user) if entry.history_user else ""
