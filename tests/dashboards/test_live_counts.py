"""Live counts (`mission.dashboards.counters`), for every summary a department declares with them: after
each change of its test contract (`<label>_summary_changes`) made through the services, the counts
the services kept equal a count from the records, key by key; merging the rows keeps them; a change
rolled back leaves nothing; and the repair recounts them."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Sum

from mission import departments
from mission.dashboards import registry
from mission.dashboards.counters import _with_totals, live_counts_compact
from mission.dashboards.models import LiveCount
from mission.dashboards.services import summaries_refresh, summary_apply_changes
from tests.departments import contract_fixtures

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())

COUNTED = sorted(name for name, summary in registry.summaries().items() if summary.live_counts is not None)


def _owner(name: str) -> str:
    return next(c.label for c in departments.all() for s in c.summaries if s.name == name)


def _kept(names) -> dict:
    rows = LiveCount.objects.filter(name__in=names).values("name", "department", "region_id", "owner_id")
    sums = rows.annotate(total=Sum("count")).order_by()
    return {(r["name"], r["department"], r["region_id"], r["owner_id"]): r["total"] for r in sums if r["total"]}


def _counted(name: str) -> dict:
    counts = registry.summaries()[name].live_counts
    assert counts is not None
    return {key: n for key, n in _with_totals(counts.shares(None).items()).items() if n}


def test_trial_monitoring_keeps_live_counts():
    assert "trial_monitoring" in COUNTED


@pytest.mark.parametrize("name", COUNTED)
def test_after_any_change_the_kept_counts_equal_a_count_from_the_records(request, name):
    changes = request.getfixturevalue(f"{_owner(name)}_summary_changes")
    names = registry.summaries()[name].live_counts.names
    summaries_refresh(names=[name])
    assert _kept(names) == _counted(name)
    moved = 0
    for change in changes:
        before = _counted(name)
        change()
        assert _kept(names) == _counted(name), change.__name__
        moved += before != _counted(name)
    assert moved >= 3  # an observation approved, one sent back by a correction (with a flag), a flag closed
    summary_apply_changes(name=name)  # merges the rows: one per key
    assert _kept(names) == _counted(name)
    keys = Counter(LiveCount.objects.values_list("name", "department", "region_id", "owner_id"))
    assert set(keys.values()) == {1}
    assert not LiveCount.objects.filter(count=0).exists()


@pytest.mark.parametrize("name", COUNTED)
def test_a_rolled_back_change_leaves_the_counts_as_they_were(request, name):
    changes = request.getfixturevalue(f"{_owner(name)}_summary_changes")
    names = registry.summaries()[name].live_counts.names
    summaries_refresh(names=[name])
    for change in changes[:3]:
        change()
    kept = list(LiveCount.objects.order_by("pk").values_list())

    def change_then_fail():
        with transaction.atomic():
            changes[3]()  # an approved observation sent back for review, with a flag raised
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert list(LiveCount.objects.order_by("pk").values_list()) == kept
    assert live_counts_compact(names)
    assert not live_counts_compact(names)  # nothing left to merge


def test_the_repair_counts_again_what_changed_without_a_service(trial_data):
    from rights.models import Flag

    summaries_refresh()
    assert _kept(["rights.open_flags", "rights.waiting_review"]) == _counted("trial_monitoring")
    assert _kept(["rights.open_flags"])
    Flag.objects.update(status="closed", closed_at="2026-03-01T00:00:00Z", closed_by=trial_data["prizren"].created_by)
    assert _kept(["rights.open_flags"])  # a fix in the database: the counts do not know
    summaries_refresh()
    assert not _kept(["rights.open_flags"])
