from django import forms
from django.utils.translation import gettext_lazy as _

from mission.attachments.inspection import ACCEPTED_EXTENSIONS
from mission.attachments.models import AttachmentKind, FileSensitivity


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, images (JPEG, PNG, WebP), Word, Excel, PowerPoint or OpenDocument files, plain text."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices, initial=AttachmentKind.OTHER)
    access = forms.ChoiceField(
        label=_("Who may open it"),
        choices=FileSensitivity.choices,
        initial=FileSensitivity.RESTRICTED,
        widget=forms.RadioSelect,
        help_text=_("Court documents name the accused and victims: keep them restricted."),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
