"""Steps against their deadlines (mission.records.deadlines): the summary's values read on a given day
give the same outcome as counting each record's dates by hand; a declaration naming a step the
response has not, or a deadline that cannot be read, fails at start-up, not as an empty chart."""

import dataclasses
import datetime
import random
from collections import Counter

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from mission.records.deadlines import OPEN, Outcome, check_steps, outcome
from mission.records.declaration import StepDeadline
from mission.records.summary import municipality_counts

TODAY = datetime.date(2026, 12, 3)


def _by_hand(cases: list[tuple[datetime.date, datetime.date | None]], days: int) -> Outcome:
    counted: Counter[str] = Counter()
    for started, ended in cases:
        if ended is not None:
            counted["in_time" if ended <= started + datetime.timedelta(days=days) else "late"] += 1
        elif started + datetime.timedelta(days=days) >= TODAY:
            counted["waiting"] += 1
        else:
            counted["overdue"] += 1
    return Outcome(**counted)


def test_the_summary_values_give_the_outcome_counted_by_hand():
    rng = random.Random(16)  # noqa: S311  # test data, no secret
    for _ in range(300):
        days = rng.randint(0, 20)
        cases = []
        for _n in range(rng.randint(0, 30)):
            started = TODAY - datetime.timedelta(days=rng.randint(0, 60))
            ended = started + datetime.timedelta(days=rng.randint(-2, 40)) if rng.random() < 0.6 else None
            cases.append((started, ended))
        histogram: Counter[str | None] = Counter(
            str((ended - started).days) if ended else f"{OPEN}{started.isoformat()}" for started, ended in cases
        )
        histogram[None] += rng.randint(0, 3)  # never started: not counted
        assert outcome(histogram, days, TODAY) == _by_hand(cases, days), (days, cases)


def test_the_last_day_of_the_deadline_is_in_time():
    assert outcome(Counter({"15": 1, "16": 2}), 15, TODAY) == Outcome(in_time=1, late=2)
    assert outcome(Counter({"-1": 1}), 0, TODAY) == Outcome(in_time=1)  # decided before it was asked: in time
    started_15_days_ago = f"{OPEN}{TODAY - datetime.timedelta(days=15):%Y-%m-%d}"
    assert outcome(Counter({started_15_days_ago: 1}), 15, TODAY) == Outcome(waiting=1)
    assert outcome(Counter({started_15_days_ago: 1}), 14, TODAY) == Outcome(overdue=1)
    assert Outcome(1, 2, 3, 4).ended == 3
    assert Outcome(1, 2, 3, 4).started == 10


def _gbv():
    config = apps.get_app_config("human_rights")
    return next(r for r in config.records if r.model == "human_rights.GbvCase")


def test_a_deadline_naming_a_step_the_response_has_not_fails_at_start_up():
    check_steps(_gbv())  # as declared
    misspelt = StepDeadline("Orders", "order_requested", ("order_isued",), days=15)
    with pytest.raises(ImproperlyConfigured, match="order_isued"):
        check_steps(dataclasses.replace(_gbv(), deadlines=(misspelt,)))
    with pytest.raises(ImproperlyConfigured, match="no response part"):
        check_steps(dataclasses.replace(_gbv(), parts=()))
    with pytest.raises(ImproperlyConfigured, match="negative"):
        check_steps(dataclasses.replace(_gbv(), deadlines=(StepDeadline("Orders", "order_requested", (), days=-1),)))


def test_a_deadline_reads_its_setting_each_time():
    deadline = StepDeadline("Orders", "order_requested", ("order_issued",), days="GBV_PROTECTION_ORDER_DAYS")
    with override_settings(GBV_PROTECTION_ORDER_DAYS=9):
        assert deadline.limit == 9
    with override_settings(GBV_PROTECTION_ORDER_DAYS=12):
        assert deadline.limit == 12


def test_only_the_totals_are_read_by_municipality():
    from mission.dashboards.periods import Period

    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 1))
    with pytest.raises(ValueError, match="not kept per municipality"):
        municipality_counts("records.human_rights", None, period, [(_gbv(), "kind")])
    assert municipality_counts("records.human_rights", None, period, []) == {}
