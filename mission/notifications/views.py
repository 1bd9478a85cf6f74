"""A person's notifications: the list (newest first, unread marked), opening one, marking them read,
and how they want to hear of them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mission.accounts.http import AuthenticatedHttpRequest
from mission.notifications.forms import NotificationSettingsForm
from mission.notifications.models import Notification, NotificationKind
from mission.notifications.services import notification_settings_save, notifications_read, settings_of, text_of
from mission.pages import page_of

PAGE_SIZE = 25


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, Notification.objects.filter(user=request.user), PAGE_SIZE)
    rows = [(n, text_of(n)) for n in page.object_list]
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "notifications/list.html", {"page": page, "rows": rows, "unread": unread})


def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it leads (a page of the portal only)."""
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    ours = target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if ours else "notifications:list")


@require_POST
def notifications_read_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = notifications_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = settings_of(request.user)
    initial = {
        "email": current.email,
        "mailed": [k for k in NotificationKind.values if k not in (current.muted or [])],
        "language": current.language if current.pk else get_language(),
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_save(
            actor=request.user,
            email=form.cleaned_data["email"],
            muted=[k for k in NotificationKind.values if k not in form.cleaned_data["mailed"]],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:list")
    has_email = bool(request.user.email)
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/settings.html", {"form": form, "has_email": has_email}, status=status)
