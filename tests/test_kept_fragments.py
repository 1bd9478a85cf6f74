"""A list's rows rendered once for the same rows (`mission.kept_fragments`, `{% jinja_rows %}`): the HTML
is kept by everything it is made from, so a page shows what this view read, always."""

import datetime
from unittest import mock

import jinja2
import pytest
from django.urls import reverse
from django.utils import translation

from mission import kept_fragments
from mission.kept_pages import attach, kept_rows
from mission.templatetags.fragments import jinja_rows
from rights.models import Case, Hearing, Party
from tests.conftest import client_for
from tests.factories import CaseFactory, HearingFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    kept_fragments.forget_all()
    yield
    kept_fragments.forget_all()


@pytest.fixture
def hearings(monitor):
    return [
        HearingFactory(case=CaseFactory(case_number=f"P. nr. {n}/2026"), date=datetime.date(2026, 3, 1 + n))
        for n in range(3)
    ]


class _Renders:
    """Counts Jinja2's renderings of the hearings' table."""

    def __init__(self) -> None:
        self.call_count = 0
        self._patch = mock.patch.object(jinja2.Template, "render", autospec=True, side_effect=self._render)

    def _render(self, template: jinja2.Template, *args, **kwargs) -> str:
        if template.name == "rights/hearing_table.html":
            self.call_count += 1
        return _render(template, *args, **kwargs)

    def __enter__(self) -> "_Renders":
        self._patch.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._patch.__exit__(*exc)


_render = jinja2.Template.render


def _renders() -> _Renders:
    return _Renders()


def _body(response) -> str:
    return response.content.decode().split("<tbody")[-1].split("</tbody>")[0]


def test_the_same_rows_are_rendered_once_and_show_the_same(monitor, hearings):
    client = client_for(monitor)
    url = reverse("rights:hearing_list")
    with _renders() as render:
        first = client.get(url)
        second = client.get(url)
    assert render.call_count == 1
    assert _body(first) == _body(second)
    assert all(h.case.case_number in _body(second) for h in hearings)


def test_a_row_changed_in_the_database_is_shown_as_it_is_now(monitor, hearings):
    client = client_for(monitor)
    url = reverse("rights:hearing_list")
    client.get(url)
    Case.objects.filter(pk=hearings[0].case_id).update(case_number="P. nr. 999/2026")
    Hearing.objects.filter(pk=hearings[1].pk).update(held=False, adjournment_reason="judge_absent")
    body = _body(client.get(url))
    assert "P. nr. 999/2026" in body
    assert "P. nr. 0/2026" not in body
    assert body.count("Adjourned") == 1


def test_each_language_has_its_own_rows(monitor, hearings):
    client = client_for(monitor)
    url = reverse("rights:hearing_list")
    english = _body(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    client.cookies["django_language"] = "sq"
    albanian = _body(client.get(url))
    assert english != albanian
    with translation.override("sq"):
        assert str(translation.gettext("Held")) in albanian


def test_a_row_with_children_attached_or_prefetched_is_rendered_every_time(monitor, hearings):
    case = hearings[0].case
    PartyFactory(case=case)
    found = kept_rows(Case, "a-case", lambda key: Case.objects.filter(pk=key), case.pk)
    assert kept_fragments.fragment_key("f", {"rows": found}) is not None
    attach(found[0], "parties", list(Party.objects.filter(case=case)))
    assert kept_fragments.fragment_key("f", {"rows": found}) is None
    prefetched = list(Case.objects.filter(pk=case.pk).prefetch_related("parties"))
    assert kept_fragments.fragment_key("f", {"rows": prefetched}) is None  # and not read by a kept statement


def test_rows_read_through_the_orm_and_values_that_cannot_stand_for_themselves_are_not_kept(monitor, hearings):
    rows = list(Hearing.objects.all())
    assert kept_fragments.fragment_key("f", {"rows": rows}) is None
    found = kept_rows(Hearing, "a-hearing", lambda key: Hearing.objects.filter(pk=key), hearings[0].pk)
    assert kept_fragments.fragment_key("f", {"rows": found, "say": lambda: "x"}) is None
    assert kept_fragments.fragment_key("f", {"rows": found, "review": True}) != kept_fragments.fragment_key(
        "f", {"rows": found, "review": 1}
    )
    with _renders() as render:
        for _ in range(2):
            jinja_rows("rights/hearing_table.html", rows=rows)
    assert render.call_count == 2


def test_a_deep_page_is_rendered_as_usual(monitor, hearings):
    for n in range(25):
        HearingFactory(case=hearings[0].case, date=datetime.date(2026, 4, 1 + n))
    client = client_for(monitor)
    url = reverse("rights:hearing_list")
    cursor = client.get(url).context["page"].next_cursor
    assert cursor
    with _renders() as render:
        client.get(url, {"cursor": cursor})
        client.get(url, {"cursor": cursor})
    assert render.call_count == 2
