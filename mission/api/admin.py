from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mission.accounts.models import User
from mission.accounts.permissions import ROLE_CAPABILITIES, Capability
from mission.accounts.roles import Role
from mission.api import datasets
from mission.api.models import ApiRequestLog, ApiToken
from mission.api.services import token_check, token_issue, token_revoke, token_rotate


class OwnerField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        """Whom a token acts as: staff tokens read with that person's rights, so show role and place."""
        where = obj.organisation if obj.role == Role.PARTNER else (obj.region.name if obj.region else "")
        return f"{obj.username} ({', '.join(p for p in (obj.get_role_display(), where) if p)})"


def _administrator(request: HttpRequest) -> User:
    """Who acts: the admin site lets in signed-in administrators only (`MissionAdminSite`)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


class ApiTokenForm(forms.ModelForm[ApiToken]):
    scopes = forms.MultipleChoiceField(
        label=_("Datasets"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may read. Staff-only datasets are refused for partners."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]
        field_classes = {"user": OwnerField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An issued token shows its owner and datasets read-only: the admin leaves those fields out.
        scopes = self.fields.get("scopes")
        if isinstance(scopes, forms.MultipleChoiceField):
            scopes.choices = [(d.code, f"{d.label} ({d.code})") for d in datasets.all_datasets()]
        owner = self.fields.get("user")
        if isinstance(owner, forms.ModelChoiceField):
            api_roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.API in capabilities]
            owner.queryset = (
                User.objects.filter(is_active=True, role__in=api_roles).select_related("region").order_by("username")
            )
            owner.help_text = _(
                "Whom the token acts as. A staff member's token reads what that person may read on the pages; "
                "a partner's reads published data only."
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.instance.pk is None and data.get("user") is not None:
            try:
                token_check(user=data["user"], scopes=data.get("scopes") or [])
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    form = ApiTokenForm
    list_display = ("name", "user", "prefix", "scope_list", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username", "user__organisation")
    readonly_fields = ("prefix", "created_at", "created_by", "revoked_at", "last_used_at")
    actions = ["rotate", "revoke"]

    @admin.display(description=_("datasets"))
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str] | tuple[str, ...]:
        # An issued token keeps its owner; a new key or other scopes are a new token.
        return [*self.readonly_fields, "user", "scopes"] if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiToken, form: forms.ModelForm[ApiToken], change: bool) -> None:
        if change:
            obj._history_user = _administrator(request)
            obj.save()
            return
        token, key = token_issue(
            actor=_administrator(request),
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
        )
        form.instance = obj = token
        obj.pk = token.pk
        self._show_once(request, key)

    def _show_once(self, request: HttpRequest, key: str) -> None:
        messages.warning(
            request,
            format_html(
                str(_("The token, shown this once only (copy it now; only its hash is kept): {}")),
                format_html("<code>{}</code>", key),
            ),
        )

    @admin.action(description=_("Rotate: issue a new key, the old one stops working"))
    def rotate(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            _token, key = token_rotate(actor=_administrator(request), token=token)
            self._show_once(request, key)

    @admin.action(description=_("Revoke"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(actor=_administrator(request), token=token)
        messages.success(request, _("Revoked."))


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(admin.ModelAdmin[ApiRequestLog]):
    list_display = ("at", "token", "user", "method", "path", "status", "duration_ms")
    list_filter = ("status", "method")
    list_select_related = ("token", "user")
    search_fields = ("path", "token__prefix", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiRequestLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiRequestLog | None = None) -> bool:
        return False
