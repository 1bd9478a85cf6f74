"""axe-core on the pages of Human Rights beyond the courtroom, for the monitor and the head, on a
desktop and on a 360 px phone (tests/browser/axe.py): no serious or critical violation."""

import pytest
from django.urls import reverse

from tests.browser import axe
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(page):
    return axe.with_axe(page)


def test_a_monitor_s_pages(page, human_rights_actors, human_rights_objects):
    _sign_in(page, human_rights_actors["monitor"].username)
    urls = [reverse("human_rights:communityincident_detail", args=[human_rights_objects["draft"].pk])]
    for name in (
        "communityincident",
        "languageassessment",
        "returnmovement",
        "propertycase",
        "heritageincident",
        "gbvcase",
        "rightsactivity",
    ):
        urls += [reverse(f"human_rights:{name}_list"), reverse(f"human_rights:{name}_create")]
    urls.append(reverse("human_rights:returnmovement_edit", args=[human_rights_objects["return_draft"].pk]))
    axe.check(page, urls)


def test_the_head_s_pages(page, human_rights_actors, human_rights_objects):
    _sign_in(page, human_rights_actors["department_head"].username)
    decision = human_rights_objects["decision"]
    axe.check(
        page,
        [
            reverse("human_rights:dashboard"),
            reverse("human_rights:councildecision_list"),
            reverse("human_rights:councildecision_detail", args=[decision.pk]),
            reverse("human_rights:councildecision_create"),
            reverse("human_rights:legislativereview_list"),
            reverse("human_rights:legislativereview_detail", args=[human_rights_objects["draft_reviewed"].pk]),
            reverse("human_rights:gbvcase_detail", args=[human_rights_objects["gbv_approved"].pk]),
            reverse("human_rights:propertycase_detail", args=[human_rights_objects["property_approved"].pk]),
        ],
    )
