"""My week (every department's events for the signed-in person) and its iCalendar feed."""

from __future__ import annotations

import datetime

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import Capability, require_capability
from mission.calendars.models import CalendarFeed
from mission.calendars.registry import CalendarEvent, events_for
from mission.calendars.services import calendar_feed_create, calendar_feed_revoke, calendar_feed_user
from mission.calendars.weeks import week_of

FEED_PAST = datetime.timedelta(days=30)
FEED_AHEAD = datetime.timedelta(days=180)
NEW_LINK = "calendar_feed_link"  # the session key that carries a new link to the one page that shows it


def week_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD)
    week = week_of(request)
    events = events_for(request.user, week["monday"], week["sunday"])
    by_day: dict[datetime.date, list[CalendarEvent]] = {day: [] for day in week["days"]}
    for event in events:
        by_day.setdefault(timezone.localtime(event.start).date(), []).append(event)
    context = {
        "week": week,
        "days": list(by_day.items()),
        "empty": not events,
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
        "new_link": request.session.pop(NEW_LINK, ""),
    }
    return render(request, "calendars/week.html", context)


@require_POST
def feed_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD)
    token = calendar_feed_create(actor=request.user)
    request.session[NEW_LINK] = request.build_absolute_uri(reverse("calendars:feed", args=[token]))
    messages.success(request, _("Your calendar link is ready. Copy it now: it is shown only once."))
    return redirect("calendars:week")


@require_POST
def feed_revoke_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD)
    if calendar_feed_revoke(actor=request.user):
        messages.success(request, _("The calendar link no longer works. Calendars subscribed to it stop updating."))
    return redirect("calendars:week")


@login_not_required  # the secret in the link is the credential: a phone's calendar cannot sign in
@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    events = events_for(user, today - FEED_PAST, today + FEED_AHEAD)
    response = HttpResponse(
        ical(events, base=request.build_absolute_uri("/")), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="mission-portal.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def ical(events: list[CalendarEvent], *, base: str) -> bytes:
    """The events as an iCalendar file (RFC 5545), times in UTC."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mission Portal//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Mission Portal")
    stamp = timezone.now().astimezone(datetime.UTC)
    for found in events:
        event = icalendar.Event()
        event.add("uid", found.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", found.start.astimezone(datetime.UTC))
        event.add("dtend", found.end.astimezone(datetime.UTC))
        event.add("summary", found.title)
        if found.location:
            event.add("location", found.location)
        if found.url:
            event.add("url", base.rstrip("/") + found.url)
        if found.warnings:
            event.add("description", "\n".join(found.warnings))
        event.add("status", "CANCELLED" if found.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
