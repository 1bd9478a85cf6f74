from django.urls import path

from mission.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.notifications_read_view, name="read"),
    path("settings/", views.notification_settings, name="settings"),
]
