import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mission.audit.models import AccessLog
from mission.dashboards.services import summaries_refresh
from rights.models import Case, Court, Hearing, Observation
from rights.services.observations import observation_submit
from tests.conftest import client_for, page_link
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory, PartyFactory
from tests.rights.conftest import YESTERDAY, all_complied

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


class TestScoping:
    def test_a_monitor_lists_the_cases_of_their_region(self, monitor, case, other_region_monitor):
        CaseFactory(
            court=Court.objects.get(code="BC-MI"), created_by=other_region_monitor, case_number="P. nr. 77/2026"
        )
        response = client_for(monitor).get(reverse("rights:case_list"))
        assert [c.case_number for c in response.context["page"].object_list] == ["P. nr. 1/2026"]

    def test_a_case_of_another_region_is_not_found(self, other_region_monitor, case):
        assert client_for(other_region_monitor).get(reverse("rights:case_detail", args=[case.pk])).status_code == 404

    def test_other_departments_see_no_trial_data(self, other_department_monitor, case):
        client = client_for(other_department_monitor)
        assert client.get(reverse("rights:case_list")).status_code == 403
        assert client.get(reverse("rights:case_detail", args=[case.pk])).status_code == 403

    def test_management_reads_cases_but_cannot_record(self, management, case):
        client = client_for(management)
        assert client.get(reverse("rights:case_detail", args=[case.pk])).status_code == 200
        assert client.get(reverse("rights:case_create")).status_code == 403
        assert client.get(reverse("rights:hearing_create", args=[case.pk])).status_code == 403


class TestCasePage:
    def test_the_case_page_shows_each_flag_with_its_number_of_interventions_in_the_readers_language(
        self, supervisor, case
    ):
        from django.utils import translation

        from tests.factories import FlagFactory, HearingFactory, InterventionFactory

        hearing = HearingFactory(case=case)
        once = FlagFactory(case=case, hearing=hearing)
        twice = FlagFactory(case=case, hearing=hearing, subject=f"hearing:{hearing.pk}:again")
        InterventionFactory(flag=once)
        InterventionFactory.create_batch(2, flag=twice)
        url = reverse("rights:case_detail", args=[case.pk])
        content = client_for(supervisor).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "· 1 intervention</span>" in content
        assert "· 2 interventions</span>" in content
        assert f'href="{reverse("rights:flag_detail", args=[once.pk])}"' in content
        albanian = client_for(supervisor).get(url, HTTP_ACCEPT_LANGUAGE="sq").content.decode()
        with translation.override("sq"):
            words = translation.ngettext("%(counter)s intervention", "%(counter)s interventions", 2) % {"counter": 2}
        assert words != "2 interventions"
        assert f"· {words}</span>" in albanian


class TestRestrictedNames:
    def test_human_rights_staff_see_names_and_the_view_is_logged(self, supervisor, case):
        response = client_for(supervisor).get(reverse("rights:case_detail", args=[case.pk]))
        assert "Arben Testi" in response.content.decode()
        log = AccessLog.objects.get()
        assert (log.user, log.object_id, log.path) == (
            supervisor,
            str(case.pk),
            reverse("rights:case_detail", args=[case.pk]),
        )

    def test_the_edit_form_shows_names_and_the_view_is_logged(self, monitor, case):
        url = reverse("rights:case_update", args=[case.pk])
        response = client_for(monitor).get(url)
        assert "Arben Testi" in response.content.decode()
        log = AccessLog.objects.get()
        assert (log.user, log.object_id, log.path) == (monitor, str(case.pk), url)

    def test_management_reads_pseudonyms_and_nothing_is_logged(self, management, case):
        content = client_for(management).get(reverse("rights:case_detail", args=[case.pk])).content.decode()
        assert "Arben Testi" not in content
        assert "Accused A" in content
        assert not AccessLog.objects.exists()

    def test_the_csv_export_carries_names_only_for_those_who_may_read_them(self, monitor, management, case):
        rows = _csv(client_for(monitor).get(reverse("rights:case_export")))
        assert rows[1][0] == "P. nr. 1/2026"
        assert rows[1][7] == "Arben Testi"
        assert AccessLog.objects.filter(user=monitor).count() == 1

        rows = _csv(client_for(management).get(reverse("rights:case_export")))
        assert rows[1][7] == "Accused A"
        assert rows[1][8] == "Injured party A"
        assert not AccessLog.objects.filter(user=management).exists()

    def test_the_export_follows_the_filters(self, department_head, case):
        response = client_for(department_head).get(reverse("rights:case_export"), {"region": "MIT"})
        assert len(_csv(response)) == 1  # the header only


class TestPeriodFilter:
    def test_a_case_is_in_the_period_only_when_one_hearing_lies_inside_it(self, supervisor, geography):
        """A hearing before the period and one after it do not put the case in the period."""
        around = CaseFactory(created_by=supervisor, case_number="P. nr. 10/2026")
        HearingFactory(case=around, date=datetime.date(2026, 2, 20))
        HearingFactory(case=around, date=datetime.date(2026, 4, 10))
        inside = CaseFactory(created_by=supervisor, case_number="P. nr. 11/2026")
        HearingFactory(case=inside, date=datetime.date(2026, 3, 15))
        response = client_for(supervisor).get(
            reverse("rights:case_list"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}
        )
        assert [c.case_number for c in response.context["page"].object_list] == ["P. nr. 11/2026"]


class TestForms:
    def test_a_monitor_creates_a_case_with_parties(self, monitor, prizren_court):
        data = {
            "court": prizren_court.pk,
            "case_number": "P. nr. 5/2026",
            "municipality": "",
            "court_department": "general_criminal",
            "category": "hate_crime",
            "charges": "CCK Art. 141",
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "0",
            "parties-MAX_NUM_FORMS": "60",
            "parties-0-role": "accused",
            "parties-0-name": "New Accused",
            "parties-0-sex": "male",
            "parties-0-age_band": "18_25",
            "parties-1-role": "accused",
            "parties-1-name": "",
            "parties-1-sex": "unknown",
            "parties-1-age_band": "unknown",
        }
        response = client_for(monitor).post(reverse("rights:case_create"), data)
        assert response.status_code == 302, response.context["form"].errors or response.context["parties"].errors
        case = Case.objects.get(case_number="P. nr. 5/2026")
        assert response.status_code == 302
        assert [p.name for p in case.parties.all()] == ["New Accused"]

    def test_an_edit_leaving_the_municipality_empty_takes_the_courts_seat(self, monitor, case, prizren_court):
        # The field's help text says so; the edit form answered 500.
        data = {
            "court": prizren_court.pk,
            "case_number": case.case_number,
            "municipality": "",
            "court_department": "general_criminal",
            "category": "other",
            "charges": "CCK Art. 142",
            "version": case.version,
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "0",
            "parties-MAX_NUM_FORMS": "60",
        }
        response = client_for(monitor).post(reverse("rights:case_update", args=[case.pk]), data)
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.municipality == prizren_court.seat
        assert case.category == "other"

    def test_a_duplicate_case_number_keeps_what_was_typed(self, monitor, case, prizren_court):
        data = {
            "court": prizren_court.pk,
            "case_number": case.case_number,
            "court_department": "general_criminal",
            "category": "other",
            "charges": "Typed charges stay",
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "0",
            "parties-MAX_NUM_FORMS": "60",
        }
        response = client_for(monitor).post(reverse("rights:case_create"), data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "already exists" in content
        assert "Typed charges stay" in content
        assert Case.objects.count() == 1

    def test_a_failed_submit_keeps_every_rating_and_note(self, monitor, observation, standards):
        data = {"version": "1", "summary": "", "submit": "1"}
        data[f"rating_{standards[0].code}"] = "violation"
        data[f"evidence_{standards[0].code}"] = ""
        data[f"rating_{standards[1].code}"] = "concern"
        data[f"evidence_{standards[1].code}"] = "Judge on the phone"
        response = client_for(monitor).post(reverse("rights:observation_edit", args=[observation.pk]), data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "A violation needs an evidence note" in content
        assert "Judge on the phone" in content
        assert 'value="concern" class="rating-choice" id' in content or 'value="concern" checked' in content
        observation.refresh_from_db()
        assert observation.status == "draft"

    def test_saving_over_someone_elses_change_shows_what_they_changed(self, monitor, supervisor, hearing):
        client_for(supervisor)  # the supervisor edits first, from their own session
        from rights.services.hearings import hearing_update
        from tests.rights.conftest import hearing_fields

        hearing_update(
            actor=supervisor,
            hearing=Hearing.objects.get(pk=hearing.pk),
            expected_version=1,
            **hearing_fields(outcome="Verdict announced."),
        )
        form = {k: ("" if v is None else v) for k, v in hearing_fields(outcome="My outcome").items()}
        form.update({"version": "1", "recorded": "true", "accused_represented": "true", "held": "on", "public": "on"})
        form["date"] = YESTERDAY.isoformat()
        response = client_for(monitor).post(reverse("rights:hearing_update", args=[hearing.pk]), form)
        content = response.content.decode()
        assert response.status_code == 200
        assert "saved this record after you opened it" in content
        assert "Verdict announced." in content
        assert "My outcome" in content
        assert Hearing.objects.get(pk=hearing.pk).outcome == "Verdict announced."

    def test_a_published_hearing_is_changed_only_with_a_reason_and_goes_back_for_review(
        self, monitor, supervisor, observation, standards
    ):
        from rights.services.observations import observation_approve
        from tests.rights.conftest import hearing_fields

        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="s", ratings=all_complied(standards)
        )
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        hearing = Hearing.objects.get(pk=observation.hearing_id)
        url = reverse("rights:hearing_update", args=[hearing.pk])
        client = client_for(monitor)
        assert "Reason for the correction" in client.get(url).content.decode()
        form = {k: ("" if v is None else v) for k, v in hearing_fields(outcome="Verdict announced.").items()}
        form.update({"version": str(hearing.version), "recorded": "true", "accused_represented": "true"})
        form.update({"held": "on", "public": "on", "date": YESTERDAY.isoformat()})
        refused = client.post(url, form)
        assert refused.status_code == 200
        assert "Give the reason for the correction." in refused.content.decode()
        assert Hearing.objects.get(pk=hearing.pk).outcome == ""

        response = client.post(url, {**form, "reason": "The verdict was read out at the end."})
        assert response.status_code == 302
        hearing.refresh_from_db()
        assert hearing.outcome == "Verdict announced."
        assert not hearing.published
        assert hearing.history.first().history_change_reason == "The verdict was read out at the end."
        assert hearing.observations.get().status == "submitted"

    def test_the_review_queue_takes_the_supervisor_to_approve(self, monitor, supervisor, observation, standards):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="s", ratings=all_complied(standards)
        )
        client = client_for(supervisor)
        queue = client.get(reverse("rights:review_queue"))
        assert list(queue.context["page"].object_list) == [observation]
        response = client.post(
            reverse("rights:observation_review", args=[observation.pk]),
            {"decision": "approve", "version": observation.version},
        )
        assert response.status_code == 302
        observation.refresh_from_db()
        assert observation.status == "approved"

    def test_returning_without_a_comment_is_refused(self, monitor, supervisor, observation, standards):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="s", ratings=all_complied(standards)
        )
        client_for(supervisor).post(
            reverse("rights:observation_review", args=[observation.pk]),
            {"decision": "return", "version": observation.version},
        )
        observation.refresh_from_db()
        assert observation.status == "submitted"


class TestQueryCounts:
    """Lists and the case page run as many queries with 50 rows as with one."""

    @pytest.mark.parametrize(
        ("url_name", "make"),
        [
            ("rights:case_list", lambda m: PartyFactory(case=CaseFactory(created_by=m))),
            ("rights:hearing_list", lambda m: HearingFactory(case=CaseFactory(created_by=m))),
            (
                "rights:observation_list",
                lambda m: ObservationFactory(hearing=HearingFactory(case=CaseFactory(created_by=m))),
            ),
            ("rights:flag_list", lambda m: FlagFactory(hearing=HearingFactory(case=CaseFactory(created_by=m)))),
            (
                "rights:review_queue",
                lambda m: ObservationFactory(
                    hearing=HearingFactory(case=CaseFactory(created_by=m)), status="submitted"
                ),
            ),
        ],
    )
    def test_list_pages(self, supervisor, monitor, django_assert_num_queries, url_name, make):
        client = client_for(supervisor)
        make(monitor)
        client.get(reverse(url_name))
        with CaptureQueriesContext(connection) as one:
            response = client.get(reverse(url_name))
        assert len(response.context["page"].object_list) == 1
        for _ in range(49):
            make(monitor)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(reverse(url_name))
        assert len(response.context["page"].object_list) == 25

    def test_case_detail(self, supervisor, monitor, django_assert_num_queries):
        case = CaseFactory(created_by=monitor)
        PartyFactory(case=case)
        ObservationFactory(hearing=HearingFactory(case=case))
        FlagFactory(hearing=case.hearings.first())
        client = client_for(supervisor)
        url = reverse("rights:case_detail", args=[case.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for _ in range(49):
            hearing = HearingFactory(case=case)
            ObservationFactory(hearing=hearing)
            FlagFactory(hearing=hearing)
            PartyFactory(case=case)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(url)
        assert len(response.context["case"].hearings.all()) == 50
        assert Observation.objects.count() == 50


def _count(client, url: str, query: dict) -> int:
    """How many queries the list's first page makes: its deep pages must make as many."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query)
    return len(queries.captured_queries)


class TestPagination:
    LISTS = [
        "rights:case_list",
        "rights:hearing_list",
        "rights:observation_list",
        "rights:review_queue",
        "rights:flag_list",
    ]

    @pytest.mark.parametrize("url_name", LISTS)
    @pytest.mark.parametrize("page", ["99999999999999999999", "1000001", "0", "-1", "²", "two"])
    def test_a_page_number_that_cannot_be_is_a_400(self, supervisor, url_name, page):
        # 99999999999999999999 × 25 is beyond a 64-bit OFFSET: it was a server error.
        response = client_for(supervisor).get(reverse(url_name), {"page": page})
        assert response.status_code == 400
        assert "There is no page" in response.content.decode()

    SORTS = {
        "rights:case_list": ["-last_hearing", "case_number", "-created_at"],
        "rights:hearing_list": ["-date", "date", "case_number"],
        "rights:observation_list": ["-date", "date", "status"],
        "rights:review_queue": ["submitted", "-date"],
        "rights:flag_list": [""],
    }

    @pytest.mark.parametrize(("url_name", "sort"), [(name, sort) for name, sorts in SORTS.items() for sort in sorts])
    def test_next_and_previous_carry_a_cursor_through_every_row_at_the_same_query_count(
        self, supervisor, monitor, url_name, sort, django_assert_num_queries
    ):
        # 26 of everything, on three days, submitted at one instant: ties in every order but the last key.
        instant = timezone.now()
        for n in range(26):
            hearing = HearingFactory(date=YESTERDAY - datetime.timedelta(days=n % 3), recorded=False)
            ObservationFactory(hearing=hearing, monitor=monitor, status="submitted", submitted_at=instant)
            FlagFactory(hearing=hearing)
        Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:10]).update(last_hearing_date=YESTERDAY)
        client = client_for(supervisor)
        query = {"sort": sort} if sort else {"status": "all"}
        first = client.get(reverse(url_name), query)
        link = page_link(first)
        assert "cursor=" in link
        assert "page=" not in link
        # The submission time may be NULL (drafts have none), and NULLs sort after it: a page that ends
        # the non-NULL rows without being full reads the NULL ones with one more query (mission.pagination).
        tail = 1 if (url_name, sort) == ("rights:review_queue", "submitted") else 0
        with django_assert_num_queries(_count(client, reverse(url_name), query) + tail):
            second = client.get(reverse(url_name) + link)
        rows = [*first.context["page"].object_list, *second.context["page"].object_list]
        assert len(rows) == len({row.pk for row in rows}) == 26
        assert page_link(second) is None
        back = client.get(reverse(url_name) + page_link(second, "prev"))
        assert list(back.context["page"].object_list) == list(first.context["page"].object_list)
        assert page_link(back, "prev") is None

    @pytest.mark.parametrize("url_name", LISTS)
    def test_a_page_past_the_end_is_an_empty_list(self, supervisor, url_name):
        response = client_for(supervisor).get(reverse(url_name), {"page": "1000000"})
        assert response.status_code == 200
        assert response.context["page"].object_list == []


class TestExports:
    def test_no_export_carries_a_live_formula(self, supervisor, monitor, case, hearing, observation, standards):
        # What the forms would tidy up is still possible through imports and the admin: set it directly.
        Case.objects.filter(pk=case.pk).update(case_number="=1+2", charges="@SUM(A1:A9)")
        case.parties.filter(role="accused").update(name="-2+3")
        Observation.objects.filter(pk=observation.pk).update(summary="\t+cmd|' /C calc'!A0")
        client = client_for(supervisor)
        cases = _csv(client.get(reverse("rights:case_export")))
        assert cases[1][0] == "'=1+2"
        assert cases[1][6] == "'@SUM(A1:A9)"
        assert cases[1][7] == "'-2+3"
        assert cases[1][9] == "1"  # a number stays a number
        hearings = _csv(client.get(reverse("rights:hearing_export")))
        assert hearings[1][1] == "'=1+2"
        observations = _csv(client.get(reverse("rights:observation_export")))
        assert observations[1][1] == "'=1+2"
        assert observations[1][8].startswith("'+cmd")  # the summary's spaces are tidied, then neutralised

    def test_hearings_export_follows_the_filters(self, supervisor, hearing):
        rows = _csv(client_for(supervisor).get(reverse("rights:hearing_export"), {"held": "yes"}))
        assert rows[0][:3] == ["Date", "Case number", "Court"]
        assert rows[1][1:3] == ["P. nr. 1/2026", "Basic Court of Prizren"]
        assert rows[1][5] == "yes"
        assert len(_csv(client_for(supervisor).get(reverse("rights:hearing_export"), {"held": "no"}))) == 1

    def test_observations_export_in_albanian(self, supervisor, monitor, observation, standards):
        observation_submit(
            actor=monitor,
            observation=observation,
            expected_version=1,
            summary="Line one\nline two",
            ratings=all_complied(standards, PUBLIC_HEARING=("violation", "Closed.")),
        )
        client = client_for(supervisor)
        client.post(reverse("set_language"), {"language": "sq"})
        rows = _csv(client.get(reverse("rights:observation_export")))
        assert rows[1][1] == "P. nr. 1/2026"
        assert rows[1][3] == "Prizren"
        assert rows[1][7] == "1"  # one violation
        assert rows[1][8] == "Line one line two"
        assert rows[1][5] != "Submitted for review"  # the status label is translated


def _form_data(*forms) -> dict:
    """What a browser would post back for these unbound forms, unchanged."""
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(value)
    return data


def _edit_page(client, kind: str, obj) -> tuple[str, dict]:
    url = reverse(f"rights:{kind}_{'edit' if kind == 'observation' else 'update'}", args=[obj.pk])
    context = client.get(url).context
    forms = [context["form"]]
    if kind == "case":
        forms += [context["parties"].management_form, *context["parties"].forms]
    return url, _form_data(*forms)


class TestLostWork:
    """A save never overwrites what someone else saved unless the user has seen it (issue 11, items 15
    and 16)."""

    TEXT_FIELD = {"case": "charges", "hearing": "outcome", "observation": "summary"}

    @pytest.mark.parametrize("kind", ["case", "hearing", "observation"])
    def test_a_save_without_its_version_is_refused_and_keeps_the_input(self, request, monitor, kind):
        record = request.getfixturevalue(kind)
        model = type(record)
        before = model.objects.get(pk=record.pk)
        client = client_for(monitor)
        url, data = _edit_page(client, kind, record)
        del data["version"]
        data[self.TEXT_FIELD[kind]] = "Typed without a version"
        response = client.post(url, data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "did not say which version of the record it was opened from" in content
        assert "Typed without a version" in content
        after = model.objects.get(pk=record.pk)
        assert (after.version, getattr(after, self.TEXT_FIELD[kind])) == (
            before.version,
            getattr(before, self.TEXT_FIELD[kind]),
        )

    @pytest.mark.parametrize("version", ["", "0", "abc", "-3"])
    def test_an_empty_or_malformed_version_is_refused_too(self, monitor, observation, version):
        client = client_for(monitor)
        url, data = _edit_page(client, "observation", observation)
        data.update(version=version, summary="Mine")
        assert client.post(url, data).status_code == 200
        assert Observation.objects.get(pk=observation.pk).summary == ""

    def test_a_review_without_the_version_seen_is_refused(self, monitor, supervisor, observation, standards):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="s", ratings=all_complied(standards)
        )
        client = client_for(supervisor)
        url = reverse("rights:observation_review", args=[observation.pk])
        response = client.post(url, {"decision": "approve"}, follow=True)
        assert "did not say which version of the record it was opened from" in response.content.decode()
        assert Observation.objects.get(pk=observation.pk).status == "submitted"

    def test_a_review_of_a_version_the_reviewer_did_not_see_is_refused(
        self, monitor, supervisor, observation, standards
    ):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="s", ratings=all_complied(standards)
        )
        client = client_for(supervisor)
        page = client.get(reverse("rights:observation_detail", args=[observation.pk])).content.decode()
        assert f'name="version" value="{observation.version}"' in page
        seen = observation.version
        # Meanwhile another reviewer returns it and the monitor resubmits other content.
        from rights.services.observations import observation_return

        observation_return(
            actor=supervisor, observation=observation, expected_version=seen, comment="Say who was absent."
        )
        observation_submit(
            actor=monitor,
            observation=observation,
            expected_version=observation.version,
            summary="Changed after the first look",
            ratings=all_complied(standards),
        )
        url = reverse("rights:observation_review", args=[observation.pk])
        response = client.post(url, {"decision": "approve", "version": str(seen)}, follow=True)
        assert "saved this record after you opened it" in response.content.decode()
        assert Observation.objects.get(pk=observation.pk).status == "submitted"

    def test_the_conflict_page_keeps_the_input_shows_their_changes_and_saves_over_them_knowingly(
        self, monitor, observation, standards
    ):
        mine = client_for(monitor)
        url, data = _edit_page(mine, "observation", observation)
        # The same monitor on the tablet saves first: a summary and a rating.
        tablet = client_for(monitor)
        _url, theirs = _edit_page(tablet, "observation", observation)
        theirs.update(summary="From the tablet", **{f"rating_{standards[0].code}": "concern"})
        assert tablet.post(url, theirs).status_code == 302

        typed = "A long account of the hearing. " * 50
        data.update(summary=typed, **{f"evidence_{standards[1].code}": "Judge on the phone"})
        response = mine.post(url, data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "saved this record after you opened it" in content
        assert typed.strip() in content
        assert "Judge on the phone" in content
        assert "From the tablet" in content  # what they changed, field by field
        changes = response.context["conflict"].changes
        assert (standards[0].name + ": rating", "—", "Concern") in changes
        assert "Reload" not in content
        form = response.context["form"]
        assert form["version"].value() == "2"
        assert form["summary"].value() == typed

        again = mine.post(url, _form_data(form))
        assert again.status_code == 302
        saved = Observation.objects.get(pk=observation.pk)
        assert (saved.summary, saved.version) == (typed.strip(), 3)
        assert saved.ratings.get(standard=standards[1]).evidence == "Judge on the phone"

    def test_a_hearing_conflict_page_offers_no_way_to_discard_the_input(self, monitor, supervisor, hearing):
        from rights.services.hearings import hearing_update
        from tests.rights.conftest import hearing_fields

        client = client_for(monitor)
        url, data = _edit_page(client, "hearing", hearing)
        hearing_update(
            actor=supervisor,
            hearing=Hearing.objects.get(pk=hearing.pk),
            expected_version=1,
            **hearing_fields(outcome="Verdict announced."),
        )
        data["outcome"] = "My outcome"
        response = client.post(url, data)
        content = response.content.decode()
        assert "Verdict announced." in content
        assert "My outcome" in content
        assert ">Cancel<" not in content
        assert client.post(url, _form_data(response.context["form"])).status_code == 302
        assert Hearing.objects.get(pk=hearing.pk).outcome == "My outcome"


class TestObservationHistory:
    """The history reads as people and labels, never as stored codes and user IDs."""

    def _approved(self, monitor, supervisor, observation, standards):
        from rights.services.observations import observation_approve

        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="s", ratings=all_complied(standards)
        )
        submitted = Observation.objects.get(pk=observation.pk)
        observation_approve(actor=supervisor, observation=submitted, expected_version=submitted.version, comment="")

    def _changes(self, response) -> list[tuple[str, str, str]]:
        return [
            tuple(str(part) for part in change) for entry in response.context["history"] for change in entry["changes"]
        ]

    def test_status_ratings_and_reviewer_show_as_labels_and_names(self, monitor, supervisor, observation, standards):
        self._approved(monitor, supervisor, observation, standards)
        response = client_for(supervisor).get(reverse("rights:observation_detail", args=[observation.pk]))
        changes = self._changes(response)
        assert ("status", "Submitted for review", "Approved") in changes
        assert ("reviewed by", "—", supervisor.get_full_name()) in changes
        assert ("rating", "—", "Complied") in changes
        content = response.content.decode()
        assert "submitted → approved" not in content
        assert f"— → {supervisor.pk}<" not in content
        assert "— → complied" not in content
        assert f"Reviewed by: — → {supervisor.get_full_name()}" in content

    def test_the_labels_follow_the_interface_language(self, monitor, supervisor, observation, standards):
        from django.utils import translation

        from rights.models import ObservationStatus, Rating

        self._approved(monitor, supervisor, observation, standards)
        client = client_for(supervisor)
        client.post(reverse("set_language"), {"language": "sq"})
        changes = self._changes(client.get(reverse("rights:observation_detail", args=[observation.pk])))
        with translation.override("sq"):
            approved, complied = str(ObservationStatus.APPROVED.label), str(Rating.COMPLIED.label)
        assert approved != "Approved"
        assert any(new == approved for _label, _old, new in changes)
        assert any(new == complied for _label, _old, new in changes)
        assert not any(new in ("approved", "complied", str(supervisor.pk)) for _label, _old, new in changes)


def _submitted(monitor, **case_fields):
    return ObservationFactory(
        hearing=HearingFactory(case=CaseFactory(created_by=monitor, **case_fields)),
        status="submitted",
        submitted_at=timezone.now(),
    )


class TestReview:
    """What a supervisor needs to review: the flags, the size of the queue, filters, the case."""

    def test_the_review_page_shows_the_hearings_flags_to_a_supervisor(self, monitor, supervisor):
        observation = _submitted(monitor)
        flag = FlagFactory(hearing=observation.hearing, rule="interpreter_absent")
        content = client_for(supervisor).get(reverse("rights:observation_detail", args=[observation.pk])).content
        content = content.decode()
        assert "Interpretation needed but not provided" in content
        assert reverse("rights:flag_detail", args=[flag.pk]) in content

    def test_monitors_read_the_flags_as_on_the_case_page_without_the_follow_up_link(self, monitor):
        observation = _submitted(monitor)
        flag = FlagFactory(hearing=observation.hearing, rule="interpreter_absent")
        content = client_for(monitor).get(reverse("rights:observation_detail", args=[observation.pk])).content
        assert "Interpretation needed but not provided" in content.decode()
        assert reverse("rights:flag_detail", args=[flag.pk]) not in content.decode()

    def test_the_queue_shows_flags_the_count_and_links_the_case(self, monitor, supervisor):
        flagged = _submitted(monitor)
        FlagFactory(hearing=flagged.hearing, rule="not_recorded")
        _submitted(monitor)
        summaries_refresh()  # the queue's count is kept by the services; these were made around them
        response = client_for(supervisor).get(reverse("rights:review_queue"))
        content = response.content.decode()
        assert response.context["waiting"] == 2
        assert "2 observations wait for review" in content
        assert "Hearing not recorded" in content
        assert f'href="{reverse("rights:case_detail", args=[flagged.hearing.case_id])}"' in content
        assert f'href="{reverse("rights:observation_detail", args=[flagged.pk])}"' in content

    def test_the_queue_shows_a_hearings_open_flags_before_its_closed_ones(self, monitor, supervisor):
        observation = _submitted(monitor)
        FlagFactory(
            hearing=observation.hearing,
            rule="interpreter_absent",
            status="closed",
            closed_by=supervisor,
            closed_at=timezone.now(),
        )
        FlagFactory(hearing=observation.hearing, rule="violation", subject="second")
        FlagFactory(hearing=observation.hearing, rule="not_recorded", subject="third")
        response = client_for(supervisor).get(reverse("rights:review_queue"))
        [row] = response.context["page"].object_list
        assert row.flag_rules == ("not_recorded", "violation", "interpreter_absent")
        assert row.flag_statuses == ("open", "open", "closed")
        content = response.content.decode()
        assert (
            content.index("Hearing not recorded")
            < content.index("A standard was rated a violation")
            < content.index("Interpretation needed but not provided")
        )
        # the closed one is not shown as a warning, and says it is closed
        assert '<span class="badge badge--warn">Hearing not recorded</span>' in content
        assert '<span class="badge">Interpretation needed but not provided · Closed</span>' in content

    def test_the_queue_filters_by_region_court_monitor_and_flag(self, monitor, supervisor, geography):
        from tests.factories import UserFactory

        prizren = _submitted(monitor)
        FlagFactory(hearing=prizren.hearing)
        colleague = UserFactory(username="monitor.two", region=geography["PRZ"])
        dragash = _submitted(colleague, court=Court.objects.get(code="BC-PZ-DRA"))
        client = client_for(supervisor)
        url = reverse("rights:review_queue")

        def listed(**query) -> set[int]:
            response = client.get(url, query)
            assert response.status_code == 200
            return {o.pk for o in response.context["page"].object_list}

        assert listed() == {prizren.pk, dragash.pk}
        assert listed(region="PRZ") == {prizren.pk, dragash.pk}
        assert listed(region="MIT") == set()
        assert listed(court="BC-PZ-DRA") == {dragash.pk}
        assert listed(monitor="monitor.two") == {dragash.pk}
        assert listed(flagged="yes") == {prizren.pk}
        assert listed(flagged="no") == {dragash.pk}
        response = client.get(url, {"court": "BC-PZ-DRA"})
        assert response.context["waiting"] == 1
        assert "court=BC-PZ-DRA" in response.context["query"]
        assert "1 observation waits for review" in response.content.decode()

    def test_the_queue_runs_the_same_queries_at_one_and_at_fifty_rows(
        self, monitor, supervisor, django_assert_num_queries
    ):
        client = client_for(supervisor)
        url = reverse("rights:review_queue")

        def make():
            observation = _submitted(monitor)
            FlagFactory(hearing=observation.hearing, rule="not_recorded")
            FlagFactory(hearing=observation.hearing, rule="interpreter_absent", subject=f"x:{observation.pk}")

        make()
        client.get(url)
        # session, user, count, and the page (with its hearings' flags): the filter form's monitors, regions
        # and courts are kept while no account or reference row changes (mission/choices.py)
        with django_assert_num_queries(4):
            response = client.get(url)
        assert len(response.context["page"].object_list) == 1
        for _ in range(49):
            make()
        with django_assert_num_queries(4):
            response = client.get(url, {"flagged": "yes"})
        rows = response.context["page"].object_list
        assert len(rows) == 25
        assert all(row.flag_rules == ("interpreter_absent", "not_recorded") for row in rows)


def _new_case_form(court, **overrides) -> dict:
    data = {
        "court": court.pk,
        "case_number": "P. nr. 8/2026",
        "municipality": "",
        "court_department": "general_criminal",
        "category": "other",
        "charges": "CCK Art. 186",
        "parties-TOTAL_FORMS": "0",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "60",
    }
    data.update(overrides)
    return data


class TestFormValidation:
    def test_a_court_of_another_region_is_a_form_error_not_a_403(self, monitor, geography):
        data = _new_case_form(Court.objects.get(code="BC-MI"), charges="Typed charges stay")
        response = client_for(monitor).post(reverse("rights:case_create"), data)
        assert response.status_code == 200
        assert "Mitrovica" in " ".join(response.context["form"].errors["court"])
        assert "Typed charges stay" in response.content.decode()
        assert not Case.objects.exists()

    def test_a_double_submitted_new_case_lands_on_the_saved_case(self, monitor, prizren_court):
        client = client_for(monitor)
        form = client.get(reverse("rights:case_create"))
        token = form.context["submission_token"]
        assert f'name="submission_token" value="{token}"' in form.content.decode()
        data = _new_case_form(prizren_court, submission_token=token)
        first = client.post(reverse("rights:case_create"), data)
        second = client.post(reverse("rights:case_create"), data)
        case = Case.objects.get()
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == reverse("rights:case_detail", args=[case.pk])

    def test_an_edit_sent_again_after_its_answer_was_lost_is_saved_once(self, monitor, prizren_court):
        client = client_for(monitor)
        client.post(reverse("rights:case_create"), _new_case_form(prizren_court))
        case = Case.objects.get()
        url = reverse("rights:case_update", args=[case.pk])
        token = client.get(url).context["submission_token"]
        data = _new_case_form(prizren_court, charges="CCK Art. 187", version=case.version, submission_token=token)
        first = client.post(url, data)
        assert first.status_code == 302
        again = client.post(url, data, follow=True)  # the same form: its answer never arrived
        assert again.redirect_chain[0][0] == first["Location"]
        assert "it was saved once" in again.content.decode()
        case.refresh_from_db()
        assert case.version == 2
        assert case.charges == "CCK Art. 187"

    def test_a_new_form_gets_a_new_token_and_a_failed_one_keeps_its_own(self, monitor, prizren_court):
        client = client_for(monitor)
        one = client.get(reverse("rights:case_create")).context["submission_token"]
        two = client.get(reverse("rights:case_create")).context["submission_token"]
        assert one != two
        failed = client.post(
            reverse("rights:case_create"), _new_case_form(prizren_court, charges="", submission_token=one)
        )
        assert failed.status_code == 200
        assert failed.context["submission_token"] == one
        saved = client.post(reverse("rights:case_create"), _new_case_form(prizren_court, submission_token=one))
        assert saved.status_code == 302
        assert Case.objects.count() == 1

    def test_a_double_submitted_new_hearing_is_saved_once(self, monitor, case):
        from tests.rights.conftest import hearing_fields

        client = client_for(monitor)
        url = reverse("rights:hearing_create", args=[case.pk])
        token = client.get(url).context["submission_token"]
        data = {k: ("" if v is None else v) for k, v in hearing_fields().items()}
        data.update({"recorded": "true", "accused_represented": "true", "held": "on", "public": "on"})
        data.update({"date": YESTERDAY.isoformat(), "submission_token": token})
        first = client.post(url, data)
        second = client.post(url, data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Hearing.objects.filter(case=case).count() == 1

    def test_required_fields_are_marked_for_eyes_and_for_screen_readers(self, monitor, case):
        content = client_for(monitor).get(reverse("rights:case_create")).content.decode()
        assert '<label for="id_case_number" class="is-required">Case number</label>' in content
        assert '<label for="id_municipality">Municipality</label>' in content  # optional: no mark
        case_number = re.search(r'<input[^>]*name="case_number"[^>]*>', content).group()
        assert " required " in case_number
        assert 'aria-required="true"' in case_number
        hearing_page = client_for(monitor).get(reverse("rights:hearing_create", args=[case.pk])).content.decode()
        assert '<label for="id_date" class="is-required">Date</label>' in hearing_page
        assert "label.is-required::after" in (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()

    def test_recorded_offers_yes_or_no_with_nothing_preselected(self, monitor, case):
        response = client_for(monitor).get(reverse("rights:hearing_create", args=[case.pk]))
        recorded = response.context["form"]["recorded"]
        assert [choice.data["value"] for choice in recorded] == ["true", "false"]
        assert 'name="recorded" value="true" class="choice-row" id="id_recorded_0" checked' not in str(recorded)
        assert "checked" not in str(recorded)
        interpretation = response.context["form"]["interpretation_provided"]
        assert [choice.data["value"] for choice in interpretation] == ["true", "false"]
