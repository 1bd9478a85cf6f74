"""Importing a spreadsheet (CSV or XLSX) into a model, updating in place by a natural key:

1. `read_table` reads the file's cells (the type told from its content, not its name; bounded in size
   and rows) and `import_keep` keeps them for the user;
2. `import_plan` checks every row against the model as its form would (each cell's value, the model's
   rules) and finds the row the key names: to create, to update (with what changes), unchanged, or
   refused with its errors per cell. That is the dry run; nothing is written;
3. `import_apply` makes the plan again, and if it is still what the user saw, writes every row of it in
   one transaction, with the history reason "import of <file>": all of it or nothing.

A column is named by the model's field name (as the list's CSV export writes it); a reference list's
row by its code; a choice by its code."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mission.common import ApplicationError, VersionedModel
from mission.encryption import decrypt, encrypt
from mission.imports.models import PendingImport
from mission.imports.spec import ImportSpec

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ROW = ""  # the errors of a whole row, not of one cell


class UnreadableFileError(ApplicationError):
    """The file is not a table this import reads; `message` says why, for its author."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (the line or spreadsheet row, its cells)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 12 is 12.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _rows_limit() -> int:
    limit: int = settings.IMPORT_MAX_ROWS
    return limit


def _xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(v) for v in row]))
            if len(rows) > _rows_limit() + 1:
                break
        return rows
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from error
    finally:
        book.close()


def _csv(data: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in data:
        raise UnreadableFileError(_("This file is neither a CSV file nor an Excel workbook (.xlsx)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            _("This CSV file is not in UTF-8. Save it again as “CSV UTF-8” (Excel offers it) and upload that.")
        ) from error
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            rows.append((number, [cell.strip() for cell in row]))
            if len(rows) > _rows_limit() + 1:
                break
    except csv.Error as error:
        raise UnreadableFileError(_("This CSV file is malformed: %(error)s") % {"error": error}) from error
    return rows


def read_table(upload: UploadedFile[Any]) -> Table:
    """The cells of the file's first sheet: its first filled row the header, the filled rows after it.
    Refused with a reason: too large, not a CSV or XLSX file, no header, too many rows."""
    if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        raise UnreadableFileError(_("This file is larger than %(limit)s MB.") % {"limit": limit})
    data = upload.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise UnreadableFileError(_("This file is too large."))
    read = _xlsx(data) if data.startswith(b"PK\x03\x04") else _csv(data)
    filled = [(number, cells) for number, cells in read if any(cells)]
    if not filled:
        raise UnreadableFileError(_("This file is empty."))
    (_line, header), *rows = filled
    if len(rows) > _rows_limit():
        raise UnreadableFileError(_("This file has more than %(limit)s rows: split it.") % {"limit": _rows_limit()})
    if not rows:
        raise UnreadableFileError(_("This file has a header but no rows."))
    return Table([h.strip().lower() for h in header], rows)


def import_keep(table: Table, *, user: Any, spec: ImportSpec, file_name: str) -> PendingImport:
    """Keep the cells for the confirmation (sealed); forget the user's imports older than the limit."""
    stale = timezone.now() - datetime.timedelta(hours=settings.IMPORT_PENDING_HOURS)
    PendingImport.objects.filter(user=user, created_at__lt=stale).delete()
    cells = encrypt(json.dumps({"header": table.header, "rows": table.rows}))
    return PendingImport.objects.create(user=user, target=spec.model, file_name=file_name[:200], cells=cells or "")


def import_table(pending: PendingImport) -> Table:
    found = json.loads(decrypt(pending.cells) or "{}")
    return Table(found.get("header", []), [(line, cells) for line, cells in found.get("rows", [])])


# --- The plan (the dry run) ---------------------------------------------------------------------------
@dataclass
class RowPlan:
    line: int
    action: str
    cells: dict[str, str]
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)
    errors: dict[str, list[str]] = field(default_factory=dict)  # column (ROW: the row) → messages
    form: Any = None  # the bound form of a row to write


@dataclass
class ImportPlan:
    columns: list[str]
    rows: list[RowPlan]
    problems: list[str] = field(default_factory=list)  # of the whole file: a column missing, say

    def counts(self) -> Counter[str]:
        return Counter(row.action for row in self.rows)

    @property
    def applicable(self) -> bool:
        counts = self.counts()
        return not self.problems and not counts[ERROR] and bool(counts[CREATE] + counts[UPDATE])

    def digest(self) -> str:
        """What the user confirms: each row's action and changes. The apply refuses if it moved on."""
        seen = [(row.line, row.action, row.changes) for row in self.rows]
        return hashlib.sha256(json.dumps(seen, default=str).encode()).hexdigest()


def _shown(model_field: Any, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, models.Model) or isinstance(after, models.Model):
        return bool(getattr(before, "pk", before) == getattr(after, "pk", after))
    if isinstance(before, Decimal) or isinstance(after, Decimal):
        return before is not None and after is not None and Decimal(before) == Decimal(after)
    return bool(before == after)


def _row_plan(spec: ImportSpec, line: int, cells: dict[str, str], form_class: Any) -> RowPlan:
    model: Any = spec.get_model()
    probe = form_class(cells)
    probe.is_valid()
    key_errors = {name: list(probe.errors[name]) for name in spec.key if name in probe.errors}
    if key_errors:
        return RowPlan(line, ERROR, cells, errors=key_errors)
    key = {name: probe.cleaned_data.get(name) for name in spec.key}
    existing = model._default_manager.filter(**key).first()
    form = form_class(cells, instance=existing)
    if not form.is_valid():
        errors = {(ROW if name == NON_FIELD_ERRORS else name): list(e) for name, e in form.errors.items()}
        return RowPlan(line, ERROR, cells, errors=errors)
    if existing is None:
        return RowPlan(line, CREATE, cells, form=form)
    changes = []
    saved = model._default_manager.get(pk=existing.pk)  # the form changed `existing`
    for name in spec.columns:
        model_field = model._meta.get_field(name)
        before, after = getattr(saved, name), form.cleaned_data.get(name)
        if not _same(before, after):
            changes.append(
                (str(capfirst(model_field.verbose_name)), _shown(model_field, before), _shown(model_field, after))
            )
    return RowPlan(line, UPDATE if changes else UNCHANGED, cells, changes=changes, form=form)


def import_plan(spec: ImportSpec, table: Table) -> ImportPlan:
    """The dry run: what each row would do, and why a refused one is refused."""
    model: Any = spec.get_model()
    missing = [name for name in spec.columns if name not in table.header]
    unknown = [name for name in table.header if name and name not in spec.columns]
    problems = []
    if missing:
        problems.append(_("These columns are missing: %(names)s.") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(
            _("These columns are not known: %(names)s. The columns are: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(spec.columns)}
        )
    if len(set(table.header)) != len(table.header):
        problems.append(_("A column appears twice in the header."))
    if problems:
        return ImportPlan(list(spec.columns), [], problems)
    form_class = spec.form_class()
    plans: list[RowPlan] = []
    first_of: dict[tuple[str, ...], int] = {}
    for line, values in table.rows:
        cells = {name: (values[i] if i < len(values) else "") for i, name in enumerate(table.header)}
        key = tuple(cells[name].strip().lower() for name in spec.key)
        if key in first_of:
            message = _("Row %(line)s has the same %(key)s: one row per key.") % {
                "line": first_of[key],
                "key": ", ".join(str(model._meta.get_field(n).verbose_name) for n in spec.key),
            }
            plans.append(RowPlan(line, ERROR, cells, errors={ROW: [message]}))
            continue
        first_of[key] = line
        plans.append(_row_plan(spec, line, cells, form_class))
    return ImportPlan(list(spec.columns), plans)


class PlanChangedError(ApplicationError):
    """The figures changed since the dry run: `plan` is the new one, for the user to check again."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(_("The data changed since your dry run. Check the new one below, then apply it again."))
        self.plan = plan


@transaction.atomic
def import_apply(spec: ImportSpec, pending: PendingImport, *, actor: Any, expected: str) -> Counter[str]:
    """Write the plan the user confirmed (its `digest` is `expected`), every row or none, and forget the
    file. Raises PlanChangedError when the plan made now differs, UnreadableFileError when it cannot apply."""
    plan = import_plan(spec, import_table(pending))
    if plan.digest() != expected:
        raise PlanChangedError(plan)
    if not plan.applicable:
        raise UnreadableFileError(_("This file has nothing to apply, or rows that are refused."))
    reason = _("import of %(file)s") % {"file": pending.file_name}
    for row in plan.rows:
        if row.action not in (CREATE, UPDATE):
            continue
        instance = row.form.save(commit=False)
        if row.action == UPDATE and isinstance(instance, VersionedModel):
            instance.version += 1  # read in this transaction: an edit open elsewhere is now a conflict
        instance._history_user = actor
        instance._change_reason = reason
        instance.save()
    pending.delete()
    return plan.counts()


def error_rows(spec: ImportSpec, plan: ImportPlan) -> tuple[list[str], Sequence[list[str]]]:
    """The refused rows as the file had them, with a column of what is wrong: to fix and upload again."""
    header = ["row", *plan.columns, "errors"]
    rows = []
    for row in plan.rows:
        if row.action != ERROR:
            continue
        said = "; ".join(f"{name}: {m}" if name else m for name, messages in row.errors.items() for m in messages)
        rows.append([str(row.line), *(row.cells.get(name, "") for name in plan.columns), said])
    return header, rows
