"""Restricted values encrypted at rest, with keys kept outside the database.

`EncryptedCharField` stores its text encrypted with AES-SIV (RFC 5297; `cryptography`), under the first
key of `FIELD_ENCRYPTION_KEYS`; every key of the list decrypts, so keys rotate: put a new key first,
run `manage.py fields_reencrypt`, then drop the old key (docs/architecture.md). A database dump, the
history tables (django-simple-history copies the field, so its rows are encrypted too) and any copy of
the rows hold no name in clear.

AES-SIV is deterministic: the same text under the same key gives the same token. That is what keeps
exact search working (`filter(name="…")` compares with the token under each key, one `IN`), as a keyed
hash (a "blind index") would, without a second column; what a dump reveals beyond the length is which
rows hold the same value. Other lookups (`icontains`, ordering by the text) cannot work on ciphertext
and are refused with a FieldError rather than quietly finding nothing.

Report files with names are encrypted with the same keys (`encrypt_file`, `open_clear`; see below).

A stored value is `enc1:` and the URL-safe base64 of a key identifier (4 bytes of the key's SHA-256)
and the SIV ciphertext. Empty text stays empty (it names nobody) and NULL stays NULL.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ImproperlyConfigured
from django.db import NotSupportedError, models
from django.db.models import ForeignObjectRel, Lookup

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

PREFIX = "enc1:"
KEY_BYTES = 64  # AES-256-SIV
ID_BYTES = 4
MISSING = "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (see .env.example)."


class DecryptionError(ImproperlyConfigured):
    """A stored value that no configured key opens: a key was dropped too early, or the wrong keys."""


def new_key() -> str:
    """A fresh key for FIELD_ENCRYPTION_KEYS."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    """The configured keys, newest (the one that encrypts) first."""

    ciphers: tuple[tuple[bytes, AESSIV], ...]
    keys: tuple[bytes, ...]  # the same keys, raw (report files derive theirs from them)

    @property
    def current_id(self) -> bytes:
        return self.ciphers[0][0]

    def encrypt(self, text: str, *, key: int = 0) -> str:
        key_id, cipher = self.ciphers[key]
        return PREFIX + _encode(key_id + cipher.encrypt(text.encode(), None))

    def tokens(self, text: str) -> list[str]:
        """`text` as each key stores it: what an exact match compares with."""
        return [self.encrypt(text, key=n) for n in range(len(self.ciphers))]

    def key_id(self, token: str) -> bytes:
        return _decode(token.removeprefix(PREFIX))[:ID_BYTES]

    def decrypt(self, token: str) -> str:
        if not token.startswith(PREFIX):
            raise DecryptionError("A value of an encrypted field is stored in clear: run the migrations.")
        try:
            raw = _decode(token.removeprefix(PREFIX))
        except (binascii.Error, ValueError):
            raise DecryptionError("A value of an encrypted field is damaged.") from None
        key_id, body = raw[:ID_BYTES], raw[ID_BYTES:]
        for known, cipher in self.ciphers:
            if known == key_id:
                try:
                    return cipher.decrypt(body, None).decode()
                except InvalidTag:
                    break
        raise DecryptionError(
            "A value of an encrypted field was encrypted with a key that is not in FIELD_ENCRYPTION_KEYS."
        )


def _parse_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"Each of FIELD_ENCRYPTION_KEYS must be {KEY_BYTES} random bytes in URL-safe base64 "
            "(make one with `manage.py fields_new_key`)."
        )
    return key


@functools.lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    raw = [_parse_key(text) for text in keys]
    return Keyring(tuple((hashlib.sha256(key).digest()[:ID_BYTES], AESSIV(key)) for key in raw), tuple(raw))


def keyring() -> Keyring:
    """The keys of the settings (read each time, so that tests may change them)."""
    keys = tuple(k for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or () if k.strip())
    if not keys:
        raise ImproperlyConfigured(MISSING)
    return _keyring(keys)


def keys_problem() -> str | None:
    """What is wrong with FIELD_ENCRYPTION_KEYS, or None (for the start-up check)."""
    try:
        keyring()
    except ImproperlyConfigured as error:
        return str(error)
    return None


def encrypt(value: str | None) -> str | None:
    return value if not value else keyring().encrypt(value)


def decrypt(value: str | None) -> str | None:
    return value if not value else keyring().decrypt(value)


if TYPE_CHECKING:
    _CharField = models.CharField[Any, Any]
    _Lookup = Lookup[bool]
else:  # subscripted at run time only once django_stubs_ext has patched it, which settings do later
    _CharField = models.CharField
    _Lookup = Lookup


class EncryptedCharField(_CharField):
    """A CharField whose values are stored encrypted (see the module). The column is text: a token is
    longer than the text (`max_length` still limits what people type). Lookups: exact, in, isnull."""

    LOOKUPS = ("exact", "in", "isnull")

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: object, connection: BaseDatabaseWrapper) -> str | None:
        return decrypt(value)

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> str | None:
        value = super().get_db_prep_value(value, connection, prepared)
        return encrypt(value)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name not in self.LOOKUPS:
            return None  # Django then raises FieldError: "Unsupported lookup … for EncryptedCharField"
        return super().get_lookup(lookup_name)


def _candidates(value: object) -> list[str]:
    text = str(value)
    return [""] if text == "" else keyring().tokens(text)


class _EncryptedLookup(_Lookup):
    prepare_rhs = False

    def values(self) -> Iterable[object]:
        raise NotImplementedError

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        if hasattr(self.rhs, "resolve_expression"):
            raise NotSupportedError("An encrypted field is compared with values, not with other columns.")
        lhs, params = self.process_lhs(compiler, connection)
        tokens = [token for value in self.values() if value is not None for token in _candidates(value)]
        if not tokens:
            raise EmptyResultSet
        placeholders = ", ".join(["%s"] * len(tokens))
        return f"{lhs} IN ({placeholders})", (*params, *tokens)


@EncryptedCharField.register_lookup
class EncryptedExact(_EncryptedLookup):
    """`field = value`: the value's token under each key (a row written before a rotation matches too)."""

    lookup_name = "exact"

    def values(self) -> Iterable[object]:
        return [self.rhs]


@EncryptedCharField.register_lookup
class EncryptedIn(_EncryptedLookup):
    lookup_name = "in"

    def values(self) -> Iterable[object]:
        return list(self.rhs)


def _target(model: type[models.Model] | None, lookup: str) -> models.Field[Any, Any] | ForeignObjectRel | None:
    field = None
    for part in lookup.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(model._meta.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    return field


def encrypted_positions(model: type[models.Model], lookups: Sequence[str]) -> tuple[int, ...]:
    """Which of `.values_list(*lookups)` are encrypted: code that reads rows straight from a database
    cursor (no ORM converters) decrypts these with `decrypted_rows`. Worked out once per model and
    lookups (every API page asks)."""
    return _encrypted_positions(model, tuple(lookups))


@functools.lru_cache(maxsize=256)
def _encrypted_positions(model: type[models.Model], lookups: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(n for n, lookup in enumerate(lookups) if isinstance(_target(model, lookup), EncryptedCharField))


def decrypted_rows(rows: Iterable[Sequence[Any]], positions: tuple[int, ...]) -> Iterator[Sequence[Any]]:
    if not positions:
        yield from rows
        return
    keys = keyring()  # once: reading the settings for every value cost more than decrypting it
    for row in rows:
        row = list(row)
        for n in positions:
            if row[n]:
                row[n] = keys.decrypt(row[n])
        yield tuple(row)


def rewrite_column(
    connection: BaseDatabaseWrapper,
    table: str,
    pk: str,
    column: str,
    change: Callable[[str], str | None],
    *,
    chunk: int = 2000,
) -> int:
    """Rewrite every non-empty value of `table.column` as `change(value)` returns it (None: leave it),
    with plain SQL: for migrations (whose models may not match the table) and key rotation. Walks the
    table in primary-key order, `chunk` rows a statement. Returns the values changed."""
    quote = connection.ops.quote_name
    # Quoted names of our own tables and columns; the values go as parameters.
    where = f"{quote(pk)} > %s AND {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
    order = f"ORDER BY {quote(pk)} LIMIT {int(chunk)}"
    select = f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} WHERE {where} {order}"  # noqa: S608
    update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s"  # noqa: S608
    changed, last = 0, -1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                return changed
            updates = [(new, key) for key, value in rows if (new := change(value)) is not None and new != value]
            if updates:
                cursor.executemany(update, updates)
            changed += len(updates)
            last = rows[-1][0]


def encrypt_clear(value: str) -> str | None:
    """For a migration: encrypt a value still in clear (one already encrypted is left alone)."""
    return None if value.startswith(PREFIX) else keyring().encrypt(value)


def decrypt_to_clear(value: str) -> str | None:
    """For a migration's reverse: back to clear text."""
    return keyring().decrypt(value) if value.startswith(PREFIX) else None


def reencrypt(value: str) -> str | None:
    """For a key rotation: under the newest key, if not already."""
    ring = keyring()
    if value.startswith(PREFIX) and ring.key_id(value) == ring.current_id:
        return None
    return ring.encrypt(ring.decrypt(value) if value.startswith(PREFIX) else value)


def encrypted_columns() -> Iterator[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every encrypted column of the installed models, history tables included."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field


def migrate_columns(
    app_label: str, columns: Iterable[tuple[str, str]], change: Callable[[str], str | None]
) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    """A `RunPython` function that rewrites (model name, field name) columns of `app_label` with
    `change` (`encrypt_clear` forwards, `decrypt_to_clear` backwards). Plain SQL, so it runs on the
    table as it is, on SQLite and PostgreSQL alike."""

    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        from mission.sql import column_of

        for model_name, field_name in columns:
            model = apps.get_model(app_label, model_name)
            column = column_of(model, field_name)
            rewrite_column(
                schema_editor.connection, model._meta.db_table, column_of(model, model._meta.pk.name), column, change
            )

    return run


# Report files with names (mission/reports) are stored encrypted with the same keys: AES-256-GCM in
# chunks of 64 KiB (a file of any size streams in constant memory both ways), each chunk's nonce made of
# a random prefix per file, the chunk's number and whether it is the last, so that chunks cannot be
# reordered, dropped or cut off unnoticed. The file key is derived from the first field key (HKDF).
FILE_MAGIC = b"MPF1"
FILE_CHUNK = 64 * 1024
_TAG = 16
_PREFIX_BYTES = 7


@functools.lru_cache(maxsize=8)
def _file_cipher(key: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"mission report files").derive(key)
    return AESGCM(derived)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def encrypt_file(source: BinaryIO, target: BinaryIO) -> None:
    """Write `source` to `target` encrypted under the first of FIELD_ENCRYPTION_KEYS."""
    ring = keyring()
    key_id, key = ring.current_id, ring.keys[0]
    prefix = os.urandom(_PREFIX_BYTES)
    header = FILE_MAGIC + key_id + prefix
    cipher = _file_cipher(key)
    target.write(header)
    current, counter = source.read(FILE_CHUNK), 0
    while True:
        following = source.read(FILE_CHUNK)
        last = not following
        target.write(cipher.encrypt(_nonce(prefix, counter, last), current, header))
        if last:
            return
        current, counter = following, counter + 1


class DecryptingReader(io.RawIOBase):
    """The clear bytes of a file written by `encrypt_file`, read as it streams (for a download).
    Raises DecryptionError on a file changed, cut off or made under a key no longer listed."""

    def __init__(self, raw: IO[bytes], header: bytes) -> None:
        super().__init__()
        self.raw, self.header, self.buffer = raw, header, b""
        key_id, self.prefix = header[len(FILE_MAGIC) : len(FILE_MAGIC) + ID_BYTES], header[-_PREFIX_BYTES:]
        ring = keyring()
        keys = [key for (known, _cipher), key in zip(ring.ciphers, ring.keys, strict=True) if known == key_id]
        if not keys:
            raise DecryptionError("A report file was encrypted with a key that is not in FIELD_ENCRYPTION_KEYS.")
        self.cipher = _file_cipher(keys[0])
        self.chunks = self._chunks()

    def _chunks(self) -> Iterator[bytes]:
        current, counter = self.raw.read(FILE_CHUNK + _TAG), 0
        while True:
            following = self.raw.read(FILE_CHUNK + _TAG)
            last = not following
            try:
                yield self.cipher.decrypt(_nonce(self.prefix, counter, last), current, self.header)
            except InvalidTag:
                raise DecryptionError("A report file is damaged or incomplete.") from None
            if last:
                return
            current, counter = following, counter + 1

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if size < 0:
            size = len(self.buffer)
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    def readall(self) -> bytes:
        return self.read(-1)

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_clear(raw: IO[bytes]) -> IO[bytes] | DecryptingReader:
    """`raw` (opened for reading bytes) as clear bytes: decrypted if `encrypt_file` wrote it, else as it is."""
    header = raw.read(len(FILE_MAGIC) + ID_BYTES + _PREFIX_BYTES)
    if header.startswith(FILE_MAGIC) and len(header) == len(FILE_MAGIC) + ID_BYTES + _PREFIX_BYTES:
        return DecryptingReader(raw, header)
    raw.seek(0)
    return raw
