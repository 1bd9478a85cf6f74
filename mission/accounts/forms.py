from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from field_offices.models import Region
from mission.accounts.models import User
from mission.accounts.roles import Department, Role
from mission.accounts.services import password_reset_request


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "partner": _("Partner accounts use the REST API with a token; they cannot sign in to the portal's pages."),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.role == Role.PARTNER:
            raise forms.ValidationError(self.error_messages["partner"], code="partner")


class PortalPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes out through Celery, so a slow mail server never blocks a page.

    The link is a credential: the task is given the user's id and makes the link itself, so it never
    travels through the broker or appears in a worker's log.
    """

    def save(  # type: ignore[override]  # Django's view passes every argument by keyword
        self,
        domain_override: str | None = None,
        *,
        use_https: bool = False,
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        domain = domain_override or get_current_site(request).domain
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_request(user=user, domain=domain, use_https=use_https)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department = forms.ChoiceField(
        label=_("Department"), required=False, choices=[("", _("All departments")), *Department.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.all(),
        to_field_name="code",
        empty_label=_("All regions"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name")), ("role", _("Role")), ("region", _("Region"))],
    )
