from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from public_safety.models import BiasMotivation, GenderTarget, SafetyForum, Strategy, TrainingTopic


@admin.register(BiasMotivation, TrainingTopic)
class ReferenceListAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_sq", "name_sr")
    search_fields = ("code", "name_en", "name_sq", "name_sr")


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "area", "first_year", "last_year")
    list_filter = ("area",)
    search_fields = ("code", "name_en", "name_sq", "name_sr")


@admin.register(SafetyForum)
class SafetyForumAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "kind", "municipality", "established", "active")
    list_filter = ("kind", "active", "municipality__region")
    search_fields = ("code", "name_en", "name_sq", "name_sr")
    list_select_related = ("municipality",)


@admin.register(GenderTarget)
class GenderTargetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "share", "plan")
