from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    """Files on records (court minutes, judgments, photos, sign-in sheets): checked from their content,
    kept through STORAGES["default"], handed out only through the permission layer. Departments name the
    models that take files (`DepartmentConfig.attachable`; declared records take them all); this app
    never imports a department."""

    name = "mission.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    def ready(self) -> None:
        from mission import retention
        from mission.attachments.services import purge_restricted_files

        retention.register(
            retention.Purge(
                "restricted_files",
                _("Restricted files on records"),
                "RETENTION_RESTRICTED_FILES_DAYS",
                purge_restricted_files,
            )
        )
