"""Cursor pagination on the primary key: every page is one indexed range scan, never a COUNT(*), and a
page deep in a million rows costs what the first one does."""

import base64
import binascii

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = text.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            {"cursor": [_("This cursor is not valid; use the `next` link of the previous page.")]}
        ) from None


def page_size(request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("Give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
    return int(raw)


def paginate(request, queryset: QuerySet, rows_of) -> tuple[list[dict], str | None]:
    """One page of `rows_of(queryset)` (a values() queryset) and the link to the next page."""
    size = page_size(request)
    queryset = queryset.order_by("pk")
    cursor = request.query_params.get("cursor")
    if cursor:
        queryset = queryset.filter(pk__gt=_decode(cursor))
    rows = list(rows_of(queryset)[: size + 1])
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        query = request.query_params.copy()
        query["cursor"] = _encode(rows[-1]["id"])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return rows, next_url
