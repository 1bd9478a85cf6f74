from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rights.models import Court, FairTrialStandard, Questionnaire


@admin.register(Court)
class CourtAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "level", "parent", "seat")
    list_filter = ("level",)
    list_select_related = ("parent", "seat")
    search_fields = ("code", "name_en", "name_sq", "name_sr")


class StandardInline(admin.TabularInline):
    model = FairTrialStandard
    fields = ("order", "code", "name_en", "legal_basis")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # A questionnaire in use is never edited: a new version comes with the reference data.
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ("version", "valid_from", "is_current")
    inlines = [StandardInline]


@admin.register(FairTrialStandard)
class FairTrialStandardAdmin(SimpleHistoryAdmin):
    list_display = ("code", "questionnaire", "order", "name_en", "legal_basis")
    list_filter = ("questionnaire",)
    search_fields = ("code", "name_en", "name_sq", "name_sr")
