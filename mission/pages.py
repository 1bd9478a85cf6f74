"""What every page of every department does the same way: fetch one record (404 when it does not exist
and when it is not the user's, alike), a list page's context, and saving a record's form."""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.concurrency import ConcurrentEditError, show_conflict
from mission.forms import RepeatedSubmissionError, add_service_errors, earlier_submission, once_per_form
from mission.kept_pages import reader_key
from mission.pagination import PAGE_PARAMETERS, Page, kept_first_page, page_number, paginate

PAGE_SIZE = 25
T = TypeVar("T")


def get_or_404(selector: Callable[..., T], **kwargs: Any) -> T:
    """`selector(**kwargs)`, or 404: a record that does not exist and one outside the user's scope look
    the same. A selector raises the model's DoesNotExist (a scoped `.get` does)."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def list_context(
    request: HttpRequest,
    filterset: Any,
    queryset: QuerySet[Any, Any] | Callable[[], QuerySet[Any, Any]],
    page_size: int = PAGE_SIZE,
    *,
    keep: bool = False,
) -> dict[str, Any]:
    """A list page's filter, page of rows, and query string (without the page) for its links and export.
    `queryset` may be a function that builds it (a selector's `<list>_rows`): a kept first page does
    not build it at all."""
    return {
        "filter": filterset,
        "page": page_of(request, queryset, page_size, keep=keep, model=filterset.queryset.model),
        "query": list_query(request),
    }


def page_of(
    request: HttpRequest,
    queryset: QuerySet[Any, Any] | Callable[[], QuerySet[Any, Any]],
    page_size: int = PAGE_SIZE,
    *,
    keep: bool = False,
    model: type[Model] | None = None,
) -> Page:
    """The page of `queryset` the request asks for: by the cursor its link carries (`mission.pagination`).

    `keep`: the first page's statement is kept per request shape (`mission.kept_pages`). Only for a
    queryset built from nothing but the page's address and query string, the reader's own row, the
    day, the language and reference data: no other rows read to build it, no time of day in it."""
    build = queryset if callable(queryset) else (lambda: queryset)
    page, cursor = request.GET.get("page"), request.GET.get("cursor")
    if keep and not cursor and page_number(page) == 1:
        kept_model = model if model is not None else build().model
        kept = kept_first_page(request_shape(request), kept_model, build, page_size)
        if kept is not None:
            return kept
    return paginate(build(), page, page_size, cursor=cursor)


def request_shape(request: HttpRequest) -> Hashable:
    """What a list's queryset may be built from, besides the language and reference data: the page's
    address and query string (without its position), the reader's row (its scope and identity) and
    the day."""
    query = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists() if name not in PAGE_PARAMETERS))
    return (request.path, query, reader_key(request.user), timezone.localdate())


def list_query(request: HttpRequest) -> str:
    """The list's query string without its position: filters, search and sort, for its page links (which
    add their cursor) and its export."""
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


# How far a list counts its rows, for "n records wait for review": beyond, "more than" is enough, and
# counting a queue of a hundred thousand would cost more than the page.
COUNT_LIMIT = 200


def count_up_to(queryset: QuerySet[Any, Any], limit: int | None = None) -> tuple[int, bool]:
    """(the number of rows, or `limit` when there are more, whether there are more): one query that
    stops reading after `limit` + 1 rows of the primary keys, whatever the list's size. The list's order
    stays: the planner then walks the index that backs it, as the page does, and stops early."""
    limit = COUNT_LIMIT if limit is None else limit
    counted = queryset.values("pk")[: limit + 1].count()
    return min(counted, limit), counted > limit


def draft_saved(request: HttpRequest, text: str, key: str) -> None:
    """A success message that also tells the browser to forget its local copy of the form."""
    messages.success(request, text, extra_tags=f"draft:{key}")


def saved_before_message() -> str:
    return str(_("Saved. This form had been sent before, and it was saved once."))


def already_saved(request: HttpRequest, draft_key: str) -> HttpResponse | None:
    """A form posted again after it was saved (its answer was lost on the way, a double click): where
    the first save led, saying it is saved, before any check that the first save would now fail (the
    version it edited, a draft since submitted). None for a form not saved before."""
    earlier = earlier_submission(request)
    if earlier is None:
        return None
    draft_saved(request, saved_before_message(), draft_key)
    return redirect(earlier)


def form_saved(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], tuple[str, str]],
    *,
    creating: bool,
    draft_key: str,
    fallback: str,
) -> tuple[HttpResponse | None, ConcurrentEditError | None]:
    """Save a valid form through the services, as every record form does: `save()` writes and returns
    (where to go, what to say). A form runs at most once per form token, in the save's transaction (a
    repeated post, a retry after an answer lost after the commit, goes where the first one went, or to
    `fallback`, and says it is saved); the message tells the browser to forget its draft. When the
    service refuses, the page shows again with everything typed: an edit conflict with the other
    person's changes (returned, for the page), a ValidationError on its fields.

    Returns (the redirect, None) once saved, else (None, the conflict or None)."""
    try:
        with once_per_form(request) as saved_at:
            destination, message = save()
            saved_at(destination)  # where a repeated post of this form lands too
    except RepeatedSubmissionError as repeated:
        draft_saved(request, saved_before_message(), draft_key)
        return redirect(repeated.url or fallback), None
    except ConcurrentEditError as error:
        show_conflict(form, error)
        return None, error
    except ValidationError as error:
        add_service_errors(form, error)
        return None, None
    draft_saved(request, message, draft_key)
    return redirect(destination), None
