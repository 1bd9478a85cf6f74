"""Notifications from the kit's review, for every department that declares records: the author of a
returned or approved record is told, with a link to it; nobody else is."""

import pytest
from django.urls import reverse

from mission import departments
from mission.notifications.models import Notification
from mission.review.services import record_approve, record_return
from tests.departments import contract_fixtures, records_in

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
DECLARED = {config.label: config for config in departments.all() if config.records}


@pytest.fixture(params=sorted(DECLARED))
def department(request):
    label = request.param
    actors = request.getfixturevalue(f"{label}_actors")
    objects = records_in(request.getfixturevalue(f"{label}_objects"), label)
    return {"label": label, "type": DECLARED[label].records[0], "actors": actors, "objects": objects}


@pytest.mark.parametrize("decision", ["returned", "approved"])
def test_the_author_is_told_of_the_decision_with_a_link(department, decision):
    record, supervisor = department["objects"]["submitted"], department["actors"]["supervisor"]
    Notification.objects.all().delete()
    if decision == "returned":
        record_return(actor=supervisor, record=record, expected_version=record.version, comment="Add the date.")
    else:
        record_approve(actor=supervisor, record=record, expected_version=record.version)
    notification = Notification.objects.get()
    author = getattr(record, record.author_field)
    assert (notification.user, notification.kind) == (author, decision)
    assert notification.url == reverse(
        f"{department['label']}:{department['type'].url_name('detail')}", args=[record.pk]
    )
    assert "Add the date" not in str(notification.params)  # free text never travels
