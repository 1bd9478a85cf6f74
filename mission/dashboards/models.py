from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryRefresh(models.Model):
    """When a department's summary tables were last rebuilt, so that every dashboard can say how fresh
    its figures are."""

    name = models.CharField(_("summary"), max_length=50, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")

    def __str__(self) -> str:
        return f"{self.name} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
