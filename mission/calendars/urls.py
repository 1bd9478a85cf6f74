from django.urls import path

from mission.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.week_page, name="week"),
    path("link/", views.feed_create_view, name="feed_create"),
    path("link/revoke/", views.feed_revoke_view, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
