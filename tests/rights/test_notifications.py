"""Notifications in trial monitoring and the kit's pages: an observation returned or approved, a flag
in one's scope, a report ready, tomorrow's hearing; e-mail at once or in a digest, in the reader's
language, with no names; the list, opening, marking read, the settings; every kind of actor."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mission.notifications.models import Notification, NotificationSettings
from mission.notifications.services import notifications_digest, notifications_morning, notify
from rights.services.observations import observation_approve, observation_return, observation_submit
from rights.services.planning import planned_hearing_assign, planned_hearing_create
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.rights.conftest import all_complied, hearing_fields

pytestmark = pytest.mark.django_db


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def submitted(monitor, observation, standards):
    return observation_submit(
        actor=monitor,
        observation=observation,
        expected_version=observation.version,
        summary="s",
        ratings=all_complied(standards),
    )


def test_a_returned_observation_tells_its_monitor_by_e_mail_at_once(monitor, supervisor, submitted):
    with committed():
        observation_return(
            actor=supervisor, observation=submitted, expected_version=submitted.version, comment="Arben Testi?"
        )
    notification = Notification.objects.get(user=monitor)
    assert notification.kind == "returned"
    assert notification.url == reverse("rights:observation_detail", args=[submitted.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [monitor.email]
    assert "Your observation was returned to you for changes." in message.body
    assert f"/trial-monitoring/observations/{submitted.pk}/" in message.body
    assert "Arben" not in message.body + message.subject  # neither a name nor the comment
    assert Notification.objects.get(pk=notification.pk).mailed_at is not None


def test_an_e_mail_is_in_the_reader_s_language_and_a_muted_kind_is_not_mailed(monitor, supervisor, submitted):
    NotificationSettings.objects.create(user=monitor, email="immediate", language="sq", muted=[])
    with committed():
        observation_approve(actor=supervisor, observation=submitted, expected_version=submitted.version)
    assert "u miratua" in mail.outbox[0].body.lower()
    NotificationSettings.objects.filter(user=monitor).update(muted=["approved"])
    with committed():
        notify([monitor], "approved", record="model:rights.observation")
    assert len(mail.outbox) == 1  # muted: listed in the portal only
    assert Notification.objects.filter(user=monitor).count() == 2


def test_a_flag_tells_the_region_s_supervisor_and_the_head_only(monitor, supervisor, department_head, case, geography):
    elsewhere = UserFactory(username="supervisor.mit", supervisor=True, region=geography["MIT"])
    from rights.services.hearings import hearing_create

    hearing_create(actor=monitor, case=case, **hearing_fields(recorded=False))  # "hearing not recorded"
    told = set(Notification.objects.filter(kind="flag").values_list("user__username", flat=True))
    assert told == {"supervisor", "head"}
    assert elsewhere.username not in told


def test_the_daily_digest_gathers_what_came_in_one_e_mail(monitor, supervisor):
    NotificationSettings.objects.create(user=monitor, email="daily", language="en", muted=[])
    with committed():
        notify([monitor], "approved", record="model:rights.observation")
        notify([monitor], "returned", record="model:rights.observation")
    assert mail.outbox == []  # not at once
    assert notifications_digest() == 1
    assert len(mail.outbox) == 1
    assert "(2)" in mail.outbox[0].subject
    assert notifications_digest() == 0  # nothing new


def test_the_morning_reminds_who_is_sent_to_tomorrow_s_hearing(monitor, supervisor, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    planned = planned_hearing_create(
        actor=monitor, court=case.court, case_number=case.case_number, date=tomorrow, start=datetime.time(9, 30)
    )
    planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor])
    with committed():
        done = notifications_morning(today=timezone.localdate())
    assert done["rights.services.planning.plans_remind_tomorrow"] == 1
    assert f"Tomorrow at 09:30 you are due at a hearing at {case.court.name}." in mail.outbox[0].body
    assert case.case_number not in mail.outbox[0].body


def test_a_finished_report_tells_who_asked(supervisor, trial_data, settings, tmp_path):
    from mission.reports.services import report_request

    settings.MEDIA_ROOT = tmp_path
    parameters = {"from": "2026-01", "to": "2026-03", "region": "", "format": "csv", "language": "en"}
    with committed():
        job = report_request(actor=supervisor, report_type="trial_monitoring_data", parameters=parameters)
    notification = Notification.objects.get(user=supervisor, kind="report_ready")
    assert notification.url == reverse("reports:detail", args=[job.pk])
    assert (
        "Your report “Hearings and observations (data)” is ready to download."
        in client_for(supervisor).get(reverse("notifications:list")).content.decode()
    )


class TestPages:
    @pytest.mark.parametrize(
        ("actor", "status"),
        [
            ("monitor", 200),
            ("supervisor", 200),
            ("department_head", 200),
            ("management", 200),
            ("administrator", 200),
            ("partner", 403),
        ],
    )
    def test_everyone_on_staff_has_a_list_and_settings(self, request, actor, status):
        client = client_for(request.getfixturevalue(actor))
        assert client.get(reverse("notifications:list")).status_code == status
        assert client.get(reverse("notifications:settings")).status_code == status

    def test_anonymous_users_sign_in_first(self, geography):
        for name in ("notifications:list", "notifications:settings"):
            assert reverse("accounts:login") in client_for(None).get(reverse(name))["Location"]

    def test_opening_marks_read_and_leads_to_the_record_and_another_s_is_not_found(self, monitor, supervisor):
        mine = notify([monitor], "approved", url="/trial-monitoring/observations/", record="model:rights.observation")[
            0
        ]
        client = client_for(monitor)
        page = client.get(reverse("notifications:list")).content.decode()
        assert "Your observation was approved." in page
        assert "1 unread." in page
        response = client.get(reverse("notifications:open", args=[mine.pk]))
        assert response["Location"] == "/trial-monitoring/observations/"
        assert Notification.objects.get(pk=mine.pk).read_at is not None
        assert client_for(supervisor).get(reverse("notifications:open", args=[mine.pk])).status_code == 404

    def test_a_link_out_of_the_portal_is_not_followed(self, monitor):
        odd = notify([monitor], "approved", url="//evil.example/", record="model:rights.observation")[0]
        response = client_for(monitor).get(reverse("notifications:open", args=[odd.pk]))
        assert response["Location"] == reverse("notifications:list")

    def test_mark_all_read_takes_a_post(self, monitor):
        notify([monitor], "approved", record="model:rights.observation")
        client = client_for(monitor)
        assert client.get(reverse("notifications:read")).status_code == 405
        client.post(reverse("notifications:read"))
        assert not Notification.objects.filter(read_at__isnull=True).exists()

    def test_the_settings_are_kept_and_bad_input_changes_nothing(self, monitor):
        client = client_for(monitor)
        bad = client.post(reverse("notifications:settings"), {"email": "hourly", "language": "xx"})
        assert bad.status_code == 400
        assert not NotificationSettings.objects.exists()
        client.post(reverse("notifications:settings"), {"email": "daily", "mailed": ["flag"], "language": "sr-latn"})
        saved = NotificationSettings.objects.get(user=monitor)
        assert (saved.email, saved.language) == ("daily", "sr-latn")
        assert "flag" not in saved.muted
        assert "approved" in saved.muted


def test_the_morning_reminds_who_planned_an_intervention_for_today(monitor, supervisor, case):
    from rights.models import Flag, Intervention
    from rights.services.hearings import hearing_create

    hearing_create(actor=monitor, case=case, **hearing_fields(recorded=False))
    flag = Flag.objects.get()
    today = timezone.localdate()
    for status in ("planned", "done"):
        Intervention.objects.create(
            flag=flag,
            intervention_type="letter",
            addressee="Court President",
            date=today,
            status=status,
            recorded_by=supervisor,
        )
    Intervention.objects.create(
        flag=flag,
        intervention_type="meeting",
        addressee="Court President",
        date=today + datetime.timedelta(days=1),
        recorded_by=supervisor,
    )
    Notification.objects.all().delete()
    with committed():
        done = notifications_morning(today=today)
    assert done["rights.services.flags.interventions_remind_due"] == 1
    notification = Notification.objects.get(kind="intervention_due")
    assert notification.user == supervisor
    assert notification.url == reverse("rights:flag_detail", args=[flag.pk])
    assert "An intervention you planned is due today: Letter" in mail.outbox[-1].body
    assert "Court President" not in mail.outbox[-1].body
