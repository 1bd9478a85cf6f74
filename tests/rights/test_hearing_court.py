"""A hearing keeps its case's court (`Hearing.court`, denormalised so that the summaries rebuild one
court's month from the index on (court, date)): every service that creates a hearing or moves a case
keeps them equal, in its own transaction."""

import pytest
from django.db.models import F

from rights.models import Court, Hearing
from rights.services.cases import case_update
from tests.departments import contract_fixtures

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())


def _drifted() -> list[tuple[int, int, int]]:
    return list(Hearing.objects.exclude(court_id=F("case__court_id")).values_list("pk", "court_id", "case__court_id"))


def test_every_change_the_summaries_count_keeps_the_hearings_court(rights_summary_changes):
    # The changes of the test contract: hearings created and moved, a case moved to another court, …
    assert not _drifted()
    for change in rights_summary_changes:
        change()
        assert not _drifted(), change.__name__


def test_moving_a_case_to_another_court_moves_all_its_hearings_and_no_other(supervisor, trial_data):
    case, other = trial_data["prizren"], trial_data["mitrovica"]
    court = Court.objects.get(code="BC-PZ-SUH")  # a branch in the same region
    case.refresh_from_db()
    case_update(actor=supervisor, case=case, expected_version=case.version, reason="Transferred", court=court)
    assert list(Hearing.objects.filter(case=case).values_list("court_id", flat=True)) == [court.pk] * 3
    assert set(Hearing.objects.filter(case=other).values_list("court_id", flat=True)) == {other.court_id}
    assert not _drifted()
