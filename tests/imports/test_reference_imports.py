"""The kit's imports under /imports/, tried on the reference data administrators keep (field teams with
the municipalities they cover, institutions): a long file checked and applied by a job with its
progress, a job's page only its author's, several related rows in one cell, the round trip."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from field_offices.models import FieldTeam, Institution
from mission.imports.models import ImportState, PendingImport
from mission.imports.tasks import import_check
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TEAMS = reverse("imports:field-teams_import")
INSTITUTIONS = reverse("imports:institutions_import")
TEAM_HEADER = "code,name_en,name_sq,name_sr,region,municipalities"


def _file(header: str, *lines: str, name: str = "teams.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([header, *lines]) + "\n").encode(), content_type="text/csv")


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _team_line(team: FieldTeam, municipalities: str) -> str:
    return f"{team.code},{team.name_en},{team.name_sq},{team.name_sr},{team.region.code},{municipalities}"


def test_a_team_s_municipalities_are_given_by_their_codes(administrator):
    client = client_for(administrator)
    team = FieldTeam.objects.get(code="FT-PRZ-01")
    response = client.post(
        TEAMS,
        {
            "file": _file(
                TEAM_HEADER,
                "FT-PRZ-09,Prizren 9,Prizren 9,Prizren 9,PRZ,20; 24",
                _team_line(team, "20"),
                "FT-PRZ-10,Prizren 10,Prizren 10,Prizren 10,PRZ,20;99",
            )
        },
    )
    plan = response.context["plan"]
    assert [row.action for row in plan.rows] == ["create", "update", "error"]
    assert plan.rows[2].errors == {"municipalities": ["Not known: 99. Give the codes, with ; between them."]}
    covered = sorted(team.municipalities.values_list("code", flat=True))
    assert plan.rows[1].changes == [("Municipalities covered", ", ".join(covered), "20")]

    fixed = client.post(
        TEAMS,
        {
            "file": _file(
                TEAM_HEADER,
                "FT-PRZ-09,Prizren 9,Prizren 9,Prizren 9,PRZ,20; 24",
                _team_line(team, "20"),
            )
        },
    )
    plan, pending = fixed.context["plan"], fixed.context["pending"]
    assert client.post(TEAMS, {"pending": pending.pk, "digest": plan.digest()}).status_code == 302
    new = FieldTeam.objects.get(code="FT-PRZ-09")
    assert sorted(new.municipalities.values_list("code", flat=True)) == ["20", "24"]
    assert list(team.municipalities.values_list("code", flat=True)) == ["20"]
    latest = new.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("import of teams.csv", administrator)


def test_the_export_imports_back_unchanged(administrator):
    client = client_for(administrator)
    exported = client.get(reverse("imports:field-teams_export"))
    rows = _rows(exported)
    assert rows[0] == TEAM_HEADER.split(",")
    assert len(rows) == FieldTeam.objects.count() + 1
    upload = SimpleUploadedFile("teams.csv", exported.content, content_type="text/csv")
    response = client.post(TEAMS, {"file": upload})
    assert set(response.context["plan"].counts()) == {"unchanged"}
    assert "The file changes nothing." in response.content.decode()


def test_institutions_update_in_place_by_their_code(administrator):
    institution = Institution.objects.first()
    client = client_for(administrator)
    kept = f"{institution.name_sq},{institution.name_sr},{institution.kind},{institution.departments}"
    line = f"{institution.code},Renamed,{kept}"
    header = "code,name_en,name_sq,name_sr,kind,departments"
    response = client.post(INSTITUTIONS, {"file": _file(header, line, name="institutions.csv")})
    (row,) = response.context["plan"].rows
    assert row.changes == [("Name (English)", institution.name_en, "Renamed")]
    client.post(INSTITUTIONS, {"pending": response.context["pending"].pk, "digest": response.context["plan"].digest()})
    institution.refresh_from_db()
    assert institution.name_en == "Renamed"


def test_an_institution_s_departments_are_known_codes_kept_as_the_queries_read_them(administrator):
    institution = Institution.objects.first()
    client = client_for(administrator)
    header = "code,name_en,name_sq,name_sr,kind,departments"
    names = f"{institution.name_en},{institution.name_sq},{institution.name_sr},{institution.kind}"
    response = client.post(
        INSTITUTIONS,
        {"file": _file(header, f"{institution.code},{names},rights; democratization", f"NEW-1,{names},rights;police")},
    )
    good, bad = response.context["plan"].rows
    assert bad.errors == {
        "departments": [
            "Not a department's code: police. The codes are: rights, democratization, public_safety, mission."
        ]
    }
    again = client.post(INSTITUTIONS, {"file": _file(header, f"{institution.code},{names},rights; democratization")})
    client.post(INSTITUTIONS, {"pending": again.context["pending"].pk, "digest": again.context["plan"].digest()})
    institution.refresh_from_db()
    assert institution.departments == "rights;democratization"
    assert Institution.objects.concerning("democratization").filter(pk=institution.pk).exists()
    assert good.action in ("update", "unchanged")


class TestALongFile:
    LINES = [f"FT-NEW-{n:02d},Team {n},Ekipi {n},Tim {n},PRZ,20" for n in range(1, 6)]

    @pytest.fixture(autouse=True)
    def _short_jobs(self, settings):
        settings.IMPORT_JOB_ROWS = 3

    def test_is_checked_then_applied_by_a_job_whose_page_shows_each_step(
        self, administrator, django_capture_on_commit_callbacks
    ):
        client = client_for(administrator)
        with django_capture_on_commit_callbacks() as started:
            response = client.post(TEAMS, {"file": _file(TEAM_HEADER, *self.LINES)})
        pending = PendingImport.objects.get()
        assert response.url == reverse("imports:field-teams_import_job", args=[pending.pk])
        assert (pending.state, pending.total) == (ImportState.CHECKING, 5)
        waiting = client.get(response.url)
        page = waiting.content.decode()
        assert '<meta http-equiv="refresh"' in page
        assert "0 of 5 rows checked." in page
        assert len(started) == 1
        started[0]()  # the worker checks the file
        dry_run = client.get(response.url)
        plan = dry_run.context["plan"]
        assert [row.action for row in plan.rows] == ["create"] * 5
        assert "Apply the import" in dry_run.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            applying = client.post(TEAMS, {"pending": pending.pk, "digest": plan.digest()})
        assert applying.url == response.url
        done = client.get(response.url).content.decode()
        assert "Imported teams.csv: 5 created, 0 updated, 0 unchanged." in done
        assert FieldTeam.objects.filter(code__startswith="FT-NEW-").count() == 5
        pending.refresh_from_db()
        assert (pending.state, pending.cells, pending.plan) == (ImportState.APPLIED, "", "")  # the file is forgotten
        assert json.loads(pending.outcome)["created"] == 5

    def test_a_job_whose_data_changed_shows_the_new_dry_run(
        self, administrator, geography, django_capture_on_commit_callbacks
    ):
        client = client_for(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(TEAMS, {"file": _file(TEAM_HEADER, *self.LINES)})
        plan = client.get(response.url).context["plan"]
        FieldTeam.objects.create(code="FT-NEW-01", name_en="x", name_sq="x", name_sr="x", region=geography["PRZ"])
        pending = PendingImport.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(TEAMS, {"pending": pending.pk, "digest": plan.digest()})
        again = client.get(response.url)
        assert "The data changed since your dry run" in again.content.decode()
        assert again.context["plan"].rows[0].action == "update"
        assert FieldTeam.objects.filter(code__startswith="FT-NEW-").count() == 1  # nothing of it written

    def test_another_person_finds_no_job_and_no_refused_rows(self, administrator, django_capture_on_commit_callbacks):
        from tests.factories import UserFactory

        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(administrator).post(TEAMS, {"file": _file(TEAM_HEADER, *self.LINES)})
        pending = PendingImport.objects.get()
        colleague = client_for(UserFactory(username="administrator.two", administrator=True))
        assert colleague.get(response.url).status_code == 404
        assert colleague.get(reverse("imports:field-teams_import_errors", args=[pending.pk])).status_code == 404
        wrong_flow = reverse("imports:institutions_import_job", args=[pending.pk])
        assert client_for(administrator).get(wrong_flow).status_code == 404

    def test_the_refused_rows_of_a_job_download(self, administrator, django_capture_on_commit_callbacks):
        client = client_for(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(TEAMS, {"file": _file(TEAM_HEADER, *self.LINES, "FT-BAD,Bad,Bad,Bad,XXX,20")})
        dry_run = client.get(response.url)
        assert "Apply the import" not in dry_run.content.decode()
        rows = _rows(client.get(dry_run.context["errors_url"]))
        assert [row[:2] for row in rows[1:]] == [["7", "FT-BAD"]]

    def test_a_job_is_checked_in_its_author_s_language(self, administrator, django_capture_on_commit_callbacks):
        client = client_for(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                TEAMS, {"file": _file(TEAM_HEADER, *self.LINES[:3], "FT-X,X,X,X,PRZ,99")}, HTTP_ACCEPT_LANGUAGE="sq"
            )
        plan = client.get(response.url, HTTP_ACCEPT_LANGUAGE="sq").context["plan"]
        assert plan.rows[-1].errors["municipalities"] == ["Të panjohur: 99. Jepni kodet, me ; ndërmjet tyre."]

    def test_a_job_whose_import_is_gone_when_applied_says_it_failed(
        self, administrator, django_capture_on_commit_callbacks
    ):
        client = client_for(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(TEAMS, {"file": _file(TEAM_HEADER, *self.LINES)})
        plan = client.get(response.url).context["plan"]
        pending = PendingImport.objects.get()
        with django_capture_on_commit_callbacks() as started:
            client.post(TEAMS, {"pending": pending.pk, "digest": plan.digest()})
        PendingImport.objects.update(flow="no-longer-declared")
        started[0]()
        assert PendingImport.objects.get().state == ImportState.FAILED  # not left applying for ever
        assert not FieldTeam.objects.filter(code__startswith="FT-NEW-").exists()

    def test_a_job_that_fails_says_so_and_writes_nothing(self, administrator, django_capture_on_commit_callbacks):
        client = client_for(administrator)
        with django_capture_on_commit_callbacks() as started:
            response = client.post(TEAMS, {"file": _file(TEAM_HEADER, *self.LINES)})
        PendingImport.objects.update(flow="no-longer-declared")  # the worker finds no such import
        started[0]()
        PendingImport.objects.update(flow="field-teams")
        page = client.get(response.url).content.decode()
        assert "The import stopped before it ended" in page
        assert not FieldTeam.objects.filter(code__startswith="FT-NEW-").exists()
        assert import_check(PendingImport.objects.get().pk) == "gone"  # not checked twice
