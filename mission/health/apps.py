from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "mission.health"
    label = "health"
    verbose_name = _("Health checks")

    def ready(self) -> None:
        from mission.health import signals  # noqa: F401 (beat's sign of life)
