from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mission.notifications.models import EmailMode, NotificationKind


class NotificationSettingsForm(forms.Form):
    email = forms.ChoiceField(label=_("E-mail me"), choices=EmailMode.choices, widget=forms.RadioSelect)
    mailed = forms.MultipleChoiceField(
        label=_("What to e-mail"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Everything stays listed here in the portal whatever you choose."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)
