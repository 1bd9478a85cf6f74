"""API tokens (stored hashed, shown once) and the log of every API request."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from mission.accounts.models import User


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the partner's system."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("datasets"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    # Read by django-simple-history on the next save(): who made the change and why. Services set them.
    _history_user: "User | None"
    _change_reason: str | None

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class ApiRequestLog(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests", verbose_name=_("token")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("endpoint"), max_length=500)
    query = models.CharField(_("query"), max_length=1000, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
