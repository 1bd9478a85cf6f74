from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldOfficesConfig(AppConfig):
    name = "field_offices"
    verbose_name = _("Field offices and geography")

    def load_reference_data(self):
        """Called by `manage.py load_reference_data`, first, since other apps' data refers to it."""
        from field_offices.services import reference_data_load

        return reference_data_load()
