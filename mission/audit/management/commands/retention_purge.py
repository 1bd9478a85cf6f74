from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mission.retention import retention_purge


class Command(BaseCommand):
    help = "Purge or anonymise logs, history and names past their retention periods (RETENTION_* settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would go, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        done = retention_purge(dry_run=dry_run)
        verb = "would purge or anonymise" if dry_run else "purged or anonymised"
        for label, rows in done.items():
            self.stdout.write(f"{label}: {verb} {rows}")
        if not done:
            self.stdout.write("Every retention period is 0: nothing to do.")
