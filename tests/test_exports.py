"""The files the portal writes (mission/exports/): text that a spreadsheet would run as a formula is
written as text (OWASP CSV injection), numbers stay numbers; a table's columns are declared once and
every writer (a page's CSV, a report's XLSX, CSV and COPY) reads them, with the same cells."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from mission.exports import (
    Choice,
    Column,
    DisplayName,
    Field,
    Filled,
    Filling,
    FreeText,
    Merged,
    PseudonymOf,
    Source,
    Table,
    TableSpec,
    YesNo,
    copy_csv_zip,
    csv_response,
    neutralise,
    python_csv_zip,
    table_csv_response,
)
from rights.models import AdjournmentReason

HOSTILE = ["=1+2", "+1", "-2+3", "@SUM(A1:A2)", "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["P. nr. 1/2026", "", "a=b", "1-2", -5, -2.5, 0, None, True])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


def test_a_csv_export_writes_formulas_as_text_and_numbers_as_numbers():
    response = csv_response("x.csv", ["Case", "Change"], [["=1+2", -3], ["@cmd", 4], ["-2+3", -0.5]])
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [["Case", "Change"], ["'=1+2", "-3"], ["'@cmd", "4"], ["'-2+3", "-0.5"]]


def test_only_the_declared_text_columns_are_neutralised_and_tuples_are_fine():
    """Columns the portal writes itself are left as they are; a formula in a declared text column is
    neutralised whether the rows are lists or tuples."""
    response = csv_response("x.csv", ["Case", "Label"], [("=1+2", "-label"), ["@cmd", "+x"]], text_columns=[0])
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [["Case", "Label"], ["'=1+2", "-label"], ["'@cmd", "+x"]]


def test_a_long_export_streams_in_batches_and_keeps_every_row():
    from mission.exports import BATCH_ROWS

    rows = [[f"=row {n}", n] for n in range(2 * BATCH_ROWS + 7)]
    chunks = list(csv_response("x.csv", ["Text", "N"], iter(rows)).streaming_content)
    assert len(chunks) == 4  # the header at once, then three batches
    written = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert written[1:] == [[f"'=row {n}", str(n)] for n in range(2 * BATCH_ROWS + 7)]


@pytest.mark.django_db
def test_the_database_neutralises_every_value_as_python_does():
    """The SQL version (for COPY) against the Python one, value by value."""
    from django.db import connection
    from django.db.models import CharField, Value

    from field_offices.models import Region
    from mission.exports import neutralised
    from tests.conftest import require_service

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    region = Region.objects.create(code="TST", name_en="Test", name_sq="Test", name_sr="Test")
    for value in [*HOSTILE, "", "a=b", "Ëndërr", "'quoted", "=", "\r", "-", " =1", "\n=1"]:
        (result,) = Region.objects.filter(pk=region.pk).values_list(
            neutralised(Value(value, output_field=CharField()))
        )[0]
        assert result == neutralise(value), repr(value)
    (result,) = Region.objects.filter(pk=region.pk).values_list(neutralised(Value(None, output_field=CharField())))[0]
    assert result is None


# --- Tables declared once (mission/exports/columns.py, tables.py) and the report writers (writers.py) ---


def _cases_named(source: Source) -> Iterator[tuple[int, str]]:
    """A merged column's pairs: a text per case, with a comma and quotes where names may be read (as
    a name may have), in case order."""
    for case_id in source.queryset.order_by("case_id").values_list("case_id", flat=True).distinct():
        yield case_id, f'Named, "{case_id}"' if source.restricted else f"case {case_id}"


def _cases_sql(source: Source) -> Concat | None:
    """The same text worked out by the database, where it can be (no names)."""
    return None if source.restricted else Concat(Value("case "), Cast("case_id", CharField()))


LABELS = [("main_trial", "-main"), ("verdict", "=verdict")]  # labels that look like formulas stay labels
HEARINGS = TableSpec(
    Column("date", "Date", Field("date", kind="date")),
    Column("number", "Case number", Field("case__case_number")),
    Column("court", "Court", Field("case__court__name", localised=True)),
    Column("type", "Type", Choice("hearing_type", LABELS)),
    Column("held", "Held", YesNo("held")),
    Column("recorded", "Recorded", YesNo("recorded")),
    Column("reason", "Reason", Choice("adjournment_reason", AdjournmentReason.choices)),
    Column("note", "Note", FreeText("adjournment_note", multiline=True)),
    Column("by", "Created by", DisplayName("created_by")),
    Column("cases", "Cases", Merged("case_id", _cases_named, _cases_sql)),
)


@pytest.fixture
def hearings(monitor):
    from rights.models import Hearing
    from tests.factories import CaseFactory, HearingFactory

    first = CaseFactory(case_number="=1+2", created_by=monitor)
    second = CaseFactory(case_number="P. nr. 2/2026", created_by=monitor)
    HearingFactory(case=first, date=datetime.date(2026, 1, 5), hearing_type="verdict")
    HearingFactory(
        case=first,
        date=datetime.date(2026, 1, 6),
        held=False,
        recorded=None,
        adjournment_reason="other",
        adjournment_note="@SUM(A1)\nsecond  line",
    )
    HearingFactory(case=second, date=datetime.date(2026, 1, 7), hearing_type="initial")
    return Hearing.objects.order_by("case_id", "date", "pk")


def _zip(writer, tables, path) -> dict[str, bytes]:
    writer(path, tables, lambda fraction, note: None)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.django_db
def test_a_spec_reads_typed_cells_in_python(monitor, hearings):
    rows = list(HEARINGS.rows(Source(hearings)))
    first = hearings.first()
    assert rows[0] == (
        datetime.date(2026, 1, 5),
        "=1+2",  # typed cells are as stored: each writer neutralises
        "Basic Court of Prizren",
        "=verdict",
        True,
        True,
        None,  # not adjourned: a blank choice is an empty cell
        None,  # nothing typed
        f"{monitor.first_name} {monitor.last_name}".strip() or monitor.username,
        f"case {first.case_id}",
    )
    assert rows[1][3:8] == ("-main", False, None, "Other reason", "@SUM(A1)\nsecond  line")
    assert rows[2][3] is None  # a choice the spec does not list
    assert [row[9] for row in HEARINGS.rows(Source(hearings, restricted=True))][:2] == [f'Named, "{first.case_id}"'] * 2


@pytest.mark.django_db
def test_text_columns_are_neutralised_and_label_columns_are_not(hearings, tmp_path):
    assert HEARINGS.text_columns() == (1, 2, 7, 8)
    table = Table("hearings", HEARINGS, hearings)
    files = _zip(python_csv_zip, [table], tmp_path / "python.zip")
    rows = list(csv.reader(io.StringIO(files["hearings.csv"].decode("utf-8-sig"))))
    assert rows[0] == HEARINGS.headers()
    assert rows[1][:5] == ["2026-01-05", "'=1+2", "Basic Court of Prizren", "=verdict", "yes"]
    assert rows[2][4:8] == ["no", "", "Other reason", "'@SUM(A1)\nsecond  line"]  # a report keeps the lines


@pytest.mark.django_db
def test_a_page_csv_puts_each_record_on_one_line(hearings):
    rows = _csv_rows(table_csv_response("h.csv", HEARINGS.without("cases"), hearings))
    assert rows[0] == HEARINGS.without("cases").headers()
    assert rows[1][:4] == ["2026-01-05", "'=1+2", "Basic Court of Prizren", "=verdict"]
    assert rows[2][7] == "'@SUM(A1) second line"  # tidied, then neutralised


@pytest.mark.django_db
@pytest.mark.parametrize("restricted", [False, True])
def test_a_spec_gives_the_same_cells_through_python_and_through_copy(hearings, tmp_path, restricted):
    """COPY writes the SQL forms (and placeholders that Python fills, where names may be read);
    the portable writer the Python forms: the same bytes."""
    from django.db import connection

    from tests.conftest import require_service

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from rights.models import Party
    from tests.factories import PartyFactory

    for ordinal, hearing in zip((1, 27, 703), hearings, strict=True):  # "A", "AA", "AAA"
        PartyFactory(case=hearing.case, ordinal=ordinal)
    accused = TableSpec(
        Column("number", "Case number", Field("case__case_number")),
        Column("accused", "Accused", PseudonymOf(Party)),
    )
    tables = [
        Table("hearings", HEARINGS, hearings, restricted=restricted),
        Table("accused", accused, Party.objects.order_by("pk")),
        Table("nothing", HEARINGS, hearings.none(), restricted=restricted),
    ]
    copied = _zip(copy_csv_zip, tables, tmp_path / "copy.zip")
    written = _zip(python_csv_zip, tables, tmp_path / "python.zip")
    assert copied == written
    assert b",'=1+2," in copied["hearings.csv"]
    assert b",=verdict," in copied["hearings.csv"]
    assert (b'"Named, ""' in copied["hearings.csv"]) is restricted
    assert b",Accused AAA\n" in copied["accused.csv"]
    assert (
        copied["nothing.csv"]
        == written["nothing.csv"]
        == b"\xef\xbb\xbf" + ",".join(HEARINGS.headers()).encode() + b"\n"
    )


def test_a_use_leaves_out_named_columns_only():
    assert [c.key for c in HEARINGS.without("held", "note").columns] == [
        "date",
        "number",
        "court",
        "type",
        "recorded",
        "reason",
        "by",
        "cases",
    ]
    with pytest.raises(KeyError):
        HEARINGS.without("nonsense")
    with pytest.raises(ValueError, match="twice"):
        TableSpec(HEARINGS.columns[0], HEARINGS.columns[0])


def test_cells_filled_into_copy_output_survive_any_chunking():
    """COPY writes placeholders where the database cannot write a cell (names are encrypted at rest);
    they are swapped for their cells however the stream is cut, and other text passes unchanged."""
    filling = Filling("case_id", lambda: [(7, 'Accused A: Doe, "Jo"'), (8, "Accused A: Plain")])
    marker = b"\x01" + filling.nonce
    stream = b"a,b," + marker + b"7\x02\nc,\x01x," + marker + b"8\x02\nd," + marker + b"9\x02\n"
    expected = b'a,b,"Accused A: Doe, ""Jo"""\nc,\x01x,Accused A: Plain\nd,\n'
    for size in (1, 2, 5, len(stream)):
        out = io.BytesIO()
        target = Filled(out, [filling])
        for start in range(0, len(stream), size):
            target.write(stream[start : start + size])
        target.close()
        assert out.getvalue() == expected, size


def test_copy_output_reaches_the_file_in_large_chunks():
    """COPY writes a row at a time; the writer buffers, so the file (and the filling) see few writes."""

    class Counting(io.BytesIO):
        writes = 0

        def write(self, data) -> int:
            self.writes += 1
            return super().write(data)

    out = Counting()
    with io.BufferedWriter(Filled(out), buffer_size=1 << 10) as target:
        for n in range(1000):
            target.write(f"row {n}\n".encode())
    assert out.getvalue() == b"".join(f"row {n}\n".encode() for n in range(1000))
    assert out.writes < 20


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
