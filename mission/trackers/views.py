"""The pages of a tracker: the list (status, filters, search, pages), an item with its status history
and the form to add a step, and the item's form. `TrackerPages(tracker_type, namespace)` makes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from mission.accounts.http import AuthenticatedHttpRequest
from mission.concurrency import ConcurrentEditError, show_conflict
from mission.forms import add_service_errors, submission_token
from mission.history import history_author, history_changes
from mission.pages import already_saved, form_saved, get_or_404, list_context
from mission.records.cells import cells_of, columns_of
from mission.trackers.declaration import TrackerType
from mission.trackers.forms import StatusForm, item_form_class, tracker_filterset_class
from mission.trackers.services import (
    may_maintain,
    tracked_create,
    tracked_status_add,
    tracked_update,
)
from mission.trackers.shapes import reads_items

if TYPE_CHECKING:
    from mission.trackers.shapes import TrackedItem


@dataclass(frozen=True)
class TrackerPages:
    tracker_type: TrackerType
    namespace: str

    @property
    def model(self) -> type[TrackedItem]:
        return self.tracker_type.get_model()

    def url(self, page: str, *args: object) -> str:
        return reverse(f"{self.namespace}:{self.tracker_type.url_name(page)}", args=args)

    def require_reader(self, request: AuthenticatedHttpRequest) -> None:
        items: Any = self.model._default_manager.get_queryset()  # a NationalQuerySet
        if not reads_items(request.user, items):
            raise PermissionDenied

    def visible(self, request: AuthenticatedHttpRequest) -> Any:
        """The items the user may read, with the reference rows (a source, an addressee) the pages show."""
        manager: Any = self.model._default_manager
        fields = self.tracker_type.fields
        related = [name for name in fields if self.model._meta.get_field(name).is_relation]
        return manager.visible_to(request.user).select_related(*related)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> TrackedItem:
        item: TrackedItem = get_or_404(lambda: self.visible(request).get(pk=pk))
        return item

    def context(self, request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        pages = ("list", "create", "detail", "edit", "status")
        return {
            "label": meta.verbose_name,
            "label_plural": meta.verbose_name_plural,
            "names": {page: f"{self.namespace}:{self.tracker_type.url_name(page)}" for page in pages},
            "may_maintain": may_maintain(request.user, self.model),
            **extra,
        }

    # --- The list ---------------------------------------------------------------------------------
    def list_page(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        self.require_reader(request)
        ordering = [*(self.model._meta.ordering or []), "pk"]
        filterset = tracker_filterset_class(self.tracker_type)(
            request.GET or None, queryset=self.visible(request).order_by(*ordering)
        )
        context = list_context(request, filterset, filterset.qs)
        columns = columns_of(self.model, self.tracker_type.list_columns)
        rows = [(item, cells_of(item, columns, readable=False)) for item in context["page"].object_list]
        return render(request, "trackers/list.html", self.context(request, columns=columns, rows=rows, **context))

    # --- One item ---------------------------------------------------------------------------------
    def detail(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        self.require_reader(request)
        item = self.get(request, pk)
        return self._detail(request, item, self._status_form(item))

    def _status_form(self, item: TrackedItem, data: Any = None) -> StatusForm:
        meta: Any = self.model._meta  # the subclass's: its statuses
        field: Any = meta.get_field("current_status")
        return StatusForm(data, initial={"version": item.version}, choices=field.choices)

    def _detail(
        self, request: AuthenticatedHttpRequest, item: TrackedItem, status_form: StatusForm, conflict: Any = None
    ) -> HttpResponse:
        columns = columns_of(self.model, self.tracker_type.fields)
        facts = list(zip(columns, cells_of(item, columns, readable=False), strict=True))
        entries = list(item.status_history.select_related("recorded_by"))  # type: ignore[attr-defined]
        versions = list(item.history.select_related("history_user").order_by("history_date", "history_id"))
        changes = history_changes(
            self.model,
            list(zip(versions[1:], versions, strict=False)),
            excluded_fields=["version", "created_at", "updated_at", "current_status", "status_date"],
        )
        history = [
            {"at": new.history_date, "who": history_author(new), "changes": found}
            for new, found in zip(versions[1:], changes, strict=True)
            if found
        ]
        context = self.context(
            request,
            item=item,
            facts=facts,
            entries=entries,
            status_form=status_form,
            created=versions[0] if versions else None,
            created_by=history_author(versions[0]) if versions else "",
            history=list(reversed(history)),
            conflict=conflict,
        )
        return render(request, "trackers/detail.html", context)

    def status(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        """Add a step to the item's status history; a refused one shows the page again as typed."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.require_reader(request)
        item = self.get(request, pk)
        if not may_maintain(request.user, self.model):
            raise PermissionDenied
        form = self._status_form(item, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tracked_status_add(
                    actor=request.user,
                    item=item,
                    expected_version=data["version"],
                    date=data["date"],
                    status=data["status"],
                    evidence=data["evidence"],
                    support=data["support"],
                )
            except ConcurrentEditError as error:
                show_conflict(form, error)
                return self._detail(request, self.get(request, pk), form, conflict=error)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Status recorded."))
                return redirect(self.url("detail", pk))
        return self._detail(request, self.get(request, pk), form)

    # --- The item's form --------------------------------------------------------------------------
    def create(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        self.require_reader(request)
        if not may_maintain(request.user, self.model):
            raise PermissionDenied
        if done := already_saved(request, f"{self.tracker_type.name}:new"):
            return done
        return self._form(request, None)

    def edit(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        self.require_reader(request)
        item = self.get(request, pk)
        if not may_maintain(request.user, self.model):
            raise PermissionDenied
        if done := already_saved(request, f"{self.tracker_type.name}:{item.pk}"):
            return done
        return self._form(request, item)

    def _form(self, request: AuthenticatedHttpRequest, item: TrackedItem | None) -> HttpResponse:
        from django.forms import model_to_dict

        initial = {**model_to_dict(item, fields=self.tracker_type.fields), "version": item.version} if item else None
        form = item_form_class(self.tracker_type)(request.POST or None, initial=initial)
        conflict = None
        if request.method == "POST" and form.is_valid():
            done, conflict = form_saved(
                request,
                form,
                self._saver(request, form, item),
                creating=item is None,
                draft_key=f"{self.tracker_type.name}:{item.pk if item else 'new'}",
                fallback=self.url("list"),
            )
            if done:
                return done
        context = self.context(
            request,
            form=form,
            item=item,
            conflict=conflict,
            submission_token=submission_token(request),
            draft_key=f"{self.tracker_type.name}:{item.pk if item else 'new'}",
            draft_version=conflict.current_version if conflict else (item.version if item else 0),
            cancel_url=self.url("detail", item.pk) if item else self.url("list"),
        )
        return render(request, "trackers/form.html", context)

    def _saver(
        self, request: AuthenticatedHttpRequest, form: Any, item: TrackedItem | None
    ) -> Callable[[], tuple[str, str]]:
        def save() -> tuple[str, str]:
            if item is None:
                made = tracked_create(actor=request.user, model=self.model, fields=form.content())
                return self.url("detail", made.pk), _("Saved.")
            tracked_update(
                actor=request.user, item=item, expected_version=form.cleaned_data["version"], fields=form.content()
            )
            return self.url("detail", item.pk), _("Saved.")

        return save

    def urlpatterns(self) -> list[URLPattern]:
        base, name = self.tracker_type.path, self.tracker_type.url_name
        return [
            path(f"{base}/", self.list_page, name=name("list")),
            path(f"{base}/new/", self.create, name=name("create")),
            path(f"{base}/<int:pk>/", self.detail, name=name("detail")),
            path(f"{base}/<int:pk>/edit/", self.edit, name=name("edit")),
            path(f"{base}/<int:pk>/status/", self.status, name=name("status")),
        ]
