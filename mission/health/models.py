from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of a background process: Celery beat (it sent a scheduled task) and the
    workers (one ran the heartbeat task). Read by `/readyz/` (`mission.health.checks`)."""

    name = models.CharField(_("process"), max_length=30, unique=True)
    at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
