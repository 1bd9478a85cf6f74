from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from human_rights.models import ProtectedSite


@admin.register(ProtectedSite)
class ProtectedSiteAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "kind", "municipality", "zone", "verified")
    list_filter = ("kind", "zone", "verified", "municipality__region")
    search_fields = ("code", "name_en", "name_sq", "name_sr")
    list_select_related = ("municipality",)
