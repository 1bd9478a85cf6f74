from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from field_offices.models import Community, District, FieldTeam, Institution, MembershipBasis, Municipality, Region
from field_offices.services import municipality_set_region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_sq", "name_sr")
    search_fields = ("code", "name_en", "name_sq", "name_sr")


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_sq", "name_sr")


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name_en",
        "region",
        "region_basis",
        "region_set_by_administrator",
        "district",
        "population",
    )
    list_filter = ("region", "region_basis", "district")
    list_select_related = ("region", "district")
    search_fields = ("code", "name_en", "name_sq", "name_sr", "name_sr_cyrl")
    # The names and figures come from the reference data files; only an uncertain region is a judgement call.
    readonly_fields = (
        "code",
        "name_en",
        "name_sq",
        "name_sr",
        "name_sr_cyrl",
        "region_basis",
        "region_evidence",
        "region_set_by_administrator",
        "district",
        "population",
        "population_2011",
        "population_partial",
        "area_km2",
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.region_basis == MembershipBasis.SOURCED:
            fields.append("region")
        return fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change and "region" in form.changed_data:
            municipality_set_region(municipality=obj, region=form.cleaned_data["region"], actor=request.user)


@admin.register(FieldTeam)
class FieldTeamAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("code", "name_en", "name_sq", "name_sr")
    filter_horizontal = ("municipalities",)


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_sq", "name_sr")


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "kind", "departments")
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_sq", "name_sr")
