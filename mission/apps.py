from django.contrib.admin.apps import AdminConfig


class MissionAdminConfig(AdminConfig):
    """The Django admin, restricted to administrators (see `mission.admin_site`)."""

    default_site = "mission.admin_site.MissionAdminSite"

    def ready(self) -> None:
        super().ready()
        from mission import sensitivity, startup  # noqa: F401 (register their checks)
