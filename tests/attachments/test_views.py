"""Files on the records of every department (each contract's "draft" record), tried by every kind of
actor: who adds, who opens restricted and internal files, who removes; every download logged; hostile
and oversized uploads refused with the reason and nothing kept; the X-Accel-Redirect option."""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from mission.attachments.models import Attachment
from mission.audit.models import AccessLog
from tests.attachments import samples
from tests.conftest import client_for
from tests.departments import ACTORS, LOGIN, contract_fixtures, contracts, expectations

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
CONTRACTS = contracts()

#                               anon   mon  sup  head mgmt part adm  other-region other-dept
ADD = expectations(LOGIN, 200, 200, 403, 403, 403, 403, 404, 404)
OPEN_RESTRICTED = expectations(LOGIN, 200, 200, 200, 403, 403, 403, 404, 404)
OPEN_INTERNAL = expectations(LOGIN, 200, 200, 200, 200, 403, 403, 404, 404)
REMOVE = expectations(LOGIN, 200, 200, 403, 403, 403, 403, 404, 404)  # the uploader (monitor), a reviewer


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(params=sorted(CONTRACTS))
def department(request):
    label = request.param
    objects = request.getfixturevalue(f"{label}_objects")
    return {"label": label, "record": objects["draft"], "actors": request.getfixturevalue(f"{label}_actors")}


def add_url(record) -> str:
    return reverse("attachments:add", args=[record._meta.label_lower, record.pk])


def upload(client: Client, record, data: bytes, name: str = "minutes.pdf", access="restricted", **fields):
    payload = {"file": SimpleUploadedFile(name, data), "kind": "minutes", "access": access, "next": "/", **fields}
    return client.post(add_url(record), payload)


def _status(response) -> object:
    if response.status_code == 302 and reverse("accounts:login") in response["Location"]:
        return LOGIN
    return response.status_code


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_the_upload_page_per_actor(department):
    record, actors = department["record"], department["actors"]
    for actor in ACTORS:
        assert _status(client_for(actors[actor]).get(add_url(record))) == ADD[actor], actor


@pytest.mark.parametrize(("access", "expected"), [("restricted", OPEN_RESTRICTED), ("internal", OPEN_INTERNAL)])
def test_who_opens_a_file_and_every_download_is_logged(department, access, expected, media_root):
    record, actors = department["record"], department["actors"]
    response = upload(client_for(actors["monitor"]), record, samples.pdf(), name="Aktgjykimi Canary.pdf", access=access)
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.access, attachment.media_type) == (
        "Aktgjykimi Canary.pdf",
        access,
        "application/pdf",
    )
    stored = stored_files(media_root)
    assert len(stored) == 1
    assert "Canary" not in str(stored[0])
    assert (stored[0].read_bytes() == samples.pdf()) is (access == "internal")  # restricted: encrypted at rest
    url = reverse("attachments:download", args=[attachment.key])
    for actor in ACTORS:
        AccessLog.objects.all().delete()
        response = client_for(actors[actor]).get(url)
        assert _status(response) == expected[actor], actor
        logged = AccessLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Attachment), object_id=attachment.pk
        )
        assert logged.count() == (1 if response.status_code == 200 else 0), actor
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == samples.pdf()
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]


def test_the_record_page_lists_the_file_and_hides_a_restricted_name_from_who_may_not_open_it(department):
    record, actors = department["record"], department["actors"]
    upload(client_for(actors["monitor"]), record, samples.pdf(), name="Canary Name.pdf", description="Canary note")
    detail = next(
        name
        for name, (kwargs, _e) in CONTRACTS[department["label"]].GET_EXPECTATIONS.items()
        if name.endswith("_detail") and kwargs.get("pk") == "draft"
    )
    url = reverse(detail, kwargs={"pk": record.pk})
    mine = client_for(actors["monitor"]).get(url).content.decode()
    assert "Canary Name.pdf" in mine
    assert "Canary note" in mine
    assert 'enctype="multipart/form-data"' in mine
    theirs = client_for(actors["management"]).get(url)
    if theirs.status_code == 200:  # management reads the record, not its names
        page = theirs.content.decode()
        assert "Restricted file" in page
        assert "Canary" not in page
        assert "multipart/form-data" not in page


def test_removing_asks_first_and_only_the_uploader_or_a_reviewer_may(department, media_root):
    record, actors = department["record"], department["actors"]
    upload(client_for(actors["monitor"]), record, samples.pdf())
    attachment = Attachment.objects.get()
    url = reverse("attachments:remove", args=[attachment.key])
    for actor in ACTORS:
        response = client_for(actors[actor]).get(url)
        assert _status(response) == REMOVE[actor], actor
        assert Attachment.objects.count() == 1
    assert "Remove the file?" in client_for(actors["supervisor"]).get(url).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(actors["supervisor"]).post(url, {"next": "/"})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []
    removed = Attachment.history.filter(history_type="-").get()
    assert removed.history_user == actors["supervisor"]


def test_a_colleague_who_did_not_upload_and_does_not_review_may_not_remove(department, geography):
    from tests.factories import UserFactory

    record, actors = department["record"], department["actors"]
    upload(client_for(actors["monitor"]), record, samples.pdf())
    colleague = UserFactory(
        username="colleague", region=actors["monitor"].region, department=actors["monitor"].department
    )
    url = reverse("attachments:remove", args=[Attachment.objects.get().key])
    assert client_for(colleague).post(url).status_code == 403
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("minutes.jpg", samples.pdf(), "contents are a PDF document"),
        ("judgment.pdf", samples.pdf(samples.zipped({"x.js": b"alert(1)"})), "appended"),
        ("minutes.docx", samples.zip_bomb(megabytes=5), "ZIP bomb"),
        ("minutes.docx", samples.traversal_docx(), "outside itself"),
        ("../../../etc/cron.d/evil.txt", b"<html><script>alert(1)</script>", "web page"),
    ],
)
def test_a_hostile_upload_is_refused_with_its_reason_and_nothing_is_kept(
    rights_objects, rights_actors, name, data, says, media_root
):
    record = rights_objects["draft"]
    response = upload(client_for(rights_actors["monitor"]), record, data, name=name, description="kept in the form")
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert 'value="kept in the form"' in page  # what was typed stays
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_is_stopped_while_it_arrives(rights_objects, rights_actors, settings, media_root):
    settings.ATTACHMENT_MAX_MB = 0.05
    record = rights_objects["draft"]
    response = upload(client_for(rights_actors["monitor"]), record, samples.pdf(b"%" + b"x" * 200_000 + b"\n%%EOF\n"))
    assert response.status_code == 400
    assert "larger than 0.05 MB" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_without_the_csrf_token_is_refused(rights_objects, rights_actors):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rights_actors["monitor"])
    response = upload(client, rights_objects["draft"], samples.pdf())
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_after_an_upload_the_page_goes_back_only_to_one_of_ours(rights_objects, rights_actors):
    record, client = rights_objects["draft"], client_for(rights_actors["monitor"])
    assert upload(client, record, samples.pdf(), next="https://evil.example/")["Location"] == "/"
    assert (
        upload(client, record, samples.pdf(), next="/trial-monitoring/cases/")["Location"] == "/trial-monitoring/cases/"
    )


def test_a_model_that_takes_no_files_is_not_found(rights_actors, geography):
    client = client_for(rights_actors["monitor"])
    response = client.get(reverse("attachments:add", args=["accounts.user", rights_actors["monitor"].pk]))
    assert response.status_code == 404
    assert client.get(reverse("attachments:download", args=["8b1b6f4e-0000-4000-8000-000000000000"])).status_code == 404


def test_behind_nginx_an_internal_file_is_sent_by_x_accel_redirect_and_a_restricted_one_by_the_portal(
    rights_objects, rights_actors, settings
):
    settings.ATTACHMENT_X_ACCEL_PREFIX = "/protected-files/"
    client = client_for(rights_actors["monitor"])
    record = rights_objects["draft"]
    upload(client, record, samples.pdf(), name="internal.pdf", access="internal")
    upload(client, record, samples.pdf(), name="restricted.pdf", access="restricted")
    internal = Attachment.objects.get(access="internal")
    response = client.get(reverse("attachments:download", args=[internal.key]))
    assert response["X-Accel-Redirect"] == f"/protected-files/{internal.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''internal.pdf"
    restricted = Attachment.objects.get(access="restricted")
    response = client.get(reverse("attachments:download", args=[restricted.key]))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == samples.pdf()


def test_rights_cases_and_hearings_take_files_too(rights_objects, rights_actors):
    client = client_for(rights_actors["monitor"])
    hearing = rights_objects["hearing"]
    for record, page in ((hearing.case, "rights:case_detail"), (hearing, "rights:hearing_detail")):
        assert upload(client, record, samples.png(), name="scan.png", access="internal").status_code == 302
        html = client.get(reverse(page, args=[record.pk])).content.decode()
        assert re.search(r'<a href="/files/[0-9a-f-]+/" download>scan.png</a>', html), page


def test_retention_deletes_restricted_files_past_their_period_and_keeps_internal_ones(
    rights_objects, rights_actors, settings, media_root
):
    import datetime

    from django.utils import timezone

    from mission.retention import retention_purge

    client = client_for(rights_actors["monitor"])
    upload(client, rights_objects["draft"], samples.pdf(), name="old-restricted.pdf", access="restricted")
    upload(client, rights_objects["draft"], samples.pdf(), name="old-internal.pdf", access="internal")
    upload(client, rights_objects["draft"], samples.pdf(), name="new-restricted.pdf", access="restricted")
    long_ago = timezone.now() - datetime.timedelta(days=settings.RETENTION_RESTRICTED_FILES_DAYS + 1)
    Attachment.objects.exclude(pk=Attachment.objects.order_by("-pk").first().pk).update(created_at=long_ago)
    with TestCase.captureOnCommitCallbacks(execute=True):
        counts = retention_purge()
    assert counts["Restricted files on records"] == 1
    assert sorted(a.name for a in Attachment.objects.all()) == ["new-restricted.pdf", "old-internal.pdf"]
    assert len(stored_files(media_root)) == 2


def test_retention_also_forgets_the_names_in_the_history(rights_objects, rights_actors, settings):
    """Found by review: the purged file's name stayed in its history rows."""
    import datetime

    from django.utils import timezone

    from mission.retention import retention_purge

    upload(client_for(rights_actors["monitor"]), rights_objects["draft"], samples.pdf(), name="Canary Surname.pdf")
    Attachment.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=settings.RETENTION_RESTRICTED_FILES_DAYS + 1)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        retention_purge()
    assert Attachment.history.exists()
    assert set(Attachment.history.values_list("name", flat=True)) == {""}


def test_the_remove_page_that_shows_a_restricted_name_is_logged(rights_objects, rights_actors):
    """Found by review: the confirmation page showed the name without an access-log row."""
    upload(client_for(rights_actors["monitor"]), rights_objects["draft"], samples.pdf(), name="Canary.pdf")
    attachment = Attachment.objects.get()
    url = reverse("attachments:remove", args=[attachment.key])
    assert "Canary.pdf" in client_for(rights_actors["supervisor"]).get(url).content.decode()
    assert AccessLog.objects.filter(user=rights_actors["supervisor"], object_id=attachment.pk, path=url).exists()
