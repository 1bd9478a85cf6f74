from django.core.management.base import BaseCommand

from field_offices.services import reference_data_load


class Command(BaseCommand):
    help = "Load regions, districts, municipalities, field teams and communities. Safe to run again."

    def handle(self, *args, **options) -> None:
        report = reference_data_load()
        for line in report.lines():
            self.stdout.write(line)
