import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from field_offices.models import Region
from mission.accounts.models import User
from mission.accounts.permissions import scope_for
from mission.dashboards.filters import MONTH_WIDGET
from mission.dashboards.periods import last_months
from mission.forms import use_fast_widgets
from mission.reports import registry
from mission.reports.models import ReportFormat


class ReportRequestForm(forms.Form):
    """What to report on. The service validates again and freezes the values on the job."""

    report_type = forms.ChoiceField(label=_("Report"))
    start = forms.CharField(label=_("From (month)"), widget=MONTH_WIDGET)
    end = forms.CharField(label=_("To (month)"), widget=MONTH_WIDGET)
    region = forms.ChoiceField(label=_("Region"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = registry.types_for(user)
        report_type = cast(forms.ChoiceField, self.fields["report_type"])  # the fields declared above
        region = cast(forms.ChoiceField, self.fields["region"])
        report_type.choices = [(t.key, f"{t.label} ({', '.join(f.upper() for f in t.formats)})") for t in types]
        # The formats of each report, for reports.js to offer only those of the report chosen; the
        # service refuses any other all the same (and a browser without scripts shows them all).
        report_type.widget.attrs["data-formats"] = json.dumps({t.key: list(t.formats) for t in types})
        scope = scope_for(user)
        regions = Region.objects.order_by("code")
        if scope.region_ids is not None:
            regions = regions.filter(pk__in=scope.region_ids)
            region.choices = [(r.code, r.name) for r in regions]
        else:
            region.choices = [("", _("The whole mission"))] + [(r.code, r.name) for r in regions]
        period = last_months(12)
        self.fields["start"].initial = f"{period.first:%Y-%m}"
        self.fields["end"].initial = f"{period.last:%Y-%m}"
        self.fields["language"].initial = kwargs.get("initial", {}).get("language")
        use_fast_widgets(self)

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "from": data["start"],
            "to": data["end"],
            "region": data.get("region") or "",
            "format": data["format"],
            "language": data["language"],
        }
