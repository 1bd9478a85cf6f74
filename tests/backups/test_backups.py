"""Backups and the restore drill (mission/backups): a backup restored into a new database has every
table's rows and contents, checked against its manifest; a damaged file, a non-empty target and a
changed row are each found; the encryption keys are never in a backup."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from mission.accounts.models import User
from mission.backups.services import (
    BackupError,
    backup_create,
    backup_restore,
    differences,
    drill_database,
    drill_database_drop,
    fingerprint,
)
from tests.conftest import require_service
from tests.factories import UserFactory


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "report.pdf.enc").write_bytes(b"sealed bytes")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def drill(transactional_db):
    target, name = drill_database()
    yield target
    drill_database_drop(target, name)


def test_the_fingerprint_sees_a_changed_row_and_ignores_order(db, geography):
    before = fingerprint(connection)
    assert before["field_offices_region"][0] == 5
    region = geography["PRZ"]
    region.name_en = "Prizren (changed)"
    region.save()
    after = fingerprint(connection)
    assert after["field_offices_region"] != before["field_offices_region"]
    assert after["field_offices_municipality"] == before["field_offices_municipality"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_every_row(geography, media, tmp_path, drill):
    UserFactory(username="restored.user")
    made = backup_create(tmp_path / "backups")
    manifest = json.loads(made.manifest.read_text())
    assert manifest["tables"]["accounts_user"]["rows"] == User.objects.count()

    restored_media = tmp_path / "restored-media"
    content = backup_restore(made.manifest, connection=drill, media_root=restored_media)
    assert differences(content["tables"], fingerprint(drill)) == []
    assert (restored_media / "reports" / "report.pdf.enc").read_bytes() == b"sealed bytes"
    with drill.cursor() as cursor:
        cursor.execute("SELECT username FROM accounts_user WHERE username = %s", ["restored.user"])
        assert cursor.fetchall() == [("restored.user",)]


@pytest.mark.django_db(transaction=True)
def test_a_damaged_file_or_a_database_in_use_is_refused(geography, media, tmp_path, drill):
    made = backup_create(tmp_path / "backups")
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(made.manifest, connection=connection)
    data = bytearray(made.database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.database.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(made.manifest, connection=drill)
    assert fingerprint(drill) == {}  # nothing was restored


@pytest.mark.django_db(transaction=True)
def test_a_row_changed_after_the_backup_is_a_difference(geography, media, tmp_path):
    made = backup_create(tmp_path / "backups")
    tables = json.loads(made.manifest.read_text())["tables"]
    UserFactory(username="after.the.backup")
    found = differences(tables, fingerprint(connection))
    assert [line.split(":")[0] for line in found] == ["accounts_historicaluser", "accounts_user"]


@pytest.mark.django_db(transaction=True)
def test_the_keys_are_not_in_the_backup(geography, media, tmp_path):
    made = backup_create(tmp_path / "backups")
    keys = settings.FIELD_ENCRYPTION_KEYS
    for key in keys:
        for path in (made.database, made.media, made.manifest):
            assert key.encode() not in path.read_bytes()
    assert "FIELD_ENCRYPTION_KEYS" in json.loads(made.manifest.read_text())["encryption_keys"]


@pytest.mark.django_db(transaction=True)
def test_the_restore_drill_command(geography, media):
    out = StringIO()
    call_command("restore_drill", stdout=out)
    assert "Every table's rows and checksum match." in out.getvalue()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_on_postgresql(geography, media, tmp_path, drill):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    UserFactory(username="on.postgres")
    made = backup_create(tmp_path / "backups")
    assert made.database.suffix == ".dump"
    assert made.database.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    content = backup_restore(made.manifest, connection=drill, media_root=tmp_path / "restored")
    assert differences(content["tables"], fingerprint(drill)) == []
    out = StringIO()
    call_command("restore_drill", stdout=out)
    assert "match" in out.getvalue()


def test_the_manifest_lives_beside_its_files(tmp_path):
    assert Path(settings.BACKUP_DIR).name == "backups"


@pytest.mark.django_db(transaction=True)
def test_backup_files_are_for_the_portals_user_only(geography, media, tmp_path):
    made = backup_create(tmp_path / "new-folder")
    assert made.manifest.parent.stat().st_mode & 0o777 == 0o700
    for path in (made.database, made.media, made.manifest):
        assert path.stat().st_mode & 0o777 == 0o600, path.name


@pytest.mark.django_db(transaction=True)
def test_a_failed_drill_leaves_no_dump_behind(geography, media, tmp_path, monkeypatch):
    import tempfile

    from django.core.management.base import CommandError

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr(
        "mission.backups.management.commands.restore_drill.differences", lambda *args: ["accounts_user: differs"]
    )
    with pytest.raises(CommandError, match="accounts_user: differs"):
        call_command("restore_drill", stdout=StringIO())
    assert list((tmp_path / "temp").iterdir()) == []
