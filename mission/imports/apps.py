from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Spreadsheet imports that update in place: a file read, checked row by row against the model (a
    dry run that says what would be created, changed, left or refused, per row and cell), then applied
    all at once. Departments declare what a file may update (`mission.imports.services.ImportSpec`)."""

    name = "mission.imports"
    label = "imports"
    verbose_name = _("Imports")
