"""What every page of every department does the same way: fetch one record (404 when it does not exist
and when it is not the user's, alike), a list page's context, and the message after a saved form."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from mission.pagination import paginate

PAGE_SIZE = 25
T = TypeVar("T")


def get_or_404(selector: Callable[..., T], **kwargs: Any) -> T:
    """`selector(**kwargs)`, or 404: a record that does not exist and one outside the user's scope look
    the same. A selector raises the model's DoesNotExist (a scoped `.get` does)."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def list_context(request: HttpRequest, filterset: Any, queryset: QuerySet, page_size: int = PAGE_SIZE) -> dict:
    """A list page's filter, page of rows, and query string (without the page) for its links and export."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page": paginate(queryset, request.GET.get("page"), page_size),
        "query": query.urlencode(),
    }


def draft_saved(request: HttpRequest, text: str, key: str) -> None:
    """A success message that also tells the browser to forget its local copy of the form."""
    messages.success(request, text, extra_tags=f"draft:{key}")
