from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldOfficesConfig(AppConfig):
    name = "field_offices"
    verbose_name = _("Field offices and geography")
