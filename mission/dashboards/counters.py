"""Live counts that cost the same at any size: what waits now (open flags, records waiting for review),
kept as a few rows of `LiveCount` per region and owner instead of counted from the records on every
page view.

A department declares its counts with its summary (`Summary(..., live_counts=LiveCounts(names,
shares))`): `shares(None)` counts every share from the records, as `Shares` (key → count, the key
being the count's name, the department, the region id and the owner id or None). Its services keep
them in the transaction of each change: they take the shares of the records they touch before the
change and after it, and `live_counts_change(before, after)` inserts the difference (a share by owner
also counts in the share of everyone, `owner_id` None). The services must make sure nobody else
changes those records' shares between the two readings (trial monitoring locks the case first).

`live_counts_compact` (the refresh every minute) merges each key's rows into one; `live_counts_recount`
(the nightly rebuild, `manage.py refresh_dashboards`) replaces them with a count from the records,
which repairs what changed without a service. Both lock the table against writers on PostgreSQL for
the few milliseconds (the recount: the count from the records) they take, so no change is counted
twice or lost.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum

from mission.accounts.permissions import AnyUser, scope_for
from mission.dashboards.models import LiveCount
from mission.dashboards.registry import Key, LiveCounts, Shares
from mission.kept_pages import kept_query

__all__ = ["Key", "LiveCounts", "Shares", "live_counts", "live_counts_change"]

KEY_FIELDS = ("name", "department", "region_id", "owner_id")


def _with_totals(shares: Iterable[tuple[Key, int]]) -> Counter[Key]:
    """The shares, and each owner's share added to everyone's (owner None) of the same region."""
    rows: Counter[Key] = Counter()
    for (name, department, region, owner), count in shares:
        rows[(name, department, region, owner)] += count
        if owner is not None:
            rows[(name, department, region, None)] += count
    return rows


def _insert(rows: Mapping[Key, int]) -> None:
    LiveCount.objects.bulk_create(
        LiveCount(name=name, department=department, region_id=region, owner_id=owner, count=count)
        for (name, department, region, owner), count in sorted(rows.items(), key=repr)
        if count
    )


def live_counts_change(before: Shares, after: Shares) -> None:
    """Add the difference between the shares of the records a change touched, read before and after it.
    Call inside the change's transaction: a change rolled back leaves nothing."""
    difference = {key: after.get(key, 0) - before.get(key, 0) for key in set(before) | set(after)}
    _insert(_with_totals(difference.items()))


def _lock() -> None:
    """Keep writers out until the transaction ends (readers still read)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(LiveCount._meta.db_table)} IN EXCLUSIVE MODE")


def live_counts_compact(names: Iterable[str]) -> bool:
    """Merge each key's rows into one (dropping keys that sum to 0); returns whether there was anything
    to merge."""
    rows = LiveCount.objects.filter(name__in=list(names))
    merged = not rows.order_by().values(*KEY_FIELDS).annotate(rows=Count("pk")).filter(rows__gt=1).exists()
    if merged and not rows.filter(count=0).exists():
        return False
    with transaction.atomic():
        _lock()
        sums = {
            tuple(r[f] for f in KEY_FIELDS): r["total"] for r in rows.values(*KEY_FIELDS).annotate(total=Sum("count"))
        }
        rows.order_by()._raw_delete(rows.db)
        _insert(sums)
    return True


def live_counts_recount(counts: LiveCounts) -> int:
    """Replace the counts with a count from the records (the repair); returns the rows written."""
    with transaction.atomic():
        _lock()
        rows = LiveCount.objects.filter(name__in=counts.names)
        rows.order_by()._raw_delete(rows.db)
        shares = _with_totals(counts.shares(None).items())
        _insert(shares)
    return sum(1 for count in shares.values() if count)


@dataclass(frozen=True)
class LiveTotal:
    """A count as a reader sees it: everyone's in their scope, and their own part of it."""

    everyone: int = 0
    own: int = 0

    @property
    def others(self) -> int:
        return self.everyone - self.own


def live_counts(
    names: Iterable[str], *, user: AnyUser, region_ids: frozenset[int] | None = None
) -> dict[str, LiveTotal]:
    """The counts `names` over what `user` may see (their departments and regions), within `region_ids`
    if given, with the user's own part: one query over a few rows per region, whatever the data."""
    names = list(names)
    scope = scope_for(user)
    if scope.nothing:
        return {name: LiveTotal() for name in names}
    owner = getattr(user, "pk", None)
    departments = None if scope.departments is None else tuple(sorted(scope.departments))
    regions = scope.region_ids
    if region_ids is not None:
        regions = region_ids if regions is None else regions & region_ids
    in_regions = None if regions is None else tuple(sorted(regions))

    def sums() -> QuerySet[Any, Any]:
        rows = LiveCount.objects.filter(Q(owner_id__isnull=True) | Q(owner_id=owner), name__in=names)
        if departments is not None:
            rows = rows.filter(department__in=departments)
        if in_regions is not None:
            rows = rows.filter(region_id__in=in_regions)
        return (
            rows.order_by()
            .values("name")
            .annotate(
                everyone=Sum("count", filter=Q(owner_id__isnull=True)), own=Sum("count", filter=Q(owner_id=owner))
            )
        )

    # The statement is the same on every view of a page by this reader: kept, run as a prepared one.
    shape = ("live_counts", tuple(names), owner, departments, in_regions)
    found = {
        row["name"]: LiveTotal(row["everyone"] or 0, row["own"] or 0) for row in kept_query(LiveCount, shape, sums)
    }
    return {name: found.get(name, LiveTotal()) for name in names}
