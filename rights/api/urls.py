from django.urls import path

from rights.api import aggregates, views

urlpatterns = [
    path("courts/", views.CourtList.as_view(), name="court_list"),
    path("fair-trial-standards/", views.StandardList.as_view(), name="standard_list"),
    path("cases/", views.CaseList.as_view(), name="case_list"),
    path("hearings/", views.HearingList.as_view(), name="hearing_list"),
    path("observations/", views.ObservationList.as_view(), name="observation_list"),
    path("flags/", views.FlagList.as_view(), name="flag_list"),
    path("interventions/", views.InterventionList.as_view(), name="intervention_list"),
    path("aggregates/hearings/", aggregates.HearingAggregates.as_view(), name="hearing_aggregates"),
    path("aggregates/standards/", aggregates.StandardAggregates.as_view(), name="standard_aggregates"),
    path("aggregates/accused/", aggregates.AccusedAggregates.as_view(), name="accused_aggregates"),
]
