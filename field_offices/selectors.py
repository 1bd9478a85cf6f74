from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet

from field_offices.models import FieldTeam, Municipality, Region
from mission.common import language_suffix


def region_list() -> QuerySet[Region]:
    """The regions with how many municipalities and field teams each covers, in one query."""
    return Region.objects.annotate(
        municipality_count=Count("municipalities", distinct=True),
        field_team_count=Count("field_teams", distinct=True),
    ).order_by("code")


def region_detail(*, code: str) -> Region:
    """One region with its municipalities (district included) and field teams (municipalities included)."""
    return (
        Region.objects.prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.select_related("district").order_by("code")),
            Prefetch(
                "field_teams",
                queryset=FieldTeam.objects.prefetch_related(
                    Prefetch("municipalities", queryset=Municipality.objects.order_by("code"))
                ).order_by("code"),
            ),
        )
        .filter(code=code)
        .get()
    )


def municipality_names() -> list[Mapping[str, Any]]:
    """Every municipality's code, name in the user's language and region, in one query (for maps)."""
    suffix = language_suffix()
    return list(Municipality.objects.values("code", "region_id", name=F(f"name_{suffix}")))


def municipality_detail(*, code: str) -> Municipality:
    """One municipality with its region, district and the field teams that cover it."""
    return (
        Municipality.objects.select_related("region", "district")
        .prefetch_related(Prefetch("field_teams", queryset=FieldTeam.objects.order_by("code")))
        .get(code=code)
    )
