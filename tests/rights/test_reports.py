"""Trial monitoring's reports: what the PDF, XLSX and CSV say, names and pseudonyms, the cases a
download logs, its monthly report's figures, its form's formats. Asking, running, the sweeper, clean-up
and who may do what are tested for every department in tests/reports/test_reports.py."""

import datetime
import io
import zipfile

import pypdf
import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from mission.audit.models import AccessLog
from mission.reports.models import ReportJob, ReportStatus
from mission.reports.services import (
    report_open,
    report_request,
    reports_schedule_monthly,
)
from tests.conftest import client_for
from tests.reports.conftest import PARAMS, _media  # noqa: F401 (report files in the test's folder)

pytestmark = pytest.mark.django_db
XLSX = {**PARAMS, "format": "xlsx"}


def _ask(user, report_type="trial_monitoring_data", **overrides):
    """Ask, and run what the request queues once it commits (tasks run in-process here)."""
    with committed():
        return report_request(actor=user, report_type=report_type, parameters={**PARAMS, **overrides})


def committed():
    """Run the on-commit callbacks (the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _of(obj) -> dict:
    """The access-log filter for one record (ids of different models can be equal)."""
    from django.contrib.contenttypes.models import ContentType

    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _clear(job) -> io.BytesIO:
    """The file as it is downloaded (a file with names is stored encrypted: tests/sensitivity)."""
    with report_open(job) as handle:
        return io.BytesIO(handle.read())


def _pdf_text(job) -> str:
    reader = pypdf.PdfReader(_clear(job))
    return "\n".join(page.extract_text() for page in reader.pages)


class TestFiles:
    def test_the_pdf_is_made_in_the_language_asked(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf", language="sq")
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error
        assert job.progress == 100
        assert job.file_name == "trial-monitoring-mission-2026-01-2026-03-sq.pdf"
        text = _pdf_text(job)
        assert "Monitorimi i gjykimeve" in text
        assert "Seancat e monitoruara" in text
        assert "Hearings monitored" not in text
        assert len(pypdf.PdfReader(_clear(job)).pages) >= 5

    def test_the_pdf_has_the_figures_and_a_section_per_region(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf")
        job.refresh_from_db()
        text = _pdf_text(job)
        assert "Hearings monitored 4 1" in text
        for name in ("Gjilan/Gnjilane", "Mitrovicë/Mitrovica", "Prizren", "Method"):
            assert name in text
        assert "A standard was rated a violation" in text  # the flag, in the flagged issues

    def test_the_pdf_counts_accused_persons_once_each(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf")
        job.refresh_from_db()
        text = _pdf_text(job)
        # One accused in each case; the Prizren one was heard three times, the Mitrovica one before too.
        assert "Accused persons 2 1" in text
        assert "Accused persons by sex" in text
        assert "Female 1 50.0 %" in text
        assert "Accused persons: juveniles and adults" in text
        assert "Accused persons by community" in text

    def test_the_xlsx_has_a_typed_sheet_each_with_a_frozen_header(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error
        workbook = load_workbook(_clear(job))
        assert workbook.sheetnames == ["Hearings", "Observations", "Accused"]
        hearings = workbook["Hearings"]
        assert hearings.freeze_panes == "A2"
        assert hearings["A1"].value == "Date"
        assert hearings["A1"].font.bold
        rows = list(hearings.iter_rows(min_row=2, values_only=True))
        assert len(rows) == 4  # the four hearings of January to March
        assert isinstance(rows[0][0], datetime.datetime)
        # Shown as a day, not a date and time: every date cell is formatted yyyy-mm-dd.
        assert {row[0].number_format for row in hearings.iter_rows(min_row=2)} == {"yyyy-mm-dd"}
        assert {row[6] for row in rows} == {True, False}  # held, as booleans
        observations = list(workbook["Observations"].iter_rows(min_row=2, values_only=True))
        assert len(observations) == 2
        # Each accused person once, however many hearings: the Prizren accused was heard three times.
        accused = list(workbook["Accused"].iter_rows(min_row=2, values_only=True))
        assert [row[4:] for row in accused] == [
            ("Male", "26–40", "Adult", "Albanian"),
            ("Female", "14–17", "Juvenile (under 18)", "Serb"),
        ]
        assert all(row[3].startswith("Accused ") for row in accused)  # pseudonyms, never names

    def test_the_csv_comes_as_three_files(self, department_head, trial_data):
        job = _ask(department_head, format="csv", language="sr-latn")
        job.refresh_from_db()
        assert job.file_name.endswith(".zip")
        with zipfile.ZipFile(_clear(job)) as archive:
            files = [archive.read(name).decode("utf-8-sig").splitlines() for name in archive.namelist()]
        assert len(files) == 3
        hearings = next(lines for lines in files if lines[0].startswith("Datum"))
        assert len(hearings) == 5  # header and four hearings
        assert sorted(len(lines) for lines in files) == [3, 3, 5]  # two observations, two accused persons

    @pytest.mark.parametrize("report_format", ["xlsx", "csv"])
    def test_no_file_carries_a_live_formula(self, supervisor, trial_data, report_format):
        from rights.models import Case, Observation, Party

        Case.objects.filter(pk=trial_data["prizren"].pk).update(case_number="=1+2")
        Party.objects.filter(case=trial_data["prizren"]).update(name="@SUM(A1:A9)")
        Observation.objects.update(summary="-2+3")
        job = _ask(supervisor, format=report_format)
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error
        if report_format == "xlsx":
            workbook = load_workbook(_clear(job))
            hearings = list(workbook["Hearings"].iter_rows(min_row=2))
            cell = next(row[1] for row in hearings if "1+2" in row[1].value)
            assert (cell.value, cell.data_type) == ("'=1+2", "s")  # text, not a formula
            # Only the start of a cell counts: a name after the pseudonym is left as typed.
            accused = {row[10].value for row in hearings if row[1].value == "'=1+2"}
            assert len(accused) == 1
            assert accused.pop().startswith("Accused ")
            observations = list(workbook["Observations"].iter_rows(min_row=2, values_only=True))
            assert {row[8] for row in observations} == {"'-2+3"}
            assert {type(row[6]) for row in observations} == {int}  # the revision stays a number
        else:
            with zipfile.ZipFile(_clear(job)) as archive:
                hearings = archive.read("hearings.csv").decode("utf-8-sig")
                observations = archive.read("observations.csv").decode("utf-8-sig")
            assert "'=1+2" in hearings
            assert ",=1+2" not in hearings
            assert "'-2+3" in observations


class TestNames:
    def test_staff_who_see_names_get_them(self, supervisor, trial_data):
        job = _ask(supervisor, format="xlsx")
        job.refresh_from_db()
        assert job.includes_restricted
        accused = {row[10] for row in load_workbook(_clear(job))["Hearings"].iter_rows(min_row=2, values_only=True)}
        assert any("Test Person" in value for value in accused)

    def test_management_gets_pseudonyms(self, management, trial_data):
        job = _ask(management, format="xlsx")
        job.refresh_from_db()
        assert not job.includes_restricted
        accused = {row[10] for row in load_workbook(_clear(job))["Hearings"].iter_rows(min_row=2, values_only=True)}
        assert all(value.startswith("Accused ") and ":" not in value for value in accused)
        assert len(accused) == 2

    def test_downloading_a_file_with_names_logs_each_case_it_names(self, department_head, monitor, trial_data):
        from django.contrib.contenttypes.models import ContentType

        from rights.models import Case
        from tests.factories import CaseFactory, HearingFactory, PartyFactory

        outside = CaseFactory(created_by=monitor)  # its only hearing is before the period: not in the file
        PartyFactory(case=outside)
        HearingFactory(case=outside, date=datetime.date(2025, 6, 1))
        job = _ask(department_head, format="xlsx")
        response = client_for(department_head).get(reverse("reports:download", args=[job.pk]))
        assert response.status_code == 200
        logged = set(
            AccessLog.objects.filter(
                user=department_head, content_type=ContentType.objects.get_for_model(Case)
            ).values_list("object_id", flat=True)
        )
        assert logged == {str(trial_data["prizren"].pk), str(trial_data["mitrovica"].pk)}
        assert AccessLog.objects.filter(user=department_head, **_of(job)).count() == 1

    def test_a_file_naming_more_cases_costs_no_more_queries(self, department_head, monitor, trial_data):
        """The cases a file names are recorded in bulk, not with a query for each case's court."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import CaseFactory, HearingFactory, PartyFactory

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                _ask(department_head, format="csv")
            return len(captured.captured_queries)

        queries()  # the first run also fills caches (content types, the summaries)
        before = queries()
        for _ in range(4):
            case = CaseFactory(created_by=monitor, court=trial_data["prizren"].court)
            PartyFactory(case=case)
            HearingFactory(case=case, date=datetime.date(2026, 2, 10))
        assert queries() == before


class TestAsking:
    def test_the_form_shows_what_is_wrong(self, department_head, trial_data):
        response = client_for(department_head).post(
            reverse("reports:create"),
            {
                "report_type": "trial_monitoring",
                "start": "2026-01",
                "end": "2026-03",
                "format": "xlsx",
                "language": "en",
            },
        )
        assert response.status_code == 400
        assert "This report comes as PDF." in response.content.decode()
        assert not ReportJob.objects.exists()

    def test_the_form_makes_the_report_and_shows_it(self, department_head, trial_data):
        client = client_for(department_head)
        with committed():
            response = client.post(
                reverse("reports:create"),
                {
                    "report_type": "trial_monitoring",
                    "start": "2026-01",
                    "end": "2026-03",
                    "format": "pdf",
                    "language": "sq",
                },
            )
        job = ReportJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:detail", args=[job.pk])
        page = client.get(response["Location"]).content.decode()
        assert 'value="100"' in page
        assert reverse("reports:download", args=[job.pk]) in page
        assert client.get(reverse("reports:status", args=[job.pk])).json()["status"] == "done"
        listing = client.get(reverse("reports:list")).content.decode()
        assert "Trial-monitoring report" in listing


class TestRunning:
    def test_the_monthly_reports_are_made_once_per_region(self, supervisor, trial_data):
        with committed():
            jobs = reports_schedule_monthly(month=datetime.date(2026, 2, 1))
        assert len(jobs) == 5
        assert reports_schedule_monthly(month=datetime.date(2026, 2, 1)) == []
        prizren = ReportJob.objects.get(region__code="PRZ")
        assert prizren.requested_by is None
        assert prizren.status == ReportStatus.DONE
        assert prizren.parameters["from"] == prizren.parameters["to"] == "2026-02"
        assert "Hearings monitored 2" in _pdf_text(prizren)
        # Scheduled reports of a region are the region's: its supervisor sees that one only.
        assert list(ReportJob.objects.visible_to(supervisor)) == [prizren]


def test_the_database_writes_the_csv_as_python_does(department_head, trial_data, tmp_path):
    """On PostgreSQL the CSV comes from COPY; it must say exactly what the portable writer says."""
    from django.db import connection

    from mission.exports import copy_csv_zip, python_csv_zip
    from mission.reports.registry import ReportContext
    from rights import reports
    from tests.conftest import require_service

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from rights.models import Party

    Party.objects.filter(role="accused").update(name='Name, with "quotes"')
    # Text that a spreadsheet would run: both writers neutralise it the same way.
    from rights.models import Case, Observation

    Case.objects.filter(pk=trial_data["prizren"].pk).update(case_number="=1+2")
    Case.objects.filter(pk=trial_data["mitrovica"].pk).update(case_number="\t@cmd")
    Observation.objects.update(summary="-2+3")
    job = ReportJob(report_type="trial_monitoring_data", department="rights", language="en", format="csv")
    outputs = {}
    for name, writer in (("copy", copy_csv_zip), ("python", python_csv_zip)):
        context = ReportContext(
            job=job,
            user=department_head,
            parameters=PARAMS,
            output=tmp_path / f"{name}.zip",
            progress=lambda fraction, note: None,
            includes_restricted=True,
        )
        regions = context.regions()
        tables = [reports._hearing_table(context, regions), reports._observation_table(context, regions)]
        writer(context.output, [*tables, reports._accused_table(context, regions)], context.progress)
        with zipfile.ZipFile(context.output) as archive:
            outputs[name] = {n: archive.read(n) for n in sorted(archive.namelist())}
    assert outputs["copy"] == outputs["python"]
    assert b'Name, with ""quotes""' in outputs["copy"]["hearings.csv"]
    assert b",'=1+2," in outputs["copy"]["hearings.csv"]
    assert b",'\t@cmd," in outputs["copy"]["hearings.csv"]
    assert b",'-2+3\n" in outputs["copy"]["observations.csv"]


class TestRollups:
    def test_a_scope_that_sees_nothing_sums_to_nothing(self):
        from django.db.models import F

        from mission.dashboards.rollup import Rollup, rollup_many
        from rights.models import HearingMonth

        nothing = Rollup(HearingMonth.objects.none(), {"month": F("month")}, {"hearings": F("hearings")})
        assert rollup_many([nothing]) == {}


class TestWhatUsersNoticed:
    """Issue 11, item 32: a tagged PDF, a filterable XLSX, a download link in the list, formats per report."""

    def test_the_pdf_is_tagged_for_screen_readers(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf")
        job.refresh_from_db()
        catalog = pypdf.PdfReader(_clear(job)).trailer["/Root"]
        assert "/StructTreeRoot" in catalog
        assert bool(catalog["/MarkInfo"]["/Marked"])
        assert catalog["/Lang"]  # the language a screen reader speaks it in

    def test_the_xlsx_sheets_have_an_autofilter_over_the_whole_table(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        workbook = load_workbook(_clear(job))
        hearings = workbook["Hearings"]
        assert hearings.auto_filter.ref == f"A1:{hearings.cell(1, hearings.max_column).column_letter}5"
        assert workbook["Observations"].auto_filter.ref.startswith("A1:")

    def test_the_form_tells_the_browser_which_formats_each_report_comes_in(self, department_head):
        html = client_for(department_head).get(reverse("reports:create")).content.decode()
        assert 'data-formats="{&quot;trial_monitoring&quot;: [&quot;pdf&quot;]' in html


def _page_fills(document) -> list[tuple[float, bool]]:
    """For each laid-out page of a WeasyPrint document: how far down its content reaches, as a share of
    the page's text block, and whether it starts a new part (`.new-page`: an earlier page may end short)."""
    pages = []
    for page in document.pages:
        box = page._page_box
        bottoms, starts_part = [], False
        for child in box.children[0].descendants():
            if child.element_tag not in ("html", "body"):
                bottoms.append(child.position_y + child.margin_height())
            element = getattr(child, "element", None)
            if element is not None and "new-page" in (element.get("class") or ""):
                starts_part = True
        pages.append(((max(bottoms, default=box.margin_top) - box.margin_top) / box.height, starts_part))
    return pages


def test_the_pdf_leaves_no_page_nearly_empty_before_a_long_chart(department_head, geography, monitor, monkeypatch):
    """A chart with a bar per court (about 40) and its table no longer jump whole to the next page,
    leaving most of a page empty (issue 11, item 29)."""
    from weasyprint.document import Document

    from rights.models import Court
    from tests.factories import CaseFactory, HearingFactory

    laid_out = []
    write_pdf = Document.write_pdf
    monkeypatch.setattr(Document, "write_pdf", lambda self, *a, **k: laid_out.append(self) or write_pdf(self, *a, **k))
    for court in Court.objects.filter(seat__isnull=False):
        HearingFactory(case=CaseFactory(court=court, created_by=monitor), date=datetime.date(2026, 2, 2))
    job = _ask(department_head, "trial_monitoring", format="pdf")
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error
    fills = _page_fills(laid_out[0])
    # The title page stands alone; a page may end short where the next starts a new part, and the last.
    for n in range(1, len(fills) - 1):
        fill, next_starts_part = fills[n][0], fills[n + 1][1]
        if not next_starts_part:
            assert fill > 0.5, f"page {n + 1} of {len(fills)} is {fill:.0%} full"
