from django.urls import path

from field_offices.api import views

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region_list"),
    path("municipalities/", views.MunicipalityList.as_view(), name="municipality_list"),
    path("field-teams/", views.FieldTeamList.as_view(), name="field_team_list"),
    path("communities/", views.CommunityList.as_view(), name="community_list"),
]
