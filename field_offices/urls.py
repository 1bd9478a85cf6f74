from django.urls import path

from field_offices import views

app_name = "field_offices"

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
]
