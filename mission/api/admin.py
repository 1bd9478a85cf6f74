from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mission.accounts.models import User
from mission.accounts.permissions import ROLE_CAPABILITIES, Capability
from mission.accounts.roles import Role
from mission.api import datasets
from mission.api.models import ApiRequestLog, ApiToken
from mission.api.services import token_check, token_issue, token_revoke, token_rotate


def _owner_label(user: User) -> str:
    """Whom a token acts as: staff tokens read with that person's rights, so show role and place."""
    where = user.organisation if user.role == Role.PARTNER else (user.region.name if user.region_id else "")
    return f"{user.username} ({', '.join(p for p in (user.get_role_display(), where) if p)})"


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Datasets"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may read. Staff-only datasets are refused for partners."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An issued token shows its owner and datasets read-only: the admin leaves those fields out.
        if "scopes" in self.fields:
            self.fields["scopes"].choices = [(d.code, f"{d.label} ({d.code})") for d in datasets.all_datasets()]
        if "user" in self.fields:
            api_roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.API in capabilities]
            owner = self.fields["user"]
            owner.queryset = (
                User.objects.filter(is_active=True, role__in=api_roles).select_related("region").order_by("username")
            )
            owner.label_from_instance = _owner_label
            owner.help_text = _(
                "Whom the token acts as. A staff member's token reads what that person may read on the pages; "
                "a partner's reads published data only."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk is None and data.get("user") is not None:
            try:
                token_check(user=data["user"], scopes=data.get("scopes") or [])
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ("name", "user", "prefix", "scope_list", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username", "user__organisation")
    readonly_fields = ("prefix", "created_at", "created_by", "revoked_at", "last_used_at")
    actions = ["rotate", "revoke"]

    @admin.display(description=_("datasets"))
    def scope_list(self, obj) -> str:
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request, obj=None):
        # An issued token keeps its owner; a new key or other scopes are a new token.
        return [*self.readonly_fields, "user", "scopes"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj._history_user = request.user
            obj.save()
            return
        token, key = token_issue(
            actor=request.user,
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
        )
        form.instance = obj = token
        obj.pk = token.pk
        self._show_once(request, key)

    def _show_once(self, request, key: str) -> None:
        messages.warning(
            request,
            format_html(
                _("The token, shown this once only (copy it now; only its hash is kept): {}"),
                format_html("<code>{}</code>", key),
            ),
        )

    @admin.action(description=_("Rotate: issue a new key, the old one stops working"))
    def rotate(self, request, queryset) -> None:
        for token in queryset:
            _token, key = token_rotate(actor=request.user, token=token)
            self._show_once(request, key)

    @admin.action(description=_("Revoke"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            token_revoke(actor=request.user, token=token)
        messages.success(request, _("Revoked."))


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(admin.ModelAdmin):
    list_display = ("at", "token", "user", "method", "path", "status", "duration_ms")
    list_filter = ("status", "method")
    list_select_related = ("token", "user")
    search_fields = ("path", "token__prefix", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
