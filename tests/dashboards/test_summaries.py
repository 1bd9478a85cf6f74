"""Incremental summaries, for every summary a department declares: after any change made through the
services, applying the marks leaves every table of the summary equal, row for row, to a full rebuild;
the marks live and die with the change's transaction; claims are safe under concurrency; and the
repair command rebuilds everything. A department with summaries lists its changes in its test
contract (`<label>_summary_changes`, tests/departments.py)."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model

from mission import departments
from mission.dashboards import registry
from mission.dashboards.models import SummaryMark, SummaryRefresh
from mission.dashboards.services import (
    freshness_for,
    summaries_mark,
    summaries_refresh,
    summary_apply_changes,
)
from mission.dashboards.summaries import EVERY_TABLE, Changes, Marked, SummaryTable, summary_tables_rebuild
from tests.conftest import require_service
from tests.departments import contract_fixtures

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())


def _owner(name: str) -> str:
    return next(c.label for c in departments.all() for s in c.summaries if s.name == name)


SUMMARIES = sorted(registry.summaries())


def _rows(model: type[Model]) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    return sorted(model._default_manager.values_list(*fields), key=repr)


def _snapshot(name: str) -> dict[str, list[tuple]]:
    models = dict.fromkeys(table.model for table in registry.summaries()[name].tables())
    return {model.__name__: _rows(model) for model in models}


def test_every_summary_has_changes_to_check():
    assert SUMMARIES, "trial monitoring declares one at least"
    for name in SUMMARIES:
        assert f"{_owner(name)}_summary_changes" in contract_fixtures(), name


@pytest.mark.parametrize("name", SUMMARIES)
def test_applying_the_marks_of_any_change_equals_a_full_rebuild(request, name):
    changes = request.getfixturevalue(f"{_owner(name)}_summary_changes")
    summaries_refresh(names=[name])
    for change in changes:
        stale = _snapshot(name)
        change()
        assert SummaryMark.objects.filter(summary=name).exists(), change.__name__
        record = summary_apply_changes(name=name)
        assert record is not None
        assert record.kind == "incremental"
        assert record.parts > 0
        incremental = _snapshot(name)
        assert not SummaryMark.objects.filter(summary=name).exists()
        summaries_refresh(names=[name])
        rebuilt = _snapshot(name)
        assert stale != rebuilt, f"{change.__name__} changes nothing the summary counts"
        for table, rows in rebuilt.items():
            assert incremental[table] == rows, f"{change.__name__}: {table}"


@pytest.mark.parametrize("name", SUMMARIES)
def test_a_rolled_back_change_leaves_no_mark(request, name):
    changes = request.getfixturevalue(f"{_owner(name)}_summary_changes")
    SummaryMark.objects.all().delete()
    marked = []

    def change_then_fail():
        with transaction.atomic():
            changes[0]()
            marked.append(SummaryMark.objects.filter(summary=name).exists())
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert marked == [True]
    assert not SummaryMark.objects.exists()


def test_a_changed_month_of_one_group_rebuilds_only_that_group():
    may = datetime.date(2026, 5, 17)
    changes = Changes.of([(may, 3), (may, 4), (datetime.date(2026, 6, 2), None), (datetime.date(2026, 6, 9), 5)])
    assert changes.parts == {datetime.date(2026, 5, 1): frozenset({3, 4}), datetime.date(2026, 6, 1): None}
    assert len(changes) == 3
    assert changes.whole_months().parts == dict.fromkeys(changes.parts)


def test_changes_of_two_marks_merge_part_by_part():
    may, june = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)
    merged = Changes.of([(may, 3), (june, None)]) | Changes.of([(may, 4), (june, 7), (datetime.date(2026, 7, 9), 1)])
    assert merged.parts == {may: frozenset({3, 4}), june: None, datetime.date(2026, 7, 1): frozenset({1})}


def test_a_mark_with_a_topic_rebuilds_only_the_tables_that_read_it():
    from rights.models import FollowUpMonth, HearingMonth, RatingMonth

    calls: dict[str, Changes] = {}

    def fill(name):
        def record(changes):
            calls[name] = changes
            return 0

        return record

    tables = [
        SummaryTable(HearingMonth, fill("hearings"), group="court", reads=frozenset()),
        SummaryTable(RatingMonth, fill("ratings"), group="court", reads=frozenset({"ratings"})),
        SummaryTable(FollowUpMonth, fill("every mark"), group="court"),  # reads None: every topic
    ]
    may = datetime.date(2026, 5, 1)
    summary_tables_rebuild(tables, Marked({"ratings": Changes.of([(may, 3)])}))
    assert calls == {"ratings": Changes.of([(may, 3)]), "every mark": Changes.of([(may, 3)])}
    calls.clear()
    summary_tables_rebuild(tables, Marked({EVERY_TABLE: Changes.of([(may, 4)]), "ratings": Changes.of([(may, 3)])}))
    assert calls["hearings"] == Changes.of([(may, 4)])  # the ratings' mark is not its topic
    assert calls["ratings"] == calls["every mark"] == Changes.of([(may, 3), (may, 4)])


def test_the_task_applies_the_marks_and_a_summary_never_built_is_built(trial_data):
    from mission.dashboards.tasks import refresh_changed_summaries
    from rights.models import HearingMonth

    SummaryRefresh.objects.all().delete()
    HearingMonth.objects.all().delete()
    refresh_changed_summaries()
    assert HearingMonth.objects.exists()
    assert SummaryRefresh.objects.get(name="trial_monitoring").kind == "full"
    summaries_mark("trial_monitoring", [(datetime.date(2026, 2, 3), trial_data["prizren"].court_id)])
    assert refresh_changed_summaries() == 1
    assert SummaryRefresh.objects.get(name="trial_monitoring").parts == 1
    assert not SummaryMark.objects.exists()


def test_a_refresh_with_nothing_marked_keeps_the_version_dashboard_fragments_are_kept_under(trial_data):
    summaries_refresh(names=["trial_monitoring"])
    built = SummaryRefresh.objects.get(name="trial_monitoring")
    assert built.changed_at == built.refreshed_at
    summary_apply_changes(name="trial_monitoring")  # beat's run a minute later, with nothing marked
    idle = SummaryRefresh.objects.get(name="trial_monitoring")
    assert idle.refreshed_at > built.refreshed_at
    assert idle.changed_at == built.changed_at
    assert freshness_for(("trial_monitoring",)).version == built.changed_at
    summaries_mark("trial_monitoring", [(datetime.date(2026, 2, 3), trial_data["prizren"].court_id)])
    summary_apply_changes(name="trial_monitoring")
    changed = SummaryRefresh.objects.get(name="trial_monitoring")
    assert changed.changed_at == changed.refreshed_at > idle.refreshed_at
    assert freshness_for(("trial_monitoring",)).version == changed.changed_at


def test_the_repair_command_rebuilds_everything_and_takes_the_marks(trial_data):
    from rights.models import HearingMonth

    HearingMonth.objects.all().delete()
    summaries_mark("trial_monitoring", [(datetime.date(2026, 2, 3), None)])
    out = io.StringIO()
    call_command("refresh_dashboards", stdout=out)
    assert "trial_monitoring:" in out.getvalue()
    assert HearingMonth.objects.exists()
    assert not SummaryMark.objects.exists()
    record = SummaryRefresh.objects.get(name="trial_monitoring")
    assert record.kind == "full"
    assert record.rebuilt_at == record.refreshed_at


@pytest.mark.django_db(transaction=True)
def test_a_mark_made_while_a_refresh_runs_is_kept_for_the_next(trial_data):
    """On PostgreSQL, with two connections: a refresh that claimed its marks does not take one
    committed after its claim, and a second refresh does not wait for the first."""
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from django.db import connections

    court = trial_data["prizren"].court_id
    summaries_mark("trial_monitoring", [(datetime.date(2026, 1, 5), court)])
    claimed, release = threading.Event(), threading.Event()
    results = {}

    def slow_refresh():
        try:
            from mission.dashboards import services

            original = services._claim

            def claim_and_wait(name):
                taken = original(name)
                claimed.set()
                release.wait(10)
                return taken

            services._claim = claim_and_wait
            try:
                results["first"] = summary_apply_changes(name="trial_monitoring")
            finally:
                services._claim = original
        finally:
            connections.close_all()

    worker = threading.Thread(target=slow_refresh)
    worker.start()
    assert claimed.wait(10)
    with transaction.atomic():  # a change committed while the refresh runs
        summaries_mark("trial_monitoring", [(datetime.date(2026, 2, 5), court)])
    assert summary_apply_changes(name="trial_monitoring", wait=False) is None  # busy: skipped, not waited for
    release.set()
    worker.join(20)
    assert results["first"].parts == 1
    assert list(SummaryMark.objects.values_list("month", flat=True)) == [datetime.date(2026, 2, 1)]
    assert summary_apply_changes(name="trial_monitoring").parts == 1
    assert not SummaryMark.objects.exists()
