from django.urls import path

from mission.attachments import views

app_name = "attachments"

urlpatterns = [
    path("<str:label>/<int:object_id>/add/", views.attachment_add_view, name="add"),
    path("<uuid:key>/", views.attachment_download, name="download"),
    path("<uuid:key>/remove/", views.attachment_remove_view, name="remove"),
]
