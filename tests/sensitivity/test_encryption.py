"""Restricted values encrypted at rest (mission/encryption.py), with party names as the example."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from mission.encryption import (
    PREFIX,
    DecryptionError,
    decrypt_to_clear,
    encrypt_clear,
    keyring,
    keys_problem,
    migrate_columns,
    new_key,
)
from mission.exports import stream_values
from tests.factories import PartyFactory

NAME = "Arbër Gashi-Canary"
OLD, NEW = new_key(), new_key()


def _raw(model, column: str = "name") -> list[str]:
    """What the table holds, read with a plain cursor as a database dump would."""
    table, quote = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")  # noqa: S608 (our table)
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def party(monitor):
    return PartyFactory(name=NAME)


def test_a_value_comes_back_as_it_was_written_and_empty_stays_empty(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    ring = keyring()
    for text in ("Drita", "Đorđe Šljivić", "'=1+2", "x" * 200):
        token = ring.encrypt(text)
        assert token.startswith(PREFIX)
        assert text not in token
        assert ring.decrypt(token) == text


@pytest.mark.django_db
def test_the_record_reads_the_name_and_the_table_holds_no_clear_text(party):
    from rights.models import Party

    assert Party.objects.get(pk=party.pk).name == NAME
    assert Party.objects.values_list("name", flat=True).get(pk=party.pk) == NAME
    raw = _raw(Party)
    assert raw
    assert all(value.startswith(PREFIX) and "Canary" not in value for value in raw)


@pytest.mark.django_db
def test_the_history_rows_hold_no_clear_text_either(party):
    from rights.models import Party

    party.name = "Second Canary-Name"
    party.save()
    history = Party.history.model
    raw = _raw(history)
    assert len(raw) == 2
    assert all(value.startswith(PREFIX) and "Canary" not in value for value in raw)
    assert sorted(Party.history.filter(id=party.pk).values_list("name", flat=True)) == [NAME, "Second Canary-Name"]


@pytest.mark.django_db
def test_a_name_is_found_by_exact_match_and_other_lookups_are_refused(party):
    from rights.models import Party

    assert list(Party.objects.filter(name=NAME)) == [party]
    assert list(Party.objects.filter(name__in=[NAME, "Nobody"])) == [party]
    assert not Party.objects.filter(name="arbër gashi-canary").exists()  # exact, as `=` always was
    assert Party.objects.exclude(name=NAME).count() == 0
    assert Party.objects.filter(name__in=[]).count() == 0
    with pytest.raises(FieldError):
        Party.objects.filter(name__icontains="Canary").exists()


@pytest.mark.django_db
def test_updates_and_bulk_updates_are_encrypted_too(party):
    from rights.models import Party

    Party.objects.filter(pk=party.pk).update(name="Updated Canary")
    assert Party.objects.get(pk=party.pk).name == "Updated Canary"
    party.name = "Bulk Canary"
    Party.objects.bulk_update([party], ["name"])
    assert Party.objects.get(pk=party.pk).name == "Bulk Canary"
    assert all("Canary" not in value for value in _raw(Party))


@pytest.mark.django_db
def test_rows_streamed_from_the_cursor_are_decrypted(party):
    """PostgreSQL streams without the ORM's converters (mission.exports.stream_values)."""
    from rights.models import Party

    assert list(stream_values(Party.objects.filter(pk=party.pk), "ordinal", "name")) == [(party.ordinal, NAME)]


@pytest.mark.django_db
def test_a_wrong_key_reads_nothing(party, settings):
    from rights.models import Party

    settings.FIELD_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(DecryptionError):
        Party.objects.get(pk=party.pk)
    assert not Party.objects.filter(name=NAME).exists()


@pytest.mark.django_db
def test_keys_rotate_the_new_one_first_then_reencrypt_then_drop_the_old(monitor, settings):
    from rights.models import Party

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    party = PartyFactory(name=NAME)
    before = _raw(Party)

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]  # new rows under NEW; old rows still read and found
    assert Party.objects.get(pk=party.pk).name == NAME
    assert list(Party.objects.filter(name=NAME)) == [party]

    out = StringIO()
    call_command("fields_reencrypt", stdout=out)
    assert "rights.Party.name: 1 re-encrypted" in out.getvalue()
    assert "rights.HistoricalParty.name: 1 re-encrypted" in out.getvalue()
    assert _raw(Party) != before

    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert Party.objects.get(pk=party.pk).name == NAME
    assert Party.history.get(id=party.pk).name == NAME
    assert list(Party.objects.filter(name=NAME)) == [party]
    out = StringIO()
    call_command("fields_reencrypt", stdout=out)
    assert "rights.Party.name: 0 re-encrypted" in out.getvalue()


@pytest.mark.django_db
def test_the_data_migration_encrypts_names_stored_in_clear_and_back(party):
    """What rights/migrations/0015 runs, on a table holding a clear name as before 0014."""
    from django.apps import apps

    from rights.models import Party

    table, quote = Party._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(table)} SET name = %s", ["Clear Canary"])  # noqa: S608 (our table)
    columns = [("Party", "name"), ("HistoricalParty", "name")]
    schema_editor = SimpleNamespace(connection=connection)

    migrate_columns("rights", columns, encrypt_clear)(apps, schema_editor)
    assert all(value.startswith(PREFIX) for value in _raw(Party) + _raw(Party.history.model))
    assert Party.objects.get(pk=party.pk).name == "Clear Canary"
    assert Party.history.get(id=party.pk).name == NAME
    migrate_columns("rights", columns, encrypt_clear)(apps, schema_editor)  # twice: nothing changes
    assert Party.objects.get(pk=party.pk).name == "Clear Canary"

    migrate_columns("rights", columns, decrypt_to_clear)(apps, schema_editor)
    assert _raw(Party) == ["Clear Canary"]
    assert _raw(Party.history.model) == [NAME]
    migrate_columns("rights", columns, encrypt_clear)(apps, schema_editor)


def test_keys_are_checked(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    assert "FIELD_ENCRYPTION_KEYS must be set" in keys_problem()
    settings.FIELD_ENCRYPTION_KEYS = ["too-short"]
    assert "64 random bytes" in keys_problem()
    with pytest.raises(ImproperlyConfigured):
        keyring()
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert keys_problem() is None


def test_servers_refuse_to_start_without_keys(settings):
    from mission.startup import check_field_keys, require_secrets

    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        require_secrets()
    assert [message.id for message in check_field_keys()] == ["mission.E002"]


def test_a_restricted_text_field_stored_in_clear_fails_the_check(monkeypatch):
    from mission.sensitivity import check_declarations, declare
    from rights.models import Hearing

    monkeypatch.setattr(Hearing, "sensitivity", declare(restricted=["outcome"]))
    assert [message.id for message in check_declarations()] == ["mission.E012"]


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 200_000])
def test_a_file_comes_back_as_it_was_written(settings, size):
    import io
    import os

    from mission.encryption import FILE_MAGIC, encrypt_file, open_clear

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    clear = os.urandom(size)
    stored = io.BytesIO()
    encrypt_file(io.BytesIO(clear), stored)
    assert stored.getvalue().startswith(FILE_MAGIC)
    # A byte or two may turn up in any ciphertext by chance; a run of 16 random bytes does not.
    assert clear not in stored.getvalue() or size < 16
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]  # after a rotation, still read
    reader = open_clear(io.BytesIO(stored.getvalue()))
    assert b"".join(iter(lambda: reader.read(1000), b"")) == clear


def test_a_file_cut_short_changed_or_under_an_unknown_key_is_refused(settings):
    import io

    from mission.encryption import encrypt_file, open_clear

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    stored = io.BytesIO()
    encrypt_file(io.BytesIO(b"Canary Name\n" * 20_000), stored)
    whole = stored.getvalue()
    cut = whole[: 65536 + 16 + 20]  # the first chunk and its header: the rest is gone
    with pytest.raises(DecryptionError):
        open_clear(io.BytesIO(cut)).read()
    changed = bytearray(whole)
    changed[40] ^= 1
    with pytest.raises(DecryptionError):
        open_clear(io.BytesIO(bytes(changed))).read()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(DecryptionError):
        open_clear(io.BytesIO(whole))


def test_a_file_stored_in_clear_reads_as_it_is():
    import io

    from mission.encryption import open_clear

    assert open_clear(io.BytesIO(b"PK\x03\x04 an older report")).read() == b"PK\x03\x04 an older report"
