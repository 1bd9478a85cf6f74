"""Optimistic locking for records that two people may edit at once (hearings, observations, cases)."""

from django.db import models
from django.utils.translation import gettext as _

from mission.common import ApplicationError
from mission.history import history_changes, object_label


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
    who = object_label(latest.history_user) if latest and latest.history_user else _("Someone")
    if latest is None or base is None:
        return [], who
    [changes] = history_changes(type(obj), [(latest, base)], excluded_fields=["version", "updated_at"])
    return changes, who
