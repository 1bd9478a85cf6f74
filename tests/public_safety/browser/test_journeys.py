"""A monitor logs a hate crime on a phone, with the victim and the bias indicators the police noted; a
flag says the police did not record it as a hate crime; the supervisor approves it; when the police
open an investigation, the monitor adds it as a correction; a manager reads the dashboard."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from public_safety.models import ForumMeeting, HateCrimeIncident, PoliceStaffFigure, Training
from tests.browser.test_home import _sign_in
from tests.public_safety.contract import forum_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hate_crime_and_the_police_response(page, public_safety_actors):
    monitor, supervisor = public_safety_actors["monitor"], public_safety_actors["supervisor"]
    today = datetime.date.today()
    _sign_in(page, monitor.username)
    page.goto(reverse("public_safety:hatecrimeincident_create"))
    page.get_by_label("Date of the incident").fill(f"{today - datetime.timedelta(days=12):%Y-%m-%d}")
    page.get_by_label("Municipality").select_option(label="Gjilan/Gnjilane")
    page.get_by_label("Kind of incident").select_option(label="Violent attack against people")
    page.get_by_label("Bias motivation").select_option(label="Anti-Roma hate crime")
    page.get_by_label("Reported to the police").select_option(label="Yes")
    page.locator("#id_victim-0-name").fill("Elvis Provë")
    page.locator("#id_victim-0-sex").select_option(label="Male")
    page.locator("#id_victim-0-age_band").select_option(label="14–17")
    page.locator("#id_hatecrimestep-0-step").select_option(label="Police documented bias indicators")
    page.locator("#id_hatecrimestep-0-date").fill(f"{today - datetime.timedelta(days=11):%Y-%m-%d}")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    expect(page.get_by_role("cell", name="Elvis Provë")).to_be_visible()
    expect(page.get_by_text("Bias indicators documented, but not recorded as a hate crime").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
    incident = HateCrimeIncident.objects.get()

    page.get_by_role("button", name="Sign out").first.click()
    _sign_in(page, supervisor.username)
    page.goto(reverse("public_safety:hatecrimeincident_queue"))
    page.get_by_role("link", name=re.compile(f"Review .* {incident.pk}$")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Record approved.")).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    _sign_in(page, monitor.username)
    page.goto(reverse("public_safety:hatecrimeincident_detail", args=[incident.pk]))
    page.get_by_role("link", name="Correct").click()
    page.locator("#id_hatecrimestep-1-step").select_option(label="Investigation opened")
    page.locator("#id_hatecrimestep-1-date").fill(f"{today - datetime.timedelta(days=3):%Y-%m-%d}")
    page.get_by_label("Reason for the correction").fill("The prosecutor opened an investigation.")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("status")).to_contain_text("Correction saved as revision 2.")
    expect(page.get_by_role("cell", name="Investigation opened")).to_be_visible()
    incident.refresh_from_db()
    assert incident.status == "submitted"  # a monitor's correction goes back for review
    assert sorted(step.step for step in incident.response_steps.all()) == ["indicators", "investigation"]


def test_a_manager_reads_the_dashboard_on_a_phone(page, public_safety_actors, public_safety_objects):
    _sign_in(page, public_safety_actors["management"].username)
    page.goto(reverse("public_safety:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Security & Public Safety dashboard")
    figures = page.get_by_role("list", name="Key figures")
    expect(figures).to_contain_text("Hate-crime incidents")
    expect(figures).to_contain_text("Victims")
    expect(page.get_by_role("figure", name="Hate-crime incidents by bias motivation")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert "Provë" not in page.content()  # counts, never names


def test_a_training_with_the_trainees_scores(page, public_safety_actors):
    """From the course's sign-in sheet and test papers: three trainees with their scores and evaluations,
    one without a test after the course yet."""
    monitor = public_safety_actors["monitor"]
    today = datetime.date.today()
    _sign_in(page, monitor.username)
    page.goto(reverse("public_safety:training_create"))
    page.get_by_label("Date", exact=True).fill(f"{today - datetime.timedelta(days=4):%Y-%m-%d}")
    page.get_by_label("Municipality").select_option(label="Gjilan/Gnjilane")
    page.get_by_label("Title").fill("Hate crime investigation for patrol officers")
    page.get_by_label("Topic").select_option(label="Hate crime investigation")
    page.locator("#id_agency").select_option(label="Kosovo Police")
    for n, (name, before, after, evaluation) in enumerate(
        [("Arbnora Provë", "45", "80", "5"), ("Nikola Prović", "60", "70", "4"), ("Dren Provë", "50", "", "3")]
    ):
        page.locator(f"#id_trainee-{n}-name").fill(name)
        page.locator(f"#id_trainee-{n}-rank").select_option(label="Sergeant" if n else "Police officer")
        page.locator(f"#id_trainee-{n}-pre_score").fill(before)
        page.locator(f"#id_trainee-{n}-post_score").fill(after)
        page.locator(f"#id_trainee-{n}-satisfaction").fill(evaluation)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    expect(page.get_by_role("cell", name="Nikola Prović")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
    training = Training.objects.get()
    assert sorted((t.gain for t in training.trainees.all()), key=lambda g: (g is None, g)) == [10, 35, None]


def test_a_forum_meeting_with_its_attendance_and_issues(page, public_safety_actors):
    """From the monitor's notes of a local public safety committee's meeting: who came by community and
    sex, that the police took part, and two issues raised with the actions agreed."""
    monitor = public_safety_actors["monitor"]
    gjilan = monitor.region.municipalities.get(code="04")
    forum = forum_in(gjilan, "LPSC-GJI-1")
    today = datetime.date.today()
    _sign_in(page, monitor.username)
    page.goto(reverse("public_safety:forummeeting_create"))
    page.get_by_label("Forum").select_option(label=str(forum))
    page.get_by_label("Date", exact=True).fill(f"{today - datetime.timedelta(days=2):%Y-%m-%d}")
    page.get_by_label("Agenda").fill("Safety around the schools")
    page.get_by_label("Police").select_option(label="Police took part")
    for n, (community, women, men) in enumerate([("Albanian", "4", "7"), ("Serb", "2", "3")]):
        page.locator(f"#id_attendance-{n}-community").select_option(label=community)
        page.locator(f"#id_attendance-{n}-women").fill(women)
        page.locator(f"#id_attendance-{n}-men").fill(men)
    page.locator("#id_forumissue-0-category").select_option(label="Traffic safety")
    page.locator("#id_forumissue-0-issue").fill("Cars speed past the primary school.")
    page.locator("#id_forumissue-0-action").fill("Speed bumps and a morning patrol.")
    page.locator("#id_forumissue-0-owner").fill("Municipal directorate of public services")
    page.locator("#id_forumissue-0-deadline").fill(f"{today + datetime.timedelta(days=30):%Y-%m-%d}")
    page.locator("#id_forumissue-1-category").select_option(label="Drugs")
    page.locator("#id_forumissue-1-issue").fill("Dealing near the park at night.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    expect(page.get_by_role("cell", name="Speed bumps and a morning patrol.")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
    meeting = ForumMeeting.objects.get()
    assert meeting.municipality == gjilan  # the forum's
    assert sorted((a.women, a.men) for a in meeting.attendance.all()) == [(2, 3), (4, 7)]
    assert sorted(meeting.issues.values_list("category", flat=True)) == ["drugs", "traffic"]


def test_women_in_police_figures_imported_after_a_dry_run(page, public_safety_actors, tmp_path):
    """The head uploads the police's spreadsheet: the dry run refuses a row with a wrong rank; the
    corrected file shows what it would add, then the import adds it."""
    head = public_safety_actors["department_head"]
    header = "year,region,rank,level,women,men,source\n"
    wrong = tmp_path / "kp-2024.csv"
    wrong.write_text(header + "2024,GJI,sergeant,first_line,31,214,KP\n2024,GJI,corporal,none,5,40,KP\n")
    _sign_in(page, head.username)
    page.goto(reverse("public_safety:policestafffigure_list"))
    page.get_by_role("link", name="Import a spreadsheet").click()
    page.get_by_label("File").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dry run of kp-2024.csv")
    expect(page.get_by_text("Nothing can be applied while the file has refused rows")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("corporal is not one of the available choices"))).to_be_visible()
    assert not PoliceStaffFigure.objects.exists()
    fixed = tmp_path / "kp-2024-fixed.csv"
    fixed.write_text(header + "2024,GJI,sergeant,first_line,31,214,KP\n2024,GJI,officer,none,5,40,KP\n")
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("File").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("list").filter(has_text="To create")).to_contain_text("2 To create")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported kp-2024-fixed.csv: 2 created, 0 updated")
    expect(page.get_by_role("cell", name="Sergeant", exact=True)).to_be_visible()
    assert PoliceStaffFigure.objects.count() == 2
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
