from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "mission.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from mission.api import datasets

        # The geography's endpoints (field_offices/api/), which the API mounts itself (mission/api/urls.py).
        datasets.register(datasets.Dataset("reference", _("Reference data: geography, courts, standards")))
