"""What waits for review per declared record type (`mission.records.counters`): kept by every write of a
record, shown on the overview from those counts (no count over the records' tables), scoped to the
reader's department and region, repaired by the nightly rebuild and filled once by the migrations.
(That every change of a department's contract keeps them equal to a count from the records is in
tests/dashboards/test_live_counts.py.)"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democratization.models import JournalistIncident
from mission.dashboards.models import LiveCount
from mission.dashboards.services import summaries_refresh
from mission.records.counters import waiting_counts_fill, waiting_name
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.departments import contract_fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())

NAME = waiting_name(JournalistIncident)
LABEL = "journalist safety incidents waiting for review"


def _kept() -> int:
    return sum(LiveCount.objects.filter(name=NAME).values_list("count", flat=True))


def _shown(user) -> str:
    page = client_for(user).get(reverse("dashboards:overview")).content.decode()
    found = re.search(rf'attention-count">([^<]*)</span> {LABEL}', page, re.I)
    assert found is not None, "the overview shows what waits for review"
    return found.group(1)


@pytest.fixture
def democratization(democratization_actors, democratization_objects):
    summaries_refresh()  # as the nightly rebuild leaves them
    return democratization_actors, democratization_objects


def test_the_overview_reads_the_kept_counts_not_the_records(democratization):
    actors, _objects = democratization
    assert _kept() == 1  # the contract's one submitted incident
    with CaptureQueriesContext(connection) as queries:
        assert _shown(actors["department_head"]) == "1"
    table = JournalistIncident._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if table in q["sql"]]


def test_a_review_decision_and_a_delete_change_the_count_at_once(democratization):
    actors, objects = democratization
    head, supervisor = actors["department_head"], actors["supervisor"]
    submitted = JournalistIncident.objects.get(pk=objects["submitted"].pk)
    record_approve(actor=supervisor, record=submitted, expected_version=submitted.version)
    assert _kept() == 0
    assert _shown(head) == "0"
    submitted.status = "submitted"
    submitted.save()
    assert _shown(head) == "1"
    submitted.delete()
    assert _kept() == 0
    assert _shown(head) == "0"


def test_the_count_covers_the_readers_regions_only(democratization, geography):
    actors, _objects = democratization
    assert _shown(actors["supervisor"]) == "1"  # the supervisor of the incident's region
    elsewhere = UserFactory(
        username="dem.supervisor.mitrovica", department="democratization", supervisor=True, region=geography["MIT"]
    )
    assert _shown(elsewhere) == "0"


def test_the_nightly_rebuild_repairs_a_change_made_without_a_write_of_the_model(democratization):
    JournalistIncident.objects.filter(status="submitted").update(status="approved")
    assert _kept() == 1  # a fix in the database: no signal, the counts do not know
    summaries_refresh()
    assert _kept() == 0


def test_the_migration_fills_the_counts_from_the_records(democratization):
    LiveCount.objects.filter(name=NAME).delete()
    fill = waiting_counts_fill(
        "democratization", "democratization", ("JournalistIncident", "ParticipationActivity", "GovernanceAssessment")
    )
    fill(apps, connection.schema_editor())
    assert _kept() == 1
    kept = set(LiveCount.objects.filter(name__endswith=".waiting").values_list("name", "department", "region_id"))
    submitted = JournalistIncident.objects.get(status="submitted")
    assert (NAME, "democratization", submitted.municipality.region_id) in kept
