"""Pages of sign-in security: the code after the password, setting up an authenticator app, the
recovery codes, and a user's own security page (two-factor sign-in and the sessions they are signed
in with). The rules are in `mission.accounts.two_factor` and `mission.accounts.user_sessions`."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mission.accounts import two_factor
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.models import User
from mission.accounts.user_sessions import active_sessions, sessions_end


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Sign-in code"),
        max_length=40,
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=12,
        help_text=gettext_lazy("The six digits the app shows for Mission Portal."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _safe_next(request: HttpRequest, url: str) -> str:
    allowed = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed, require_https=request.is_secure()):
        return url
    return reverse("home")


def _qr_svg(device: TOTPDevice) -> str:
    import segno

    # The otpauth:// address an app reads from the code: the key, the issuer and the username.
    svg: str = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return svg


def _too_many(seconds: int) -> str:
    return _("Too many wrong codes. Wait %(seconds)d seconds, then try again.") % {"seconds": seconds}


@login_not_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code for the user whose password was right."""
    if request.user.is_authenticated:
        return redirect("home")
    pending = two_factor.pending_user(request)
    if pending is None:
        messages.info(request, _("Sign in again: the sign-in waited too long for its code."))
        return redirect("accounts:login")
    if not two_factor.two_factor_enabled(pending.user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = two_factor.waiting_seconds(pending.user)  # before this code: wrong ones earlier
        device = None if waiting else two_factor.verify_code(pending.user, form.cleaned_data["code"])
        if device is not None:
            two_factor.pending_finish(request, pending, device)
            if isinstance(device, StaticDevice):  # a recovery code, now used up
                left = two_factor.recovery_codes_left(pending.user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. Make new ones under "
                        "“Sign-in and sessions” in the menu.",
                        "You signed in with a recovery code; %(count)d are left. Make new ones under "
                        "“Sign-in and sessions” in the menu.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_safe_next(request, pending.next_url))
        if waiting:
            form.add_error("code", _too_many(waiting))
        else:
            form.add_error("code", _("That code is not right. Codes change every 30 seconds: try the one shown now."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_not_required
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: for someone signing in who must (still pending), or for a signed-in
    user who chooses to. The first correct code confirms the app and shows the recovery codes."""
    pending = two_factor.pending_user(request)
    user: User | None = request.user if request.user.is_authenticated else (pending.user if pending else None)
    if user is None:
        return redirect("accounts:login")
    if pending is not None and not request.user.is_authenticated and two_factor.two_factor_enabled(user):
        return redirect("accounts:two_factor_verify")  # a pending sign-in does not replace a set-up app
    device = two_factor.enrolment_device(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = two_factor.waiting_seconds(user, confirmed=False)
        codes = None if waiting else two_factor.two_factor_confirm(user=user, code=form.cleaned_data["code"])
        if codes is not None:
            if pending is not None and not request.user.is_authenticated:
                confirmed = two_factor.app_device(user)
                two_factor.pending_finish(request, pending, confirmed)
                request.session[two_factor.CODES_TO_SHOW_KEY] = {"codes": codes, "next": pending.next_url}
            else:
                request.session[two_factor.CODES_TO_SHOW_KEY] = {"codes": codes, "next": reverse("accounts:security")}
            return redirect("accounts:recovery_codes")
        if waiting:
            form.add_error("code", _too_many(waiting))
        else:
            form.add_error("code", _("That code is not right. Check the app's clock, and type the code shown now."))
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": two_factor.secret_text(device),
        "username": user.get_username(),
        "required": two_factor.two_factor_required(user),
        "signing_in": pending is not None and not request.user.is_authenticated,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once."""
    shown = request.session.pop(two_factor.CODES_TO_SHOW_KEY, None)
    if not isinstance(shown, dict):
        return redirect("accounts:security")
    context = {"codes": shown.get("codes", []), "next": _safe_next(request, str(shown.get("next") or ""))}
    return render(request, "accounts/recovery_codes.html", context)


@never_cache
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own page: two-factor sign-in and the sessions they are signed in with."""
    user = request.user
    context = {
        "enabled": two_factor.two_factor_enabled(user),
        "required": two_factor.two_factor_required(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "sessions": active_sessions(user, request),
        "current_key": request.session.session_key,
        "disable_form": AppCodeForm(),
    }
    return render(request, "accounts/security.html", context)


@require_POST
def renew_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.two_factor_enabled(request.user):
        raise PermissionDenied
    codes = two_factor.recovery_codes_renew(user=request.user)
    request.session[two_factor.CODES_TO_SHOW_KEY] = {"codes": codes, "next": reverse("accounts:security")}
    return redirect("accounts:recovery_codes")


@require_POST
def disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, where it is not required, with a current code from the app."""
    user = request.user
    if two_factor.two_factor_required(user) or not two_factor.two_factor_enabled(user):
        raise PermissionDenied
    form = AppCodeForm(request.POST)
    if form.is_valid() and two_factor.verify_code(user, form.cleaned_data["code"]) is not None:
        two_factor.two_factor_disable(user=user)
        messages.success(request, _("Two-factor sign-in is off. You sign in with your password alone."))
        return redirect("accounts:security")
    messages.error(request, _("Two-factor sign-in is still on: the code was not right."))
    return redirect("accounts:security")


@require_POST
def end_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sign out everywhere else (`scope=others`) or everywhere, this session included (`scope=all`)."""
    scope = request.POST.get("scope")
    if scope not in ("others", "all"):
        messages.error(request, _("Choose which sessions to end."))
        return redirect("accounts:security")
    keep = request.session.session_key if scope == "others" else None
    ended = sessions_end(actor=request.user, user=request.user, keep=keep)
    if scope == "all":
        logout(request)  # this session has ended too: a fresh, anonymous one
        return redirect("accounts:login")
    messages.success(
        request,
        ngettext("%(count)d other session was ended.", "%(count)d other sessions were ended.", ended)
        % {"count": ended},
    )
    return redirect("accounts:security")
