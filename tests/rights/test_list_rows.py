"""The rows of the trial-monitoring lists are Jinja2 fragments inside Django pages (mission/jinja.py):
what someone typed is escaped once, never twice and never not at all, on every list."""

import pytest
from django.urls import reverse

from rights.models import ObservationStatus
from tests.conftest import client_for
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory

pytestmark = pytest.mark.django_db

TYPED = "<b>P. nr. 1&2/2026</b>"
ESCAPED = "&lt;b&gt;P. nr. 1&amp;2/2026&lt;/b&gt;"


@pytest.mark.parametrize(
    ("url_name", "reader"),
    [
        ("rights:case_list", "department_head"),
        ("rights:hearing_list", "department_head"),
        ("rights:observation_list", "department_head"),
        ("rights:flag_list", "department_head"),
        ("rights:review_queue", "supervisor"),
    ],
)
def test_a_typed_case_number_is_escaped_once_in_every_list(url_name, reader, request, monitor):
    case = CaseFactory(case_number=TYPED, created_by=monitor)
    hearing = HearingFactory(case=case)
    ObservationFactory(hearing=hearing, monitor=monitor, status=ObservationStatus.SUBMITTED)
    FlagFactory(hearing=hearing, rule="not_recorded")
    page = client_for(request.getfixturevalue(reader)).get(reverse(url_name)).content.decode()
    assert ESCAPED in page
    assert TYPED not in page
    assert "&amp;lt;" not in page
    assert f'href="{reverse("rights:case_detail", args=[case.pk])}"' in page


@pytest.mark.parametrize(
    ("url_name", "reader"),
    [
        ("rights:observation_list", "department_head"),
        ("rights:review_queue", "supervisor"),
        ("reports:list", "department_head"),
    ],
)
def test_lists_that_show_people_never_read_their_password_hashes(url_name, reader, request, monitor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mission.reports.models import ReportJob

    hearing = HearingFactory(case=CaseFactory(created_by=monitor))
    ObservationFactory(hearing=hearing, monitor=monitor, status=ObservationStatus.SUBMITTED)
    user = request.getfixturevalue(reader)
    ReportJob.objects.create(requested_by=user, report_type="trial_monitoring", parameters={}, format="pdf")
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert monitor.get_full_name() in response.content.decode() or url_name == "reports:list"
    read = [q["sql"] for q in queries.captured_queries if '"password"' in q["sql"]]
    # The session's user is read whole by Django's authentication, once; the rows' people are not.
    assert len(read) <= 1, read


@pytest.mark.parametrize(
    ("url_name", "reader", "table"),
    [
        ("rights:hearing_list", "department_head", "rights_hearing"),
        ("rights:observation_list", "department_head", "rights_observation"),
        ("rights:review_queue", "supervisor", "rights_observation"),
    ],
)
def test_list_rows_read_the_columns_they_show_only(url_name, reader, table, request, monitor):
    """A timestamp the rows do not show is not fetched (each costs a conversion per row); what they show
    is still there, in each language, with no query per row."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rights.models import Court

    case = CaseFactory(created_by=monitor)
    court = case.court
    Court.objects.filter(pk=court.pk).update(name_en="Basic Court X", name_sq="Gjykata X", name_sr="Sud X")
    for day in (1, 2):
        hearing = HearingFactory(case=case, court=court, date=f"2026-03-0{day}")
        ObservationFactory(hearing=hearing, monitor=monitor, status=ObservationStatus.SUBMITTED)
    client = client_for(request.getfixturevalue(reader))
    for language, name in (("en", "Basic Court X"), ("sq", "Gjykata X")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse(url_name)).content.decode()
        rows_html = page[page.index("<tbody>") : page.index("</tbody>")]
        assert name in rows_html  # the court of the row, in the reader's language
        assert case.case_number in rows_html
        rows = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"] and "LIMIT" in q["sql"]]
        assert len(rows) == 1, rows
        assert f'"{table}"."created_at"' not in rows[0]
        assert '"rights_case"."charges"' not in rows[0]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(url_name))  # the options of the filters now read in both languages
    before = len(queries)
    other = HearingFactory(case=CaseFactory(created_by=monitor))  # another case: its own instances
    ObservationFactory(hearing=other, monitor=monitor, status=ObservationStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse(url_name)).content.decode()
    assert other.case.case_number in page
    assert len(queries) == before  # no query for a field the rows left out
