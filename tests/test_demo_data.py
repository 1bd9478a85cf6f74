import pytest
from django.core.management import CommandError, call_command

from mission.accounts.models import User
from mission.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_data_creates_one_user_per_role_and_prints_a_working_password(geography, settings, tmp_path, capsys):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo")
    out = capsys.readouterr().out
    password = out.split("password for all: ")[1].split(")")[0]
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.check_password(password)
        assert user.username in out
    call_command("seed_demo")  # a second run neither fails nor duplicates
    assert User.objects.filter(username="demo.monitor").count() == 1


def test_demo_data_is_refused_outside_the_embedded_default(geography, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="only for the embedded default"):
        call_command("seed_demo")
    assert not User.objects.exists()
