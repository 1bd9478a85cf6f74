from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mission.backups.services import BackupError, backup_restore, database_at, differences, fingerprint


class Command(BaseCommand):
    help = "Restore a backup (its manifest) into an empty database, then compare every table with the manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("manifest", type=Path, help="The backup's mission-<time>.json.")
        parser.add_argument("--database-url", required=True, help="The empty database to restore into.")
        parser.add_argument("--media-root", type=Path, default=None, help="Where to unpack the files.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = database_at(options["database_url"])
        try:
            content = backup_restore(options["manifest"], connection=target, media_root=options["media_root"])
            found = differences(content["tables"], fingerprint(target))
        except BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            target.close()
        if found:
            raise CommandError("The restored database differs from the backup:\n" + "\n".join(found))
        self.stdout.write(f"Restored and checked: {len(content['tables'])} tables match the manifest.")
