"""The pages of a declared record type: list (filter, search, sort, pages, CSV), detail (fields by
sensitivity, status, review, history), new, edit, correct, review and the review queue.

`RecordPages(record_type, namespace)` makes them; `urlpatterns()` mounts them under the record type's
path, in the department's namespace (`DepartmentConfig.records` does this)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import (
    Capability,
    has_capability,
    may_follow_up,
    reads_department,
    reads_restricted,
    scope_for,
)
from mission.attachments.selectors import attachment_panel
from mission.audit.services import access_record_many, access_shown
from mission.concurrency import ConcurrentEditError
from mission.exports import table_csv_response
from mission.forms import submission_token
from mission.pages import already_saved, count_up_to, form_saved, get_or_404, list_context
from mission.records import forms as record_forms
from mission.records.cells import FieldColumn, cells_of, columns_of
from mission.records.declaration import RecordType
from mission.records.flags import flag_model_of, flags_of, record_flag_close, rules_of
from mission.records.imports import part_imports, record_import_key
from mission.records.parts import (
    PartFormSet,
    PartRows,
    history_holds_restricted,
    part_formsets,
    part_queryset,
    part_rows,
    part_tables,
    parts_valid,
)
from mission.records.services import record_correct_content, record_create, record_update
from mission.records.shapes import RecordFlagRow
from mission.records.tables import table_spec
from mission.references import Link, links
from mission.review import selectors as review_selectors
from mission.review.forms import ReviewForm
from mission.review.permissions import may_correct, may_decide, may_edit, may_review
from mission.review.services import record_approve, record_return
from mission.review.views import review_decide
from mission.sensitivity import restricted_fields

if TYPE_CHECKING:
    from mission.accounts.models import User
    from mission.review.models import ReviewedQuerySet, ReviewedRecord


def _parts_hold_restricted(record: ReviewedRecord, formsets: list[PartFormSet]) -> bool:
    """Whether the rows the record's form shows hold restricted values (names)."""
    for made in formsets:
        restricted = restricted_fields(made.part.get_model())
        for form in made.formset.initial_forms:
            if any(form.initial.get(name) for name in restricted):
                return True
    return False


@dataclass(frozen=True)
class RecordPages:
    record_type: RecordType
    namespace: str  # the department's URL namespace (its app label)

    # --- What every page asks ---------------------------------------------------------------------
    @property
    def model(self) -> type[ReviewedRecord]:
        return self.record_type.get_model()

    @property
    def department(self) -> str:
        return self.model._default_manager.get_queryset().department  # type: ignore[attr-defined,no-any-return]

    def url(self, page: str, *args: object) -> str:
        return reverse(f"{self.namespace}:{self.record_type.url_name(page)}", args=args)

    def require_reader(self, user: User) -> None:
        """The department's records are for its staff and mission management only."""
        if not reads_department(user, self.department):
            raise PermissionDenied

    def visible(self, user: User) -> ReviewedQuerySet[ReviewedRecord]:
        related = [n for n in self.record_type.list_columns if self.model._meta.get_field(n).is_relation]
        author = self.model.author_field
        return self.model._default_manager.visible_to(user).select_related(  # type: ignore[attr-defined,no-any-return]
            author, "municipality__region", *related
        )

    def get(self, user: User, pk: int) -> ReviewedRecord:
        """One record in the user's scope (404 otherwise), with its parts' rows and what they show."""
        prefetched = [Prefetch(part.related_name(), queryset=part_queryset(part)) for part in self.record_type.parts]
        if rules_of(self.record_type):
            prefetched.append(Prefetch("flags", queryset=self._flags().select_related("closed_by")))
        return get_or_404(
            lambda: self.visible(user).select_related("reviewed_by").prefetch_related(*prefetched).get(pk=pk)
        )

    def context(self, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        pages = ("list", "export", "queue", "create", "detail", "edit", "correct", "review", "flag_close")
        # ("flag_close" exists only for a record type with flag rules: the page asks for it only then.)
        return {
            "label": meta.verbose_name,
            "label_plural": meta.verbose_name_plural,
            "names": {page: f"{self.namespace}:{self.record_type.url_name(page)}" for page in pages},
            "author_label": self.model.review_labels.author,
            **extra,
        }

    # --- Lists ------------------------------------------------------------------------------------
    def _list(
        self,
        request: AuthenticatedHttpRequest,
        queryset: QuerySet[ReviewedRecord],
        template: str,
        *,
        count: bool = False,
        sort: str | None = None,
        import_url: str = "",
    ) -> HttpResponse:
        data = request.GET.copy()
        if sort and not data.get("sort"):
            data["sort"] = sort  # the order the page starts in, shown as chosen on its filter form
        readable = reads_restricted(request.user, self.model)
        filterset = record_forms.filterset_class(self.record_type)(
            data or None, queryset=queryset, readable=readable, region_ids=scope_for(request.user).region_ids
        )
        context = list_context(request, filterset, filterset.qs)
        if count:  # what waits for one region's reviewers, counted up to a bound (a backlog may be long)
            context["waiting"], context["waiting_more"] = count_up_to(filterset.qs)
        columns = columns_of(self.model, self.record_type.list_columns)
        shown = list(context["page"].object_list)
        rows = [(record, cells_of(record, columns, readable=readable)) for record in shown]
        restricted = [c.name for c in columns if c.restricted]
        if readable and restricted:  # each record whose names the page shows is a logged view
            named = [r for r in shown if any(getattr(r, name) for name in restricted)]
            access_record_many(actor=request.user, objs=named, path=request.path)
        may_record = has_capability(request.user, Capability.RECORD)
        context |= {"columns": columns, "rows": rows, "may_record": may_record, "import_url": import_url}
        return render(request, template, self.context(**context))

    def list_page(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        self.require_reader(request.user)
        return self._list(
            request, self.visible(request.user), "records/list.html", import_url=self._import_url(request)
        )

    def _import_url(self, request: AuthenticatedHttpRequest) -> str:
        """The import of a spreadsheet of drafts, for whoever may make one (`RecordType.import_key`)."""
        if not self.record_type.import_key:
            return ""
        from mission.imports.flows import flow_of

        flow = flow_of(record_import_key(self.record_type, self.namespace))
        return flow.url("import") if flow.may_import(request.user) else ""

    def queue(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        """Submitted records in the reviewer's scope, never their own, oldest first by default."""
        if not has_capability(request.user, Capability.REVIEW):
            raise PermissionDenied
        self.require_reader(request.user)
        queryset = review_selectors.review_queue(queryset=self.visible(request.user), user=request.user)
        return self._list(request, queryset, "records/queue.html", count=True, sort="oldest")

    def export(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        """The filtered list as CSV, the columns of the record type's table (`mission.records.tables`,
        as the data report writes them) but the restricted ones: names stay on the pages, where each
        view is logged, and in the data report for those who may read them."""
        self.require_reader(request.user)
        filterset = record_forms.filterset_class(self.record_type)(
            request.GET or None,
            queryset=self.visible(request.user),
            readable=reads_restricted(request.user, self.model),
            region_ids=scope_for(request.user).region_ids,
        )
        spec = table_spec(self.record_type, restricted=False)
        return table_csv_response(f"{self.record_type.path}.csv", spec, filterset.qs)

    # --- One record -------------------------------------------------------------------------------
    def detail(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        self.require_reader(request.user)
        record = self.get(request.user, pk)
        return self._detail(request, record, ReviewForm(initial={"version": record.version}, record=record))

    def _detail(
        self,
        request: AuthenticatedHttpRequest,
        record: ReviewedRecord,
        review_form: ReviewForm,
        conflict: ConcurrentEditError | None = None,
        flag_error: tuple[int, list[str], str] | None = None,
    ) -> HttpResponse:
        user = request.user
        readable = reads_restricted(user, self.model)
        columns = columns_of(self.model, self.record_type.fields)
        referenced = dict(self.record_type.references)

        def linked(column: FieldColumn) -> list[Link]:
            """The other apps' records of the field's stored value (not its display), if the reader sees it."""
            if column.name not in referenced or (column.restricted and not readable):
                return []
            return links(referenced[column.name], user, getattr(record, column.field.attname))

        facts: list[tuple[FieldColumn, object, list[Link]]] = [
            (column, value, linked(column))
            for column, value in zip(columns, cells_of(record, columns, readable=readable), strict=True)
        ]
        parts = part_tables(record, self.record_type.parts, readable=readable)
        shown = any(c.restricted and getattr(record, c.name) for c in columns) or any(t.restricted_shown for t in parts)
        if readable and (shown or history_holds_restricted(record, self.record_type.parts)):
            access_shown(request, record)
        withheld = () if readable else tuple(c.name for c in columns if c.restricted)
        context = self.context(
            record=record,
            facts=facts,
            parts=parts,
            history=review_selectors.record_history(record=record, withheld=withheld, readable=readable),
            may_edit=may_edit(user, record),
            may_decide=may_decide(user, record),
            may_correct=may_correct(user, record),
            review_form=review_form,
            review_url=self.url("review", record.pk),
            conflict=conflict,
            flags=list(flags_of(record).all()) if rules_of(self.record_type) else None,
            may_follow_up=may_follow_up(user, record),
            flag_error=flag_error,
            attachments=attachment_panel(request, record),
            part_imports=part_imports(self.record_type, self.namespace, user, record),
        )
        return render(request, "records/detail.html", context)

    # --- Flags ------------------------------------------------------------------------------------
    def _flags(self) -> QuerySet[RecordFlagRow]:
        return flag_model_of(self.model)._default_manager.all()

    def flag_close(self, request: AuthenticatedHttpRequest, pk: int, flag_pk: int) -> HttpResponse:
        """Close a flag of the record with a note; a refused close shows the page again with the note."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.require_reader(request.user)
        record = self.get(request.user, pk)
        flag = get_or_404(lambda: flags_of(record).get(pk=flag_pk))
        if not may_follow_up(request.user, record):
            raise PermissionDenied
        note = request.POST.get("closing_note", "")
        try:
            record_flag_close(actor=request.user, flag=flag, note=note)
        except ValidationError as error:
            review_form = ReviewForm(initial={"version": record.version}, record=record)
            return self._detail(request, record, review_form, flag_error=(flag.pk, error.messages, note))
        messages.success(request, _("Flag closed."))
        return redirect(self.url("detail", pk))

    def review(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.require_reader(request.user)
        record = self.get(request.user, pk)
        if not may_review(request.user, record):
            raise PermissionDenied

        def conflict_page(form: ReviewForm, error: ConcurrentEditError) -> HttpResponse:
            return self._detail(request, self.get(request.user, pk), form, conflict=error)

        return review_decide(
            request,
            record,
            approve=record_approve,
            return_=record_return,
            record_argument="record",
            done_url=self.url("queue"),
            record_url=self.url("detail", pk),
            conflict_page=conflict_page,
        )

    # --- Forms ------------------------------------------------------------------------------------
    def create(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        self.require_reader(request.user)
        if not has_capability(request.user, Capability.RECORD):
            raise PermissionDenied
        if done := already_saved(request, self._draft_key(None, correcting=False)):
            return done
        return self._form(request, None, correcting=False)

    def edit(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        self.require_reader(request.user)
        record = self.get(request.user, pk)
        if record.author_pk != request.user.pk:
            raise PermissionDenied
        if done := already_saved(request, self._draft_key(record, correcting=False)):
            return done
        if not may_edit(request.user, record):
            messages.info(request, _("This record is no longer a draft; corrections go through “Correct”."))
            return redirect(self.url("detail", pk))
        return self._form(request, record, correcting=False)

    def correct(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        self.require_reader(request.user)
        record = self.get(request.user, pk)
        if not may_correct(request.user, record):
            raise PermissionDenied
        if done := already_saved(request, self._draft_key(record, correcting=True)):
            return done
        return self._form(request, record, correcting=True)

    def _draft_key(self, record: ReviewedRecord | None, *, correcting: bool) -> str:
        return f"{self.record_type.name}:{record.pk if record else 'new'}{':correction' if correcting else ''}"

    def _form(
        self, request: AuthenticatedHttpRequest, record: ReviewedRecord | None, *, correcting: bool
    ) -> HttpResponse:
        user = request.user
        form_class = record_forms.form_class(self.record_type, correcting=correcting)
        initial = record_forms.initial(record, self.record_type) if record else None
        form = form_class(request.POST or None, initial=initial, user=user)
        restricted = [c.name for c in columns_of(self.model, self.record_type.fields) if c.restricted]
        readable = reads_restricted(user, self.model)
        formsets = part_formsets(self.record_type.parts, data=request.POST or None, record=record, readable=readable)
        if not readable:
            for name in restricted:  # neither shown nor changed by someone who may not read them
                del form.fields[name]
        elif record is not None and (
            any(getattr(record, name) for name in restricted) or _parts_hold_restricted(record, formsets)
        ):
            access_shown(request, record)  # the form shows the names the record holds
        draft_key = self._draft_key(record, correcting=correcting)
        conflict = None
        if request.method == "POST" and all([form.is_valid(), parts_valid(formsets)]):
            done, conflict = form_saved(
                request,
                form,
                self._saver(request, form, record, correcting=correcting, parts=part_rows(formsets)),
                creating=record is None,
                draft_key=draft_key,
                fallback=self.url("list"),
            )
            if done:
                return done
        context = self.context(
            form=form,
            formsets=formsets,
            parts_invalid=any(made.formset.total_error_count() for made in formsets),
            record=record,
            correcting=correcting,
            conflict=conflict,
            submission_token=submission_token(request),
            draft_key=draft_key,
            draft_version=conflict.current_version if conflict else (record.version if record else 0),
            cancel_url=self.url("detail", record.pk) if record else self.url("list"),
        )
        return render(request, "records/form.html", context)

    def _saver(
        self,
        request: AuthenticatedHttpRequest,
        form: record_forms.RecordForm,
        record: ReviewedRecord | None,
        *,
        correcting: bool,
        parts: PartRows,
    ) -> Callable[[], tuple[str, str]]:
        user = request.user
        submit = "submit" in request.POST

        def save() -> tuple[str, str]:
            fields = form.content()
            if record is None:
                saved = record_create(actor=user, model=self.model, fields=fields, parts=parts)
                if submit:
                    saved = record_update(
                        actor=user, record=saved, expected_version=saved.version, fields={}, submit=True
                    )
                    return self.url("detail", saved.pk), _("Saved and submitted for review.")
                return self.url("detail", saved.pk), _("Draft saved.")
            version = form.cleaned_data["version"]
            if correcting:
                reason = form.cleaned_data["reason"]
                record_correct_content(
                    actor=user, record=record, expected_version=version, reason=reason, fields=fields, parts=parts
                )
                return self.url("detail", record.pk), _("Correction saved as revision %(n)s.") % {"n": record.revision}
            record_update(
                actor=user, record=record, expected_version=version, fields=fields, submit=submit, parts=parts
            )
            if submit:
                return self.url("detail", record.pk), _("Submitted for review.")
            return self.url("edit", record.pk), _("Draft saved.")

        return save

    # --- Mounting ---------------------------------------------------------------------------------
    def urlpatterns(self) -> list[URLPattern]:
        base = self.record_type.path
        name = self.record_type.url_name
        return [
            path(f"{base}/", self.list_page, name=name("list")),
            path(f"{base}/export.csv", self.export, name=name("export")),
            path(f"{base}/review/", self.queue, name=name("queue")),
            path(f"{base}/new/", self.create, name=name("create")),
            path(f"{base}/<int:pk>/", self.detail, name=name("detail")),
            path(f"{base}/<int:pk>/edit/", self.edit, name=name("edit")),
            path(f"{base}/<int:pk>/correct/", self.correct, name=name("correct")),
            path(f"{base}/<int:pk>/review/", self.review, name=name("review")),
        ] + (
            [path(f"{base}/<int:pk>/flags/<int:flag_pk>/close/", self.flag_close, name=name("flag_close"))]
            if self.record_type.flag_rules
            else []
        )
