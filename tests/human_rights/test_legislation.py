"""Legislative review and the department's activities: the register of drafts reviewed is shared (every
department's staff read it and find it in their menu; only the department keeps it), the comments taken
up cannot outnumber those made, partners read a draft's title, counts and stage but not the standards;
the dialogue, prevention and youth activities count their participants (known answers)."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from human_rights.models import LegislativeReview, RightsActivity
from mission import navigation
from mission.dashboards.filters import read_filters
from mission.dashboards.services import summaries_refresh
from mission.records.dashboard import record_dashboard
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from mission.trackers.services import tracked_create
from tests.api.conftest import bearer
from tests.conftest import client_for
from tests.human_rights.contract import activity_content, activity_parts, draft_content

pytestmark = pytest.mark.django_db


def test_another_departments_staff_read_the_register_and_find_it_in_their_menu(
    human_rights_objects, human_rights_actors
):
    other = human_rights_actors["other_department_monitor"]
    client = client_for(other)
    listed = client.get(reverse("human_rights:legislativereview_list"))
    assert listed.status_code == 200
    assert "Draft Law on Amending the Law on the Use of Languages" in listed.content.decode()
    menu = {section["label"]: [item["url"] for item in section["items"]] for section in navigation.sections_for(other)}
    assert reverse("human_rights:legislativereview_list") in menu["Legislative review"]
    assert reverse("human_rights:communityincident_list") not in str(menu)  # the rest stays the department's
    with pytest.raises(PermissionDenied):
        tracked_create(actor=other, model=LegislativeReview, fields=draft_content(title="Their own draft"))


def test_another_departments_staff_read_the_register_over_the_api_too(human_rights_objects, human_rights_actors):
    from tests.api.conftest import staff_key

    administrator = human_rights_actors["administrator"]
    other = bearer(staff_key(human_rights_actors["other_department_monitor"], administrator, ["legislative_review"]))
    (row,) = other.get("/api/v1/legislative-review/").json()["results"]
    assert row["title"] == "Draft Law on Amending the Law on the Use of Languages"
    assert "standards" in row  # staff read what the page shows them
    assert other.get("/api/v1/community-incidents/").status_code == 403  # the rest stays the department's


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"comments": 3, "taken_up": 4}, "taken_up"), ({"comments_sent": None}, "comments_sent")],
)
def test_a_draft_that_cannot_be_is_refused(human_rights_actors, changes, field):
    head = human_rights_actors["department_head"]
    with pytest.raises(ValidationError) as raised:
        tracked_create(actor=head, model=LegislativeReview, fields=draft_content(**changes))
    assert field in raised.value.message_dict
    assert not LegislativeReview.objects.exists()


def test_partners_read_a_drafts_title_counts_and_stage_not_the_standards(human_rights_objects, partner_key):
    (row,) = bearer(partner_key).get("/api/v1/legislative-review/").json()["results"]
    assert row["title"] == "Draft Law on Amending the Law on the Use of Languages"
    assert (row["comments"], row["taken_up"], row["current_status"]) == (14, 9, "government")
    assert "standards" not in row


@pytest.fixture
def partner_key(partner, administrator):
    from mission.api.services import token_issue

    return token_issue(actor=administrator, user=partner, name="NGO", scopes=["legislative_review"])[1]


def test_the_dashboard_counts_an_activitys_participants(human_rights_actors, rf):
    monitor, supervisor = human_rights_actors["monitor"], human_rights_actors["supervisor"]
    prizren = monitor.region.municipalities.order_by("code").first()
    for line, people in (
        ("youth", (("A Provë", "female"), ("B Provë", "male"), ("C Provë", "female"))),
        ("interfaith", (("D Provë", "male"),)),
    ):
        record = record_create(
            actor=monitor,
            model=RightsActivity,
            fields=activity_content(prizren, line=line, date=datetime.date.today() - datetime.timedelta(days=2)),
            parts=activity_parts(*people),
        )
        record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
        record_approve(actor=supervisor, record=record, expected_version=record.version)
    summaries_refresh()
    request = rf.get("/")
    request.user = human_rights_actors["department_head"]
    figures, charts = record_dashboard(apps.get_app_config("human_rights"), request.user, read_filters(request)[1])
    found = {str(f.label): f.value for f in figures}
    assert found["Human rights activities"] == 2
    assert found["Participants"] == 4
    by_sex = {row[0]: row[1] for row in {c.slug: c for c in charts}["rightsactivity-activityparticipant-by-sex"].rows}
    assert (by_sex["Female"], by_sex["Male"]) == (2, 2)
