"""axe-core on Security & Public Safety's pages, for the monitor, the head and management, on a
desktop and on a 360 px phone (tests/browser/axe.py): no serious or critical violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(page):
    return axe.with_axe(page)


def test_a_monitor_s_pages(page, public_safety_actors, public_safety_objects):
    _sign_in(page, public_safety_actors["monitor"].username)
    meeting = public_safety_objects["meeting_draft"]
    axe.check(
        page,
        [
            reverse("public_safety:forummeeting_list"),
            reverse("public_safety:forummeeting_create"),
            reverse("public_safety:forummeeting_detail", args=[meeting.pk]),
            reverse("public_safety:forummeeting_edit", args=[meeting.pk]),
            reverse("public_safety:mentoring_create"),
            reverse("public_safety:training_create"),
            reverse("public_safety:policestafffigure_list"),
        ],
    )


def test_the_head_s_pages(page, public_safety_actors, public_safety_objects):
    head = public_safety_actors["department_head"]
    figure = public_safety_objects["figure"]
    _sign_in(page, head.username)
    axe.check(
        page,
        [
            reverse("public_safety:dashboard"),
            reverse("public_safety:policestafffigure_list"),
            reverse("public_safety:policestafffigure_create"),
            reverse("public_safety:policestafffigure_edit", args=[figure.pk]),
            reverse("public_safety:policestafffigure_delete", args=[figure.pk]),
            reverse("public_safety:policestafffigure_import"),
            reverse("public_safety:forummeeting_detail", args=[public_safety_objects["meeting_approved"].pk]),
        ],
    )
    # The dry run, with a row refused and a row to create, on both screens.
    page.goto(reverse("public_safety:policestafffigure_import"))
    header = "year,region,rank,level,women,men,source\n"
    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "kp.csv",
                "mimeType": "text/csv",
                "buffer": (header + "2024,GJI,officer,none,5,40,\n2024,GJI,corporal,none,1,1,\n").encode(),
            }
        ]
    )
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dry run")
    for viewport in axe.SIZES.values():
        axe.resize(page, viewport)
        axe.assert_none(page)


def test_a_manager_s_pages(page, public_safety_actors, public_safety_objects):
    _sign_in(page, public_safety_actors["management"].username)
    axe.check(page, [reverse("public_safety:dashboard"), reverse("public_safety:forummeeting_list")])
