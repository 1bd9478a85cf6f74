"""A reviewer's colleagues (`mission.accounts.selectors.colleagues`): the staff of a department they may
see, kept while no account changes, read again as soon as one does."""

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mission.accounts.roles import FIELD_ROLES, Department, Role
from mission.accounts.selectors import colleagues
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _of(user):
    return colleagues(user=user, department=Department.RIGHTS, roles=FIELD_ROLES)


def test_the_colleagues_a_supervisor_may_pick_are_read_once(supervisor, monitor, other_region_monitor):
    names = [username for username, _label in _of(supervisor)]
    assert monitor.username in names
    assert supervisor.username not in names  # never oneself
    assert other_region_monitor.username not in names  # outside their scope
    with CaptureQueriesContext(connection) as queries:
        assert _of(supervisor) == _of(supervisor)
    assert not queries.captured_queries


def test_a_new_renamed_or_removed_colleague_is_seen_at_once(supervisor, monitor):
    _of(supervisor)
    newcomer = UserFactory(username="monitor.new", region=supervisor.region, role=Role.MONITOR)
    assert "monitor.new" in dict(_of(supervisor))
    monitor.first_name, monitor.last_name = "Renamed", "Person"
    monitor.save()
    assert dict(_of(supervisor))[monitor.username] == "Renamed Person"
    newcomer.delete()
    assert "monitor.new" not in dict(_of(supervisor))


def test_signing_in_changes_no_one_s_colleagues(supervisor, monitor):
    _of(supervisor)
    with CaptureQueriesContext(connection) as queries:
        update_last_login(None, monitor)
        _of(supervisor)
    assert [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"].upper()] == []


def test_a_save_that_writes_a_name_with_the_sign_in_time_is_seen(supervisor, monitor):
    _of(supervisor)
    monitor.first_name = "Also"
    monitor.save(update_fields=["last_login", "first_name"])
    assert dict(_of(supervisor))[monitor.username].startswith("Also")
