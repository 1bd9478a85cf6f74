from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mission.accounts.models import User
from mission.accounts.roles import Role


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
        (_("Role and placement"), {"fields": ("role", "department", "region", "field_team")}),
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

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm[User], change: bool) -> None:
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMINISTRATOR
        super().save_model(request, obj, form, change)
