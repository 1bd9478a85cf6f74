"""Trial monitoring's tables (rights/tables.py) on the files the portal writes: one declaration of the
observations' columns for the page's CSV and the report's sheet (tests/test_exports.py tests the writers)."""

import pytest
from django.urls import reverse

from tests.test_exports import _csv_rows


@pytest.mark.django_db
@pytest.mark.usefixtures("trial_data")
def test_the_observations_page_and_report_take_their_columns_from_one_spec(department_head, tmp_path):
    """The page's CSV and the report's sheet are two subsets of the one declaration: the same column
    objects, and each file's header is its subset's."""
    from openpyxl import load_workbook

    from mission.reports.models import ReportJob
    from mission.reports.registry import ReportContext
    from rights import reports, tables
    from tests.conftest import client_for
    from tests.reports.conftest import PARAMS

    shared = {column.key: column for column in tables.OBSERVATIONS.columns}
    for use in (tables.OBSERVATIONS_PAGE, tables.OBSERVATIONS_REPORT):
        assert all(shared[column.key] is column for column in use.columns)
    assert set(shared) - {c.key for c in tables.OBSERVATIONS_PAGE.columns} == {"submitted"}
    assert set(shared) - {c.key for c in tables.OBSERVATIONS_REPORT.columns} == {"violations"}

    page = _csv_rows(client_for(department_head).get(reverse("rights:observation_export")))
    assert page[0] == tables.OBSERVATIONS_PAGE.headers()
    job = ReportJob(report_type="trial_monitoring_data", department="rights", language="en", format="xlsx")
    context = ReportContext(
        job=job,
        user=department_head,
        parameters=PARAMS,
        output=tmp_path / "report.xlsx",
        progress=lambda fraction, note: None,
        includes_restricted=False,
    )
    reports.build_trial_monitoring_data(context)
    sheet = load_workbook(context.output)["Observations"]
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == tables.OBSERVATIONS_REPORT.headers()
    # The same observations, with the same cells in the columns both have.
    report = list(sheet.iter_rows(min_row=2, values_only=True))
    both = ["case_number", "court", "region", "monitor", "status", "revision"]
    page_at = [tables.OBSERVATIONS_PAGE.columns.index(shared[key]) for key in both]
    report_at = [tables.OBSERVATIONS_REPORT.columns.index(shared[key]) for key in both]
    assert sorted([str(row[n]) for n in report_at] for row in report) == sorted(
        [row[n] for n in page_at] for row in page[1:]
    )
