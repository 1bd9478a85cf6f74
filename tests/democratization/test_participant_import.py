"""An activity's sign-in sheet imported onto its draft: a person already on the record (by name) updated,
anyone else added with the next number, refused rows said per cell; written through the record's own
service (its version, its history with the reason); only the author of a draft or returned activity
may, and nobody out of its scope learns it exists. The export of the participants names people: a
logged read."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from democratization.models import Participant, ParticipationActivity
from mission.audit.models import AccessLog
from tests.conftest import client_for
from tests.departments import ACTORS, LOGIN, expectations

pytestmark = pytest.mark.django_db

NAME = "democratization-participation-participant"
HEADER = "name,sex,age_band,role,outcome"


def _urls(activity) -> tuple[str, str]:
    return (
        reverse(f"imports:{NAME}_import", args=[activity.pk]),
        reverse(f"imports:{NAME}_export", args=[activity.pk]),
    )


def _file(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("sign-in.csv", ("\n".join([header, *lines]) + "\n").encode(), content_type="text/csv")


def test_a_sign_in_sheet_adds_and_updates_the_activity_s_participants(democratization_actors, democratization_objects):
    monitor = democratization_actors["monitor"]
    activity = democratization_objects["activity_draft"]  # Rina Provë, participant, number 1
    url, _export = _urls(activity)
    client = client_for(monitor)
    response = client.post(
        url,
        {
            "file": _file(
                "Rina Provë,female,18_25,trainee,employed",
                "Besa Test,female,26_40,participant,",
                "Marko Proba,none,26_40,participant,",  # no such sex
                "Besa Test,female,41_60,participant,",  # the same person twice
                ",male,26_40,participant,",  # nobody named
            )
        },
    )
    rows = response.context["plan"].rows
    assert [row.action for row in rows] == ["update", "create", "error", "error", "error"]
    assert rows[0].changes == [("Role", "Participant", "Trainee"), ("Outcome", "—", "Employed after the traineeship")]
    assert set(rows[2].errors) == {"sex"}
    assert set(rows[4].errors) == {"name"}
    assert Participant.objects.filter(activity=activity).count() == 1  # a dry run writes nothing

    fixed = client.post(
        url, {"file": _file("Rina Provë,female,18_25,trainee,employed", "Besa Test,female,26_40,participant,")}
    )
    plan, pending = fixed.context["plan"], fixed.context["pending"]
    done = client.post(url, {"pending": pending.pk, "digest": plan.digest()})
    assert done.url == reverse("democratization:participationactivity_detail", args=[activity.pk])
    people = {p.name: p for p in Participant.objects.filter(activity=activity)}
    assert (people["Rina Provë"].role, people["Rina Provë"].outcome, people["Rina Provë"].ordinal) == (
        "trainee",
        "employed",
        1,
    )
    assert (people["Besa Test"].ordinal, people["Besa Test"].age_band) == (2, "26_40")
    assert people["Besa Test"].history.first().history_change_reason == "import of sign-in.csv"
    activity_now = ParticipationActivity.objects.get(pk=activity.pk)
    assert activity_now.version == activity.version + 1  # an edit of the record: a form opened before conflicts


def test_the_export_names_people_in_a_logged_read_and_imports_back_unchanged(
    democratization_actors, democratization_objects
):
    monitor = democratization_actors["monitor"]
    activity = democratization_objects["activity_draft"]
    url, export = _urls(activity)
    client = client_for(monitor)
    exported = client.get(export)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["name", "sex", "age_band", "community", "role", "outcome"]
    assert rows[1][0] == "Rina Provë"
    assert AccessLog.objects.filter(user=monitor, path=export).count() == 1
    back = client.post(url, {"file": SimpleUploadedFile("back.csv", exported.content, content_type="text/csv")})
    assert [row.action for row in back.context["plan"].rows] == ["unchanged"]


def test_the_record_page_offers_the_import_to_its_author_while_they_may_edit(
    democratization_actors, democratization_objects
):
    monitor = democratization_actors["monitor"]
    for key, offered in (("activity_draft", True), ("activity_submitted", False)):
        activity = democratization_objects[key]
        page = client_for(monitor).get(reverse("democratization:participationactivity_detail", args=[activity.pk]))
        assert (_urls(activity)[0] in page.content.decode()) is offered, key


#                         anon   mon  sup  head mgmt part adm  other-region other-dept
# (partners are kept out of every page but the API's: 403)
ON_THE_DRAFT = expectations(LOGIN, 200, 403, 403, 403, 403, 404, 404, 404)
ON_THE_SUBMITTED = expectations(LOGIN, 403, 403, 403, 403, 403, 404, 404, 404)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_import_a_sign_in_sheet(actor, democratization_actors, democratization_objects):
    user = None if actor == "anonymous" else democratization_actors[actor]
    client = client_for(user)
    for key, expected in (("activity_draft", ON_THE_DRAFT), ("activity_submitted", ON_THE_SUBMITTED)):
        for url in _urls(democratization_objects[key]):
            response = client.get(url)
            status = (
                LOGIN
                if response.status_code == 302 and "/accounts/login/" in response["Location"]
                else response.status_code
            )
            assert status == expected[actor], (key, url, actor)
    missing = reverse(f"imports:{NAME}_import", args=[999_999])
    assert client.get(missing).status_code == {"anonymous": 302, "partner": 403}.get(actor, 404)


def test_blank_cells_of_fields_that_may_not_be_empty_take_the_default_or_keep_the_value(
    democratization_actors, democratization_objects
):
    monitor = democratization_actors["monitor"]
    activity = democratization_objects["activity_draft"]  # Rina Provë: 18 to 25, participant
    url, _export = _urls(activity)
    client = client_for(monitor)
    response = client.post(url, {"file": _file("Rina Provë,female,,,", "Besa Test,female,,,")})
    assert [row.action for row in response.context["plan"].rows] == ["unchanged", "create"]
    client.post(url, {"pending": response.context["pending"].pk, "digest": response.context["plan"].digest()})
    people = {p.name: p for p in Participant.objects.filter(activity=activity)}
    assert (people["Rina Provë"].age_band, people["Rina Provë"].role) == ("18_25", "participant")
    assert (people["Besa Test"].age_band, people["Besa Test"].role) == ("unknown", "participant")


def test_a_file_applied_twice_adds_nobody_twice(democratization_actors, democratization_objects):
    from mission.imports.flows import flow_of
    from mission.imports.services import UnreadableFileError, import_apply

    monitor = democratization_actors["monitor"]
    activity = democratization_objects["activity_draft"]
    url, _export = _urls(activity)
    response = client_for(monitor).post(url, {"file": _file("Besa Test,female,26_40,participant,")})
    pending, digest = response.context["pending"], response.context["plan"].digest()
    flow = flow_of(f"{NAME}:{activity.pk}")
    rules = flow.rules_for(monitor)
    import_apply(flow.spec, pending, actor=monitor, expected=digest, rules=rules, forget=False)
    pending.refresh_from_db()
    pending.cells = ""  # as a job leaves it once applied
    pending.save()
    with pytest.raises(UnreadableFileError):  # the second click (or a retried job) finds it applied
        import_apply(flow.spec, pending, actor=monitor, expected=digest, rules=rules)
    assert Participant.objects.filter(activity=activity, ordinal=2).count() == 1
    assert Participant.objects.filter(activity=activity).count() == 2
