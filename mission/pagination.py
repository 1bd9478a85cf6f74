"""Pagination of the HTML lists that never counts the table and never skips rows with OFFSET.

A page's links carry a cursor: the values of the list's ordering keys on the row at the page's edge,
plus the primary key, which breaks ties. The next page is "the rows after that one, in the list's
order", the previous one "the rows before it" (the order reversed, fetched, flipped back). Both are a
range scan of the index that backs the order, so a page a million rows deep costs what the first one
does. The keys are read from the queryset's own `order_by()` (or its model's `Meta.ordering`), so a
list keeps its user-selectable sorts, ascending or descending, on its own fields or on related rows.

NULLs sort where PostgreSQL puts them (after every value ascending, before every value descending)
on every database, unless the ordering says `nulls_first`/`nulls_last`; the cursor condition follows
the same placement. Old links with `?page=N` still work (OFFSET, as before), and the links they render
are cursors."""

import base64
import binascii
import datetime
import decimal
import itertools
import json
import math
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.db.models import F, Model, OrderBy, Q, QuerySet
from django.db.models.fields import Field
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, IsNull, LessThan, LessThanOrEqual
from django.utils.translation import gettext as _

from mission.common import whole_number
from mission.kept_pages import first_page_rows

# Far beyond any list of ours (25 million rows at 25 a page), and far below where OFFSET overflows the
# database's 64-bit integers, which made a page number like 99999999999999999999 a server error.
MAX_PAGE = 1_000_000
# The query parameters a page's position lives in: a list's other links (filters, sort, export) drop them.
PAGE_PARAMETERS = ("page", "cursor")
# A cursor holds a few short values; anything longer was not made here.
MAX_CURSOR_LENGTH = 1000
_FORWARD, _BACKWARD = "n", "p"
_KEY = "keyset_{}"  # the annotations that read each ordering key's value on the fetched rows


@dataclass
class Page:
    """One page of a list. `next_cursor`/`previous_cursor` are what the page's links carry (None:
    there is no such page); `number` is the page's ordinal as the reader counted it from the first
    page (a label: rows added since may shift what page 1 holds)."""

    object_list: list[Any]
    number: int
    has_next: bool
    has_previous: bool = False
    next_cursor: str | None = None
    previous_cursor: str | None = None

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


# --- Tokens -----------------------------------------------------------------------------------------
def encode_token(text: str) -> str:
    """`text` as unpadded URL-safe base64: a query parameter that needs no escaping."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_token(token: str) -> str | None:
    """The text `encode_token` wrote, or None when `token` is not such a thing."""
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


# --- The ordering keys ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SortKey:
    """One key of a list's order. `nulls_first` says where NULLs go in this key's own order; None
    when the key cannot be NULL (the column is NOT NULL and every join on its way is too)."""

    expression: Any  # an F() or any other expression (django-stubs types them loosely)
    descending: bool
    nulls_first: bool | None

    @property
    def nullable(self) -> bool:
        return self.nulls_first is not None

    def reversed(self) -> "SortKey":
        nulls = None if self.nulls_first is None else not self.nulls_first
        return SortKey(self.expression, not self.descending, nulls)

    def order_by(self) -> OrderBy:
        # NULL placement is spelled out only for a nullable key: the same SQL as before for the others,
        # so the indexes keep matching (PostgreSQL's defaults are the placement chosen here).
        if self.nulls_first is None:
            return OrderBy(self.expression, descending=self.descending)
        return OrderBy(
            self.expression,
            descending=self.descending,
            nulls_first=True if self.nulls_first else None,
            nulls_last=None if self.nulls_first else True,
        )

    def beyond(self, value: object) -> Q | None:
        """The rows that come after `value` in this key's order (None: no row does)."""
        if value is None:
            return Q(IsNull(self.expression, False)) if self.nulls_first else None
        lookup = LessThan if self.descending else GreaterThan
        condition = Q(lookup(self.expression, value))
        if self.nullable and not self.nulls_first:
            condition |= Q(IsNull(self.expression, True))
        return condition

    def equal(self, value: object) -> Q:
        return Q(IsNull(self.expression, True)) if value is None else Q(Exact(self.expression, value))

    def bound(self, value: object) -> Q:
        """`value` or beyond, for a non-null `value` with no NULL after it: a range the index starts at."""
        lookup = LessThanOrEqual if self.descending else GreaterThanOrEqual
        return Q(lookup(self.expression, value))


def _field_path(model: type[Model], name: str) -> list[Field[Any, Any]] | None:
    """The fields `name` ("hearing__date") walks through, or None when it is not a field path (an
    annotation)."""
    fields: list[Field[Any, Any]] = []
    opts = model._meta
    for part in name.split("__"):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return None
        if not isinstance(field, Field):
            return None  # a reverse relation: many rows, not an order
        fields.append(field)
        if field.is_relation and field.related_model is not None:
            opts = field.related_model._meta
    return fields


def _name(expression: object) -> str | None:
    """The field path an F() names ("hearing__date"), None for any other expression."""
    return str(expression.name) if isinstance(expression, F) else None  # type: ignore[attr-defined]  # F.name is not in the stubs


def _expand(model: type[Model], item: object, descending: bool, depth: int = 0) -> list[SortKey]:
    """The keys of one `order_by()` item, as Django reads it: "-name" descending, a foreign key by its
    model's `Meta.ordering` (or its primary key), an `OrderBy` with its NULL placement."""
    nulls_first: bool | None = None
    expression: Any = item
    if isinstance(item, OrderBy):
        descending = descending != item.descending
        nulls_first = True if item.nulls_first else False if item.nulls_last else None
        expression = item.expression
    if isinstance(expression, str):
        if expression == "?":
            raise ValueError("A randomly ordered list cannot be paged by keys.")
        if expression.startswith("-"):
            descending, expression = not descending, expression[1:]
        expression = F(expression)
    name = _name(expression)
    fields = _field_path(model, name) if name is not None else None
    if name is None or fields is None:
        # Any other expression, or an annotation: it may be NULL, for all we know.
        return [SortKey(expression, descending, _placement(descending, nulls_first))]
    related = fields[-1].related_model if fields[-1].is_relation else None
    ordering = related._meta.ordering if isinstance(related, type) and depth < 3 else []
    if ordering:
        keys: list[SortKey] = []
        for inner in ordering:
            if isinstance(inner, str):
                sign, bare = ("-", inner[1:]) if inner.startswith("-") else ("", inner)
                keys += _expand(model, f"{sign}{name}__{bare}", descending, depth + 1)
            elif isinstance(inner, OrderBy) and (inner_name := _name(inner.expression)) is not None:
                nested = OrderBy(
                    F(f"{name}__{inner_name}"),
                    descending=inner.descending,
                    nulls_first=inner.nulls_first,
                    nulls_last=inner.nulls_last,
                )
                keys += _expand(model, nested, descending, depth + 1)
        return keys
    nullable = any(field.null for field in fields)
    return [SortKey(expression, descending, _placement(descending, nulls_first) if nullable else None)]


def _placement(descending: bool, nulls_first: bool | None) -> bool:
    # PostgreSQL's default: NULL is larger than every value.
    return descending if nulls_first is None else nulls_first


def sort_keys(queryset: QuerySet[Any, Any]) -> list[SortKey]:
    """The keys of `queryset`'s order, ending with the primary key (added, in the direction of the last
    key, when the order does not end with it already), so that every row has its own place."""
    query = queryset.query
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    keys: list[SortKey] = []
    for item in ordering:
        keys += _expand(queryset.model, item, False)
    pk = queryset.model._meta.pk
    pk_names = {"pk", "id"} | ({pk.name, pk.attname} if pk is not None else set())
    unique = next((i for i, k in enumerate(keys) if _name(k.expression) in pk_names), None)
    if unique is None:
        keys.append(SortKey(F("pk"), keys[-1].descending if keys else False, None))
    else:  # nothing after the primary key changes the order
        keys = keys[: unique + 1]
    return keys


# --- Cursors ----------------------------------------------------------------------------------------
def _json_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()  # a datetime keeps its offset
    if isinstance(value, decimal.Decimal | uuid.UUID | float):
        return str(value)
    return str(value)


def encode_cursor(values: list[object], *, backward: bool = False, number: int = 2) -> str:
    """The cursor of the page after (or, `backward`, before) the row whose ordering keys are `values`
    (`row_values` reads them); `number` is the page's ordinal, for its label."""
    payload = {"d": _BACKWARD if backward else _FORWARD, "n": number, "k": [_json_value(v) for v in values]}
    return encode_token(json.dumps(payload, separators=(",", ":")))


def _refuse(_constant: str) -> None:
    raise ValueError("not a number")  # NaN and Infinity are not values of ours


def _bad_cursor() -> BadRequest:
    return BadRequest(_("This link to a page of the list is not valid: start again from the first page."))


def _decode_cursor(cursor: str, fields: list[Field[Any, Any]], keys: list[SortKey]) -> tuple[bool, int, list[object]]:
    """(backward, page number, the key values) of a cursor, each value of its key's type; a 400 for
    anything this module did not write for a list of these keys."""
    text = decode_token(cursor) if len(cursor) <= MAX_CURSOR_LENGTH else None
    try:
        payload = json.loads(text, parse_constant=_refuse) if text is not None else None
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or set(payload) != {"d", "n", "k"}:
        raise _bad_cursor()
    direction, number, raw = payload["d"], payload["n"], payload["k"]
    if (
        direction not in (_FORWARD, _BACKWARD)
        or type(number) is not int
        or not 1 <= number <= MAX_PAGE
        or not isinstance(raw, list)
        or len(raw) != len(keys)
    ):
        raise _bad_cursor()
    values: list[object] = []
    for value, field, key in zip(raw, fields, keys, strict=True):
        if value is None:
            if not key.nullable:
                raise _bad_cursor()
            values.append(None)
            continue
        if not isinstance(value, int | str) or isinstance(value, bool) != (field.get_internal_type() == "BooleanField"):
            raise _bad_cursor()
        # Values the database would refuse with an error rather than compare: a NUL in text, an
        # integer beyond 64 bits.
        if (isinstance(value, str) and "\x00" in value) or (isinstance(value, int) and not -(2**63) <= value < 2**63):
            raise _bad_cursor()
        try:
            typed = field.to_python(value)
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise _bad_cursor() from None
        if typed is None or (isinstance(typed, float) and not math.isfinite(typed)):
            raise _bad_cursor()
        values.append(typed)
    return direction == _BACKWARD, number, values


def row_values(row: object, keys: list[SortKey]) -> list[object]:
    """The ordering keys' values on a row fetched by `paginate` (it annotates them)."""
    return [getattr(row, _KEY.format(index)) for index in range(len(keys))]


# --- Pages ------------------------------------------------------------------------------------------
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


def _after(keys: list[SortKey], values: list[object]) -> tuple[Q, Q | None]:
    """The rows after the one whose keys are `values`, in the order of `keys`, as (the condition, the
    condition of a NULL tail or None).

    The condition leads with a range on the first key, which the index backing the order starts its
    scan at (a bare OR of branches would make the database read every row before the cursor): a row
    comparison `(a, b, id) > (x, y, z)` when every key runs one way and none can be NULL, else the
    first key's bound ANDed to the branches. When the first key may be NULL and its NULLs come after a
    non-NULL boundary, no one range holds both: the NULL rows are a second condition (the tail), read
    only when the first does not fill the page."""
    first, value = keys[0], values[0]
    tail: Q | None = None
    if first.nullable and value is not None:
        # Past a value, the first key's NULLs are either all behind (none after) or all in the tail.
        if not first.nulls_first:
            tail = Q(IsNull(first.expression, True))
        keys = [SortKey(first.expression, first.descending, None), *keys[1:]]
    if all(not k.nullable for k in keys) and len({k.descending for k in keys}) == 1:
        row = Tuple(*(k.expression for k in keys))
        compare = TupleLessThan if keys[0].descending else TupleGreaterThan
        return Q(compare(row, values)), tail
    condition = Q(pk__in=[])
    equal = Q()
    for key, key_value in zip(keys, values, strict=True):
        beyond = key.beyond(key_value)
        if beyond is not None:
            condition |= equal & beyond
        equal &= key.equal(key_value)
    if value is not None and not keys[0].nullable:
        condition = keys[0].bound(value) & condition
    return condition, tail


def _fetch(queryset: QuerySet[Any, Any], keys: list[SortKey], values: list[object], limit: int) -> list[Any]:
    condition, tail = _after(keys, values)
    ordered = queryset.order_by(*(k.order_by() for k in keys))
    rows = list(ordered.filter(condition)[:limit])
    if tail is not None and len(rows) < limit:
        rows += list(ordered.filter(tail)[: limit - len(rows)])
    return rows


def paginate(queryset: QuerySet[Any, Any], page: str | None, per_page: int = 25, *, cursor: str | None = None) -> Page:
    """One page of `queryset` in its own order: after or before `cursor` (a link this page rendered),
    else page number `page` (old links: OFFSET, up to MAX_PAGE), else the first. Reads one row more
    than a page to know whether there is more; never counts. The page's links are cursors."""
    keys = sort_keys(queryset)
    annotated = _with_keys(queryset, keys)
    backward = False
    if cursor:
        query = annotated.query
        fields = [query.annotations[_KEY.format(i)].output_field for i in range(len(keys))]
        backward, number, values = _decode_cursor(cursor, fields, keys)
        if backward:
            rows = _fetch(annotated, [k.reversed() for k in keys], values, per_page + 1)
            more_before = len(rows) > per_page
            rows = rows[:per_page][::-1]
            number = number if more_before else 1
            has_previous, has_next = more_before, True
        else:
            rows = _fetch(annotated, keys, values, per_page + 1)
            has_next, has_previous = len(rows) > per_page, True
            rows = rows[:per_page]
    else:
        number = page_number(page)
        start = (number - 1) * per_page
        ordered = annotated.order_by(*(k.order_by() for k in keys))
        rows = list(ordered[start : start + per_page + 1])
        has_next, has_previous = len(rows) > per_page, number > 1
        rows = rows[:per_page]
    result = Page(object_list=rows, number=number, has_next=has_next, has_previous=has_previous and bool(rows))
    if rows and has_next:
        result.next_cursor = encode_cursor(row_values(rows[-1], keys), number=number + 1)
    if rows and result.has_previous:
        result.previous_cursor = encode_cursor(row_values(rows[0], keys), backward=True, number=max(number - 1, 1))
    if not rows and number > 1 and not backward:
        # Past the end (an old page number, or rows deleted since): a way back to the start.
        result.has_previous = True
    return result


def _with_keys(queryset: QuerySet[Any, Any], keys: list[SortKey]) -> QuerySet[Any, Any]:
    annotated: QuerySet[Any, Any] = queryset.annotate(**{_KEY.format(i): key.expression for i, key in enumerate(keys)})
    return annotated


def kept_first_page(
    shape: Hashable, model: type[Model], build: Callable[[], QuerySet[Any, Any]], per_page: int = 25
) -> Page | None:
    """The first page of the queryset `build()` makes, its statement kept for `shape` (everything the
    queryset is built from: `mission.kept_pages`), without building the queryset once it is kept; None
    when it cannot be kept (the caller pages `build()` as usual)."""

    def write() -> QuerySet[Any, Any]:
        queryset = build()
        keys = sort_keys(queryset)
        return _with_keys(queryset, keys).order_by(*(k.order_by() for k in keys))[: per_page + 1]

    rows = first_page_rows((shape, per_page), model._default_manager.db, write)
    if rows is None:
        return None
    result = Page(object_list=rows[:per_page], number=1, has_next=len(rows) > per_page)
    if result.has_next:
        last = rows[per_page - 1]
        count = next(i for i in itertools.count() if not hasattr(last, _KEY.format(i)))
        result.next_cursor = encode_cursor([getattr(last, _KEY.format(i)) for i in range(count)], number=2)
    return result


def cursor_after(queryset: QuerySet[Any, Any], index: int, per_page: int = 25) -> str | None:
    """The cursor a list page renders for its Next link when row `index` (0-based, in `queryset`'s order)
    ends the page; None past the end. For measuring deep pages and for tests: it reads with OFFSET."""
    keys = sort_keys(queryset)
    annotated = queryset.annotate(**{_KEY.format(i): key.expression for i, key in enumerate(keys)})
    row = annotated.order_by(*(k.order_by() for k in keys))[index : index + 1].first()
    if row is None:
        return None
    return encode_cursor(row_values(row, keys), number=min(index // per_page + 2, MAX_PAGE))
