"""A monitor logs a hate crime on a phone, with the victim and the bias indicators the police noted; a
flag says the police did not record it as a hate crime; the supervisor approves it; when the police
open an investigation, the monitor adds it as a correction; a manager reads the dashboard."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from public_safety.models import HateCrimeIncident, Training
from tests.browser.test_home import _sign_in

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
