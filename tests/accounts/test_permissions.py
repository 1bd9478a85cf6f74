import pytest
from django.core.exceptions import PermissionDenied

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


class TestQuestionsAboutOneRecord:
    """`region_of`, `department_of` and the rules built on them read what a record's queryset declares
    (its department, its path to a region); no caller walks the path itself."""

    def test_the_region_and_department_come_from_the_declared_path(self, monitor, geography):
        from mission.accounts.permissions import department_of, region_of
        from rights.models import Case
        from tests.factories import CaseFactory, FlagFactory, HearingFactory

        hearing = HearingFactory(case=CaseFactory(created_by=monitor))
        flag = FlagFactory(case=hearing.case, hearing=hearing)
        region = hearing.case.municipality.region_id
        assert region_of(hearing) == region_of(hearing.case) == region_of(flag) == region
        assert department_of(hearing) == Department.RIGHTS
        unsaved = Case(municipality=geography["MIT"].municipalities.first())
        assert region_of(unsaved) == geography["MIT"].pk

    def test_who_records_follows_up_and_reads_names(
        self, monitor, other_region_monitor, other_department_monitor, supervisor, management
    ):
        from mission.accounts.permissions import may_follow_up, may_record, reads_restricted, require_record
        from rights.models import Party
        from tests.factories import CaseFactory

        case = CaseFactory(created_by=monitor)
        assert may_record(monitor, case)
        assert not may_record(other_region_monitor, case)
        assert not may_record(other_department_monitor, case)
        assert not may_record(management, case)
        with pytest.raises(PermissionDenied):
            require_record(other_region_monitor, case)
        assert may_follow_up(supervisor, case)
        assert not may_follow_up(monitor, case)
        assert reads_restricted(monitor, Party)
        assert not reads_restricted(management, Party)

    def test_a_model_without_a_scoped_queryset_is_refused(self, geography):
        from field_offices.models import Region
        from mission.accounts.permissions import region_of

        with pytest.raises(TypeError):
            region_of(Region.objects.first())
