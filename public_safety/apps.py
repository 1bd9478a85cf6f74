from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicSafetyConfig(AppConfig):
    """Security & Public Safety: trainings, community safety forums, hate-crime response, women in police."""

    name = "public_safety"
    verbose_name = _("Security & Public Safety")
