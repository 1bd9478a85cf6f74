"""Strategies' action plans: each action with its responsible institution, deadline and dated status
history; the implementation rate and the overdue actions at a glance (the tracker kit with a deadline)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mission.dashboards.filters import read_filters
from mission.trackers.dashboard import tracker_dashboard
from mission.trackers.services import tracked_create, tracked_status_add
from public_safety.models import ActionItem
from tests.api.conftest import bearer
from tests.conftest import client_for
from tests.public_safety.contract import action_content

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _action(head, *history, **fields):
    item = tracked_create(actor=head, model=ActionItem, fields=action_content(**fields))
    for day, status in history:
        item = tracked_status_add(
            actor=head, item=item, expected_version=item.version, date=day, status=status, evidence="Seen."
        )
    return item


@pytest.fixture
def actions(public_safety_actors):
    head = public_safety_actors["department_head"]
    past, future = TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=200)
    return {
        "late": _action(head, (datetime.date(2016, 5, 1), "in_progress"), number=1, deadline=past),
        "done": _action(head, (datetime.date(2016, 5, 1), "completed"), number=2, deadline=past),
        "dropped": _action(head, (datetime.date(2016, 5, 1), "dropped"), number=3, deadline=past),
        "not_yet_due": _action(head, number=4, deadline=future),
        "never_started": _action(head, number=5, deadline=past),
        # Due tomorrow: not overdue today, even in a period that ends later this month.
        "due_tomorrow": _action(
            head, (datetime.date(2016, 5, 1), "in_progress"), number=6, deadline=TODAY + datetime.timedelta(days=1)
        ),
    }


def test_the_list_shows_the_overdue_actions(public_safety_actors, actions):
    client = client_for(public_safety_actors["supervisor"])
    everything = client.get(reverse("public_safety:actionitem_list"))
    assert len(everything.context["page"].object_list) == 6
    overdue = client.get(reverse("public_safety:actionitem_list"), {"overdue": "on"})
    assert overdue.status_code == 200
    assert {item.pk for item in overdue.context["page"].object_list} == {
        actions["late"].pk,
        actions["never_started"].pk,
    }


def test_the_dashboard_counts_the_overdue_and_the_completed(public_safety_actors, actions):
    from django.test import RequestFactory

    from mission import departments

    config = next(c for c in departments.all() if c.label == "public_safety")
    (tracker_type,) = config.trackers
    head = public_safety_actors["department_head"]
    request = RequestFactory().get("/")
    request.user = head
    _form, filters = read_filters(request)
    figures, charts = tracker_dashboard(tracker_type, head, filters)
    found = {str(figure.label): figure.value for figure in figures}
    assert found["Action plans"] == 6
    assert found["Action plans: overdue"] == 2
    assert found["Action plans: Completed"] == pytest.approx(1 / 6)
    by_strategy = next(chart for chart in charts if chart.slug == "actionitem-by-strategy")
    assert by_strategy.rows[0][0].startswith("Strategy on Prevention of Violent Extremism")


def test_an_action_is_tracked_once_per_strategy_and_number(public_safety_actors, actions):
    with pytest.raises(ValidationError, match="tracked already"):
        _action(public_safety_actors["department_head"], number=1)


def test_partners_read_the_codes_and_the_status_never_the_words(public_safety_actors, actions, partner):
    from mission.api.services import token_issue

    _token, key = token_issue(
        actor=public_safety_actors["administrator"], user=partner, name="NGO", scopes=["action_plans"]
    )
    rows = bearer(key).get("/api/v1/action-plans/").json()["results"]
    assert len(rows) == 6
    late = next(row for row in rows if row["number"] == 1)
    assert late["strategy"] == "PVE-2015"
    assert late["responsible"] == "MIA"
    assert late["current_status"] == "in_progress"
    assert late["deadline"] == f"{TODAY - datetime.timedelta(days=30):%Y-%m-%d}"
    assert "text" not in late


def test_a_strategy_cannot_end_before_it_begins(geography):
    from public_safety.models import Strategy

    strategy = Strategy(code="X-2020", name_en="X", name_sq="X", name_sr="X", area="cybercrime", first_year=2020)
    for last, message in ((2019, "cannot end before"), (20155, "less than or equal to 2100")):
        strategy.last_year = last
        with pytest.raises(ValidationError, match=message):
            strategy.full_clean()
    strategy.first_year = 20155
    strategy.last_year = 2021
    with pytest.raises(ValidationError, match="less than or equal to 2100"):
        strategy.full_clean()
