from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from mission.backups.services import backup_create, files_location


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and MEDIA_ROOT into a folder, with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="The folder (default: BACKUP_DIR).")

    def handle(self, *args: Any, **options: Any) -> None:
        made = backup_create(options["to"] or Path(settings.BACKUP_DIR))
        for path in (made.database, made.media, made.manifest):
            self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
        if files_location() != "MEDIA_ROOT":
            self.stdout.write(f"The files are in {files_location()}: its versioning and replication back them up.")
        self.stdout.write("The encryption keys are not in the backup: keep FIELD_ENCRYPTION_KEYS apart.")
