"""Trial monitoring's live counts (`mission.dashboards.counters`): open flags, and observations waiting
for review by their monitor (a reviewer's own are left out of what waits for them), by the region of
their case.

Every service that may change them (a flag raised or closed, an observation submitted, returned,
approved or sent back by a correction, a case moved to another municipality) calls
`trial_counts_before` with the cases it touches first, before any other lock, and
`trial_counts_after` at the end of its transaction. The first locks the cases, so no other service
changes their counts between the two readings, whatever the order the two transactions commit in.
"""

from collections import Counter
from collections.abc import Iterable

from django.db.models import BigIntegerField, Count, F, Value
from django.db.models.functions import Cast

from mission.accounts.roles import Department
from mission.dashboards.counters import Key, live_counts_change
from rights.models import Case, Flag, FlagStatus, Observation, ObservationStatus

# As declared in rights.apps.
OPEN_FLAGS = "rights.open_flags"
WAITING_REVIEW = "rights.waiting_review"


def trial_count_shares(case_ids: Iterable[int] | None = None) -> Counter[Key]:
    """The shares of the live counts held by these cases' flags and observations (None: every case),
    in one query."""
    flags = Flag.objects.order_by().filter(status=FlagStatus.OPEN)
    waiting = Observation.objects.order_by().filter(status=ObservationStatus.SUBMITTED)
    if case_ids is not None:
        ids = sorted(set(case_ids))
        flags, waiting = flags.filter(case_id__in=ids), waiting.filter(hearing__case_id__in=ids)
    flag_rows = flags.values(s_region=F("case__municipality__region_id")).annotate(
        s_name=Value(OPEN_FLAGS), s_owner=Cast(Value(None), BigIntegerField()), s_count=Count("pk")
    )
    waiting_rows = waiting.values(
        s_region=F("hearing__case__municipality__region_id"), s_owner=F("monitor_id")
    ).annotate(s_name=Value(WAITING_REVIEW), s_count=Count("pk"))
    shares: Counter[Key] = Counter()
    columns = ("s_name", "s_region", "s_owner", "s_count")
    for name, region, owner, count in flag_rows.values_list(*columns).union(
        waiting_rows.values_list(*columns), all=True
    ):
        shares[(name, Department.RIGHTS.value, region, owner)] += count
    return shares


def trial_counts_before(case_ids: Iterable[int]) -> Counter[Key]:
    """Lock the cases (until the transaction ends) and read their shares before the change."""
    ids = sorted(set(case_ids))
    list(Case.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
    return trial_count_shares(ids)


def trial_counts_after(case_ids: Iterable[int], before: Counter[Key]) -> None:
    """Add the difference the change made to the cases' shares (call at the end of the transaction)."""
    live_counts_change(before, trial_count_shares(case_ids))
