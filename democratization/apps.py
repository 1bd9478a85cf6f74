from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocratizationConfig(AppConfig):
    """Democratization: journalist safety, election recommendations, municipal governance, participation."""

    name = "democratization"
    verbose_name = _("Democratization")
