"""A list's rows rendered once for the same rows (`mission.kept_fragments`, `{% jinja_kept %}`): the HTML
is kept by everything it is made from, so a page shows what this view read, always."""

import datetime
import re
from unittest import mock

import jinja2
import pytest
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation

from mission import kept_fragments
from mission.accounts.models import User
from mission.kept_pages import attach, kept_rows
from mission.templatetags import fragments
from mission.templatetags.fragments import jinja_kept
from rights.models import Case, Flag, FlagRule, Hearing, ObservationStatus, Party
from tests.conftest import client_for
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory, PartyFactory

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
    """Counts Jinja2's renderings of a fragment (the hearings' table)."""

    def __init__(self, name: str = "rights/hearing_table.html") -> None:
        self.name = name
        self.call_count = 0
        self._patch = mock.patch.object(jinja2.Template, "render", autospec=True, side_effect=self._render)

    def _render(self, template: jinja2.Template, *args, **kwargs) -> str:
        if template.name == self.name:
            self.call_count += 1
        return _render(template, *args, **kwargs)

    def __enter__(self) -> "_Renders":
        self._patch.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._patch.__exit__(*exc)


_render = jinja2.Template.render


def _renders(name: str = "rights/hearing_table.html") -> _Renders:
    return _Renders(name)


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


def test_a_rows_attached_children_are_part_of_its_key_and_other_prefetched_rows_unkeep_it(monitor, hearings):
    case = hearings[0].case
    party = PartyFactory(case=case)

    def read() -> Case:
        found = kept_rows(Case, "a-case", lambda key: Case.objects.filter(pk=key), case.pk)[0]
        attach(found, "parties", kept_rows(Party, "its-parties", lambda key: Party.objects.filter(case=key), case.pk))
        return found

    before = kept_fragments.fragment_key("f", {"case": read()})
    assert before is not None
    assert kept_fragments.fragment_key("f", {"case": read()}) == before
    Party.objects.filter(pk=party.pk).update(name="Renamed Person")
    assert kept_fragments.fragment_key("f", {"case": read()}) != before
    prefetched = kept_rows(Case, "a-case", lambda key: Case.objects.filter(pk=key), case.pk)[0]
    prefetch_related_objects([prefetched], "hearings")
    assert kept_fragments.fragment_key("f", {"case": prefetched}) is None
    plain = list(Case.objects.filter(pk=case.pk).prefetch_related("parties"))
    assert kept_fragments.fragment_key("f", {"rows": plain}) is None  # and not read by a kept statement


def test_the_case_page_shows_its_parties_as_they_are_now_and_its_own_form_token(monitor, hearings):
    case = hearings[0].case
    party = PartyFactory(case=case, ordinal=1)
    ObservationFactory(hearing=hearings[0], monitor=monitor)
    url = reverse("rights:case_detail", args=[case.pk])
    first = client_for(monitor).get(url).content.decode()
    before = party.pseudonym
    assert before in first
    Party.objects.filter(pk=party.pk).update(ordinal=2)
    party.refresh_from_db()
    assert party.pseudonym != before
    client = client_for(monitor)
    with _renders("rights/case_detail.html") as render:
        second = client.get(url).content.decode()
        third = client.get(url).content.decode()
    assert render.call_count == 1
    assert party.pseudonym in second
    assert before not in second
    assert (
        third.split("<main")[1].split("csrfmiddlewaretoken")[0]
        == second.split("<main")[1].split("csrfmiddlewaretoken")[0]
    )
    # The page made from the kept body carries its own form token (a new mask of the client's secret on
    # every page), never the one the body was first rendered with, nor the mark it was kept with.
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page) for page in (second, third)]
    assert all(tokens)
    assert all(len(set(found)) == 1 for found in tokens)
    assert tokens[0][0] != tokens[1][0]
    assert all(len(found[0]) == 64 for found in tokens)
    assert fragments._CSRF_MARK not in third


def test_a_row_holding_a_list_stands_for_itself(monitor):
    def read() -> User:
        return kept_rows(User, "a-user", lambda key: User.objects.filter(pk=key), monitor.pk)[0]

    User.objects.filter(pk=monitor.pk).update(languages=["sq", "en"])
    before = kept_fragments.fragment_key("f", {"user": read()})
    assert before is not None
    assert kept_fragments.fragment_key("f", {"user": read()}) == before
    User.objects.filter(pk=monitor.pk).update(languages=["sq", "sr"])
    assert kept_fragments.fragment_key("f", {"user": read()}) != before


def test_a_monitor_signing_in_leaves_the_case_page_kept(monitor, hearings):
    case = hearings[0].case
    ObservationFactory(hearing=hearings[0], monitor=monitor, status="submitted")
    url = reverse("rights:case_detail", args=[case.pk])
    client = client_for(monitor)
    with _renders("rights/case_detail.html") as render:
        first = client.get(url).content.decode()
        User.objects.filter(pk=monitor.pk).update(last_login=timezone.now())
        second = client.get(url).content.decode()
        User.objects.filter(pk=monitor.pk).update(first_name="Renamed")
        third = client.get(url).content.decode()
    assert render.call_count == 2  # the first page, and again for the new name only
    assert (
        first.split("<main")[1].split("csrfmiddlewaretoken")[0]
        == second.split("<main")[1].split("csrfmiddlewaretoken")[0]
    )
    assert "Renamed" in third


def test_a_view_s_value_put_on_a_row_unkeeps_it(monitor, hearings):
    found = kept_rows(Hearing, "a-hearing", lambda key: Hearing.objects.filter(pk=key), hearings[0].pk)
    assert kept_fragments.fragment_key("f", {"rows": found}) is not None
    found[0].flag_list = []  # as the review queue once put its hearings' flags on them
    assert kept_fragments.fragment_key("f", {"rows": found}) is None


def test_a_fragment_that_reads_the_database_to_be_kept_fails_the_test_that_renders_it(monitor, hearings):
    """A relation left out of the rows' statement would be read once and then kept: the suite's setting
    makes it an error."""
    found = kept_rows(Hearing, "bare-hearing", lambda key: Hearing.objects.filter(pk=key), hearings[0].pk)
    with pytest.raises(AssertionError, match="a kept fragment read the database"):
        jinja_kept("rights/hearing_table.html", rows=found)  # reads each hearing's case: not in the row


def test_readers_who_may_and_may_not_read_names_never_share_a_case_s_body(monitor, management, hearings):
    """The department's own staff read the names; mission management reads the pseudonyms only. The body
    kept for one is never the other's, whichever reads it first."""
    case = hearings[0].case
    party = PartyFactory(case=case, ordinal=1, name="Planted Accused Name")
    url = reverse("rights:case_detail", args=[case.pk])
    for first, second in ((monitor, management), (management, monitor)):
        kept_fragments.forget_all()
        pages = {user: client_for(user).get(url).content.decode() for user in (first, second)}
        assert "Planted Accused Name" in pages[monitor]
        assert "Planted Accused Name" not in pages[management]
        assert party.pseudonym in pages[management]


def test_the_review_queue_shows_a_flag_raised_since_the_page_was_kept(supervisor, monitor, hearings):
    observation = ObservationFactory(hearing=hearings[1], monitor=monitor, status=ObservationStatus.SUBMITTED)
    client = client_for(supervisor)
    url = reverse("rights:review_queue")
    label = str(FlagRule("interpreter_absent").label)
    assert label not in _body(client.get(url))
    FlagFactory(hearing=observation.hearing, rule="interpreter_absent")
    assert label in _body(client.get(url))


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
            jinja_kept("rights/hearing_table.html", rows=rows)
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


def test_the_review_queue_names_a_flag_rule_no_longer_declared_by_its_stored_value(supervisor, monitor, hearings):
    observation = ObservationFactory(hearing=hearings[1], monitor=monitor, status=ObservationStatus.SUBMITTED)
    flag = FlagFactory(hearing=observation.hearing, rule="interpreter_absent")
    Flag.objects.filter(pk=flag.pk).update(rule="retired_rule")  # a rule since taken out of the code
    response = client_for(supervisor).get(reverse("rights:review_queue"))
    assert response.status_code == 200
    assert "retired_rule" in _body(response)
