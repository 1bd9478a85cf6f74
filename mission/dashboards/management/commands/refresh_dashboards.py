from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mission.dashboards import registry
from mission.dashboards.services import summaries_refresh


class Command(BaseCommand):
    help = "Rebuild the summary tables the dashboards read (what Celery beat does on a schedule)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "names", nargs="*", help=f"summaries to rebuild (default all: {', '.join(sorted(registry.summaries()))})"
        )

    def handle(self, *args: Any, names: list[str], **options: Any) -> None:
        unknown = set(names) - set(registry.summaries())
        if unknown:
            self.stderr.write(f"Unknown summaries: {', '.join(sorted(unknown))}")
            raise SystemExit(2)
        for record in summaries_refresh(names=names or None):
            self.stdout.write(f"{record.name}: {record.rows} rows in {record.duration_ms} ms")
