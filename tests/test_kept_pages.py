"""The first page of a staff list, its statement kept per request shape (`mission.kept_pages`): the same
rows as a page read through the ORM, with their related objects, annotations and prefetched rows; the
data read fresh on every view; each reader, scope, filter and day its own statement; on PostgreSQL a
prepared statement, planned once per connection."""

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mission import prepared
from mission.kept_pages import KeptPage, kept_rows
from mission.pagination import kept_first_page, paginate
from rights import selectors
from rights.models import FlagRule, Hearing, ObservationStatus
from tests.conftest import client_for, require_service
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(hearing: Any) -> tuple:
    return (
        hearing.pk,
        hearing.date,
        hearing.case.case_number,
        hearing.case.court.code,
        hearing.observation_count,
        hearing.flag_count,
    )


@pytest.fixture
def hearings(monitor, geography):
    """Thirty hearings in the monitor's region (some observed, some flagged) and five in another."""
    made = []
    for n in range(30):
        case = CaseFactory(case_number=f"P. nr. {n}/2026")
        hearing = HearingFactory(case=case, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
        if n % 3 == 0:
            ObservationFactory(hearing=hearing, monitor=monitor)
        if n % 5 == 0:
            FlagFactory(case=case, hearing=hearing)
        made.append(hearing)
    mitrovica = geography["MIT"].municipalities.first()
    for n in range(5):
        HearingFactory(case=CaseFactory(case_number=f"M. nr. {n}/2026", municipality=mitrovica))
    return made


def test_a_kept_first_page_equals_the_page_read_through_the_orm(monitor, hearings):
    _filterset, queryset = selectors.hearing_list(user=monitor, data={"sort": "case_number"})
    plain = paginate(queryset, None, 10)
    kept = kept_first_page("hearings", queryset.model, lambda: queryset, 10)
    again = kept_first_page("hearings", queryset.model, lambda: queryset, 10)
    assert kept is not None
    assert again is not None
    assert [_fields(h) for h in kept.object_list] == [_fields(h) for h in plain.object_list]
    assert [_fields(h) for h in again.object_list] == [_fields(h) for h in plain.object_list]
    assert (kept.has_next, kept.has_previous, kept.next_cursor) == (plain.has_next, False, plain.next_cursor)
    # The related objects came with the row, as select_related makes them: no query to read them.
    with CaptureQueriesContext(connection) as queries:
        [h.case.court.code for h in again.object_list]
    assert not queries.captured_queries
    assert again.object_list[0]._state.adding is False


def test_prefetched_rows_come_with_a_kept_page(supervisor, monitor, hearings):
    """A page's prefetched rows (here each observation's hearing's flags) and its annotations (the review queue's
    flags' rules, read in the row's own statement) come with a kept page as with the ORM's."""
    colleague = UserFactory(username="monitor.two", region=monitor.region, field_team=monitor.field_team)
    for hearing in hearings[:6]:
        ObservationFactory(hearing=hearing, monitor=colleague, status=ObservationStatus.SUBMITTED)
    _filterset, queue = selectors.review_queue(user=supervisor, data={})
    queryset = queue.prefetch_related("hearing__flags")
    plain = paginate(queryset, None, 25)
    kept = kept_first_page("queue", queryset.model, lambda: queryset, 25)
    assert [o.pk for o in kept.object_list] == [o.pk for o in plain.object_list]
    assert len(kept.object_list) == 6
    with CaptureQueriesContext(connection) as queries:
        flags = [[f.pk for f in o.hearing.flags.all()] for o in kept.object_list]
    assert not queries.captured_queries
    assert flags == [[f.pk for f in o.hearing.flags.all()] for o in plain.object_list]
    assert any(flags)
    assert [o.flag_rules for o in kept.object_list] == [o.flag_rules for o in plain.object_list]
    assert any(o.flag_rules for o in kept.object_list)
    assert [o.violations for o in kept.object_list] == [o.violations for o in plain.object_list]


def test_the_statement_is_kept_not_the_rows(monitor, hearings):
    client = client_for(monitor)
    url = reverse("rights:hearing_list") + "?sort=-date"
    first = client.get(url)
    assert first.status_code == 200
    newest = HearingFactory(case=hearings[0].case, date=datetime.date(2026, 12, 31))
    assert newest.case.case_number in client.get(url).content.decode()
    Hearing.objects.filter(pk=newest.pk).delete()
    assert newest.case.case_number not in client.get(url).content.decode().split("<tbody")[-1]


def test_each_reader_and_scope_reads_their_own(monitor, other_region_monitor, hearings):
    url = reverse("rights:hearing_list")
    mine = client_for(monitor).get(url).content.decode()
    theirs = client_for(other_region_monitor).get(url).content.decode()
    assert "P. nr. 29/2026" in mine
    assert "M. nr. 0/2026" not in mine
    assert "M. nr. 0/2026" in theirs
    assert "P. nr. 29/2026" not in theirs
    # A monitor moved to the other region reads that region's list from the next page on.
    monitor.region = other_region_monitor.region
    monitor.field_team = other_region_monitor.field_team
    monitor.save()
    moved = client_for(monitor).get(url).content.decode()
    assert "M. nr. 0/2026" in moved
    assert "P. nr. 29/2026" not in moved


def test_each_filter_its_own_statement_and_a_new_day_a_new_one(monitor, hearings):
    client = client_for(monitor)
    url = reverse("rights:hearing_list")
    assert "P. nr. 7/2026" in client.get(url, {"q": "7/2026"}).content.decode()
    assert "P. nr. 7/2026" not in client.get(url, {"q": "8/2026"}).content.decode()
    written = []
    original = KeptPage.__init__

    def counting(self, *args, **kwargs):
        written.append(1)
        original(self, *args, **kwargs)

    with mock.patch.object(KeptPage, "__init__", counting):
        client.get(url, {"q": "8/2026"})
        assert not written  # the same shape: the kept statement
        with mock.patch("mission.pages.timezone.localdate", return_value=datetime.date(2030, 1, 1)):
            client.get(url, {"q": "8/2026"})
        assert written == [1]


def test_a_reader_whose_scope_sees_nothing_gets_an_empty_page(monitor, hearings):
    _filterset, queryset = selectors.hearing_list(user=UserFactory(username="no.region.admin", administrator=True))
    page = kept_first_page("empty", queryset.model, lambda: queryset, 10)
    assert page.object_list == []
    assert not page.has_next


def test_a_search_with_percent_signs_is_literal(monitor, hearings):
    """The values are written into the statement as the driver writes them: a percent sign is one."""
    client = client_for(monitor)
    url = reverse("rights:hearing_list")
    for text in ("100%", "%s", "%%", "'; DROP TABLE rights_hearing; --"):
        response = client.get(url, {"q": text})
        assert response.status_code == 200
        assert "P. nr. 1/2026" not in response.content.decode().split("<tbody")[-1]
    assert Hearing.objects.count() == 35


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_page_is_prepared_once_per_connection(geography, monitor, hearings):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    _filterset, queryset = selectors.hearing_list(user=monitor)
    connection.close()

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            kept_first_page("prepared", queryset.model, lambda: queryset, 10)
        return [q["sql"].split(" ", 1)[0] for q in queries.captured_queries]

    assert statements() == ["PREPARE", "EXECUTE"]
    assert statements() == ["EXECUTE"]


@pytest.mark.django_db(transaction=True)
def test_a_connection_keeps_a_bounded_number_of_prepared_statements(geography, monkeypatch):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    monkeypatch.setattr(prepared, "MAX_PREPARED", 3)
    connection.close()
    with connection.cursor() as cursor:
        for n in range(7):
            prepared.execute_literal(cursor, f"SELECT {n}, '100%'")
            assert cursor.fetchone() == (n, "100%")
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] <= 3


# --- A record's statements, kept for every record (`kept_rows`, `attach`) ---------------------------
def test_the_case_page_reads_its_case_hearings_observations_and_flags_fresh(department_head, monitor, hearings):
    case = hearings[0].case
    client = client_for(department_head)
    url = reverse("rights:case_detail", args=[case.pk])
    assert client.get(url).status_code == 200
    other = CaseFactory(case_number="P. nr. 99/2026")
    assert client.get(reverse("rights:case_detail", args=[other.pk])).status_code == 200
    # What was added since shows at once: the statements are kept, not the rows.
    later = HearingFactory(case=case, date=datetime.date(2026, 11, 30))
    colleague = UserFactory(username="monitor.three", first_name="Teuta", last_name="Berisha", region=monitor.region)
    ObservationFactory(hearing=later, monitor=colleague)
    page = client.get(url).content.decode()
    assert "Teuta Berisha" in page
    assert page.count(reverse("rights:hearing_detail", args=[later.pk])) >= 1
    selected = selectors.case_detail(user=department_head, pk=case.pk)
    with CaptureQueriesContext(connection) as queries:
        hearings_read = list(selected.hearings.all())
        observed = [o.monitor.username for h in hearings_read for o in h.observations.all() if o.hearing is h]
        flagged = [(f.hearing_id, f.intervention_count) for f in selected.flags.all()]
    assert not queries.captured_queries
    assert [h.pk for h in hearings_read] == list(
        case.hearings.order_by("-date", "-scheduled_start").values_list("pk", flat=True)
    )
    assert "monitor.three" in observed
    assert flagged == [
        (h, 0) for h in case.flags.order_by("status", "-created_at").values_list("hearing_id", flat=True)
    ]
    # A filter on the prefetched rows asks the database, for this case's rows only.
    assert list(selected.hearings.filter(pk=later.pk)) == [later]
    assert not selected.hearings.filter(pk=hearings[1].pk).exists()


def test_a_case_outside_the_readers_scope_is_not_found(monitor, other_region_monitor, hearings):
    url = reverse("rights:case_detail", args=[hearings[0].case.pk])
    assert client_for(monitor).get(url).status_code == 200
    assert client_for(other_region_monitor).get(url).status_code == 404
    assert client_for(monitor).get(url).status_code == 200  # each reader their own statement
    assert client_for(monitor).get("/trial-monitoring/cases/99999999999999999999/").status_code == 404
    assert client_for(monitor).get("/trial-monitoring/cases/2147483648/").status_code == 404


def test_a_statement_that_differs_in_more_than_the_value_is_not_kept(monitor, hearings):
    """Built with the value twice: the two probes' statements differ in two places, so nothing is kept
    and the rows are read through the ORM, right all the same."""
    from django.db.models import Q

    from mission.kept_pages import _written_for_values

    def build(key):
        return Hearing.objects.filter(Q(case=key) | Q(pk=key))

    assert _written_for_values(lambda keys: build(keys[0]), 1, "default") is None
    case = hearings[3].case
    read = [h.pk for h in kept_rows(Hearing, "twice", build, case.pk)]
    assert hearings[3].pk in read
    assert sorted(read) == sorted(build(case.pk).values_list("pk", flat=True))


def test_a_key_in_a_column_that_takes_no_negative_number_is_kept(department_head, hearings):
    """A record's files are found by a generic relation's `object_id`, a positive integer: the probes
    compile there as any key does, so the file panel's statement is kept like the page's others."""
    from django.contrib.contenttypes.models import ContentType

    from mission.attachments.models import Attachment
    from mission.kept_pages import _written_for_values

    content_type = ContentType.objects.get_for_model(hearings[0].case)
    kept = _written_for_values(
        lambda keys: Attachment.objects.filter(content_type=content_type, object_id=keys[0]), 1, "default"
    )
    assert kept is not None
    assert [index for _at, index in kept.value_at] == [0]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_records_statements_are_prepared_with_its_key(geography, department_head, hearings):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    connection.close()
    first, second = hearings[0].case, hearings[5].case
    selectors.case_detail(user=department_head, pk=first.pk)
    with CaptureQueriesContext(connection) as queries:
        case = selectors.case_detail(user=department_head, pk=second.pk)
    assert {q["sql"].split(" ", 1)[0] for q in queries.captured_queries} == {"EXECUTE"}
    assert case.pk == second.pk
    assert [h.pk for h in case.hearings.all()] == [hearings[5].pk]
    assert [f.hearing_id for f in case.flags.all()] == [hearings[5].pk]


def test_the_observation_page_reads_its_ratings_and_flags_fresh_in_the_readers_scope(
    monitor, supervisor, other_region_monitor, hearings
):
    from tests.factories import StandardRatingFactory

    observation = hearings[0].observations.get()
    url = reverse("rights:observation_detail", args=[observation.pk])
    assert client_for(supervisor).get(url).status_code == 200
    assert client_for(other_region_monitor).get(url).status_code == 404
    rating = StandardRatingFactory(observation=observation, rating="violation", evidence="Interpreter absent all day")
    flag = hearings[0].flags.get()  # the fixture flags every fifth hearing
    page = client_for(supervisor).get(url).content.decode()
    assert rating.evidence in page
    assert "No flags on this hearing." not in page
    assert str(flag.get_rule_display()) in page
    read = selectors.observation_detail(user=supervisor, pk=observation.pk)
    with CaptureQueriesContext(connection) as queries:
        standards = [r.standard.code for r in read.ratings.all()]
    assert not queries.captured_queries
    assert standards == [rating.standard.code]
    assert [f.pk for f in selectors.observation_flags(user=supervisor, observation=read)] == list(
        hearings[0].flags.order_by("status", "rule", "pk").values_list("pk", flat=True)
    )
    assert selectors.observation_flags(user=other_region_monitor, observation=read) == []


def test_a_values_query_is_kept_as_dicts_of_its_names(monitor, hearings):
    from django.db.models import Count

    from mission.kept_pages import kept_query

    def by_day():
        return Hearing.objects.order_by("date").values("date").annotate(n=Count("pk"))

    assert kept_query(Hearing, "by-day", by_day) == list(by_day())
    HearingFactory(case=hearings[0].case, date=hearings[0].date)
    again = kept_query(Hearing, "by-day", by_day)
    assert again[0] == {"date": hearings[0].date, "n": 2}
    assert kept_query(Hearing, "none", lambda: Hearing.objects.filter(pk__in=[]).values("pk")) == []


def test_rows_of_a_list_of_keys_one_statement_per_number_of_keys(monitor, hearings):
    from mission.kept_pages import kept_rows_in

    def build(keys):
        return Hearing.objects.filter(case__in=keys).order_by("pk")

    cases = [h.case_id for h in hearings]
    for chosen in (cases[:1], cases[3:7], cases[::-1][:5], cases[2:6]):
        assert [h.pk for h in kept_rows_in(Hearing, "by-cases", build, chosen)] == list(
            build(chosen).values_list("pk", flat=True)
        )
    assert kept_rows_in(Hearing, "by-cases", build, []) == []
    assert kept_rows_in(Hearing, "by-cases", build, [2**40]) == []  # no key of ours: through the ORM


def test_the_review_queue_shows_each_hearings_flags_on_every_observation_of_it(supervisor, monitor, hearings):
    flagged = hearings[0]  # flagged by the fixture
    FlagFactory(case=flagged.case, hearing=flagged, rule="interpreter_absent", subject="second")
    for n in range(2):
        colleague = UserFactory(username=f"monitor.x{n}", region=monitor.region, field_team=monitor.field_team)
        ObservationFactory(hearing=flagged, monitor=colleague, status=ObservationStatus.SUBMITTED)
    ObservationFactory(
        hearing=hearings[1],
        monitor=UserFactory(username="monitor.y", region=monitor.region),
        status=ObservationStatus.SUBMITTED,
    )
    _filterset, build = selectors.review_queue_rows(user=supervisor)
    observations = list(build())
    rules = tuple(flagged.flags.order_by("rule", "pk").values_list("rule", flat=True))  # all open
    assert len(rules) == 2
    assert {o.hearing_id: o.flag_rules for o in observations} == {flagged.pk: rules, hearings[1].pk: ()}
    assert len([o for o in observations if o.hearing_id == flagged.pk]) == 2
    response = client_for(supervisor).get(reverse("rights:review_queue"))
    assert response.status_code == 200
    body = response.content.decode().split("<tbody")[-1]
    assert body.count(str(FlagRule(rules[0]).label)) == 2
    assert body.count(str(FlagRule(rules[1]).label)) == 2


def test_a_shape_that_leaves_out_what_the_query_is_built_from_fails_the_test_that_reads_it(monitor, hearings):
    """The suite compares every kept statement with the query built afresh: a closure that reads a value
    its shape does not name (here the court) is caught at once instead of reading another court's rows."""
    first, second = hearings[0].case.court, hearings[1].case.court

    def of_court(court):
        return kept_rows(
            Hearing, "of-a-case", lambda key: Hearing.objects.filter(case=key, court=court), hearings[0].case_id
        )

    assert [h.pk for h in of_court(first)] == [hearings[0].pk]
    with pytest.raises(AssertionError, match="kept statement differs"):
        of_court(second if second != first else None)
