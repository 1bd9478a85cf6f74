from collections.abc import Collection
from typing import Any

from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from mission.accounts.models import User
from mission.choices import kept_while_reference_unchanged, reference_changed_now_and_on_commit
from mission.history import object_label
from mission.kept_pages import reader_key

_SORTS: dict[str, list[str | OrderBy]] = {
    "name": ["last_name", "first_name", "username"],
    "role": ["role", "last_name", "first_name"],
    # Headquarters staff (no region) after the regions, on every database.
    "region": [F("region__code").asc(nulls_last=True), "last_name", "first_name"],
}


def user_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    """Colleagues the user may see, filtered and sorted, with their region and team in the same query."""
    filters = filters or {}
    qs = User.objects.visible_to(user).select_related("region", "field_team")
    if text := filters.get("q"):
        qs = qs.filter(
            Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(username__icontains=text)
            | Q(email__icontains=text)
        )
    if department := filters.get("department"):
        qs = qs.filter(department=department)
    if region := filters.get("region"):
        qs = qs.filter(region=region)
    return qs.order_by(*_SORTS.get(filters.get("sort") or "name", _SORTS["name"]))


# A user's row saved with only these fields (signing in, a new password) changes no one's place in a team.
_NOT_ROSTER = frozenset({"last_login", "password"})


def colleagues(*, user: User, department: str, roles: Collection[str]) -> list[tuple[str, str]]:
    """(username, name) of the staff of `department` in these `roles` that `user` may see, the user
    left out: the options of a reviewer's filter by author. Kept in this process while no account
    changes (the staff are reference data to a page: `mission.choices`), not read on every page."""
    return kept_while_reference_unchanged(
        ("mission.accounts.colleagues", reader_key(user), department, tuple(sorted(roles))),
        lambda: [
            (colleague.username, object_label(colleague))
            for colleague in User.objects.visible_to(user)
            .only("username", "first_name", "last_name")
            .filter(department=department, role__in=list(roles))
            .exclude(pk=user.pk)
        ],
    )


def _roster_changed(*, update_fields: Collection[str] | None = None, **_: Any) -> None:
    if update_fields is not None and set(update_fields) <= _NOT_ROSTER:
        return
    reference_changed_now_and_on_commit()


def watch_roster() -> None:
    """Connected once the apps are ready (`AccountsConfig.ready`): in every process that may save a user."""
    post_save.connect(_roster_changed, sender=User, dispatch_uid="mission.accounts.roster")
    post_delete.connect(_roster_changed, sender=User, dispatch_uid="mission.accounts.roster")
