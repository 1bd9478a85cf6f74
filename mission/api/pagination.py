"""Cursor pagination on the primary key: every page is one indexed range scan, never a COUNT(*), and a
page deep in a million rows costs what the first one does."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from mission.common import whole_number
from mission.pagination import decode_token, encode_token

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _encode(last_id: int) -> str:
    return encode_token(f"id:{last_id}")


def _decode(cursor: str) -> int | None:
    text = decode_token(cursor)
    if text is None:
        return None
    kind, _sep, value = text.partition(":")
    # Plain digits that fit a primary key (else the database would overflow), or not one of ours.
    return whole_number(value) if kind == "id" else None


def page_size(request: Request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    size = whole_number(raw)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("Give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
    return size


def paginate(
    request: Request,
    page: Callable[[int | None, int], list[dict[str, Any]]],
    *,
    encode: Callable[[int], str] = _encode,
    decode: Callable[[str], int | None] = _decode,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of rows and the link to the next page. `page(after, limit)` gives the first `limit`
    rows in primary-key order after the key `after` (None: from the start). The cursor is the last
    primary key, written by `encode` (for partners: their identifier of the last row, so the cursor
    tells them nothing they do not hold) and read back by `decode` (None: not a cursor)."""
    size = page_size(request)
    cursor = request.query_params.get("cursor")
    after = None
    if cursor:
        after = decode(cursor)
        if after is None:
            raise ValidationError(
                {"cursor": [_("This cursor is not valid; use the `next` link of the previous page.")]}
            )
    rows = page(after, size + 1)
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        query = request.query_params.copy()
        query["cursor"] = encode(rows[-1]["id"])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return rows, next_url
