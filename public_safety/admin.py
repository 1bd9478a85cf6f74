from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from public_safety.models import BiasMotivation, Strategy, TrainingTopic


@admin.register(BiasMotivation, TrainingTopic)
class ReferenceListAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_sq", "name_sr")
    search_fields = ("code", "name_en", "name_sq", "name_sr")


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "area", "first_year", "last_year")
    list_filter = ("area",)
    search_fields = ("code", "name_en", "name_sq", "name_sr")
