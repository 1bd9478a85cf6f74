from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Spreadsheet imports that update in place: a file read, checked row by row against the model (a
    dry run that says what would be created, changed, left or refused, per row and cell), then applied
    all at once, a long file by a job. Apps declare what a file may update (`mission.imports.flows`)."""

    name = "mission.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from mission import navigation
        from mission.accounts.permissions import Capability

        navigation.register(
            navigation.NavSection(
                label=_("Reference data"),
                order=85,
                items=(navigation.NavItem(_("Imports"), "imports:index", Capability.ADMINISTER),),
            )
        )
