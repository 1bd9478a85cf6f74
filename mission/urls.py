from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language

from mission import departments, views
from mission.health import metrics
from mission.health import views as health

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("metrics/", login_not_required(never_cache(metrics.metrics)), name="metrics"),
    path("accounts/", include("mission.accounts.urls")),
    path("field-offices/", include("field_offices.urls")),
    path("", include("mission.dashboards.urls")),  # /dashboards/ and the municipality pages
    path("reports/", include("mission.reports.urls")),
    path("files/", include("mission.attachments.urls")),
    path("calendar/", include("mission.calendars.urls")),
    path("notifications/", include("mission.notifications.urls")),
    path("imports/", include("mission.imports.urls")),
    # Anyone may switch language, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("mission.api.urls")),
]

# Departments plug in their pages by declaring them on their DepartmentConfig (`url_prefix`, `urls`), so
# that the core never refers to a department.
urlpatterns += [
    path(config.url_prefix, include((config.page_urlpatterns(), config.label)))
    for config in departments.all()
    if config.urls or config.records or config.trackers
]

handler400 = "mission.views.error_400"
handler403 = "mission.views.error_403"
handler404 = "mission.views.error_404"
handler500 = "mission.views.error_500"
