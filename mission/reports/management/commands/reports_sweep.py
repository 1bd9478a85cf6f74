from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mission.reports.services import reports_cleanup, reports_sweep


class Command(BaseCommand):
    help = (
        "Queue again the reports that never started (the broker was away) and recover those whose worker "
        "died; with --cleanup also remove files past REPORTS_RETENTION_DAYS. For cron or a systemd timer: "
        "it works when Celery beat cannot (beat needs the broker too)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cleanup", action="store_true", help="also remove old report files")

    def handle(self, *args: Any, cleanup: bool, **options: Any) -> None:
        counts = reports_sweep()
        self.stdout.write(f"requeued {counts['requeued']}, recovered {counts['recovered']}, failed {counts['failed']}")
        if cleanup:
            self.stdout.write(f"removed {reports_cleanup()} old report files")
