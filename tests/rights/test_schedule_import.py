"""A court's hearing schedule imported into the monitoring plan (`/imports/court-schedule/`): the dry
run, the plan's own rules (the municipality from the case or the court's seat, only one's own region,
the case found only among those the planner reads), the round trip, and the courts themselves kept by
administrators. Every kind of actor is tried."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mission.choices import reference_version
from rights.models import Court, PlannedHearing, PlanStatus
from rights.services.planning import planned_hearing_create
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

IMPORT = reverse("imports:court-schedule_import")
EXPORT = reverse("imports:court-schedule_export")
COURTS = reverse("imports:courts_import")
DAY = datetime.date.today() + datetime.timedelta(days=7)
HEADER = "court,case_number,date,start,courtroom,hearing_type"


def _file(*lines: str, header: str = HEADER, name: str = "schedule.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([header, *lines]) + "\n").encode(), content_type="text/csv")


def _dry_run(client, upload, url=IMPORT):
    response = client.post(url, {"file": upload})
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def _apply(client, response, url=IMPORT):
    plan, pending = response.context["plan"], response.context["pending"]
    return client.post(url, {"pending": pending.pk, "digest": plan.digest()})


class TestSchedule:
    def test_a_schedule_adds_the_region_s_hearings_with_the_plan_s_rules(self, monitor, case):
        client = client_for(monitor)
        response = _dry_run(
            client,
            _file(
                f"BC-PZ,{case.case_number},{DAY},09:30,12,main_trial",  # the case's: linked
                f"BC-PZ-SUH,K. nr. 7/2026,{DAY},11:00,,",  # no case: the branch's seat
                f"BC-MI,K. nr. 8/2026,{DAY},10:00,,",  # Mitrovica's court: not the monitor's region
                f"BC-PZ,K. nr. 9/2026,{DAY},25:00,,",  # no such hour
                f"XX,K. nr. 10/2026,{DAY},10:00,,",  # no such court
            ),
        )
        actions = {row.line: row.action for row in response.context["plan"].rows}
        assert actions == {2: "create", 3: "create", 4: "error", 5: "error", 6: "error"}
        rows = {row.line: row for row in response.context["plan"].rows}
        assert rows[4].errors == {"municipality": ["You plan hearings of your own region only."]}
        assert set(rows[5].errors) == {"start"}
        assert set(rows[6].errors) == {"court"}
        assert not PlannedHearing.objects.exists()  # a dry run writes nothing
        fixed = _dry_run(
            client,
            _file(f"BC-PZ,{case.case_number},{DAY},09:30,12,main_trial", f"BC-PZ-SUH,K. nr. 7/2026,{DAY},11:00,,"),
        )
        assert _apply(client, fixed).url == reverse("rights:plan_week")
        linked = PlannedHearing.objects.get(case_number=case.case_number)
        assert (linked.case, linked.municipality, linked.created_by) == (case, case.municipality, monitor)
        assert (linked.courtroom, linked.hearing_type, linked.status) == ("12", "main_trial", PlanStatus.SCHEDULED)
        branch = PlannedHearing.objects.get(case_number="K. nr. 7/2026")
        assert branch.municipality == Court.objects.get(code="BC-PZ-SUH").seat
        assert branch.history.first().history_change_reason == "import of schedule.csv"

    def test_another_region_s_plan_is_refused_without_showing_what_it_holds(self, monitor, other_region_monitor):
        court = Court.objects.get(code="BC-MI")
        planned_hearing_create(
            actor=other_region_monitor,
            court=court,
            case_number="K. nr. 5/2026",
            date=DAY,
            start=datetime.time(9),
            note="Secret note",
        )
        response = _dry_run(client_for(monitor), _file(f"BC-MI,K. nr. 5/2026,{DAY},09:00,7,", header=HEADER))
        (row,) = response.context["plan"].rows
        # Refused as if it were not there: nothing says another region plans this hearing.
        assert row.errors == {"municipality": ["You plan hearings of your own region only."]}
        assert "Secret note" not in response.content.decode()

    def test_a_case_of_another_region_is_never_linked(self, case, other_region_monitor):
        """Prizren's case has this court and number; a Mitrovica monitor plans a hearing of that number
        held in Mitrovica: the plan is theirs, and says nothing of a case they may not read."""
        header = "court,case_number,date,start,municipality"
        response = _dry_run(
            client_for(other_region_monitor), _file(f"BC-PZ,{case.case_number},{DAY},09:00,38", header=header)
        )
        assert [row.action for row in response.context["plan"].rows] == ["create"]
        _apply(client_for(other_region_monitor), response)
        planned = PlannedHearing.objects.get()
        assert (planned.case, planned.municipality.code) == (None, "38")

    def test_the_export_edited_and_imported_back_changes_only_the_edited_row(self, monitor, prizren_court):
        for number, hour in (("K. 1/2026", 9), ("K. 2/2026", 11)):
            planned_hearing_create(
                actor=monitor,
                court=prizren_court,
                case_number=number,
                date=DAY,
                start=datetime.time(hour),
                courtroom="3",
            )
        client = client_for(monitor)
        exported = client.get(EXPORT)
        assert exported.status_code == 200
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert rows[0][:4] == ["court", "case_number", "date", "start"]
        assert [r[1] for r in rows[1:]] == ["K. 1/2026", "K. 2/2026"]
        rows[2][rows[0].index("courtroom")] = "14"
        rows[2][rows[0].index("status")] = "cancelled"
        edited = io.StringIO()
        csv.writer(edited).writerows(rows)
        upload = SimpleUploadedFile("edited.csv", edited.getvalue().encode(), content_type="text/csv")
        response = _dry_run(client, upload)
        assert [row.action for row in response.context["plan"].rows] == ["unchanged", "update"]
        _apply(client, response)
        first, second = PlannedHearing.objects.order_by("start")
        assert (first.courtroom, first.version, first.status) == ("3", 1, "scheduled")
        assert (second.courtroom, second.version, second.status) == ("14", 2, "cancelled")

    def test_a_column_left_out_keeps_its_value(self, monitor, prizren_court):
        planned_hearing_create(
            actor=monitor,
            court=prizren_court,
            case_number="K. 3/2026",
            date=DAY,
            start=datetime.time(9),
            courtroom="3",
            note="Interpreter booked",
        )
        response = _dry_run(
            client_for(monitor),
            _file(f"BC-PZ,K. 3/2026,{DAY},09:00,5", header="court,case_number,date,start,courtroom"),
        )
        (row,) = response.context["plan"].rows
        assert row.changes == [("Courtroom", "3", "5")]
        _apply(client_for(monitor), response)
        assert PlannedHearing.objects.get().note == "Interpreter booked"

    def test_the_export_holds_only_the_readers_plan(self, monitor, other_region_monitor, prizren_court):
        planned_hearing_create(
            actor=monitor, court=prizren_court, case_number="K. 4/2026", date=DAY, start=datetime.time(9)
        )
        exported = client_for(other_region_monitor).get(EXPORT).content.decode("utf-8-sig")
        assert "K. 4/2026" not in exported


#                anonymous monitor supervisor head management partner administrator other-region other-department
SCHEDULE = {"anonymous": 302, "monitor": 200, "supervisor": 200, "department_head": 403, "management": 403}
SCHEDULE |= {"partner": 403, "administrator": 403, "other_region_monitor": 200, "other_department_monitor": 403}
REFERENCE = {name: (302 if name == "anonymous" else 200 if name == "administrator" else 403) for name in SCHEDULE}
# The list of imports: for whoever may make one (a monitor the schedule's, an administrator the courts').
INDEX = {name: 200 if SCHEDULE[name] == 200 else REFERENCE[name] for name in SCHEDULE}
INDEX["other_department_monitor"] = 200  # Democratization's monitor imports municipal indicators


@pytest.mark.parametrize("actor", sorted(SCHEDULE))
def test_who_imports_a_schedule_and_who_imports_courts(request, actor):
    user = None if actor == "anonymous" else request.getfixturevalue(actor)
    client = client_for(user)
    for url in (IMPORT, EXPORT):
        assert client.get(url).status_code == SCHEDULE[actor], (url, actor)
    for url in (COURTS, reverse("imports:courts_export")):
        assert client.get(url).status_code == REFERENCE[actor], (url, actor)
    index = client.get(reverse("imports:index"))
    assert index.status_code == INDEX[actor]
    if index.status_code == 200:
        page = index.content.decode()
        assert (IMPORT in page, COURTS in page) == (SCHEDULE[actor] == 200, REFERENCE[actor] == 200)


def test_an_administrator_imports_courts_and_the_option_lists_follow(administrator):
    client = client_for(administrator)
    before = reference_version()
    header = "code,name_en,name_sq,name_sr,level,parent,seat"
    response = _dry_run(
        client,
        _file(
            "BC-PZ-NEW,Basic Court of Prizren – New Branch,Dega e re,Novi ogranak,branch,BC-PZ,20",
            "BC-PZ,Basic Court of Prizren,Gjykata Themelore në Prizren,Osnovni sud u Prizrenu,basic,,20",
            "BC-XX,Nowhere,Askund,Nigde,nowhere,,",
            header=header,
        ),
        url=COURTS,
    )
    assert [row.action for row in response.context["plan"].rows] == ["create", "unchanged", "error"]
    fixed = _dry_run(
        client,
        _file("BC-PZ-NEW,Basic Court of Prizren – New Branch,Dega e re,Novi ogranak,branch,BC-PZ,20", header=header),
        url=COURTS,
    )
    _apply(client, fixed, url=COURTS)
    branch = Court.objects.get(code="BC-PZ-NEW")
    assert (branch.parent.code, branch.seat.code) == ("BC-PZ", "20")
    assert reference_version() != before  # every process builds its option lists again


def test_a_schedule_s_dry_run_costs_the_same_queries_for_five_hearings_and_twenty(monitor, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(monitor)
    counts = []
    for size in (5, 20):
        lines = [f"BC-PZ,K. {n}/2026,{DAY},{8 + n % 9:02d}:{n % 60:02d},1" for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            response = _dry_run(client, _file(*lines))
        assert [row.action for row in response.context["plan"].rows] == ["create"] * size
        counts.append(len(queries))
    assert counts[0] == counts[1]
