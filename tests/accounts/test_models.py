import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from field_offices.models import FieldTeam
from mission.accounts.models import User
from mission.accounts.roles import Department, Role
from mission.accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_a_monitor_needs_a_region(geography):
    with pytest.raises(ValidationError) as excinfo:
        user_create(username="x", role=Role.MONITOR, department=Department.RIGHTS)
    assert "region" in excinfo.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_a_monitor_belongs_to_a_programme_department(geography):
    with pytest.raises(ValidationError) as excinfo:
        user_create(username="x", role=Role.MONITOR, department=Department.MISSION, region=geography["PRZ"])
    assert "department" in excinfo.value.message_dict


def test_a_field_team_must_lie_in_the_users_region(geography):
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            username="x",
            role=Role.MONITOR,
            department=Department.RIGHTS,
            region=geography["PRZ"],
            field_team=FieldTeam.objects.get(code="FT-MIT-01"),
        )
    assert "field_team" in excinfo.value.message_dict


def test_a_field_team_places_the_user_in_its_region(geography):
    user = user_create(
        username="x",
        role=Role.MONITOR,
        department=Department.RIGHTS,
        field_team=FieldTeam.objects.get(code="FT-MIT-01"),
    )
    assert user.region == geography["MIT"]
    assert user.placement.startswith("Field team")


def test_only_administrators_hold_django_staff_flags_even_bypassing_validation(geography):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.MANAGEMENT, department=Department.MISSION, is_staff=True)


def test_user_create_gives_administrators_the_admin_flags(geography):
    admin = user_create(username="a", role=Role.ADMINISTRATOR, department=Department.MISSION, password="x" * 12)
    head = user_create(username="h", role=Role.DEPARTMENT_HEAD, department=Department.RIGHTS)
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert (head.is_staff, head.is_superuser) == (False, False)
    assert not head.has_usable_password()


def test_createsuperuser_makes_an_administrator(geography):
    user = User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    assert user.role == Role.ADMINISTRATOR
    assert user.department == Department.MISSION


def test_placement_describes_headquarters_and_partners(department_head, partner, supervisor):
    assert department_head.placement == "Headquarters"
    assert partner.placement == "Test NGO"
    assert supervisor.placement == "Regional centre Prizren"


def test_user_changes_keep_a_history_without_the_password(monitor, administrator):
    monitor.first_name = "Changed"
    monitor._history_user = administrator
    monitor.save()
    latest = monitor.history.first()
    assert latest.first_name == "Changed"
    assert latest.history_user == administrator
    assert not hasattr(latest, "password")
