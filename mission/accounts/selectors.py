from typing import Any

from django.db.models import F, OrderBy, Q, QuerySet

from mission.accounts.models import User

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
