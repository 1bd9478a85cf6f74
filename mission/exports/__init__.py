"""Every file the portal writes from its records, and the one place each table's columns are declared.

- `formulas`: the rule for every CSV and XLSX cell (text that starts like a formula is written as text),
  in Python and in SQL;
- `streaming`: rows of any number of records in constant memory;
- `columns` and `tables`: a table's columns declared once (header, kind, width, and what each reads, with
  its Python and SQL forms), read by every writer;
- `page`: a page's streamed CSV download;
- `writers`: a report's XLSX workbook and its ZIP of CSV files (through COPY on PostgreSQL);
- `filling`: the cells Python fills into COPY's output (names, encrypted at rest).

Department-neutral: a department declares its tables with these (`rights/tables.py`).
"""

from mission.exports.columns import (
    Cell,
    Choice,
    Column,
    DisplayName,
    Field,
    FreeText,
    Kind,
    Merged,
    PseudonymOf,
    Source,
    YesNo,
)
from mission.exports.filling import Filled, Filling
from mission.exports.formulas import FORMULA_STARTS, neutralise, neutralised
from mission.exports.page import BATCH_ROWS, csv_response, table_csv_response
from mission.exports.streaming import Row, stream_batches, stream_values
from mission.exports.tables import CHUNK, Table, TableSpec, csv_finish, neutralised_cells
from mission.exports.writers import Progress, copy_csv_zip, python_csv_zip, write_csv_zip, write_xlsx

__all__ = [
    "BATCH_ROWS",
    "CHUNK",
    "FORMULA_STARTS",
    "Cell",
    "Choice",
    "Column",
    "DisplayName",
    "Field",
    "Filled",
    "Filling",
    "FreeText",
    "Kind",
    "Merged",
    "Progress",
    "PseudonymOf",
    "Row",
    "Source",
    "Table",
    "TableSpec",
    "YesNo",
    "copy_csv_zip",
    "csv_finish",
    "csv_response",
    "neutralise",
    "neutralised",
    "neutralised_cells",
    "python_csv_zip",
    "stream_batches",
    "stream_values",
    "table_csv_response",
    "write_csv_zip",
    "write_xlsx",
]
