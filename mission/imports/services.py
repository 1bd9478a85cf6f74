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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mission.common import ApplicationError, VersionedModel
from mission.encryption import DecryptionError, decrypt, encrypt
from mission.exports.formulas import FORMULA_STARTS, neutralise
from mission.imports.models import ImportState, PendingImport
from mission.imports.spec import ImportSpec, Rules

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


MAX_COLUMNS = 100  # more than any import has: a sheet that claims 16 384 columns is read this far
XLSX_EXPANSION = 20  # an XLSX file's parts may hold this many times IMPORT_MAX_BYTES, unpacked
BLANK_ROWS = 1000  # empty rows read in a row before a file is refused as padded
UNREADABLE_XLSX = _lazy("This file could not be read as an Excel workbook (.xlsx).")


def _filled(numbered: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The rows with a value, up to one more than the limit (the caller says the file is too long);
    a run of more than BLANK_ROWS empty rows is refused (a sheet padded to a million rows)."""
    rows: list[tuple[int, list[str]]] = []
    blank = 0
    for number, cells in numbered:
        if not any(cells):
            blank += 1
            if blank > BLANK_ROWS:
                raise UnreadableFileError(
                    _("This file has more than %(n)s empty rows in a row: delete them and upload it again.")
                    % {"n": BLANK_ROWS}
                )
            continue
        blank = 0
        rows.append((number, cells))
        if len(rows) > _rows_limit() + 1:
            break
    return rows


def _xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's rows, its values as saved (a formula's last result). Refused before it is
    unpacked when its parts would unpack to far more than the file (a zip bomb)."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFileError(str(UNREADABLE_XLSX)) from error
    if unpacked > settings.IMPORT_MAX_BYTES * XLSX_EXPANSION:
        raise UnreadableFileError(_("This workbook unpacks to too much data: save it again with only the figures."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet: Any = book.worksheets[0]
            sheet.reset_dimensions()  # read the rows the sheet holds, not those it claims
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            return _filled((number, [_cell(v) for v in row]) for number, row in enumerate(rows, start=1))
        finally:
            book.close()
    except UnreadableFileError:
        raise
    except Exception as error:
        raise UnreadableFileError(str(UNREADABLE_XLSX)) from error


def _csv(data: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in data:
        raise UnreadableFileError(_("This file is neither a CSV file nor an Excel workbook (.xlsx)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            _("This CSV file is not in UTF-8. Save it again as “CSV UTF-8” (Excel offers it) and upload that.")
        ) from error
    try:  # the separator alone: the quoting is always the standard one (a doubled quote is a quote)
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    try:
        return _filled((number, [cell.strip() for cell in row]) for number, row in enumerate(reader, start=1))
    except csv.Error as error:
        raise UnreadableFileError(_("This CSV file is malformed: %(error)s") % {"error": error}) from error


def _unquoted(cell: str) -> str:
    """A cell as it was before an export made it safe for a spreadsheet (`mission.exports.neutralise`
    puts a quote before text that starts like a formula): the round trip gives back the same text."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1:].startswith(FORMULA_STARTS) else cell


def read_table(upload: UploadedFile[Any]) -> Table:
    """The cells of the file's first sheet: its first filled row the header, the filled rows after it.
    Refused with a reason: too large, not a CSV or XLSX file, no header, too many rows, a value in a
    column without a name."""
    if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        raise UnreadableFileError(_("This file is larger than %(limit)s MB.") % {"limit": limit})
    data = upload.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise UnreadableFileError(_("This file is too large."))
    filled = _xlsx(data) if data.startswith(b"PK\x03\x04") else _csv(data)
    if not filled:
        raise UnreadableFileError(_("This file is empty."))
    (_line, header), *rows = filled
    if len(rows) > _rows_limit():
        raise UnreadableFileError(_("This file has more than %(limit)s rows: split it.") % {"limit": _rows_limit()})
    if not rows:
        raise UnreadableFileError(_("This file has a header but no rows."))
    names = [h.strip().lower() for h in header]
    while names and not names[-1]:
        names.pop()  # a formatted column after the last one
    for line, cells in rows:
        if any(cell for i, cell in enumerate(cells) if i >= len(names) or not names[i]):
            raise UnreadableFileError(
                _("Row %(line)s has a value in a column without a name in the header.") % {"line": line}
            )
    return Table(names, [(line, [_unquoted(cell) for cell in cells[: len(names)]]) for line, cells in rows])


def import_keep(table: Table, *, user: Any, spec: ImportSpec, file_name: str, flow: str = "") -> PendingImport:
    """Keep the cells for the confirmation (sealed); forget the user's imports older than the limit.
    A file of more than IMPORT_JOB_ROWS rows waits for a job to check it (`mission.imports.tasks`)."""
    stale = timezone.now() - datetime.timedelta(hours=settings.IMPORT_PENDING_HOURS)
    PendingImport.objects.filter(user=user, created_at__lt=stale).delete()
    cells = encrypt(json.dumps({"header": table.header, "rows": table.rows}))
    state = ImportState.CHECKING if is_job(table) else ImportState.READ
    return PendingImport.objects.create(
        user=user,
        target=spec.model,
        flow=flow,
        file_name=file_name[:200],
        cells=cells or "",
        state=state,
        total=len(table.rows),
    )


def is_job(table: Table) -> bool:
    """Whether a job checks and applies the file, rather than the request: a long one."""
    limit: int = settings.IMPORT_JOB_ROWS
    return len(table.rows) > limit


def export_cell(row: Any, model_field: Any) -> object:
    """A cell as the import reads it back: a reference row by its code (several with "; " between), a
    choice by its code, else the value."""
    if model_field.many_to_many:
        return "; ".join(sorted(str(getattr(r, "code", r.pk)) for r in getattr(row, model_field.name).all()))
    if model_field.is_relation:
        related = getattr(row, model_field.name)
        return getattr(related, "code", getattr(related, "pk", "")) if related is not None else ""
    value = getattr(row, model_field.attname)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return "" if value is None else value


def import_table(pending: PendingImport) -> Table:
    if not pending.cells:
        return Table([], [])  # forgotten once applied
    try:
        found = json.loads(decrypt(pending.cells) or "{}")
    except (DecryptionError, ValueError):
        found = {}  # sealed with a key no longer configured: nothing to apply, upload it again
    return Table(found.get("header", []), [(line, cells) for line, cells in found.get("rows", [])])


def import_pending(pk: int, *, user: Any, spec: ImportSpec) -> PendingImport:
    """The user's own file waiting for its confirmation (DoesNotExist for another's, or one past
    IMPORT_PENDING_HOURS: a dry run that old is to be made again)."""
    stale = timezone.now() - datetime.timedelta(hours=settings.IMPORT_PENDING_HOURS)
    found: PendingImport = PendingImport.objects.get(pk=pk, user=user, target=spec.model, created_at__gte=stale)
    return found


def import_purge(cutoff: datetime.datetime) -> int:
    """Forget the files read for dry runs that nobody applied before `cutoff` (a retention purge)."""
    deleted, _by_model = PendingImport.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- The plan (the dry run) ---------------------------------------------------------------------------
Progress = Callable[[int], None]  # told how many rows have been checked, now and then
PROGRESS_EVERY = 200


@dataclass
class RowPlan:
    line: int
    action: str
    cells: dict[str, str]
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)
    errors: dict[str, list[str]] = field(default_factory=dict)  # column (ROW: the row) → messages
    form: Any = None  # the bound form of a row to write

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "cells": self.cells,
            "changes": self.changes,
            "errors": self.errors,
        }


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
        seen = [(row.line, row.action, [list(change) for change in row.changes]) for row in self.rows]
        return hashlib.sha256(json.dumps(seen, default=str).encode()).hexdigest()

    def as_json(self) -> str:
        """The plan as a dry run's page shows it (not its forms), to keep while a job waits."""
        rows = [row.as_json() for row in self.rows]
        return json.dumps({"columns": self.columns, "problems": self.problems, "rows": rows})

    @classmethod
    def from_json(cls, text: str) -> ImportPlan:
        found = json.loads(text or "{}")
        rows = [
            RowPlan(r["line"], r["action"], r["cells"], [tuple(c) for c in r["changes"]], r["errors"])
            for r in found.get("rows", [])
        ]
        return cls(found.get("columns", []), rows, found.get("problems", []))


def _shown(model_field: Any, value: Any) -> str:
    if model_field.many_to_many:
        return ", ".join(sorted(str(getattr(row, "code", row)) for row in value)) or "—"
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
    if isinstance(before, (set, frozenset, list)) and isinstance(after, (set, frozenset, list)):
        return {getattr(row, "pk", row) for row in before} == {getattr(row, "pk", row) for row in after}
    return bool(before == after)


def _key_of(values: dict[str, Any], spec: ImportSpec) -> tuple[Any, ...]:
    """A row's key from its values (a reference row by its primary key): what names it, whatever the
    text said it with ("2024", "02024")."""
    return tuple(getattr(values[name], "pk", values[name]) for name in spec.key)


def _key_values(
    form_class: Any, spec: ImportSpec, cells: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A line's key, cleaned by the fields of its form alone (its values, and the errors by column)."""
    values, errors = {}, {}
    for name in spec.key:
        try:
            values[name] = form_class.base_fields[name].clean(cells.get(name, ""))
        except ValidationError as error:
            errors[name] = list(error.messages)
    return values, errors


def _existing(
    spec: ImportSpec, keys: list[tuple[dict[str, Any], dict[str, list[str]]]], *, lock: bool, rules: Rules
) -> dict[tuple[Any, ...], models.Model]:
    """The model's rows the file's keys may name, read at once (locked until the transaction ends when
    the plan is applied): those whose first key field has a value the file gives, or all of `rules.rows`."""
    model: Any = spec.get_model()
    first = spec.key[0]
    values = {getattr(found[first], "pk", found[first]) for found, _errors in keys if first in found}
    fields = [model._meta.get_field(n) for n in spec.columns]
    related = [f.name for f in fields if f.is_relation and not f.many_to_many]
    if rules.rows is not None:
        rows = rules.rows().select_related(*related).order_by()
    else:
        rows = model._default_manager.select_related(*related).filter(**{f"{first}__in": values}).order_by()
    if lock:
        rows = rows.select_for_update(of=("self",))
    elif spec.many():
        rows = rows.prefetch_related(*spec.many())
    found = {_key_of({n: getattr(row, n) for n in spec.key}, spec): row for row in rows}
    if lock and spec.many():  # a locked read cannot prefetch: the related rows of those found, after
        models.prefetch_related_objects(list(found.values()), *spec.many())
    return found


def _values(instance: Any, names: Sequence[str]) -> dict[str, Any]:
    meta = instance._meta
    return {
        name: (set(getattr(instance, name).all()) if meta.get_field(name).many_to_many else getattr(instance, name))
        for name in names
    }


@dataclass(frozen=True)
class _Lines:
    """What a plan checks each line with: the form of the file's columns, and the import's rules."""

    form_class: Any
    columns: tuple[str, ...]  # those of the file, in the spec's order
    refuse: Any
    prepare: Any


NOT_YOURS = _lazy("A row with this key exists that you may not change.")


def _errors_of(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {ROW: list(error.messages)}
    return {(ROW if name == NON_FIELD_ERRORS else name): list(found) for name, found in error.message_dict.items()}


def _fill_blanks(instance: Any, cells: dict[str, str], spec: ImportSpec, columns: tuple[str, ...], before: Any) -> None:
    """A blank optional cell of a field that may not be empty: the row's value on a row there, the
    default on a new one (a blank age band is "unknown", a blank role "participant")."""
    for name in columns:
        model_field = instance._meta.get_field(name)
        if name not in spec.optional or cells.get(name, "").strip() or model_field.many_to_many or model_field.blank:
            continue
        if before:
            setattr(instance, name, before[name])
        elif model_field.has_default():
            setattr(instance, model_field.attname, model_field.get_default())


def _check_model(instance: Any, columns: tuple[str, ...]) -> None:
    """The model's rules on the file's fields as the line and `prepare` left them (the form left a blank
    optional one out): a reference row found by its code is not looked up again."""
    excluded = [
        f.name
        for f in instance._meta.fields
        if f.name not in columns or (f.is_relation and getattr(instance, f.attname) is not None)
    ]
    instance.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)


def _row_plan(spec: ImportSpec, line: int, cells: dict[str, str], rules: _Lines, existing: Any) -> RowPlan:
    model: Any = spec.get_model()
    if existing is not None and rules.refuse is not None and rules.refuse(existing):
        # Another's row: refused as the line would be were the row not there (another region's row is
        # refused as out of the region, which says nothing of whether it exists); a row the reader may
        # see but not change is said to be there, and nothing of what it holds is shown.
        as_new = _row_plan(spec, line, cells, rules, None)
        return as_new if as_new.action == ERROR else RowPlan(line, ERROR, cells, errors={ROW: [str(NOT_YOURS)]})
    compared = (*rules.columns, *(n for n in spec.optional if n not in rules.columns))
    before = _values(existing, compared) if existing is not None else {}
    form = rules.form_class(cells, instance=existing)
    if not form.is_valid():
        errors = {(ROW if name == NON_FIELD_ERRORS else name): list(e) for name, e in form.errors.items()}
        return RowPlan(line, ERROR, cells, errors=errors)
    _fill_blanks(form.instance, cells, spec, rules.columns, before)
    try:
        if rules.prepare is not None:
            rules.prepare(form.instance)
        _check_model(form.instance, rules.columns)
    except ValidationError as error:
        return RowPlan(line, ERROR, cells, errors=_errors_of(error))
    refused = rules.refuse(form.instance) if rules.refuse is not None else {}
    if refused:
        return RowPlan(line, ERROR, cells, errors={name: [message] for name, message in refused.items()})
    if existing is None:
        return RowPlan(line, CREATE, cells, form=form)
    changes = []
    for name in compared:
        model_field = model._meta.get_field(name)
        after = set(form.cleaned_data[name]) if model_field.many_to_many else getattr(form.instance, name)
        if not _same(before[name], after):
            label = str(capfirst(model_field.verbose_name))
            changes.append((label, _shown(model_field, before[name]), _shown(model_field, after)))
    return RowPlan(line, UPDATE if changes else UNCHANGED, cells, changes=changes, form=form)


NO_RULES = Rules()


def import_plan(
    spec: ImportSpec,
    table: Table,
    rules: Rules = NO_RULES,
    *,
    lock: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """The dry run: what each row would do, and why a refused one is refused (`rules.refuse`: the actor
    may not write it, as the line leaves it or as it is). The rows the keys name are read in one query,
    the reference lists once. `rules.prepare` fills what the file leaves to the import."""
    model: Any = spec.get_model()
    missing = [name for name in spec.columns if name not in table.header and name not in spec.optional]
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
    columns = tuple(name for name in spec.columns if name in table.header)
    checks = _Lines(spec.form_class(columns), columns, rules.refuse, rules.prepare)
    lines = []
    for line, values in table.rows:
        cells = {name: (values[i] if i < len(values) else "") for i, name in enumerate(table.header)}
        lines.append((line, cells, _key_values(checks.form_class, spec, cells)))
    existing = _existing(spec, [key for _line, _cells, key in lines], lock=lock, rules=rules)
    names = ", ".join(str(model._meta.get_field(n).verbose_name) for n in spec.key)
    plans: list[RowPlan] = []
    first_of: dict[tuple[Any, ...], int] = {}
    for done, (line, cells, (key_values, key_errors)) in enumerate(lines, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        if key_errors:
            plans.append(RowPlan(line, ERROR, cells, errors=key_errors))
            continue
        key = _key_of(key_values, spec)
        if key in first_of:
            message = _("Row %(line)s has the same values for %(key)s: one row per key.") % {
                "line": first_of[key],
                "key": names,
            }
            plans.append(RowPlan(line, ERROR, cells, errors={ROW: [message]}))
            continue
        first_of[key] = line
        plans.append(_row_plan(spec, line, cells, checks, existing.get(key)))
    return ImportPlan(list(columns), plans)


class PlanChangedError(ApplicationError):
    """The figures changed since the dry run: `plan` is the new one, for the user to check again."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(_("The data changed since your dry run. Check the new one below, then apply it again."))
        self.plan = plan


REASON_LENGTH = 100  # django-simple-history's history_change_reason


def _written(model: Any) -> None:
    """Rows were written at once, without their signals: what the signals would have told."""
    from mission.choices import reference_rows_written
    from mission.common import LocalizedNameModel
    from mission.records.summary import record_summary_mark_items

    record_summary_mark_items(model)
    if issubclass(model, LocalizedNameModel):
        reference_rows_written()


@transaction.atomic
def import_apply(
    spec: ImportSpec,
    pending: PendingImport,
    *,
    actor: Any,
    expected: str,
    rules: Rules = NO_RULES,
    progress: Progress | None = None,
    forget: bool = True,
) -> Counter[str]:
    """Write the plan the user confirmed (its `digest` is `expected`), every row or none, with the
    history reason "import of <file>", and forget the file (`forget`: delete its pending import). The
    rows it updates are locked while it plans again: raises PlanChangedError when that plan differs,
    UnreadableFileError when it cannot apply. The rows are written at once, or by `rules.write`."""
    model: Any = spec.get_model()
    # Claimed first: a second click waits for the first, then finds the file applied (and forgotten).
    if not PendingImport.objects.select_for_update().filter(pk=pending.pk, cells__gt="").exists():
        raise UnreadableFileError(_("This file has been applied already."))
    plan = import_plan(spec, import_table(pending), rules, lock=True, progress=progress)
    if plan.digest() != expected:
        raise PlanChangedError(plan)
    if not plan.applicable:
        raise UnreadableFileError(_("This file has nothing to apply, or rows that are refused."))
    reason = (_("import of %(file)s") % {"file": pending.file_name})[:REASON_LENGTH]
    if rules.write is not None:
        rules.write([(row.action, row.form) for row in plan.rows if row.action in (CREATE, UPDATE)], reason)
    else:
        _bulk_write(spec, plan, actor, reason)
    _written(model)
    if forget:
        pending.delete()
    return plan.counts()


def _bulk_write(spec: ImportSpec, plan: ImportPlan, actor: Any, reason: str) -> None:
    model: Any = spec.get_model()
    now = timezone.now()
    created, updated, forms = [], [], []
    for row in plan.rows:
        if row.action not in (CREATE, UPDATE):
            continue
        instance = row.form.save(commit=False)
        forms.append(row.form)
        instance.updated_at = now
        if row.action == CREATE:
            instance.created_at = now
            created.append(instance)
            continue
        if isinstance(instance, VersionedModel):
            instance.version += 1  # read under the lock: an edit opened before it is now a conflict
        updated.append(instance)
    if created:
        bulk_create_with_history(created, model, default_user=actor, default_change_reason=reason)
    if updated:
        many = set(spec.many())
        fields = [
            *(n for n in (*plan.columns, *spec.optional, *spec.derived) if n not in many),
            "updated_at",
            *(["version"] if issubclass(model, VersionedModel) else []),
        ]
        bulk_update_with_history(
            updated, model, list(dict.fromkeys(fields)), default_user=actor, default_change_reason=reason
        )
    if set(spec.many()) & set(plan.columns):
        for form in forms:
            form.instance._change_reason = reason  # the history row the related rows' change makes
            form.instance._history_user = actor
            form.save_m2m()  # the rows have their keys now


def error_rows(spec: ImportSpec, plan: ImportPlan) -> tuple[list[str], Sequence[list[object]]]:
    """The refused rows as the file had them, with a column of what is wrong: to fix and upload again."""
    header = ["row", *plan.columns, "errors"]
    rows = []
    for row in plan.rows:
        if row.action != ERROR:
            continue
        said = "; ".join(f"{name}: {m}" if name else m for name, messages in row.errors.items() for m in messages)
        rows.append([str(row.line), *(neutralise(row.cells.get(name, "")) for name in plan.columns), neutralise(said)])
    return header, rows
