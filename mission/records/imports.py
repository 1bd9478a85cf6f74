"""A declared record type with an `import_key` takes a spreadsheet (`mission.imports`): its authors add
drafts from a file, one per line, and update their own drafts and returned records in place, each
through the records' own services (the author, the lock and the version, the summaries), then submit
them for review as usual. An approved or submitted record, or another's, is refused without anything
of it shown. The export gives the author's records still open to them, to edit and import back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from mission.accounts.permissions import Capability, has_capability, may_record, reads_department
from mission.imports.flows import ImportFlow
from mission.imports.spec import ImportSpec, Refusal, Writer
from mission.records.declaration import RecordPart, RecordType
from mission.records.parts import part_rows_of
from mission.review.models import EDITABLE_BY_AUTHOR
from mission.review.permissions import may_edit

DESCRIPTION = gettext_lazy(
    "Drafts, one per line; a line that names one of your drafts or returned records by its key updates it. "
    "Submit each for review afterwards, as usual. Another's record, or one submitted or approved, is refused."
)


def record_import_key(record_type: RecordType, namespace: str) -> str:
    return f"{namespace}-{record_type.path}"


def _spec(declared: RecordType | RecordPart) -> ImportSpec:
    """A record's (or a part's rows') fields as the columns; those with a default or that may be empty
    are optional (a file may leave them out: a new row takes the default, one there keeps its value)."""
    meta: Any = declared.get_model()._meta

    def optional(name: str) -> bool:
        field = meta.get_field(name)
        return name not in declared.import_key and bool(field.has_default() or not field.formfield().required)

    fields = declared.fields
    return ImportSpec(declared.model, key=declared.import_key, columns=fields, optional=tuple(filter(optional, fields)))


def _may_change(user: Any, record: Any) -> bool:
    """The record's author, while it is theirs to edit and where they record."""
    return may_edit(user, record) and may_record(user, record)


def record_import_flow(record_type: RecordType, namespace: str, department: str) -> ImportFlow:
    model: Any = record_type.get_model()

    def may_import(user: Any) -> bool:
        return has_capability(user, Capability.RECORD) and reads_department(user, department)

    def refusal(user: Any) -> Refusal:
        def refuse(record: Any) -> dict[str, str]:
            if record.pk is not None:  # the import says no more of another's record than that it is refused
                return {} if _may_change(user, record) else {"": "refused"}
            if may_record(user, record):
                return {}
            return {"municipality": _("You record in the municipalities of your own region only.")}

        return refuse

    def writer(user: Any) -> Writer:
        from mission.records.services import record_create, record_update

        def write(rows: Sequence[tuple[str, Any]], reason: str) -> None:
            for action, form in rows:
                fields = _as_planned(form)
                if action == "create":
                    record = record_create(actor=user, model=model, fields=fields)
                else:  # read again: the services compare what it held (the month it leaves) with what it gets
                    record = model._default_manager.get(pk=form.instance.pk)
                    record_update(actor=user, record=record, expected_version=record.version, fields=fields)
                update_change_reason(record, reason)

        return write

    def editable(user: Any) -> QuerySet[Any]:
        rows: QuerySet[Any] = model.objects.visible_to(user)
        return rows.filter(**{model.author_field: user}, status__in=EDITABLE_BY_AUTHOR)

    def back() -> str:
        return reverse(f"{namespace}:{record_type.url_name('list')}")

    return ImportFlow(
        key=record_import_key(record_type, namespace),
        spec=_spec(record_type),
        may_import=may_import,
        namespace="imports",
        prefix=f"{record_import_key(record_type, namespace)}_",
        back=back,
        refusal=refusal,
        export_rows=editable,
        writer=writer,
        description=DESCRIPTION,
    )


# --- A record's rows (participants) from a sign-in sheet --------------------------------------------
PART_DESCRIPTION = gettext_lazy(
    "One row per person, as on a sign-in sheet; a row whose name is already on the record updates that "
    "person, any other row is added. Codes for the choices (sex, age band, community). Nobody is removed: "
    "remove a person on the record's form."
)


def part_import_name(record_type: RecordType, part: RecordPart, namespace: str) -> str:
    return f"{namespace}-{record_type.path}-{part.name}"


def part_import_family(record_type: RecordType, part: RecordPart, namespace: str) -> Callable[[int], ImportFlow]:
    """The import of `part`'s rows onto one record (its key in the URL), for the record's author while
    it is a draft or returned, through `record_update` (the lock, the version, the rows' numbers)."""
    model: Any = record_type.get_model()
    name = part_import_name(record_type, part, namespace)
    spec = _spec(part)

    def make(pk: int) -> ImportFlow:
        record = model._default_manager.get(pk=pk)

        def writer(user: Any) -> Writer:
            from mission.records.services import record_update

            def write(rows: Sequence[tuple[str, Any]], reason: str) -> None:
                changed = [
                    {**({"id": form.instance.pk} if action == "update" else {}), **_as_planned(form)}
                    for action, form in rows
                ]
                current = model._default_manager.select_for_update().get(pk=pk)  # its version, held
                record_update(
                    actor=user,
                    record=current,
                    expected_version=current.version,
                    fields={},
                    parts={part: changed},
                    reason=reason,
                )

            return write

        def back() -> str:
            return reverse(f"{namespace}:{record_type.url_name('detail')}", args=[pk])

        return ImportFlow(
            key=f"{name}:{pk}",
            spec=spec,
            may_import=lambda user: _may_change(user, record),
            namespace="imports",
            prefix=f"{name}_",
            back=back,
            export_rows=lambda user: part_rows_of(record, part),
            writer=writer,
            rows=lambda: part_rows_of(record, part),
            url_args=(pk,),
            exists_for=lambda user: model.objects.visible_to(user).filter(pk=pk).exists(),
            description=PART_DESCRIPTION,
        )

    return make


def _as_planned(form: Any) -> dict[str, Any]:
    """The file's fields as the plan left them on the row (a blank cell given its default or its value)."""
    return {name: getattr(form.instance, name) for name in form.fields}


def part_imports(record_type: RecordType, namespace: str, user: Any, record: Any) -> list[tuple[Any, str]]:
    """The record page's links to import its rows, for whoever may: (the rows' name, the URL)."""
    found = []
    for part in record_type.parts:
        if part.import_key and _may_change(user, record):
            url = reverse(f"imports:{part_import_name(record_type, part, namespace)}_import", args=[record.pk])
            found.append((part.get_model()._meta.verbose_name_plural, url))
    return found
