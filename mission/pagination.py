"""Pagination that never counts the table: it reads one row more than a page to know whether a next
page exists. Lists stay as fast on page 1 of a million rows as of a hundred."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mission.common import whole_number

# Far beyond any list of ours (25 million rows at 25 a page), and far below where OFFSET overflows the
# database's 64-bit integers, which made a page number like 99999999999999999999 a server error.
MAX_PAGE = 1_000_000


@dataclass
class Page:
    object_list: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def page_number(page: str | None) -> int:
    """The page asked for: 1 when none is; a whole number from 1 to MAX_PAGE, or a 400 that says so.
    A page past the last one is an empty page, as the list does not count its rows."""
    if not page:
        return 1
    number = whole_number(page)
    if number is None or not 1 <= number <= MAX_PAGE:
        raise BadRequest(
            _("There is no page by that number: give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE}
        )
    return number


def paginate(queryset: QuerySet[Any, Any], page: str | None, per_page: int = 25) -> Page:
    number = page_number(page)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
