"""The sessions a user is signed in with: listed on their security page, ended by them ("sign out
everywhere") or by an administrator (someone leaves the mission, a device is lost).

A `UserSession` row is made when someone signs in (Django's `user_logged_in` signal, whichever way
they signed in) and removed when they sign out. Ending a session deletes its row of Django's session
table, so the next request with its cookie is anonymous."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from mission.accounts.models import SecurityEvent, SecurityEventKind, User, UserSession

USER_AGENT_LENGTH = 300


def _track(request: HttpRequest, user: User) -> None:
    key = request.session.session_key
    if not key:  # a session not saved yet has no key: save it to get one
        request.session.save()
        key = request.session.session_key
    agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
    UserSession.objects.update_or_create(session_key=key, defaults={"user": user, "user_agent": agent})


@receiver(user_logged_in, dispatch_uid="mission.accounts.user_sessions.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        _track(request, user)


@receiver(user_logged_out, dispatch_uid="mission.accounts.user_sessions.signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def active_sessions(user: User, request: HttpRequest | None = None) -> list[UserSession]:
    """The user's sessions that have not expired, newest first; rows of expired sessions are dropped.
    With `request`, its own session is listed even if it was renewed since sign-in (a password change
    gives the session a new key)."""
    own = request.session.session_key if request is not None and request.user.pk == user.pk else None
    if request is not None and own and not UserSession.objects.filter(session_key=own).exists():
        _track(request, user)
    rows = list(UserSession.objects.filter(user=user).order_by("-created_at", "-pk"))
    sessions = Session.objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now())
    live = set(sessions.values_list("session_key", flat=True))
    gone = [r.pk for r in rows if r.session_key not in live]
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    return [r for r in rows if r.session_key in live]


@transaction.atomic
def sessions_end(*, actor: User, user: User, keep: str | None = None, note: str = "") -> int:
    """End the user's sessions but `keep` (a session key, the actor's own when they sign out elsewhere);
    returns how many ended, and writes a `SecurityEvent` when any did (or when an administrator asked)."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    ended = Session.objects.filter(session_key__in=keys).delete()[0] if keys else 0
    rows.delete()
    if ended or actor.pk != user.pk:
        SecurityEvent.objects.create(user=user, actor=actor, kind=SecurityEventKind.SESSIONS_ENDED, note=note[:200])
    return ended
