from django.db.models import Count, Prefetch, QuerySet

from field_offices.models import FieldTeam, Municipality, Region


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
