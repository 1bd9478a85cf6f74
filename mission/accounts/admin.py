from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from mission.accounts.models import SecurityEvent, SpokenLanguage, User
from mission.accounts.roles import Role
from mission.accounts.two_factor import two_factor_reset
from mission.accounts.user_sessions import sessions_end

# Devices hold the users' secrets: an administrator resets them (the action below), never reads them.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


def _confirmed(request: HttpRequest) -> bool:
    """Whether the administrator confirmed the action on the page it shows first (as Django's delete)."""
    return request.POST.get("confirmed") == "yes"


def _confirmation(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User], title: str, text: str
) -> TemplateResponse:
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "text": text,
        "users": queryset,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/accounts/confirm_action.html", context)


@admin.action(description=_("Reset two-factor sign-in (lost device) and end their sessions"))
def reset_two_factor(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> HttpResponse | None:
    title = str(_("Reset two-factor sign-in"))
    text = str(
        _(
            "Their authenticator app and recovery codes stop working and every session of theirs ends. "
            "They set up two-factor sign-in again when they next sign in. The reset is recorded with your name."
        )
    )
    if not _confirmed(request):
        return _confirmation(modeladmin, request, queryset, title, text)
    actor: User = request.user  # type: ignore[assignment]  # the admin site is for signed-in administrators
    for user in queryset:
        two_factor_reset(actor=actor, user=user)
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext("Two-factor sign-in reset for %(count)d user.", "Two-factor sign-in reset for %(count)d users.", count)
        % {"count": count},
        messages.SUCCESS,
    )
    return None


@admin.action(description=_("End all their sessions (sign them out everywhere)"))
def end_sessions(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> HttpResponse | None:
    title = str(_("End all sessions"))
    text = str(_("They are signed out of every browser and device at once, for example when they leave the mission."))
    if not _confirmed(request):
        return _confirmation(modeladmin, request, queryset, title, text)
    actor: User = request.user  # type: ignore[assignment]
    ended = sum(sessions_end(actor=actor, user=user, note="ended by an administrator") for user in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d session ended.", "%(count)d sessions ended.", ended) % {"count": ended},
        messages.SUCCESS,
    )
    return None


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin[User]):  # type: ignore[misc]  # simple_history has no types
    list_display = ("username", "first_name", "last_name", "role", "department", "region", "field_team", "is_active")
    list_filter = ("role", "department", "region", "is_active")
    list_select_related = ("region", "field_team")
    search_fields = ("username", "first_name", "last_name", "email", "organisation")
    autocomplete_fields = ()
    # Django's staff and superuser flags follow the role; groups and per-user permissions are not used.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "organisation")}),
        (_("Role and placement"), {"fields": ("role", "department", "region", "field_team", "languages")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "department", "region", "field_team"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = (reset_two_factor, end_sessions)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "languages":  # ticked from the list, stored as the codes
            return forms.TypedMultipleChoiceField(
                label=db_field.verbose_name,
                choices=SpokenLanguage.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm[User], change: bool) -> None:
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMINISTRATOR
        super().save_model(request, obj, form, change)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    """The audit trail of sign-in security: read only."""

    list_display = ("created_at", "user", "kind", "actor", "note")
    list_filter = ("kind",)
    list_select_related = ("user", "actor")
    search_fields = ("user__username", "actor__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False
