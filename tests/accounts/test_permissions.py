import pytest

from mission.accounts.models import User
from mission.accounts.permissions import Capability, has_capability, scope_for
from mission.accounts.roles import Department

pytestmark = pytest.mark.django_db


def test_monitor_scope_is_their_department_in_their_region(monitor):
    scope = scope_for(monitor)
    assert scope.departments == {Department.RIGHTS}
    assert scope.region_ids == {monitor.region_id}


def test_department_head_scope_is_their_department_everywhere(department_head):
    scope = scope_for(department_head)
    assert scope.departments == {Department.RIGHTS}
    assert scope.region_ids is None


def test_management_sees_everything(management):
    scope = scope_for(management)
    assert (scope.departments, scope.region_ids, scope.nothing) == (None, None, False)


@pytest.mark.parametrize("actor", ["partner", "administrator"])
def test_partners_and_administrators_read_no_mission_records(request, actor):
    assert scope_for(request.getfixturevalue(actor)).nothing


def test_inactive_users_can_do_nothing(monitor):
    monitor.is_active = False
    assert not has_capability(monitor, Capability.READ_RECORDS)
    assert scope_for(monitor).nothing


def test_capabilities_follow_the_role(monitor, supervisor, partner, administrator):
    assert has_capability(monitor, Capability.RECORD)
    assert not has_capability(monitor, Capability.REVIEW)
    assert has_capability(supervisor, Capability.REVIEW)
    assert [c for c in Capability if has_capability(partner, c)] == [Capability.API]
    assert has_capability(administrator, Capability.ADMINISTER)
    assert not has_capability(supervisor, Capability.ADMINISTER)


def test_colleagues_visible_to_a_monitor_are_their_department_in_their_region(
    monitor, supervisor, other_region_monitor, other_department_monitor, department_head, partner
):
    assert set(User.objects.visible_to(monitor)) == {monitor, supervisor}


def test_department_head_sees_their_department_everywhere_but_no_partners(
    monitor, other_region_monitor, other_department_monitor, department_head, partner
):
    assert set(User.objects.visible_to(department_head)) == {monitor, other_region_monitor, department_head}


def test_administrator_sees_every_account(monitor, partner, administrator):
    assert set(User.objects.visible_to(administrator)) == {monitor, partner, administrator}


def test_partner_sees_no_colleagues(monitor, partner):
    assert not User.objects.visible_to(partner).exists()
