"""The CSV writer every page export uses (mission/exports.py): text that a spreadsheet would run as a
formula is written as text (OWASP CSV injection), numbers stay numbers."""

import csv
import io

import pytest

from mission.exports import csv_response, neutralise

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
