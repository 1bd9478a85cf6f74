from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from field_offices.models import Region
from mission.accounts.roles import Department, Role
from mission.accounts.services import email_send


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "partner": _("Partner accounts use the REST API with a token; they cannot sign in to the portal's pages."),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.role == Role.PARTNER:
            raise forms.ValidationError(self.error_messages["partner"], code="partner")


class PortalPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes out through Celery, so a slow mail server never blocks a page."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        email_send(subject=subject, body=body, to=[to_email], html_body=html_body)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department = forms.ChoiceField(label=_("Department"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.all(), to_field_name="code"
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name")), ("role", _("Role")), ("region", _("Region"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *Department.choices]
        self.fields["region"].empty_label = _("All regions")
