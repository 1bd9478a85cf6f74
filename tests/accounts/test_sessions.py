"""A user's signed-in sessions (mission/accounts/user_sessions.py): listed on their security page,
ended elsewhere or everywhere by them, and ended by an administrator, each recorded."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from mission.accounts.models import SecurityEvent, SecurityEventKind, UserSession
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def signed_in_with_password(username: str, agent: str):
    from django.test import Client

    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    return client.get(reverse("accounts:security")).status_code == 200


def test_the_page_lists_each_session_and_marks_this_one(monitor):
    laptop = signed_in_with_password("monitor", "Laptop browser")
    tablet = signed_in_with_password("monitor", "Tablet browser")
    page = laptop.get(reverse("accounts:security"))
    sessions = page.context["sessions"]
    assert {s.user_agent for s in sessions} == {"Laptop browser", "Tablet browser"}
    body = page.content.decode()
    assert "Tablet browser" in body
    assert "This session" in body
    assert signed_in(tablet)


def test_signing_out_removes_the_row_and_expired_sessions_are_not_listed(monitor):
    laptop = signed_in_with_password("monitor", "Laptop")
    tablet = signed_in_with_password("monitor", "Tablet")
    tablet.post(reverse("accounts:logout"))
    assert UserSession.objects.filter(user=monitor).count() == 1
    Session.objects.filter(session_key=laptop.session.session_key).update(expire_date="2000-01-01T00:00:00Z")
    other = signed_in_with_password("monitor", "Phone")
    assert [s.user_agent for s in other.get(reverse("accounts:security")).context["sessions"]] == ["Phone"]


def test_signing_out_everywhere_else_keeps_this_session(monitor):
    laptop = signed_in_with_password("monitor", "Laptop")
    tablet = signed_in_with_password("monitor", "Tablet")
    response = laptop.post(reverse("accounts:sessions_end"), {"scope": "others"})
    assert response["Location"] == reverse("accounts:security")
    assert signed_in(laptop)
    assert not signed_in(tablet)
    assert SecurityEvent.objects.filter(user=monitor, actor=monitor, kind=SecurityEventKind.SESSIONS_ENDED).exists()


def test_signing_out_everywhere_ends_this_session_too(monitor):
    laptop = signed_in_with_password("monitor", "Laptop")
    tablet = signed_in_with_password("monitor", "Tablet")
    response = laptop.post(reverse("accounts:sessions_end"), {"scope": "all"})
    assert response["Location"] == reverse("accounts:login")
    assert not signed_in(laptop)
    assert not signed_in(tablet)
    assert not UserSession.objects.filter(user=monitor).exists()


def test_a_bad_scope_or_a_get_changes_nothing(monitor):
    laptop = signed_in_with_password("monitor", "Laptop")
    tablet = signed_in_with_password("monitor", "Tablet")
    assert laptop.get(reverse("accounts:sessions_end")).status_code == 405
    laptop.post(reverse("accounts:sessions_end"), {"scope": "everything"})
    assert signed_in(laptop)
    assert signed_in(tablet)


def test_only_the_users_own_sessions_end(monitor, supervisor):
    own = signed_in_with_password("monitor", "Laptop")
    colleague = signed_in_with_password("supervisor", "Desk")
    own.post(reverse("accounts:sessions_end"), {"scope": "all"})
    assert signed_in(colleague)


def test_an_administrator_ends_a_users_sessions_after_confirming(monitor, administrator):
    tablet = signed_in_with_password("monitor", "Tablet")
    admin = client_for(administrator)
    changelist = reverse("admin:accounts_user_changelist")
    asked = admin.post(changelist, {"action": "end_sessions", "_selected_action": [monitor.pk]})
    assert "Yes, I am sure" in asked.content.decode()
    assert signed_in(tablet)
    admin.post(changelist, {"action": "end_sessions", "_selected_action": [monitor.pk], "confirmed": "yes"})
    assert not signed_in(tablet)
    event = SecurityEvent.objects.get(user=monitor, kind=SecurityEventKind.SESSIONS_ENDED)
    assert event.actor == administrator
    assert signed_in(admin)


def test_the_security_events_are_read_only_in_the_admin(monitor, administrator):
    SecurityEvent.objects.create(user=monitor, actor=administrator, kind=SecurityEventKind.SESSIONS_ENDED)
    admin = client_for(administrator)
    assert admin.get(reverse("admin:accounts_securityevent_changelist")).status_code == 200
    assert admin.get(reverse("admin:accounts_securityevent_add")).status_code == 403


def test_the_menu_links_the_page_for_staff(monitor):
    assert reverse("accounts:security") in client_for(monitor).get(reverse("home")).content.decode()
