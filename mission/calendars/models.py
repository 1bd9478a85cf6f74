"""A person's calendar feed: the link their phone's calendar subscribes to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.common import BaseModel


class CalendarFeed(BaseModel):
    """One live link per person. Only a hash of its secret is kept (like a password): the link is shown
    once, when it is made; making a new one or revoking it ends the old one at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last read by a calendar"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of user {self.user_id}"
