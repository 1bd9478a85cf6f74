"""The calendar feed's link: made, replaced, revoked, and found from the secret a calendar sends."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from mission.accounts.models import User
from mission.calendars.models import CalendarFeed

TOUCH_EVERY = datetime.timedelta(hours=1)  # a calendar polls often: write "last read" at most hourly


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """A new secret for the person's feed, replacing any earlier one (which stops working at once).
    Returned once: only its hash is kept."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=actor, defaults={"token_hash": _hash(token), "last_used_at": None})
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> bool:
    """End the person's feed link; whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=actor).delete()
    return deleted > 0


def calendar_feed_user(token: str) -> User | None:
    """The active person whose feed this secret opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > TOUCH_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
