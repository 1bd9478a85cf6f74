"""A notification to one person, and how they want to hear of them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.common import BaseModel


class NotificationKind(models.TextChoices):
    RETURNED = "returned", _("Something I submitted was returned to me")
    APPROVED = "approved", _("Something I submitted was approved")
    FLAG = "flag", _("A flag was raised in my region and department")
    INTERVENTION_DUE = "intervention_due", _("An intervention I planned is due")
    REPORT_READY = "report_ready", _("A report I asked for is ready")
    HEARING_TOMORROW = "hearing_tomorrow", _("A hearing I am sent to is tomorrow")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one e-mail each")
    DAILY = "daily", _("Once a day, a digest in the morning")
    NONE = "none", _("No e-mail: in the portal only")


class Notification(BaseModel):
    """What happened, said in the reader's language when shown or mailed: `kind` and coded `params`
    (a record's kind, a date, a court), never a name or free text. `url` leads to it in the portal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["mailed_at", "user"], name="notification_unmailed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id}"


class NotificationSettings(BaseModel):
    """A person's choice; without a row, e-mail at once for every kind, in English."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.CharField(_("e-mail"), max_length=20, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    muted = models.JSONField(_("kinds not e-mailed"), default=list, blank=True)  # NotificationKind values
    language = models.CharField(_("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default="en")

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"notification settings of user {self.user_id}"

    def mails(self, kind: str) -> bool:
        return self.email != EmailMode.NONE and kind not in (self.muted or [])
