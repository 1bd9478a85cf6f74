"""Retention: logs, history and the names in old records are purged or anonymised past their periods
(mission/retention.py), by the management command and by the beat task."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from mission.api.models import ApiRequestLog
from mission.audit.models import AccessLog
from rights.models import Case, Hearing, Party
from tests.factories import CaseFactory, HearingFactory, PartyFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def old_and_new(monitor):
    """Rows on each side of every retention period."""
    api_days = settings.RETENTION_API_REQUEST_LOG_DAYS
    access_days = settings.RETENTION_ACCESS_LOG_DAYS
    names_days = settings.RETENTION_PARTY_NAMES_DAYS
    history_days = settings.RETENTION_HISTORY_DAYS

    for age in (api_days + 1, api_days - 1):
        log = ApiRequestLog.objects.create(method="GET", path=f"/api/v1/cases/?{age}", status=200, duration_ms=3)
        ApiRequestLog.objects.filter(pk=log.pk).update(at=_days_ago(age))
    case_type = ContentType.objects.get_for_model(Case)
    for age in (access_days + 1, access_days - 1):
        log = AccessLog.objects.create(user=monitor, content_type=case_type, object_id=str(age), object_repr="c")
        AccessLog.objects.filter(pk=log.pk).update(at=_days_ago(age))

    dormant = CaseFactory(created_by=monitor)
    PartyFactory(case=dormant, role="accused", ordinal=1, name="Dormant Oldname")
    HearingFactory(case=dormant, date=(NOW - datetime.timedelta(days=names_days + 10)).date())
    active = CaseFactory(created_by=monitor)
    PartyFactory(case=active, role="accused", ordinal=1, name="Active Recentname")
    HearingFactory(case=active, date=(NOW - datetime.timedelta(days=3)).date())
    Case.objects.filter(pk=dormant.pk).update(last_hearing_date=Hearing.objects.get(case=dormant).date)
    Case.objects.filter(pk=active.pk).update(last_hearing_date=(NOW - datetime.timedelta(days=3)).date())
    old = _days_ago(max(names_days, history_days) + 10)
    Case.objects.filter(pk=dormant.pk).update(updated_at=old)
    Party.objects.filter(case=dormant).update(updated_at=old)
    # The dormant case was made long ago, then changed once since; the active one changes now.
    Case.history.filter(id=dormant.pk).update(history_date=old)
    Party.history.filter(case_id=dormant.pk).update(history_date=old)
    dormant.charges = "CCK Art. 187"
    dormant._change_reason = "later change"
    dormant.save()
    Case.objects.filter(pk=dormant.pk).update(updated_at=old)
    return {"dormant": dormant, "active": active}


def _assert_purged(old_and_new) -> None:
    dormant, active = old_and_new["dormant"], old_and_new["active"]
    assert ApiRequestLog.objects.count() == 1
    assert ApiRequestLog.objects.get().path.endswith(f"?{settings.RETENTION_API_REQUEST_LOG_DAYS - 1}")
    assert list(AccessLog.objects.values_list("object_id", flat=True)) == [str(settings.RETENTION_ACCESS_LOG_DAYS - 1)]
    # Names of a case nobody has touched for the period are replaced by their pseudonyms, history too.
    assert list(Party.objects.filter(case=dormant).values_list("name", flat=True)) == ["Accused A"]
    assert not Party.history.filter(name="Dormant Oldname").exists()
    assert list(Party.objects.filter(case=active).values_list("name", flat=True)) == ["Active Recentname"]
    # History older than the period goes, but each record keeps its latest entry.
    assert list(Case.history.filter(id=dormant.pk).values_list("history_change_reason", flat=True)) == ["later change"]
    assert Case.history.filter(id=active.pk).exists()


def test_the_command_purges_and_anonymises_past_the_periods(old_and_new):
    out = StringIO()
    call_command("retention_purge", stdout=out)
    _assert_purged(old_and_new)
    assert "API requests" in out.getvalue()


def test_the_beat_task_does_the_same(old_and_new):
    from mission.audit.tasks import retention_purge

    retention_purge()
    _assert_purged(old_and_new)
    assert any(entry["task"] == retention_purge.name for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_a_period_of_zero_keeps_everything(old_and_new, settings):
    settings.RETENTION_API_REQUEST_LOG_DAYS = 0
    settings.RETENTION_ACCESS_LOG_DAYS = 0
    settings.RETENTION_PARTY_NAMES_DAYS = 0
    settings.RETENTION_HISTORY_DAYS = 0
    call_command("retention_purge", stdout=StringIO())
    assert ApiRequestLog.objects.count() == 2
    assert AccessLog.objects.count() == 2
    assert Party.objects.filter(name="Dormant Oldname").exists()
    assert Case.history.filter(id=old_and_new["dormant"].pk).count() == 2


def test_a_dry_run_changes_nothing(old_and_new):
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)
    assert ApiRequestLog.objects.count() == 2
    assert Party.objects.filter(name="Dormant Oldname").exists()
    assert "would" in out.getvalue()


def test_form_tokens_are_kept_only_as_long_as_a_form_may_be_sent_again(monitor):
    import uuid

    from mission.accounts.models import FormSubmission
    from mission.retention import retention_purge

    old = FormSubmission.objects.create(token=uuid.uuid4(), user=monitor, url="/a/")
    recent = FormSubmission.objects.create(token=uuid.uuid4(), user=monitor, url="/b/")
    FormSubmission.objects.filter(pk=old.pk).update(created_at=_days_ago(settings.RETENTION_FORM_TOKENS_DAYS + 1))
    retention_purge(now=NOW)
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
