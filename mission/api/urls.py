"""/api/v1/: the reference endpoints of the geography, every department's (DepartmentConfig.api_urls), the
OpenAPI schema and its interactive docs."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from mission import departments
from mission.api.views import ApiRootView

app_name = "api"


class SchemaView(SpectacularAPIView):
    # The schema and docs hold no data: partners read them before they have a token.
    permission_classes = [AllowAny]
    authentication_classes = []


class DocsView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    authentication_classes = []
    url_name = "api:schema"


def _exempt(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """API views answer 401 with JSON themselves; the site's login redirect must not catch them."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):  # an include() (a URLResolver) has no view of its own
            pattern.callback = login_not_required(pattern.callback)
    return patterns


urlpatterns = _exempt(
    [
        path("", ApiRootView.as_view(), name="root"),
        path("schema/", SchemaView.as_view(), name="schema"),
        path("docs/", DocsView.as_view(), name="docs"),
    ]
)
_mounted = [(import_string("field_offices.api.urls.urlpatterns"), "field_offices")]
_mounted += [
    (config.api_urlpatterns(), config.label)
    for config in departments.all()
    if config.api_urls or config.records or config.trackers
]
for _patterns, _namespace in _mounted:
    urlpatterns.append(path("", include((_exempt(_patterns), _namespace))))
