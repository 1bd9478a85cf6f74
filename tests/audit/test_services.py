"""The audit services that write many rows at once: what a report's file holds (disclosures) and the
access rows its download writes, the same whether the rows are written by Python or by the database."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from mission.audit.models import AccessLog, Disclosure
from mission.audit.services import access_record, disclosure_replace
from rights.models import Case
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(monitor):
    """Any saved record can hold others; a case stands in for a report's job here."""
    return CaseFactory(created_by=monitor)


def _held(holder) -> list[tuple]:
    return sorted(
        Disclosure.objects.filter(
            holder_type=ContentType.objects.get_for_model(holder), holder_id=str(holder.pk)
        ).values_list("content_type__model", "object_id", "object_repr")
    )


def test_recording_a_queryset_in_one_statement_writes_what_the_python_way_writes(holder, monitor):
    cases = [CaseFactory(created_by=monitor, case_number=f"K. {n} =x") for n in range(3)]
    CaseFactory(created_by=monitor)  # not held
    by_python = disclosure_replace(holder=holder, objs=cases)
    python_rows = _held(holder)
    selection = Case.objects.filter(pk__in=[c.pk for c in cases])
    by_sql = disclosure_replace(holder=holder, objs=selection, label=Case.label_expression())
    assert by_python == by_sql == 3
    assert _held(holder) == python_rows  # replaced, not added to
    assert {row[2] for row in python_rows} == {str(c) for c in cases}


def test_a_label_is_cut_to_the_column_and_an_empty_selection_holds_nothing(holder, monitor):
    long_case = CaseFactory(created_by=monitor, case_number="N" * 60)
    disclosure_replace(holder=holder, objs=Case.objects.filter(pk=long_case.pk), label=Case.label_expression())
    assert _held(holder)[0][2] == str(long_case)[:200]
    assert disclosure_replace(holder=holder, objs=Case.objects.none(), label=Case.label_expression()) == 0
    assert _held(holder) == []


def test_a_download_logs_the_holder_and_every_record_it_holds_with_one_time_and_path(holder, monitor):
    reader = UserFactory(username="reader")
    cases = [CaseFactory(created_by=monitor) for _ in range(3)]
    disclosure_replace(
        holder=holder, objs=Case.objects.filter(pk__in=[c.pk for c in cases]), label=Case.label_expression()
    )
    log = access_record(actor=reader, obj=holder, path="/reports/7/download/")
    rows = AccessLog.objects.filter(user=reader).exclude(pk=log.pk)
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in cases)
    assert set(rows.values_list("at", "path")) == {(log.at, "/reports/7/download/")}
    assert set(rows.values_list("object_repr", flat=True)) == {str(c) for c in cases}


def test_a_view_and_what_its_record_holds_are_logged_together_or_not_at_all(holder, monitor, monkeypatch):
    from mission.audit import services

    cases = [CaseFactory(created_by=monitor) for _ in range(2)]
    disclosure_replace(holder=holder, objs=cases)
    reader = UserFactory()

    if connection.vendor == "postgresql":
        # One statement writes both (`_access_statement`): a row of what the file holds that the table
        # refuses undoes the holder's row too.
        poisoned = Disclosure.objects.filter(holder_id=str(holder.pk)).first()
        poisoned.object_repr = "poison"
        poisoned.save()
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_accesslog ADD CONSTRAINT no_poison CHECK (object_repr <> 'poison')")
        with pytest.raises(IntegrityError), transaction.atomic():
            access_record(actor=reader, obj=holder, path="/reports/7/download/")
    else:

        def failing(*args, **kwargs):
            raise RuntimeError("the database went away after the first row")

        monkeypatch.setattr(services, "insert_select", failing)
        with pytest.raises(RuntimeError):
            access_record(actor=reader, obj=holder, path="/reports/7/download/")
    assert not AccessLog.objects.filter(user=reader).exists()
    monkeypatch.undo()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_accesslog DROP CONSTRAINT no_poison")
    access_record(actor=reader, obj=holder, path="/reports/7/download/")
    assert AccessLog.objects.filter(user=reader).count() == 3


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_view_is_logged_by_one_prepared_statement(monitor):
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import require_service

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    holder = CaseFactory(created_by=monitor)
    cases = [CaseFactory(created_by=monitor) for _ in range(2)]
    disclosure_replace(holder=holder, objs=cases)
    reader = UserFactory()
    first = access_record(actor=reader, obj=holder, path="/a/")
    with CaptureQueriesContext(connection) as queries:
        second = access_record(actor=reader, obj=holder, path="/b/")
    assert [q["sql"].split(" ", 1)[0] for q in queries.captured_queries] == ["EXECUTE"]
    assert second.pk != first.pk
    assert AccessLog.objects.get(pk=second.pk).object_repr == str(holder)
    assert sorted(AccessLog.objects.filter(user=reader, path="/b/").values_list("object_id", flat=True)) == sorted(
        str(r.pk) for r in (holder, *cases)
    )
