from field_offices.models import Community, FieldTeam, Municipality, Region
from mission.api.views import ValuesListView

NAMES = {"name_en": "name_en", "name_sq": "name_sq", "name_sr": "name_sr"}
# Codes and names an administrator maintains in the reference data: the only text partners receive.
REFERENCE_TEXT = ("code", *NAMES, "region", "district")


class RegionList(ValuesListView):
    """The mission's five regional centres."""

    partners_share_scope = True

    dataset = "reference"
    model = Region
    fields = {"id": "id", "code": "code", **NAMES, "updated_at": "updated_at"}
    reference_text_fields = REFERENCE_TEXT

    def base_queryset(self, request):
        return Region.objects.all()


class MunicipalityList(ValuesListView):
    """The 38 municipalities: KAS code, names in three languages and Serbian Cyrillic, region, district,
    2024 census population (`population_partial`: the census was largely boycotted there)."""

    partners_share_scope = True

    dataset = "reference"
    model = Municipality
    fields = {
        "id": "id",
        "code": "code",
        **NAMES,
        "name_sr_cyrl": "name_sr_cyrl",
        "region": "region__code",
        "district": "district__code",
        "population": "population",
        "population_partial": "population_partial",
        "updated_at": "updated_at",
    }
    reference_text_fields = (*REFERENCE_TEXT, "name_sr_cyrl")

    def base_queryset(self, request):
        return Municipality.objects.all()


class FieldTeamList(ValuesListView):
    """Field teams and their region (the municipalities each covers are on the municipality list)."""

    partners_share_scope = True

    dataset = "reference"
    model = FieldTeam
    fields = {"id": "id", "code": "code", **NAMES, "region": "region__code", "updated_at": "updated_at"}
    reference_text_fields = REFERENCE_TEXT

    def base_queryset(self, request):
        return FieldTeam.objects.all()


class CommunityList(ValuesListView):
    """The communities recognised in Kosovo law, for disaggregation."""

    partners_share_scope = True

    dataset = "reference"
    model = Community
    fields = {"id": "id", "code": "code", **NAMES, "updated_at": "updated_at"}
    reference_text_fields = REFERENCE_TEXT

    def base_queryset(self, request):
        return Community.objects.all()
