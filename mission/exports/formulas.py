"""The one rule for every CSV and XLSX the portal writes: a text cell that a spreadsheet program would
run as a formula is written as text. In Python (`neutralise`) and in SQL (`neutralised`, for COPY),
with the same result."""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, TextField
from django.db.models.sql.compiler import SQLCompiler

# What makes a spreadsheet program take a cell for a formula (OWASP, CSV injection): =, +, -, @, and tab
# and carriage return, which some programs skip before looking. Such a text cell gets a single quote in
# front, which spreadsheets show as text; numbers and dates are not text and stay what they are.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """`value` made safe for a spreadsheet cell: text that starts like a formula gets a leading quote;
    anything that is not text (a negative number, a date) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class neutralised(Func):  # noqa: N801 (used as the function it stands for)
    """`neutralise` worked out by PostgreSQL, for text columns that COPY writes straight to a file:
    CASE WHEN ASCII(x) IN (…) THEN a quote and x ELSE x END, twice as fast as a regular expression.
    NULL stays NULL. `x` appears three times: give it a column, not a subquery."""

    output_field = TextField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: object,
    ) -> tuple[str, tuple[str | int, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        codes = ", ".join(str(ord(start)) for start in FORMULA_STARTS)
        text = f"CAST({sql} AS text)"
        return f"CASE WHEN ASCII({text}) IN ({codes}) THEN '''' || {text} ELSE {text} END", (*params,) * 3
