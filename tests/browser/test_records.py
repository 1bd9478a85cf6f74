"""A declared record type's journey in Chromium (mission.records), over every department that declares
records, through its test contract (tests/departments.py): a monitor logs a record on a phone-sized
screen and submits it; a supervisor finds it in the review queue and approves it."""

import json
import re

import pytest
from django.db import models
from django.urls import reverse
from playwright.sync_api import expect

from mission import departments
from mission.sensitivity import Sensitivity, declaration
from tests.browser.test_home import _sign_in
from tests.departments import contract_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

globals().update(contract_fixtures())
DECLARED = {config.label: config for config in departments.all() if config.records}
NAME = "Besa Canarylli"


def _fill(page, template, fields, prefix):
    """Type the template's values into the form's fields: choices picked, dates typed, names replaced
    by NAME (restricted text, which the offline draft must keep sealed)."""
    model = type(template)
    for name in fields:
        field = model._meta.get_field(name)
        control = page.locator(f"#{prefix}{name}")
        value = getattr(template, name)
        if declaration(model).of(name) is Sensitivity.RESTRICTED and not field.is_relation:
            if value:  # what the template left empty stays empty (an outlet picked, none typed)
                control.fill(NAME)
        elif field.is_relation or field.choices:
            if value is not None and value != "":
                control.select_option(str(getattr(template, f"{name}_id", None) or value))
        elif isinstance(field, models.BooleanField):
            control.select_option({True: "true", False: "false"}.get(value, "unknown"))
        elif hasattr(value, "isoformat"):
            control.fill(value.isoformat())
        else:
            control.fill(str(value))


@pytest.mark.parametrize("label", sorted(DECLARED))
def test_a_record_goes_from_the_form_to_approval(request, page, label):
    config = DECLARED[label]
    record_type = config.records[0]
    model = record_type.get_model()
    actors = request.getfixturevalue(f"{label}_actors")
    objects = request.getfixturevalue(f"{label}_objects")
    template = objects["draft"]
    plural = str(model._meta.verbose_name_plural)

    _sign_in(page, actors["monitor"].username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.get_by_role("button", name="Menu").click()  # a phone-sized screen folds the navigation away
    page.get_by_role("navigation", name="Main").get_by_role("link", name=plural.capitalize(), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plural.capitalize())
    page.get_by_role("link", name=f"New {model._meta.verbose_name}").click()

    # The form is the model's: its labels, its choices, a date picker; the restricted name is sealed
    # in the offline draft.
    _fill(page, template, record_type.fields, "id_")
    for part in record_type.parts:  # the first row of each part, as the template's
        rows = list(getattr(template, part.related_name()).all())
        if rows:
            _fill(page, rows[0], part.fields, f"id_{part.name}-0-")
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('mission-draft:u'))", timeout=2000)
    storage = page.evaluate("() => Object.assign({}, window.localStorage)")
    assert "Canarylli" not in json.dumps(storage)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    expect(page.get_by_text(NAME, exact=True)).to_be_visible()  # the author reads the name; the view is logged
    record = model.objects.latest("pk")
    assert record.status == "submitted"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than a phone's screen

    page.get_by_role("button", name="Sign out").first.click()
    _sign_in(page, actors["supervisor"].username)
    page.goto(reverse(f"{label}:{record_type.url_name('queue')}"))
    page.get_by_role("link", name=re.compile(f"Review .* {record.pk}$")).click()
    expect(page).to_have_url(re.compile(rf"/{record.pk}/$"))
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Record approved.")).to_be_visible()
    record.refresh_from_db()
    assert record.status == "approved"
