from django.contrib import admin
from django.http import HttpRequest

from mission.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    """Read-only: an access log that administrators could edit would prove nothing."""

    list_display = ("at", "user", "content_type", "object_repr", "path")
    list_filter = ("content_type",)
    list_select_related = ("user", "content_type")
    search_fields = ("user__username", "object_repr", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False
