from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """Human Rights & Communities: trial monitoring (courts, cases, hearings, observations, flags)."""

    name = "rights"
    verbose_name = _("Human Rights & Communities")
