from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mission.accounts.models import SpokenLanguage
from mission.common import whole_number
from mission.drafts import mark_declared_restricted
from mission.forms import DATE_WIDGET, TIME_WIDGET, VersionField
from rights.models import Case, Court, Hearing, Intervention, Party, PartyRole, PlannedHearing, Rating
from rights.services.cases import PARTY_FIELDS
from rights.services.hearings import HEARING_FIELDS
from rights.services.planning import PLAN_FIELDS

YES_NO_UNKNOWN = [("", _("Not known")), ("true", _("Yes")), ("false", _("No"))]


class PublishedCorrectionMixin:
    """A "reason for the correction" field on the form of a record partners see (`published=True`):
    the services change a published case or hearing only with a reason (the correction path)."""

    fields: dict[str, forms.Field]  # the form's, which comes after this mixin
    cleaned_data: dict[str, Any]

    def __init__(self, *args, published: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if published:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the correction"),
                required=False,  # the service says when it is missing, as for an observation
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Partners see this record. Say why you change it: the reason is kept in the history, and "
                    "unless you may review its observations, they go back for review."
                ),
            )

    def correction_fields(self) -> dict:
        return {"reason": self.cleaned_data["reason"]} if "reason" in self.fields else {}


class CaseForm(PublishedCorrectionMixin, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Case
        fields = [
            "court",
            "case_number",
            "municipality",
            "court_department",
            "category",
            "charges",
            "fundamental_rights_appeal_grounds",
        ]
        widgets = {"charges": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model's foreign keys: model choice fields.
        court = cast(forms.ModelChoiceField, self.fields["court"])
        court.queryset = Court.objects.select_related("seat").order_by("code")
        municipality = cast(forms.ModelChoiceField, self.fields["municipality"])
        municipality.required = False
        if municipality.queryset is not None:
            municipality.queryset = municipality.queryset.order_by("name_en")
        self.fields["version"].initial = self.instance.version

    def validate_unique(self) -> None:
        # The service checks uniqueness (with the court's seat filled in); a second check here would
        # report the same error twice.
        pass


class PartyForm(forms.ModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Party
        fields = list(PARTY_FIELDS)
        widgets = {"counsel_appointed_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Most rows are accused: preselect it rather than make a monitor on a tablet pick it every time.
        cast(forms.ChoiceField, self.fields["role"]).choices = PartyRole.choices
        self.fields["role"].initial = PartyRole.ACCUSED
        mark_declared_restricted(self)

    def has_changed(self) -> bool:
        # A spare row whose selects show their defaults but has no name is an unused row, not an error.
        return bool(self["id"].value()) or bool((self["name"].value() or "").strip())


PartyFormSet = forms.formset_factory(PartyForm, extra=2, can_delete=True, max_num=60)


def party_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        data = dict(form.cleaned_data)
        data["delete"] = data.pop("DELETE", False)
        rows.append(data)
    return rows


class NullBooleanChoiceField(forms.TypedChoiceField):
    """Yes, no, or (with `unknown`) not known, as radio buttons. Where the rules need an answer
    (`unknown=False`), "not known" is neither offered nor preselected: nothing is checked until the
    user answers."""

    def __init__(self, *, unknown: bool = True, **kwargs) -> None:
        super().__init__(
            choices=YES_NO_UNKNOWN if unknown else YES_NO_UNKNOWN[1:],
            coerce=lambda v: {"true": True, "false": False}.get(v),
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "choice-row"}),
            **kwargs,
        )

    def prepare_value(self, value):
        # A form shown again (a refused save, an edit conflict) holds the posted "true"/"false": keep them.
        if value in ("true", "false"):
            return value
        return {True: "true", False: "false"}.get(value, "")


class HearingForm(PublishedCorrectionMixin, forms.ModelForm):
    version = VersionField()
    # Hearing.clean() needs an answer for these once they apply (a held hearing; interpretation needed).
    recorded = NullBooleanChoiceField(
        unknown=False,
        label=_("Recorded"),
        help_text=_("Audio or video record kept as the law requires. Required when the hearing was held."),
    )
    accused_represented = NullBooleanChoiceField(label=_("Every accused had counsel present"))
    interpretation_provided = NullBooleanChoiceField(
        unknown=False,
        label=_("Interpretation provided"),
        help_text=_("Required when interpretation was needed."),
    )

    class Meta:
        model = Hearing
        fields = list(HEARING_FIELDS)
        widgets = {
            "date": DATE_WIDGET,
            "next_hearing_date": DATE_WIDGET,
            "scheduled_start": TIME_WIDGET,
            "actual_start": TIME_WIDGET,
            "end": TIME_WIDGET,
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        # Model validation runs once, in the service, so that the same rules hold for the API too.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ObservationForm(forms.Form):
    """The fair-trial checklist: a rating and an evidence note per standard, and a summary."""

    version = VersionField()
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened at the hearing, in a few sentences."),
    )

    def __init__(self, *args, observation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.observation = observation
        self.rows = []
        self.fields["version"].initial = observation.version
        self.fields["summary"].initial = observation.summary
        for rating in observation.ratings.all():
            code = rating.standard.code
            self.fields[f"rating_{code}"] = forms.ChoiceField(
                label=rating.standard.name,
                choices=Rating.choices,
                required=False,
                initial=rating.rating,
                widget=forms.RadioSelect(attrs={"class": "rating-choice"}),
            )
            self.fields[f"evidence_{code}"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                initial=rating.evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append((rating.standard, f"rating_{code}", f"evidence_{code}"))

    def standard_rows(self):
        """(standard, rating field, evidence field) for the template."""
        return [(standard, self[rating], self[evidence]) for standard, rating, evidence in self.rows]

    def ratings(self) -> dict[int, tuple[str, str]]:
        return {
            standard.pk: (self.cleaned_data.get(rating) or "", self.cleaned_data.get(evidence) or "")
            for standard, rating, evidence in self.rows
        }

    def error_field_map(self) -> dict[str, str]:
        """Service errors are keyed by standard code; show them on the rating or evidence field."""
        mapping = {}
        for standard, rating, evidence in self.rows:
            chosen = self.cleaned_data.get(rating) if hasattr(self, "cleaned_data") else ""
            mapping[standard.code] = evidence if chosen == Rating.VIOLATION else rating
        return mapping


class CorrectionForm(ObservationForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history with your name."),
    )


class FlagCloseForm(forms.Form):
    note = forms.CharField(
        label=_("How was it followed up?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Or why no follow-up is needed."),
    )


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["intervention_type", "addressee", "date", "status", "outcome"]
        widgets = {"date": DATE_WIDGET, "outcome": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass


class PlannedHearingForm(forms.ModelForm):
    """A hearing on a court's schedule. The municipality defaults to the case's, else the court's seat."""

    version = VersionField()

    class Meta:
        model = PlannedHearing
        fields = list(PLAN_FIELDS)
        widgets = {"date": DATE_WIDGET, "start": TIME_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        cast(forms.ModelChoiceField, self.fields["court"]).queryset = Court.objects.order_by("code")
        self.fields["municipality"].required = False
        self.fields["municipality"].help_text = _("Leave empty for the case's municipality or the court's seat.")

    def _post_clean(self) -> None:
        pass  # the service validates the model, for every caller

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if fields["municipality"] is None:
            del fields["municipality"]
        return fields


class PeopleField(forms.ModelMultipleChoiceField):
    """People by their numbers: a value that is no number (or beyond the database's integers) is refused
    with the reason before the database is asked."""

    def _check_values(self, value):
        if any(whole_number(str(pk)) is None for pk in value):
            raise ValidationError(_("Choose among the people listed."), code="invalid_pk_value")
        return super()._check_values(value)


class AssignForm(forms.Form):
    monitors: forms.ModelMultipleChoiceField = PeopleField(
        label=_("Monitors sent"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["monitors"])
        field.queryset = candidates
        field.label_from_instance = _candidate_label  # type: ignore[method-assign,assignment]


def _candidate_label(user) -> str:
    languages = ", ".join(
        str(SpokenLanguage(code).label) for code in user.languages or [] if code in SpokenLanguage.values
    )
    name = user.get_full_name() or user.username
    return f"{name} ({languages})" if languages else name
