from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldOfficesConfig(AppConfig):
    name = "field_offices"
    verbose_name = _("Field offices and geography")

    def ready(self) -> None:
        from field_offices.imports import FIELD_TEAMS, INSTITUTIONS
        from mission.imports.flows import register_target

        register_target(FIELD_TEAMS)
        register_target(INSTITUTIONS)

    def load_reference_data(self):
        """Called by `manage.py load_reference_data`, first, since other apps' data refers to it."""
        from field_offices.services import reference_data_load

        return reference_data_load()
