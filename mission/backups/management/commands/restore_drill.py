import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mission.backups.services import (
    backup_create,
    backup_restore,
    differences,
    drill_database,
    drill_database_drop,
    fingerprint,
)


class Command(BaseCommand):
    help = (
        "The restore drill: back up this database, restore it into a new one, and compare the row count "
        "and checksum of every table. Fails if anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep", action="store_true", help="Keep the drill's database and files.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(tempfile.mkdtemp(prefix="mission-drill-"))
        try:
            self._drill(folder, keep=options["keep"])
        finally:
            if not options["keep"]:  # the dump holds every record: never left behind, even by a failure
                shutil.rmtree(folder, ignore_errors=True)

    def _drill(self, folder: Path, *, keep: bool) -> None:
        started = time.monotonic()
        made = backup_create(folder)
        backed_up = time.monotonic()
        target, name = drill_database()
        try:
            content = backup_restore(made.manifest, connection=target, media_root=folder / "media")
            restored = time.monotonic()
            found = differences(content["tables"], fingerprint(target))
        finally:
            if keep:
                target.close()
            else:
                drill_database_drop(target, name)
        rows = sum(table["rows"] for table in content["tables"].values())
        self.stdout.write(
            f"Backed up in {backed_up - started:.1f} s, restored in {restored - backed_up:.1f} s: "
            f"{len(content['tables'])} tables, {rows} rows."
        )
        if found:
            raise CommandError("The restored database differs from the backup:\n" + "\n".join(found))
        self.stdout.write("Every table's rows and checksum match.")
        if keep:
            self.stdout.write(f"Kept: {folder} and the database {name}.")
