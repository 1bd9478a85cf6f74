"""Two-factor sign-in: a password, then a code from an authenticator app (TOTP, RFC 6238) or one of
the user's recovery codes, on django-otp's devices (`TOTPDevice`, and a `StaticDevice` holding the
recovery codes).

Who must use it: everyone who may read restricted values (names of accused, victims, witnesses) and
administrators, when TWO_FACTOR_REQUIRED is on (production's default); anyone else may turn it on.

A correct password does not sign anyone in who needs a code: the login view keeps the user's id as
*pending* in the session (`pending_begin`), and only the code page (or the set-up page, for someone
who must set it up first) calls `login()`. A session is therefore signed in only once both factors
have been given; there is no half-signed-in state for a page to forget to check. API tokens are not
affected.

An administrator resets a user's two-factor sign-in when a device is lost (`two_factor_reset`): the
devices go, every session of the user ends, and a `SecurityEvent` records who did it.
"""

import datetime
import math
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mission.accounts.models import SecurityEvent, SecurityEventKind, User
from mission.accounts.permissions import Capability, has_capability
from mission.accounts.roles import Role
from mission.accounts.user_sessions import sessions_end

PENDING_KEY = "two_factor_pending"
CODES_TO_SHOW_KEY = "two_factor_codes_to_show"
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"


def two_factor_required(user: User) -> bool:
    """Whether this user may not sign in without a second factor."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.role == Role.ADMINISTRATOR or has_capability(user, Capability.RESTRICTED)


def app_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()
    return device


def two_factor_enabled(user: User) -> bool:
    enabled: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return enabled


def recovery_codes_left(user: User) -> int:
    left: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return left


# --- The sign-in between the password and the code ----------------------------------------------
@dataclass(frozen=True)
class Pending:
    user: User
    backend: str
    next_url: str


def pending_begin(request: HttpRequest, user: User, next_url: str) -> None:
    """After a correct password: remember who is signing in, not signed in yet. A new session key, so a
    key someone planted before the password cannot follow the user in."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": next_url,
        "since": time.time(),
    }


def pending_user(request: HttpRequest) -> Pending | None:
    """Who is between their password and their code in this session; None if nobody is, or if they
    took longer than TWO_FACTOR_PENDING_MINUTES (they start again with their password)."""
    data: Any = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("since", 0)) > settings.TWO_FACTOR_PENDING_MINUTES * 60:
        request.session.pop(PENDING_KEY, None)
        return None
    user_id = data.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    return Pending(user=user, backend=str(data.get("backend")), next_url=str(data.get("next") or ""))


def pending_finish(request: HttpRequest, pending: Pending, device: Any) -> None:
    """Both factors given: sign the user in (django-otp records the device in the session)."""
    request.session.pop(PENDING_KEY, None)
    user = pending.user
    user.backend = pending.backend  # what login() reads
    user.otp_device = device  # type: ignore[attr-defined]  # django_otp.login keeps it in the session
    login(request, user, backend=pending.backend)


# --- Setting it up ------------------------------------------------------------------------------
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device of a set-up in progress (one per user: a new visit keeps its key, so a
    code from the app scanned a minute ago still works)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> list[str] | None:
    """Finish a set-up with the first code the app shows: the device is confirmed (any earlier one is
    replaced) and the user's recovery codes made anew; returns them, or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    SecurityEvent.objects.create(user=user, actor=user, kind=SecurityEventKind.TWO_FACTOR_ENABLED)
    return codes


def _digits(code: str) -> str:
    return "".join(code.split())


def verify_code(user: User, code: str) -> Any | None:
    """The device that accepts `code`: the app's (six digits, spaces ignored), else a recovery code
    (used up by this). None if neither does, or while too many wrong codes make the devices wait
    (django-otp's throttling, doubling the wait with each wrong code)."""
    code = _digits(code).lower()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if app is not None and app.verify_token(code):
                return app
            return None
        recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if recovery is not None and recovery.verify_token(code):
            SecurityEvent.objects.create(user=user, actor=user, kind=SecurityEventKind.RECOVERY_CODE_USED)
            return recovery
    return None


def waiting_seconds(user: User, *, confirmed: bool = True) -> int:
    """How long the user's app device (or the one being set up) refuses codes after wrong ones (0: it
    accepts them now)."""
    device = app_device(user, confirmed=confirmed)
    if device is None or device.throttling_failure_timestamp is None or not device.throttling_failure_count:
        return 0
    wait = device.get_throttle_factor() * (2 ** (device.throttling_failure_count - 1))
    until = device.throttling_failure_timestamp + datetime.timedelta(seconds=wait)
    return int(max(0, math.ceil((until - timezone.now()).total_seconds())))


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    SecurityEvent.objects.create(user=user, actor=user, kind=SecurityEventKind.RECOVERY_CODES_RENEWED)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """The user turns it off (only where it is not required: the view checks)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    SecurityEvent.objects.create(user=user, actor=user, kind=SecurityEventKind.TWO_FACTOR_DISABLED)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """An administrator's answer to a lost device: the user's devices and every session of theirs go, so
    they set it up again at their next sign-in; recorded with who did it."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    SecurityEvent.objects.create(user=user, actor=actor, kind=SecurityEventKind.TWO_FACTOR_RESET)
    sessions_end(actor=actor, user=user, note="two-factor reset")
