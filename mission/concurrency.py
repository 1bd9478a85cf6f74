"""Optimistic locking for records that two people may edit at once (hearings, observations, cases).

Every write of a versioned record names the version it started from; the service calls
`lock_version`, which refuses a write based on an older version, or on no version at all (a form
posted without its hidden field, a stale script): waving such a write through would silently
overwrite whatever was saved meanwhile. Views keep the user's input on a refusal (`show_conflict`)."""

from datetime import datetime
from typing import TypeVar

from django import forms
from django.utils.translation import gettext as _

from mission.common import ApplicationError, VersionedModel
from mission.history import child_fields, history_changes, object_label, row_changes

_V = TypeVar("_V", bound=VersionedModel)


class ConcurrentEditError(ApplicationError):
    """Someone saved the record after the user opened it. `changes` lists what they changed:
    (field label, the value the user started from, the value now saved); `current_version` is the
    version saved now, which a form offers so that the user can save over it knowingly."""

    def __init__(
        self,
        changes: list[tuple[str, str, str]],
        changed_by: str,
        *,
        current_version: int,
        message: str | None = None,
    ) -> None:
        super().__init__(
            message
            or _("%(who)s saved this record after you opened it. Your changes were not saved; review theirs below.")
            % {"who": changed_by}
        )
        self.changes = changes
        self.changed_by = changed_by
        self.current_version = current_version


class MissingVersionError(ConcurrentEditError):
    """The write did not say which version it started from, so other people's changes cannot be
    ruled out: it is refused like a conflict, never treated as based on the latest version."""

    def __init__(self, *, current_version: int) -> None:
        super().__init__(
            [],
            "",
            current_version=current_version,
            message=_(
                "Nothing was saved: the form did not say which version of the record it was opened from, so "
                "changes made by others meanwhile could not be checked. Your input is still below; compare it "
                "with the record as saved now, then save again to keep it."
            ),
        )


def lock_version(obj: _V, *, expected_version: int | None, fields: tuple[str, ...] = ()) -> _V:
    """Lock the row and refuse the write if its version moved on since `expected_version`, or if
    `expected_version` is missing.

    Call inside the service's transaction, before changing `obj`; on success bump `obj.version`.
    Returns the locked row, read with its version and `fields` (deferred: read no more of it)."""
    current = lock_row(obj, fields=fields)
    check_version(obj, current, expected_version=expected_version)
    return current


def lock_row(obj: _V, *, fields: tuple[str, ...] = ()) -> _V:
    """Lock `obj`'s row until the transaction ends and read its version and `fields` as saved now.
    A step that decides on any of those decides on this row, not on `obj`, which may be older."""
    return type(obj)._default_manager.select_for_update().only("version", *fields).get(pk=obj.pk)


def check_version(obj: VersionedModel, current: VersionedModel, *, expected_version: int | None) -> None:
    """The version check of `lock_version`, on a row already locked with `lock_row`."""
    if not isinstance(expected_version, int) or isinstance(expected_version, bool) or expected_version < 1:
        raise MissingVersionError(current_version=current.version)
    if current.version != expected_version:
        raise ConcurrentEditError(*_changes_since(obj, expected_version), current_version=current.version)
    obj.version = current.version + 1


def show_conflict(form: forms.BaseForm, error: ConcurrentEditError, *, version_field: str = "version") -> None:
    """Keep everything the user typed in `form`, put the refusal at its top, and move its hidden
    version onto the version saved now: the page then shows their input next to what the other person
    changed, and saving it again replaces that knowingly. (Reloading would have thrown the input away.)"""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict, which the stubs call a Mapping
    data[form.add_prefix(version_field)] = str(error.current_version)
    form.data = data
    form.add_error(None, error.message)


def _changes_since(obj: VersionedModel, version: int) -> tuple[list[tuple[str, str, str]], str]:
    history = obj.history.order_by("-history_date", "-history_id")
    latest = history.first()
    base = history.filter(version=version).last()
    who = object_label(latest.history_user) if latest and latest.history_user else _("Someone")
    if latest is None or base is None:
        return [], who
    [changes] = history_changes(type(obj), [(latest, base)], excluded_fields=["version", "updated_at"])
    # Child rows are written after their parent in the same transaction: their state when the user
    # opened the form is their state when the next version began.
    following = obj.history.filter(version__gt=version).order_by("history_date", "history_id").first()
    for related in getattr(obj, "conflict_related", ()) if following else ():
        changes.extend(_related_changes(obj, related, since=following.history_date))
    return changes, who


def _related_changes(obj: VersionedModel, related: str, *, since: datetime) -> list[tuple[str, str, str]]:
    """Changes to `obj`'s child rows (a checklist's answers) since `since`, field by field: they are
    rows of their own, but to the user they are fields of the same form."""
    manager = getattr(obj, related)
    model = manager.model
    parent = manager.field.name
    children = list(manager.all())
    then = {child.pk: child for child in model.history.as_of(since).filter(**{f"{parent}_id": obj.pk})}
    fields = child_fields(model, parent=parent)
    diffs = row_changes(model, [(child, then.get(child.pk)) for child in children], fields=fields)
    changes: list[tuple[str, str, str]] = []
    for child, delta in zip(children, diffs, strict=True):
        label = child.conflict_label() if hasattr(child, "conflict_label") else str(child)
        changes.extend((f"{label}: {field}", old, new) for field, old, new in delta)
    return changes
