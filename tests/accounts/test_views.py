import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from mission.accounts.models import User
from mission.accounts.roles import Department
from tests.conftest import PASSWORD, client_for, page_link
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_staff_sign_in_and_land_on_the_home_page(monitor):
    client = client_for(None)
    response = _login(client, "monitor")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert "Field team" in home.content.decode()


def test_a_wrong_password_keeps_the_username_and_says_why(monitor):
    response = _login(client_for(None), "monitor", "wrong")
    assert response.status_code == 200
    assert response.context["form"]["username"].value() == "monitor"
    assert "Please enter a correct username and password" in response.content.decode()


def test_partners_cannot_sign_in_to_pages(partner):
    client = client_for(None)
    response = _login(client, "partner")
    assert response.status_code == 200
    assert "use the REST API" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_sixth_wrong_password_locks_the_account_out(monitor):
    client = client_for(None)
    for _ in range(5):
        assert _login(client, "monitor", "wrong").status_code == 200
    locked = _login(client, "monitor", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert _login(client, "monitor").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_from_another_address_for_the_same_account(monitor):
    for _ in range(6):
        _login(client_for(None), "monitor", "wrong")
    other = client_for(None)
    response = other.post(
        reverse("accounts:login"), {"username": "monitor", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_sign_out_needs_a_post_and_ends_the_session(monitor):
    client = client_for(monitor)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_validates_and_saves(monitor):
    client = client_for(monitor)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200
    assert "This password is too short" in weak.content.decode()
    ok = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "a-much-longer-pass-29", "new_password2": "a-much-longer-pass-29"},
    )
    assert ok.status_code == 302
    monitor.refresh_from_db()
    assert monitor.check_password("a-much-longer-pass-29")


def test_password_reset_mails_a_working_link(monitor, django_capture_on_commit_callbacks):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": monitor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [monitor.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.context["validlink"] is True
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
    )
    assert done.status_code == 302
    monitor.refresh_from_db()
    assert monitor.check_password("brand-new-pass-77")


def test_password_reset_task_carries_no_link_and_logs_none(
    monitor, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The broker and the worker log see the user's id, never the token or the link."""
    from celery.app.task import Task

    published: list[str] = []
    original = Task.apply_async

    def recording_apply_async(self, args=None, kwargs=None, **options):
        published.append(json.dumps([self.name, args, kwargs], default=str))
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", recording_apply_async)
    client = client_for(None)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": monitor.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert published, "the mail goes out through a Celery task"
    for message in published:
        assert token not in message
        assert "/password/reset/" not in message
        assert str(monitor.pk) in message
    assert not any(token in record.getMessage() for record in caplog.records)
    # and the link works
    form = client.get(path, follow=True)
    assert form.context["validlink"] is True


def test_password_reset_task_makes_the_link_from_the_user_id(monitor):
    from mission.accounts.tasks import send_password_reset

    send_password_reset(user_id=monitor.pk, domain="portal.example.org", use_https=True, language="sq")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [monitor.email]
    assert "https://portal.example.org/" in mail.outbox[0].body
    monitor.is_active = False
    monitor.save(update_fields=["is_active"])
    send_password_reset(user_id=monitor.pk, domain="portal.example.org", use_https=True, language="sq")
    assert len(mail.outbox) == 1  # a deactivated account gets no link


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(
    geography, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


class TestPeople:
    url = reverse("accounts:people")

    def test_monitor_sees_colleagues_of_their_department_and_region_only(
        self, monitor, supervisor, other_region_monitor, other_department_monitor
    ):
        # A name no colleague in scope can share (factory names are random and can collide).
        other_region_monitor.last_name = "Outofscope-Mitrovica"
        other_region_monitor.save(update_fields=["last_name"])
        response = client_for(monitor).get(self.url)
        assert response.status_code == 200
        assert set(response.context["page"].object_list) == {monitor, supervisor}
        assert other_region_monitor.last_name not in response.content.decode()

    def test_search_filter_and_sort(self, department_head, monitor, other_region_monitor):
        client = client_for(department_head)
        found = client.get(self.url, {"q": other_region_monitor.username})
        assert list(found.context["page"].object_list) == [other_region_monitor]
        by_region = client.get(self.url, {"region": "MIT"})
        assert list(by_region.context["page"].object_list) == [other_region_monitor]
        sorted_by_region = client.get(self.url, {"sort": "region"})
        regions = [u.region.code if u.region else "" for u in sorted_by_region.context["page"].object_list]
        assert regions == sorted(regions, key=lambda code: (code == "", code))

    def test_a_bad_filter_value_is_reported_not_fatal(self, department_head):
        response = client_for(department_head).get(self.url, {"region": "NOPE", "sort": "evil"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_pages_of_25(self, department_head):
        UserFactory.create_batch(30, department=Department.RIGHTS)
        client = client_for(department_head)
        first = client.get(self.url)
        assert len(first.context["page"].object_list) == 25
        assert "Page 1" in first.content.decode()
        second = client.get(self.url + page_link(first))
        assert len(second.context["page"].object_list) == 6
        assert page_link(second) is None
        everyone = [*first.context["page"].object_list, *second.context["page"].object_list]
        assert len(set(everyone)) == 31
        # An old link by page number still works; past the end is an empty page with a way back.
        assert len(client.get(self.url, {"page": 2}).context["page"].object_list) == 6
        assert client.get(self.url, {"page": "999"}).context["page"].object_list == []

    def test_empty_result_says_so(self, department_head):
        response = client_for(department_head).get(self.url, {"q": "no-such-person"})
        assert "Nobody matches these filters." in response.content.decode()

    def test_query_count_is_the_same_for_few_and_many_people(self, department_head, django_assert_num_queries):
        client = client_for(department_head)
        UserFactory.create_batch(2)
        # Session, user, the page of people, the region filter's options; the list is never counted
        # (it was a fifth query while pages were numbered "of" a total).
        with django_assert_num_queries(4) as few:
            first = client.get(self.url)
        UserFactory.create_batch(40)
        with django_assert_num_queries(len(few.captured_queries)):
            first = client.get(self.url)
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(self.url + page_link(first))
        assert User.objects.count() > 40

    def test_partner_and_anonymous_are_kept_out(self, partner):
        assert client_for(partner).get(self.url).status_code == 403
        assert client_for(None).get(self.url).status_code == 302


def test_signed_in_pages_are_not_stored_by_the_browser(monitor):
    response = client_for(monitor).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_signing_out_clears_the_devices_storage(monitor):
    response = client_for(monitor).post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_the_key_sealing_offline_drafts_dies_with_the_session(monitor):
    """A new sign-in makes a new session and so a new key; signed out there is none."""
    from mission.drafts import draft_seal_key

    def key_of(client):
        response = client.get(reverse("rights:case_create"))
        key = draft_seal_key(response.wsgi_request)
        assert key
        assert f'data-draft-seal="{key}"' in response.content.decode()
        return key

    first = key_of(client_for(monitor))
    second = key_of(client_for(monitor))
    assert first != second
    anonymous = client_for(None).get(reverse("accounts:login"))
    assert draft_seal_key(anonymous.wsgi_request) == ""
