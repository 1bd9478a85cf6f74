from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mission.accounts.models import User
from mission.accounts.roles import Role
from rights.models import Case, Flag, Hearing, Intervention, Observation, ObservationStatus

pytestmark = pytest.mark.django_db


def test_demo_data_creates_one_user_per_role_and_prints_a_working_password(geography, settings, tmp_path, capsys):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", records=40)
    out = capsys.readouterr().out
    password = out.split("password for all: ")[1].split(")")[0]
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.check_password(password)
        assert user.username in out
    cases = Case.objects.count()
    call_command("seed_demo", records=40)  # a second run neither fails nor duplicates
    assert User.objects.filter(username="demo.monitor").count() == 1
    assert Case.objects.count() == cases


def test_demo_trial_monitoring_data_covers_every_region_and_state(geography, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", records=40, stdout=StringIO())
    assert Case.objects.count() == 40
    assert set(Case.objects.values_list("municipality__region__code", flat=True)) == {"GJI", "MIT", "PEJ", "PRI", "PRZ"}
    assert set(Observation.objects.values_list("status", flat=True)) == set(ObservationStatus.values)
    assert Flag.objects.filter(status="open").exists()
    assert Flag.objects.filter(status="closed").exists()
    assert Intervention.objects.exists()
    assert Hearing.objects.filter(held=False).exists()


def test_demo_data_is_refused_outside_the_embedded_default(geography, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="only for the embedded default"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_every_department_that_declares_records_gets_its_demo_records_once(geography, settings, tmp_path):
    """The test department's demo data comes from its declaration (`demo_data`, `demo_users`) alone."""
    from django.core import mail
    from django.test import TestCase

    from mission import departments
    from mission.notifications.models import Notification

    settings.BASE_DIR = tmp_path
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", records=40, stdout=StringIO())
    # The demo's reviews and flags are listed for its users, and no mailbox hears of them.
    assert Notification.objects.exists()
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()
    assert mail.outbox == []
    declared = [config for config in departments.all() if config.records]
    assert declared
    counts = {}
    for config in declared:
        assert User.objects.filter(username__in=[u.username for u in config.demo_users]).count() == len(
            config.demo_users
        )
        model = config.records[0].get_model()
        counts[config.label] = model.objects.count()
        assert counts[config.label] > 0
        assert set(model.objects.values_list("status", flat=True)) >= {"draft", "submitted", "approved"}
    call_command("seed_demo", records=40, stdout=StringIO())
    assert {c.label: c.records[0].get_model().objects.count() for c in declared} == counts
