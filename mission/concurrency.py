"""Optimistic locking for records that two people may edit at once (hearings, observations, cases)."""

from django.db import models
from django.utils.translation import gettext as _

from mission.common import ApplicationError


class ConcurrentEditError(ApplicationError):
    """Someone saved the record after the user opened it. `changes` lists what they changed:
    (field label, the value the user started from, the value now saved)."""

    def __init__(self, changes: list[tuple[str, str, str]], changed_by: str) -> None:
        super().__init__(
            _("%(who)s saved this record after you opened it. Your changes were not saved; review theirs below.")
            % {"who": changed_by}
        )
        self.changes = changes
        self.changed_by = changed_by


def lock_version(obj: models.Model, *, expected_version: int) -> None:
    """Lock the row and refuse the write if its version moved on since `expected_version`.

    Call inside the service's transaction, before changing `obj`; on success bump `obj.version`.
    """
    current = type(obj)._default_manager.select_for_update().only("version").get(pk=obj.pk)
    if current.version != expected_version:
        raise ConcurrentEditError(*_changes_since(obj, expected_version))
    obj.version = current.version + 1


def _changes_since(obj: models.Model, version: int) -> tuple[list[tuple[str, str, str]], str]:
    history = obj.history.order_by("-history_date", "-history_id")
    latest = history.first()
    base = history.filter(version=version).last()
    who = str(latest.history_user) if latest and latest.history_user else _("Someone")
    if latest is None or base is None:
        return [], who
    changes = []
    for change in latest.diff_against(base, excluded_fields=["version", "updated_at"]).changes:
        field = obj._meta.get_field(change.field)
        changes.append((str(field.verbose_name), _display(field, change.old), _display(field, change.new)))
    return changes, who


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
