"""A partner's page statement is written once and run again with each new cursor (mission/api/rows.py):
the pages must be exactly what building the query every time gives, follow the filters' values, see
rows added since, and never keep a statement whose scope depends on more than the cursor."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from mission.api.rows import page_statements
from rights.api.views import HearingList
from rights.models import Court, Hearing
from tests.api.conftest import bearer, staff_key
from tests.conftest import require_service
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    # Elsewhere rows are read through the ORM's converters and nothing is kept.
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def hearings(monitor):
    """Published hearings at two courts, on different dates, and one not published."""
    prizren, peja = Court.objects.get(code="BC-PZ"), Court.objects.get(code="BC-PE")
    made = []
    for n in range(14):
        court = prizren if n % 2 else peja
        case = CaseFactory(court=court, municipality=court.seat)
        made.append(HearingFactory(case=case, date=datetime.date(2026, 3, 1) + datetime.timedelta(days=n)))
    Hearing.objects.filter(pk__in=[h.pk for h in made]).update(published=True)
    HearingFactory()  # not published: partners never see it
    return made


def every_page(client, query: str) -> list[dict]:
    rows, url = [], f"/api/v1/hearings/?page_size=3&{query}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


@pytest.mark.parametrize("query", ["", "region=PRZ", "date_from=2026-03-05&date_to=2026-03-12", "fields=date,court"])
def test_kept_statements_give_the_pages_built_every_time(partner_key, hearings, monkeypatch, query):
    client = bearer(partner_key)
    kept = every_page(client, query)
    assert page_statements.kept() == 2  # the first page's and the one after a cursor
    again = every_page(client, query)  # every page from the kept statements

    monkeypatch.setattr(HearingList, "partners_share_scope", False)
    page_statements.clear()
    built = every_page(client, query)

    assert kept == again == built
    assert page_statements.kept() == 0
    assert len(built) == {"": 14, "region=PRZ": 7, "date_from=2026-03-05&date_to=2026-03-12": 8}.get(query, 14)


def test_each_filter_value_has_its_own_statement(partner_key, hearings):
    client = bearer(partner_key)
    prizren = every_page(client, "court=BC-PZ")
    peja = every_page(client, "court=BC-PE")
    assert {row["court"] for row in prizren} == {"BC-PZ"}
    assert {row["court"] for row in peja} == {"BC-PE"}
    assert len(prizren) == len(peja) == 7


def test_a_hearing_published_after_the_statement_was_kept_is_on_the_next_page(partner_key, hearings):
    client = bearer(partner_key)
    first = client.get("/api/v1/hearings/?page_size=20").json()
    assert len(first["results"]) == 14
    late = HearingFactory(date=datetime.date(2026, 4, 1))
    Hearing.objects.filter(pk=late.pk).update(published=True)
    assert len(client.get("/api/v1/hearings/?page_size=20").json()["results"]) == 15


def test_a_scope_that_depends_on_the_time_is_not_kept(partner_key, hearings, monkeypatch):
    """Building the query twice gives different parameters (now() moved): the statement is not kept,
    and every page is built afresh."""
    monkeypatch.setattr(
        HearingList,
        "base_queryset",
        lambda self, request: Hearing.objects.published().filter(created_at__lte=timezone.now()),
    )
    rows = every_page(bearer(partner_key), "")
    assert len(rows) == 14
    assert page_statements.kept() == 0


def test_staff_pages_are_never_kept(supervisor, administrator, hearings):
    """A staff member's scope follows their roles, which can change between two pages."""
    rows = every_page(bearer(staff_key(supervisor, administrator)), "")
    assert rows
    assert page_statements.kept() == 0


def test_an_invalid_filter_is_refused_the_second_time_too(partner_key, hearings):
    client = bearer(partner_key)
    for _ in range(2):
        response = client.get("/api/v1/hearings/?date_from=yesterday")
        assert response.status_code == 400
        assert "date_from" in response.json()["errors"]
    assert page_statements.kept() == 0


def test_a_partner_never_reaches_another_partners_kept_statement(partner_key, hearings, administrator):
    """A filter holds the partner's own identifier of a case, decoded into the kept statement: another
    partner sending the same text gets the 400 a stranger's identifier gets, not that case's hearings."""
    from mission.api.services import token_issue
    from tests.factories import UserFactory

    first = bearer(partner_key)
    case_id = first.get("/api/v1/hearings/?page_size=1").json()["results"][0]["case"]
    assert len(every_page(first, f"case={case_id}")) == 1  # kept for this partner
    other = UserFactory(username="other.partner", partner=True)
    _token, key = token_issue(actor=administrator, user=other, name="Other NGO", scopes=["trial_monitoring"])
    refused = bearer(key).get(f"/api/v1/hearings/?case={case_id}")
    assert refused.status_code == 400
    assert "case" in refused.json()["errors"]
