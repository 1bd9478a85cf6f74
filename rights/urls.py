from django.urls import path

from rights.views import cases, dashboard, flags, hearings, observations, planning

app_name = "rights"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/export.csv", cases.case_export, name="case_export"),
    path("cases/new/", cases.case_create_view, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_update_view, name="case_update"),
    path("cases/<int:case_pk>/hearings/new/", hearings.hearing_create_view, name="hearing_create"),
    path("hearings/", hearings.hearing_list, name="hearing_list"),
    path("hearings/export.csv", hearings.hearing_export, name="hearing_export"),
    path("hearings/<int:pk>/", hearings.hearing_detail, name="hearing_detail"),
    path("hearings/<int:pk>/edit/", hearings.hearing_update_view, name="hearing_update"),
    path("hearings/<int:hearing_pk>/observe/", observations.observation_start_view, name="observation_start"),
    path("observations/", observations.observation_list, name="observation_list"),
    path("observations/export.csv", observations.observation_export, name="observation_export"),
    path("observations/<int:pk>/", observations.observation_detail, name="observation_detail"),
    path("observations/<int:pk>/edit/", observations.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/review/", observations.observation_review, name="observation_review"),
    path("observations/<int:pk>/correct/", observations.observation_correct_view, name="observation_correct"),
    path("review/", observations.review_queue, name="review_queue"),
    path("plan/", planning.plan_week, name="plan_week"),
    path("plan/new/", planning.plan_create, name="plan_create"),
    path("plan/<int:pk>/", planning.plan_detail, name="plan_detail"),
    path("plan/<int:pk>/edit/", planning.plan_edit, name="plan_edit"),
    path("plan/<int:pk>/assign/", planning.plan_assign, name="plan_assign"),
    path("plan/<int:pk>/status/", planning.plan_status, name="plan_status"),
    path("flags/", flags.flag_list, name="flag_list"),
    path("flags/<int:pk>/", flags.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/interventions/new/", flags.intervention_create, name="intervention_create"),
    path("flags/<int:pk>/close/", flags.flag_close_view, name="flag_close"),
    path("interventions/<int:pk>/edit/", flags.intervention_edit, name="intervention_edit"),
]
