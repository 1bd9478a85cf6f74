"""Two-factor sign-in (mission/accounts/two_factor.py): who must use it, the code after the password
(nobody is signed in before it), setting up an app, recovery codes, turning it off, throttling, an
administrator's reset of a lost device, and API tokens left alone."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mission.accounts.models import SecurityEvent, SecurityEventKind
from mission.accounts.two_factor import two_factor_confirm, two_factor_required
from mission.api.services import token_issue
from tests.api.conftest import bearer
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an app shows for `device`, now or a step later (a step already used is refused)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def waited(device: TOTPDevice) -> None:
    """As if the wait after a wrong code had passed."""
    device.refresh_from_db()
    device.throttle_reset()


def password(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def signed_in(client) -> bool:
    return client.get(reverse("accounts:security")).status_code == 200


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up an app for `user` as the set-up page does."""
    from mission.accounts.two_factor import enrolment_device

    device = enrolment_device(user)
    codes = two_factor_confirm(user=user, code=code(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def test_who_must_use_it(monitor, supervisor, department_head, administrator, management, settings):
    assert all(two_factor_required(u) for u in (monitor, supervisor, department_head, administrator))
    assert not two_factor_required(management)  # reads pseudonyms, not names: optional
    settings.TWO_FACTOR_REQUIRED = False
    assert not two_factor_required(monitor)


class TestSettingUpAtSignIn:
    def test_a_required_user_without_an_app_is_not_signed_in_by_the_password(self, monitor):
        client = client_for(None)
        response = password(client, "monitor")
        assert response["Location"] == reverse("accounts:two_factor_setup")
        assert not signed_in(client)
        assert client.get(reverse("accounts:security")).status_code == 302  # to the login

    def test_the_first_right_code_signs_in_and_shows_the_recovery_codes_once(self, monitor):
        client = client_for(None)
        password(client, "monitor")
        page = client.get(reverse("accounts:two_factor_setup"))
        assert page.status_code == 200
        body = page.content.decode()
        assert "<svg" in body
        assert page.context["secret"] in body
        device = TOTPDevice.objects.get(user=monitor, confirmed=False)

        wrong = client.post(
            reverse("accounts:two_factor_setup"), {"code": "000000" if code(device) != "000000" else "111111"}
        )
        assert wrong.status_code == 200
        assert "not right" in wrong.content.decode()
        assert not signed_in(client)
        too_soon = client.post(reverse("accounts:two_factor_setup"), {"code": code(device)})
        assert "Too many wrong codes" in too_soon.content.decode()

        waited(device)
        done = client.post(reverse("accounts:two_factor_setup"), {"code": code(device)})
        assert done["Location"] == reverse("accounts:recovery_codes")
        assert signed_in(client)
        shown = client.get(reverse("accounts:recovery_codes"))
        codes = shown.context["codes"]
        assert len(codes) == 10
        assert all(c in shown.content.decode() for c in codes)
        assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("accounts:security")
        device.refresh_from_db()
        assert device.confirmed
        assert SecurityEvent.objects.filter(user=monitor, kind=SecurityEventKind.TWO_FACTOR_ENABLED).exists()

    def test_the_key_typed_by_hand_is_the_device_key(self, monitor):
        from base64 import b32decode

        client = client_for(None)
        password(client, "monitor")
        secret = client.get(reverse("accounts:two_factor_setup")).context["secret"].replace(" ", "")
        device = TOTPDevice.objects.get(user=monitor)
        assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    def test_an_unrequired_user_signs_in_with_the_password(self, management):
        client = client_for(None)
        assert password(client, "management")["Location"] == reverse("home")
        assert signed_in(client)


class TestCodeAfterPassword:
    def test_the_right_code_signs_in_and_follows_next(self, monitor):
        device, _codes = enrol(monitor)
        client = client_for(None)
        response = password(client, "monitor", next_url=reverse("accounts:people"))
        assert response["Location"] == reverse("accounts:two_factor_verify")
        assert not signed_in(client)
        wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "12345x"})
        assert wrong.status_code == 200
        assert not signed_in(client)
        waited(device)
        done = client.post(reverse("accounts:two_factor_verify"), {"code": code(device, 1)})
        assert done["Location"] == reverse("accounts:people")
        assert signed_in(client)

    def test_a_next_on_another_site_lands_home(self, monitor):
        device, _codes = enrol(monitor)
        client = client_for(None)
        password(client, "monitor", next_url="https://evil.example/")
        done = client.post(reverse("accounts:two_factor_verify"), {"code": code(device, 1)})
        assert done["Location"] == reverse("home")

    def test_an_optional_user_who_set_it_up_gives_a_code_too(self, management):
        device, _codes = enrol(management)
        client = client_for(None)
        assert password(client, "management")["Location"] == reverse("accounts:two_factor_verify")
        client.post(reverse("accounts:two_factor_verify"), {"code": code(device, 1)})
        assert signed_in(client)

    def test_a_code_is_not_accepted_twice(self, monitor):
        device, _codes = enrol(monitor)
        first = client_for(None)
        password(first, "monitor")
        same = code(device, 1)
        first.post(reverse("accounts:two_factor_verify"), {"code": same})
        second = client_for(None)
        password(second, "monitor")
        again = second.post(reverse("accounts:two_factor_verify"), {"code": same})
        assert again.status_code == 200
        assert not signed_in(second)

    def test_a_recovery_code_works_once_and_is_recorded(self, monitor):
        _device, codes = enrol(monitor)
        client = client_for(None)
        password(client, "monitor")
        landed = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()}, follow=True)
        assert "9 are left. Make new ones under “Sign-in and sessions” in the menu." in landed.content.decode()
        assert signed_in(client)
        assert StaticToken.objects.filter(device__user=monitor).count() == 9
        assert SecurityEvent.objects.filter(user=monitor, kind=SecurityEventKind.RECOVERY_CODE_USED).count() == 1
        other = client_for(None)
        password(other, "monitor")
        other.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
        assert not signed_in(other)

    def test_wrong_codes_make_the_device_wait(self, monitor):
        device, _codes = enrol(monitor)
        client = client_for(None)
        password(client, "monitor")
        right = code(device, 1)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(3):
            client.post(reverse("accounts:two_factor_verify"), {"code": wrong})
        refused = client.post(reverse("accounts:two_factor_verify"), {"code": right})
        assert "Too many wrong codes" in refused.content.decode()
        assert not signed_in(client)

    def test_the_code_page_needs_a_password_first_and_expires(self, monitor, settings):
        device, _codes = enrol(monitor)
        client = client_for(None)
        assert client.get(reverse("accounts:two_factor_verify"))["Location"] == reverse("accounts:login")
        password(client, "monitor")
        session = client.session
        session["two_factor_pending"]["since"] = time.time() - settings.TWO_FACTOR_PENDING_MINUTES * 60 - 1
        session.save()
        late = client.post(reverse("accounts:two_factor_verify"), {"code": code(device, 1)})
        assert late["Location"] == reverse("accounts:login")
        assert not signed_in(client)

    def test_a_planted_session_key_does_not_survive_the_password(self, monitor):
        enrol(monitor)
        client = client_for(None)
        client.get(reverse("accounts:login"))
        before = client.session.session_key
        password(client, "monitor")
        assert client.session.session_key != before


class TestOwnSecurityPage:
    def test_shows_the_state_and_renews_recovery_codes(self, monitor):
        _device, old = enrol(monitor)
        client = client_for(monitor)
        page = client.get(reverse("accounts:security"))
        assert page.context["enabled"]
        assert page.context["codes_left"] == 10
        response = client.post(reverse("accounts:recovery_codes_renew"))
        assert response["Location"] == reverse("accounts:recovery_codes")
        new = client.get(reverse("accounts:recovery_codes")).context["codes"]
        assert set(new).isdisjoint(old)
        assert set(StaticToken.objects.filter(device__user=monitor).values_list("token", flat=True)) == set(new)

    def test_renewing_needs_a_post_and_two_factor(self, management):
        client = client_for(management)
        assert client.get(reverse("accounts:recovery_codes_renew")).status_code == 405
        assert client.post(reverse("accounts:recovery_codes_renew")).status_code == 403

    def test_an_optional_user_turns_it_off_with_a_code(self, management):
        device, _codes = enrol(management)
        client = client_for(management)
        client.post(reverse("accounts:two_factor_disable"), {"code": "nope"})
        assert TOTPDevice.objects.filter(user=management).exists()
        waited(device)
        client.post(reverse("accounts:two_factor_disable"), {"code": code(device, 1)})
        assert not TOTPDevice.objects.filter(user=management).exists()
        assert SecurityEvent.objects.filter(user=management, kind=SecurityEventKind.TWO_FACTOR_DISABLED).exists()

    def test_a_required_user_cannot_turn_it_off(self, monitor):
        device, _codes = enrol(monitor)
        response = client_for(monitor).post(reverse("accounts:two_factor_disable"), {"code": code(device, 1)})
        assert response.status_code == 403
        assert TOTPDevice.objects.filter(user=monitor, confirmed=True).exists()

    def test_a_signed_in_user_sets_it_up_from_the_page(self, management):
        client = client_for(management)
        client.get(reverse("accounts:two_factor_setup"))
        device = TOTPDevice.objects.get(user=management, confirmed=False)
        client.post(reverse("accounts:two_factor_setup"), {"code": code(device)})
        shown = client.get(reverse("accounts:recovery_codes"))
        assert shown.context["next"] == reverse("accounts:security")
        assert TOTPDevice.objects.get(user=management).confirmed

    def test_anonymous_visitors_are_sent_to_sign_in(self, db):
        client = client_for(None)
        for name in ("accounts:security", "accounts:recovery_codes", "accounts:two_factor_setup"):
            assert client.get(reverse(name))["Location"].startswith(reverse("accounts:login"))


class TestAdministratorReset:
    def test_confirm_first_then_devices_and_sessions_go_with_an_audit_row(self, monitor, administrator):
        enrol(monitor)
        elsewhere = client_for(monitor)
        admin = client_for(administrator)
        changelist = reverse("admin:accounts_user_changelist")
        asked = admin.post(changelist, {"action": "reset_two_factor", "_selected_action": [monitor.pk]})
        assert asked.status_code == 200
        assert "Yes, I am sure" in asked.content.decode()
        assert TOTPDevice.objects.filter(user=monitor).exists()  # nothing before the confirmation

        admin.post(changelist, {"action": "reset_two_factor", "_selected_action": [monitor.pk], "confirmed": "yes"})
        assert not TOTPDevice.objects.filter(user=monitor).exists()
        assert not StaticToken.objects.filter(device__user=monitor).exists()
        assert not signed_in(elsewhere)  # their session ended
        event = SecurityEvent.objects.get(user=monitor, kind=SecurityEventKind.TWO_FACTOR_RESET)
        assert event.actor == administrator
        # At the next sign-in they set it up again.
        assert password(client_for(None), "monitor")["Location"] == reverse("accounts:two_factor_setup")

    def test_staff_cannot_reset(self, monitor, supervisor):
        enrol(monitor)
        response = client_for(supervisor).post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [monitor.pk], "confirmed": "yes"},
        )
        assert response.status_code == 403
        assert TOTPDevice.objects.filter(user=monitor).exists()

    def test_the_admin_shows_no_device_secrets(self, administrator):
        admin = client_for(administrator)
        assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
        assert admin.get("/admin/otp_static/staticdevice/").status_code == 404


def test_api_tokens_need_no_second_factor(partner, administrator):
    _token, key = token_issue(actor=administrator, user=partner, name="x", scopes=["reference"])
    assert bearer(key).get("/api/v1/regions/").status_code == 200


def test_the_wait_after_wrong_codes_ends(monitor):
    import datetime

    from mission.accounts.two_factor import waiting_seconds

    device, _codes = enrol(monitor)
    device.throttle_increment()
    assert waiting_seconds(monitor) == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - datetime.timedelta(milliseconds=1050)
    )
    assert waiting_seconds(monitor) == 0
