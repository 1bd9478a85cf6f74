"""Backups and their proof (docs/deployment.md, "Backups").

A backup is three files in one folder, named by the time it was made:
- `mission-<time>.dump`: the database in pg_dump's custom format (compressed, restorable table by
  table with pg_restore; on the embedded default, SQLite's own online copy, `.sqlite3`);
- `mission-<time>-media.tar.gz`: the uploaded and generated files (MEDIA_ROOT: report files, which
  are encrypted); empty when the files are in an S3 bucket (STORAGE_S3_BUCKET), which the manifest
  names and the bucket's versioning and replication keep;
- `mission-<time>.json`: the manifest: what was backed up, each file's size and SHA-256, every
  table's row count and checksum, and where the encryption keys live. The keys themselves
  (FIELD_ENCRYPTION_KEYS) are never in a backup: without them the restricted values and report files
  of a restored database cannot be read, so they are kept apart (a secrets store), and a backup is
  useless to whoever steals it alone.

`fingerprint` is how a restore is proved: per table, the number of rows and a checksum of their
contents (independent of row order), compared between the source and the restored database.
"""

import datetime
import hashlib
import json
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

KEY_LOCATION = (
    "FIELD_ENCRYPTION_KEYS (environment of the web processes and workers): not in this backup; "
    "restore it from the secrets store, or the restricted values and report files stay unreadable"
)


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    manifest: Path
    database: Path
    media: Path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for a connection's settings: no password on a command line (`ps` shows it)."""
    import os

    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _program(name: str) -> str:
    """The PostgreSQL client program's full path (PostgreSQL's client package installs it)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: the postgresql-client package)")
    return path


def fingerprint(connection: BaseDatabaseWrapper) -> dict[str, tuple[int, str]]:
    """Every table's (rows, checksum): the MD5 of the sorted MD5s of its rows' text, so the same rows
    in another physical order give the same checksum."""
    result: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "  # noqa: S608 (a quoted name)
                    f"FROM (SELECT md5(t::text) AS h FROM {quoted} AS t) AS rows"
                )
                count, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (a quoted name)
                hashes = sorted(hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest() for row in cursor)
                count = len(hashes)
                checksum = hashlib.md5("".join(hashes).encode(), usedforsecurity=False).hexdigest()
            result[table] = (int(count), str(checksum))
    return result


def backup_create(folder: Path, *, using: str = "default", now: datetime.datetime | None = None) -> Backup:
    """Back up the database `using` and MEDIA_ROOT into `folder`; returns the files made, readable by
    the portal's own user only (they hold every record)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%dT%H%M%SZ")
    connection = connections[using]
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        database = folder / f"mission-{stamp}.dump"
        subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            [_program("pg_dump"), "--format=custom", "--no-owner", f"--file={database}", str(settings_dict["NAME"])],
            env=_pg_env(settings_dict),
            check=True,
        )
    elif connection.vendor == "sqlite":
        database = folder / f"mission-{stamp}.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(str(database))
        with target:
            connection.connection.backup(target)  # SQLite's online copy: consistent while the portal writes
        target.close()
    else:
        raise NotImplementedError(f"no backup for the {connection.vendor} database")
    media = folder / f"mission-{stamp}-media.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    files_in = files_location()
    with tarfile.open(media, "w:gz") as archive:
        if media_root.exists() and files_in == "MEDIA_ROOT":  # in a bucket, MEDIA_ROOT is only scratch
            archive.add(media_root, arcname=".")
    manifest = folder / f"mission-{stamp}.json"
    content = {
        "made_at": stamp,
        "database": {
            "file": database.name,
            "vendor": connection.vendor,
            "bytes": database.stat().st_size,
            "sha256": _sha256(database),
        },
        "media": {"file": media.name, "bytes": media.stat().st_size, "sha256": _sha256(media), "files_in": files_in},
        "tables": {
            table: {"rows": rows, "checksum": checksum} for table, (rows, checksum) in fingerprint(connection).items()
        },
        "encryption_keys": KEY_LOCATION,
    }
    manifest.write_text(json.dumps(content, indent=2), encoding="utf-8")
    for path in (database, media, manifest):
        path.chmod(0o600)
    return Backup(manifest=manifest, database=database, media=media)


def files_location() -> str:
    """Where the portal keeps its files: "MEDIA_ROOT", or the S3 bucket (`s3://bucket/prefix`), which
    the bucket's own versioning and replication back up, not this archive."""
    if not settings.STORAGE_S3_BUCKET:
        return "MEDIA_ROOT"
    options: dict[str, Any] = dict(settings.STORAGES["default"].get("OPTIONS", {}))
    prefix = options.get("location", "")
    return f"s3://{settings.STORAGE_S3_BUCKET}/{prefix}".rstrip("/")


def _check_files(manifest: Path) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    for part in ("database", "media"):
        path = manifest.parent / content[part]["file"]
        if not path.exists():
            raise BackupError(f"{path.name} is missing")
        if _sha256(path) != content[part]["sha256"]:
            raise BackupError(f"{path.name} does not match its checksum in the manifest: damaged or replaced")
    return content


def backup_restore(
    manifest: Path, *, connection: BaseDatabaseWrapper, media_root: Path | None = None
) -> dict[str, Any]:
    """Restore a backup into the database of `connection`, which must be empty (a restore never overwrites a
    database that holds tables), and its files into `media_root` if given. Checks the files against
    the manifest first; returns the manifest."""
    content = _check_files(manifest)
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError(f"the database {connection.settings_dict['NAME']} is not empty: restore into a new one")
    database = manifest.parent / content["database"]["file"]
    if content["database"]["vendor"] != connection.vendor:
        raise BackupError(f"a {content['database']['vendor']} backup cannot be restored into {connection.vendor}")
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            [
                _program("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database),
            ],
            env=_pg_env(connection.settings_dict),
            check=True,
        )
    else:
        connection.close()
        shutil.copyfile(database, str(connection.settings_dict["NAME"]))
    if media_root is not None:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(manifest.parent / content["media"]["file"], "r:gz") as archive:
            archive.extractall(media_root, filter="data")  # "data": no absolute paths, links out or devices
    return content


def differences(expected: dict[str, Any], restored: dict[str, tuple[int, str]]) -> list[str]:
    """What differs between a manifest's tables and a restored database's fingerprint."""
    found = []
    for table in sorted(set(expected) | set(restored)):
        if table not in restored:
            found.append(f"{table}: missing from the restored database")
        elif table not in expected:
            found.append(f"{table}: not in the backup")
        elif (expected[table]["rows"], expected[table]["checksum"]) != restored[table]:
            rows = f"{expected[table]['rows']} rows backed up, {restored[table][0]} restored"
            found.append(f"{table}: {rows}, or their contents differ")
    return found


def open_database(settings_dict: dict[str, Any], alias: str) -> BaseDatabaseWrapper:
    """A connection of its own to another database (not one of DATABASES): a restore's target."""
    from django.db.utils import load_backend

    backend = load_backend(settings_dict["ENGINE"])
    wrapper: BaseDatabaseWrapper = backend.DatabaseWrapper({**settings_dict, "TEST": {}}, alias)
    return wrapper


def database_at(url: str) -> BaseDatabaseWrapper:
    """A connection to the database at `url`, with the default connection's other options."""
    import environ

    return open_database({**connections["default"].settings_dict, **environ.Env.db_url_config(url)}, "restore")


def drill_database(using: str = "default") -> tuple[BaseDatabaseWrapper, str]:
    """A new, empty database beside `using`'s, for a restore drill: (its connection, its name)."""
    import os
    import tempfile

    source = connections[using]
    if source.vendor == "postgresql":
        name = f"{source.settings_dict['NAME']}_drill_{secrets.token_hex(4)}"
        with source.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {source.ops.quote_name(name)}")
            cursor.execute(f"CREATE DATABASE {source.ops.quote_name(name)}")
    else:
        handle, name = tempfile.mkstemp(suffix="-drill.sqlite3")
        os.close(handle)
        Path(name).unlink()
    return open_database({**source.settings_dict, "NAME": name}, "drill"), name


def drill_database_drop(target: BaseDatabaseWrapper, name: str, using: str = "default") -> None:
    target.close()
    source = connections[using]
    if source.vendor == "postgresql":
        with source.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {source.ops.quote_name(name)}")
    else:
        Path(name).unlink(missing_ok=True)
