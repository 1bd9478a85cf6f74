"""Keyset pagination of the HTML lists (`mission.pagination`): every row exactly once, forwards and
backwards, in every sort, across ties and NULLs, while rows come and go; bad cursors are a 400."""

import datetime
import json
from unittest import mock

import pytest
from django.core.exceptions import BadRequest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mission.dashboards.services import summaries_refresh
from mission.pages import count_up_to
from mission.pagination import cursor_after, encode_token, paginate, sort_keys
from rights.filters import CaseFilter
from rights.models import Case, Court
from tests.conftest import client_for, page_link
from tests.factories import CaseFactory, HearingFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def _walk(queryset, per_page=3):
    """Every page from the first by Next, then back from the last by Previous: (forward, backward) as
    lists of pk lists, the backward ones in reading order."""
    forward = []
    page = paginate(queryset, None, per_page)
    forward.append([row.pk for row in page.object_list])
    while page.next_cursor:
        page = paginate(queryset, None, per_page, cursor=page.next_cursor)
        forward.append([row.pk for row in page.object_list])
    backward = []
    while page.previous_cursor:
        page = paginate(queryset, None, per_page, cursor=page.previous_cursor)
        backward.insert(0, [row.pk for row in page.object_list])
    return forward, backward


@pytest.fixture
def cases(supervisor, monitor):
    """Eleven cases in two courts: case numbers repeated across the courts, three created at the same
    instant, some without a hearing (their latest hearing is NULL) and several sharing one."""
    other_court = Court.objects.exclude(code="BC-PZ").first()
    made = []
    for n in range(11):
        court = other_court if n % 2 else Court.objects.get(code="BC-PZ")
        made.append(CaseFactory(case_number=f"P. nr. {n // 2}/2026", court=court, municipality=court.seat))
    today = datetime.date.today()
    for n, case in enumerate(made):
        if n % 4 == 3:
            continue  # no hearing yet
        Case.objects.filter(pk=case.pk).update(last_hearing_date=today - datetime.timedelta(days=n % 3))
    instant = timezone.now()
    Case.objects.filter(pk__in=[c.pk for c in made[2:5]]).update(created_at=instant)
    return Case.objects.order_by("pk")


@pytest.mark.parametrize("sort", list(CaseFilter.sorts))
def test_every_case_sort_pages_through_each_row_once_both_ways(cases, sort):
    queryset = CaseFilter({"sort": sort}, queryset=Case.objects.all()).qs
    expected = [case.pk for case in queryset]
    forward, backward = _walk(queryset)
    assert [pk for page in forward for pk in page] == expected
    assert backward == forward[:-1] or backward == forward  # back to the first page, page by page
    assert [len(page) for page in forward] == [3, 3, 3, 2]


@pytest.mark.parametrize(
    "order",
    [
        ["last_hearing_date"],  # NULLs last ascending, as on PostgreSQL
        ["-last_hearing_date"],  # NULLs first descending
        [F("last_hearing_date").asc(nulls_first=True), "-pk"],
        [F("last_hearing_date").desc(nulls_last=True), "case_number"],
        ["case_number", "-created_at"],  # mixed directions, ties on both
        ["-created_at"],
        ["court"],  # a foreign key: by the court's own ordering (its code), then the primary key
    ],
)
def test_ties_and_nulls_in_any_order_neither_repeat_nor_skip_a_row(cases, order):
    queryset = Case.objects.order_by(*order)
    keys = sort_keys(queryset)
    expected = [case.pk for case in queryset.order_by(*(k.order_by() for k in keys))]
    forward, backward = _walk(queryset, per_page=2)
    assert [pk for page in forward for pk in page] == expected
    assert sorted(expected) == sorted(cases.values_list("pk", flat=True))
    assert backward == forward[:-1] or backward == forward


def test_nulls_go_where_postgresql_puts_them_on_every_database(cases):
    assert cases.filter(last_hearing_date=None).count() == 2
    ascending = [
        c.last_hearing_date for c in paginate(Case.objects.order_by("last_hearing_date"), None, 50).object_list
    ]
    assert ascending[-2:] == [None, None]
    assert None not in ascending[:-2]
    descending = [
        c.last_hearing_date for c in paginate(Case.objects.order_by("-last_hearing_date"), None, 50).object_list
    ]
    assert descending[:2] == [None, None]
    assert None not in descending[2:]


def test_a_row_added_between_two_pages_is_neither_repeated_nor_skipped(cases):
    queryset = Case.objects.order_by("-created_at", "-pk")
    first = paginate(queryset, None, 4)
    # A new case sorts first: the next page goes on after the last row the reader saw.
    CaseFactory(case_number="P. nr. 99/2026")
    seen = [row.pk for row in first.object_list]
    page = first
    while page.next_cursor:
        page = paginate(queryset, None, 4, cursor=page.next_cursor)
        seen += [row.pk for row in page.object_list]
    assert len(seen) == len(set(seen)) == 11
    # A row that sorts after the cursor shows up once, where it belongs.
    later = paginate(queryset, None, 4, cursor=first.next_cursor)
    old = CaseFactory(case_number="P. nr. 98/2026")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    rest = []
    page = later
    while page.next_cursor:
        page = paginate(queryset, None, 4, cursor=page.next_cursor)
        rest += [row.pk for row in page.object_list]
    assert rest.count(old.pk) == 1


def test_an_old_page_number_link_still_works_and_renders_cursors(cases):
    queryset = Case.objects.order_by("case_number", "pk")
    page = paginate(queryset, "2", 3)
    assert [c.pk for c in page.object_list] == [c.pk for c in queryset][3:6]
    assert page.next_cursor
    assert page.previous_cursor
    back = paginate(queryset, None, 3, cursor=page.previous_cursor)
    assert [c.pk for c in back.object_list] == [c.pk for c in queryset][:3]
    assert not back.has_previous
    assert back.number == 1


def test_cursor_after_is_the_next_link_of_the_page_that_ends_there(cases):
    queryset = Case.objects.order_by("-last_hearing_date", "-pk")
    first = paginate(queryset, None, 3)
    assert cursor_after(queryset, 2, 3) == first.next_cursor


def _cursor(payload) -> str:
    return encode_token(json.dumps(payload))


BAD_CURSORS = [
    "not-a-cursor",
    "%%%",
    "A" * 1001,
    encode_token("plain text"),
    _cursor([1, 2]),
    _cursor({"d": "n", "n": 2}),
    _cursor({"d": "x", "n": 2, "k": [None, 1]}),
    _cursor({"d": "n", "n": 0, "k": [None, 1]}),
    _cursor({"d": "n", "n": 2, "k": [None]}),  # one key short
    _cursor({"d": "n", "n": 2, "k": ["yesterday", 1]}),  # not a date
    _cursor({"d": "n", "n": 2, "k": ["2026-01-01", None]}),  # the primary key is never NULL
    _cursor({"d": "n", "n": 2, "k": ["2026-01-01", 2**70]}),  # beyond 64 bits
    _cursor({"d": "n", "n": 2, "k": [{"a": 1}, 1]}),
    _cursor({"d": "n", "n": 2, "k": ["2026-01-01", True]}),
    _cursor({"d": "n", "n": 2, "k": ["2026-13-45", 1]}),
]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_cursor_that_was_not_made_here_is_a_400(supervisor, cursor):
    response = client_for(supervisor).get(reverse("rights:case_list"), {"cursor": cursor})
    assert response.status_code == 400
    assert "This link to a page of the list is not valid" in response.content.decode()


def test_text_with_a_nul_in_a_cursor_is_a_400_not_a_database_error():
    queryset = Case.objects.order_by("case_number", "pk")
    with pytest.raises(BadRequest):
        paginate(queryset, None, 3, cursor=_cursor({"d": "n", "n": 2, "k": ["P\x00", 1]}))


def test_any_change_to_a_real_cursor_is_a_page_or_a_400(supervisor, cases):
    client = client_for(supervisor)
    url = reverse("rights:case_list")
    CaseFactory.create_batch(20)
    first = client.get(url, {"sort": "case_number"})
    link = page_link(first)
    cursor = link.split("cursor=")[1]
    for index in range(0, len(cursor), 3):
        for char in "A_-z0":
            changed = cursor[:index] + char + cursor[index + 1 :]
            assert client.get(url, {"sort": "case_number", "cursor": changed}).status_code in (200, 400)


def test_the_links_keep_filters_search_and_sort_and_only_one_position(supervisor, cases):
    client = client_for(supervisor)
    url = reverse("rights:case_list")
    for case in cases:
        HearingFactory(case=case)
    query = {"court": "BC-PZ", "q": "2026", "sort": "case_number", "page": "1"}
    first = client.get(url, query)
    assert len(first.context["page"].object_list) == 6
    second = client.get(url, {**query, "page": "1"})  # the same with a stray page in the address
    link = page_link(second)
    assert link is None  # six cases fit one page
    small = CaseFilter({"court": "BC-PZ", "sort": "case_number"}, queryset=Case.objects.all()).qs
    assert small.count() == 6
    # More than a page: the Next link keeps every filter and carries a cursor, never a page number.
    for _ in range(25):
        CaseFactory()
    response = client.get(url, {"court": "BC-PZ", "sort": "-created_at"})
    link = page_link(response)
    assert "court=BC-PZ" in link
    assert "sort=-created_at" in link
    assert "cursor=" in link
    assert "page=" not in link
    assert link.count("cursor=") == 1
    following = client.get(url + link)
    assert following.context["filter"].form.cleaned_data["court"].code == "BC-PZ"
    assert page_link(following, "prev").count("cursor=") == 1


def test_a_queue_is_counted_up_to_a_bound(cases):
    assert count_up_to(Case.objects.order_by("-created_at"), limit=20) == (11, False)
    assert count_up_to(Case.objects.order_by("-created_at"), limit=11) == (11, False)
    assert count_up_to(Case.objects.order_by("-created_at"), limit=10) == (10, True)


def test_the_review_queue_says_more_than_the_bound(supervisor, monitor, settings):
    for _ in range(3):
        ObservationFactory(hearing=HearingFactory(), monitor=monitor, status="submitted", submitted_at=timezone.now())
    # Filtered, the queue counts up to a bound; unfiltered, it reads the count the services keep,
    # which a rebuild recounts for these observations made around the services.
    filtered = {"monitor": monitor.username}
    with mock.patch("mission.pages.COUNT_LIMIT", 2):
        response = client_for(supervisor).get(reverse("rights:review_queue"), filtered)
    assert "More than 2 observations wait for review" in response.content.decode()
    assert (
        "3 observations wait for review"
        in client_for(supervisor).get(reverse("rights:review_queue"), filtered).content.decode()
    )
    summaries_refresh()
    with mock.patch("mission.pages.COUNT_LIMIT", 2):
        unfiltered = client_for(supervisor).get(reverse("rights:review_queue")).content.decode()
    assert "3 observations wait for review" in unfiltered
