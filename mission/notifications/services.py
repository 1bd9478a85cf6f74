"""Notifying people: the rows, the e-mails (at once or in the morning digest), in the reader's
language, enqueued after the commit. Messages carry coded values only (a kind of record, a time, a
court): never a name, never free text, so that nothing personal reaches a mailbox or a task's message."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mission.accounts.models import User
from mission.accounts.permissions import ROLE_CAPABILITIES, Capability, department_of, region_of
from mission.accounts.roles import Role
from mission.common import language_suffix
from mission.notifications.models import EmailMode, Notification, NotificationKind, NotificationSettings

# Record model label → the URL name of its page (one argument, its pk): declared records and the
# departments' own (`DepartmentConfig.detail_pages`).
PAGES: dict[str, str] = {}
# Morning reminders (`DepartmentConfig.reminders`): dotted paths of functions (today) -> int.
REMINDERS: list[str] = []


def page_of(record: models.Model) -> str:
    name = PAGES.get(record._meta.label_lower)
    if name is None:
        return ""
    try:
        return reverse(name, args=[record.pk])
    except NoReverseMatch:
        return ""


def _shown(value: Any) -> str:
    """A parameter as the reader's language says it: a model label becomes its name; a value given per
    language ({"en": …, "sq": …, "sr": …}) the reader's."""
    if isinstance(value, dict):
        return str(value.get(language_suffix()) or value.get("en") or "")
    if isinstance(value, str) and value.startswith("model:"):
        try:
            return str(apps.get_model(value[6:])._meta.verbose_name)
        except LookupError:
            return ""
    return str(value)


MESSAGES: dict[str, Callable[[], str]] = {
    NotificationKind.RETURNED: lambda: _("Your %(record)s was returned to you for changes."),
    NotificationKind.APPROVED: lambda: _("Your %(record)s was approved."),
    NotificationKind.FLAG: lambda: _("A flag was raised on a %(record)s in your scope."),
    NotificationKind.INTERVENTION_DUE: lambda: _("An intervention you planned is due today: %(what)s."),
    NotificationKind.REPORT_READY: lambda: _("Your report “%(report)s” is ready to download."),
    NotificationKind.HEARING_TOMORROW: lambda: _("Tomorrow at %(time)s you are due at a hearing at %(court)s."),
}


def text_of(notification: Notification) -> str:
    """The notification in the active language."""
    values = {key: _shown(value) for key, value in (notification.params or {}).items()}
    try:
        return MESSAGES[notification.kind]() % values
    except (KeyError, TypeError, ValueError):
        return str(NotificationKind(notification.kind).label) if notification.kind in NotificationKind.values else ""


def settings_of(user: User) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


_quiet: list[bool] = []


@contextlib.contextmanager
def quietly() -> Iterator[None]:
    """Notifications written meanwhile are listed but never e-mailed (demo data: a past made up in one
    go, whose mailboxes are made up too)."""
    _quiet.append(True)
    try:
        yield
    finally:
        _quiet.pop()


def notify(users: Iterable[User], kind: str, *, url: str = "", **params: Any) -> list[Notification]:
    """One notification per active person; those who want e-mail at once get it after the commit."""
    people = {u.pk: u for u in users if u.is_active}.values()
    settled = timezone.now() if _quiet else None
    rows = [Notification(user=u, kind=kind, url=url[:300], params=params, mailed_at=settled) for u in people]
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    if _quiet:
        return rows
    ids = [row.pk for row in rows]  # PostgreSQL and SQLite return the new rows' ids

    def mail() -> None:
        from mission.notifications.tasks import notifications_mail

        notifications_mail.delay(ids)

    transaction.on_commit(mail)
    return rows


def _send(user: User, subject: str, lines: list[str]) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body="\n\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.send()


def _line(notification: Notification, base: str) -> str:
    link = f"\n{base.rstrip('/')}{notification.url}" if notification.url else ""
    return text_of(notification) + link


def notifications_mail_now(ids: list[int]) -> int:
    """E-mail each of these notifications whose reader wants e-mail at once and has an address; mark
    them mailed. Returns how many e-mails went."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids, mailed_at__isnull=True).select_related("user"):
        user = notification.user
        chosen = settings_of(user)
        if chosen.email != EmailMode.IMMEDIATE or not chosen.mails(notification.kind) or not user.email:
            continue
        with translation.override(chosen.language):
            subject = _("Mission Portal: %(what)s") % {"what": text_of(notification)}
            _send(user, subject, [_line(notification, settings.PORTAL_BASE_URL)])
        Notification.objects.filter(pk=notification.pk).update(mailed_at=timezone.now())
        sent += 1
    return sent


def notifications_digest(now: datetime.datetime | None = None) -> int:
    """The morning digest: for each person who chose it, one e-mail with what came since the last one."""
    now = now or timezone.now()
    sent = 0
    chosen = NotificationSettings.objects.filter(email=EmailMode.DAILY).select_related("user")
    for preference in chosen:
        user = preference.user
        waiting = list(
            Notification.objects.filter(user=user, mailed_at__isnull=True, created_at__lte=now).order_by("created_at")
        )
        wanted = [n for n in waiting if preference.mails(n.kind)]
        if wanted and user.email and user.is_active:
            with translation.override(preference.language):
                lines = [_line(n, settings.PORTAL_BASE_URL) for n in wanted]
                subject = _("Mission Portal: your day's notifications (%(count)s)") % {"count": len(wanted)}
                _send(user, subject, lines)
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(mailed_at=now)  # muted ones too: settled
    return sent


def notifications_morning(today: datetime.date | None = None) -> dict[str, int]:
    """The departments' reminders for the day, then the digests (beat, every morning)."""
    today = today or timezone.localdate()
    done = {path: import_string(path)(today) for path in REMINDERS}
    done["digests"] = notifications_digest()
    return done


def follow_up_staff(record: models.Model) -> list[User]:
    """Who follows up flags on `record`: its department's staff with that capability whose scope
    covers its region (supervisors of the region, the head everywhere)."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.FOLLOW_UP in capabilities]
    staff = User.objects.filter(is_active=True, department=department_of(record), role__in=roles).defer("password")
    region_id = region_of(record)
    return [u for u in staff if u.role == Role.DEPARTMENT_HEAD or u.region_id == region_id]


@transaction.atomic
def notifications_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read: these, or all."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_settings_save(*, actor: User, email: str, muted: list[str], language: str) -> NotificationSettings:
    preference, _created = NotificationSettings.objects.update_or_create(
        user=actor, defaults={"email": email, "muted": sorted(set(muted)), "language": language}
    )
    return preference
