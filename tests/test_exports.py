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
