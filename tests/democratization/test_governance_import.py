"""Municipal indicators from a spreadsheet: a monitor imports a year's governance assessments as drafts
(one per municipality and year), updates their own drafts in place, and finds every other assessment
(submitted, approved, another's, another region's) refused without anything of it shown. Every kind of
actor is tried; the export of one's open assessments imports back unchanged."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from democratization.models import GovernanceAssessment
from field_offices.models import Municipality
from mission.review.models import ReviewStatus
from tests.conftest import client_for
from tests.departments import ACTORS, LOGIN, expectations

pytestmark = pytest.mark.django_db

IMPORT = reverse("imports:democratization-governance_import")
EXPORT = reverse("imports:democratization-governance_export")
YEAR = datetime.date.today().year - 1
HEADER = "municipality,year,assessed_on,audit_opinion,budget_execution,decisions_published,notes"


def _line(municipality, budget="80", notes="Audit report", opinion="qualified") -> str:
    return (
        f"{municipality.code},{YEAR},{datetime.date.today() - datetime.timedelta(days=1)},{opinion},{budget},50,{notes}"
    )


def _file(*lines: str, name: str = "indicators.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode(), content_type="text/csv")


def _dry_run(client, upload):
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200, response.content.decode()[:400]
    return response


def _apply(client, response):
    plan, pending = response.context["plan"], response.context["pending"]
    return client.post(IMPORT, {"pending": pending.pk, "digest": plan.digest()})


def _free(monitor, count=1):
    taken = GovernanceAssessment.objects.values("municipality")
    return list(monitor.region.municipalities.exclude(pk__in=taken).order_by("code")[:count])


def test_a_year_s_indicators_become_drafts_of_their_importer(democratization_actors, democratization_objects):
    monitor = democratization_actors["monitor"]
    first, second = _free(monitor, 2)
    other_region = Municipality.objects.exclude(region=monitor.region).first()
    client = client_for(monitor)
    response = _dry_run(
        client,
        _file(_line(first), _line(second, budget="140"), _line(other_region), _line(first, budget="70")),
    )
    rows = response.context["plan"].rows
    assert [row.action for row in rows] == ["create", "error", "error", "error"]
    assert set(rows[1].errors) == {"budget_execution"}  # over 100 %
    assert rows[2].errors == {"municipality": ["You record in the municipalities of your own region only."]}
    assert "Row 2 has the same values" in rows[3].errors[""][0]
    assert not GovernanceAssessment.objects.filter(municipality__in=[first, second]).exists()

    fixed = _dry_run(client, _file(_line(first), _line(second, budget="40")))
    assert _apply(client, fixed).url == reverse("democratization:governanceassessment_list")
    made = GovernanceAssessment.objects.get(municipality=first, year=YEAR)
    assert (made.status, made.assessor, made.budget_execution) == (ReviewStatus.DRAFT, monitor, 80)
    assert made.public_meetings_required == 2  # left out of the file: the default
    latest = made.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("import of indicators.csv", monitor)


def test_own_drafts_update_in_place_and_other_assessments_are_refused(democratization_actors, democratization_objects):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    draft = democratization_objects["assessment_draft"]
    submitted = democratization_objects["assessment_submitted"]
    approved = democratization_objects["assessment_approved"]
    line = f"{draft.municipality.code},{draft.year},{draft.assessed_on},qualified,91.5,64,Corrected"
    response = _dry_run(
        client_for(monitor),
        _file(
            line,
            f"{submitted.municipality.code},{submitted.year},{submitted.assessed_on},qualified,1,1,x",
            f"{approved.municipality.code},{approved.year},{approved.assessed_on},adverse,1,1,x",
        ),
    )
    rows = response.context["plan"].rows
    assert [row.action for row in rows] == ["update", "error", "error"]
    assert ("Budget execution (%)", "87.5", "91.5") in rows[0].changes
    refused = {"": ["A row with this key exists that you may not change."]}
    assert rows[1].errors == rows[2].errors == refused
    page = response.content.decode()
    assert "Unmodified (clean)" not in page  # nothing of the refused approved assessment is shown
    # The supervisor did not write the draft: for them it is another's.
    theirs = _dry_run(client_for(supervisor), _file(line))
    assert theirs.context["plan"].rows[0].errors == refused

    client = client_for(monitor)
    _apply(client, _dry_run(client, _file(line)))
    draft.refresh_from_db()
    assert (float(draft.budget_execution), draft.notes, draft.version, draft.status) == (91.5, "Corrected", 2, "draft")


def test_the_export_of_one_s_open_assessments_imports_back_unchanged(democratization_actors, democratization_objects):
    monitor = democratization_actors["monitor"]
    client = client_for(monitor)
    exported = client.get(EXPORT)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and the draft; the submitted and approved ones are not open
    assert rows[1][0] == democratization_objects["assessment_draft"].municipality.code
    upload = SimpleUploadedFile("back.csv", exported.content, content_type="text/csv")
    response = _dry_run(client, upload)
    assert [row.action for row in response.context["plan"].rows] == ["unchanged"]


def test_the_list_offers_the_import_to_who_may_make_it(democratization_actors):
    url = reverse("democratization:governanceassessment_list")
    assert IMPORT in client_for(democratization_actors["monitor"]).get(url).content.decode()
    assert IMPORT not in client_for(democratization_actors["department_head"]).get(url).content.decode()


#                    anon   mon  sup  head mgmt part adm  other-region other-dept
WHO = expectations(LOGIN, 200, 200, 403, 403, 403, 403, 200, 403)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_import_municipal_indicators(actor, democratization_actors):
    user = None if actor == "anonymous" else democratization_actors[actor]
    client = client_for(user)
    for url in (IMPORT, EXPORT):
        response = client.get(url)
        status = (
            LOGIN
            if response.status_code == 302 and "/accounts/login/" in response["Location"]
            else response.status_code
        )
        assert status == WHO[actor], (url, actor)
