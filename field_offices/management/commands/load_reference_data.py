from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from mission.choices import reference_changed


class Command(BaseCommand):
    help = (
        "Load the reference data of every app (geography first, then each department's). Safe to run again: "
        "it only writes what changed."
    )

    def handle(self, *args, **options) -> None:
        # Apps offer their loader as AppConfig.load_reference_data() (a department's DepartmentConfig reads
        # its `reference_data` declaration, None when it has none); the geography never imports a department.
        with transaction.atomic():
            for config in apps.get_app_configs():
                loader = getattr(config, "load_reference_data", None)
                loaded = loader() if loader is not None else None
                if loaded is None:
                    continue
                for line in loaded.lines():
                    self.stdout.write(f"{config.label}: {line}")
        # Bulk writes send no save signals: every process builds its option lists again.
        reference_changed()
