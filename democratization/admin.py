from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from democratization.models import MediaOutlet, RecommendationSource


@admin.register(MediaOutlet)
class MediaOutletAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "media_type", "languages")
    list_filter = ("media_type",)
    search_fields = ("code", "name_en", "name_sq", "name_sr")


@admin.register(RecommendationSource)
class RecommendationSourceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "body", "year", "election_date")
    list_filter = ("body", "year")
    search_fields = ("code", "name_en", "name_sq", "name_sr")
