"""Who may write what in trial monitoring, on top of `visible_to` (which callers apply for reads)."""

from django.core.exceptions import PermissionDenied

from mission.accounts.permissions import Capability, has_capability, scope_covers, sees_restricted
from mission.accounts.roles import Department


def require_record_in(user, *, region_id: int | None) -> None:
    """A monitor or supervisor of Human Rights, writing in their own region."""
    if not has_capability(user, Capability.RECORD) or not scope_covers(
        user, department=Department.RIGHTS, region_id=region_id
    ):
        raise PermissionDenied


def can_record_in(user, *, region_id: int | None) -> bool:
    try:
        require_record_in(user, region_id=region_id)
    except PermissionDenied:
        return False
    return True


def can_follow_up(user, case) -> bool:
    return has_capability(user, Capability.FOLLOW_UP) and scope_covers(
        user, department=Department.RIGHTS, region_id=case.municipality.region_id
    )


def sees_names(user) -> bool:
    return sees_restricted(user, department=Department.RIGHTS)
