from django.urls import path

from mission.dashboards import views

app_name = "dashboards"

# Mounted at the root (mission/urls.py): the municipality page kept the address it had when it lived with
# the geography.
urlpatterns = [
    path("dashboards/", views.overview, name="overview"),
    path("field-offices/municipalities/<str:code>/", views.municipality_detail, name="municipality_detail"),
]
