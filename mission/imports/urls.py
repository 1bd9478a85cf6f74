from django.urls import URLPattern, path

from mission.imports import views
from mission.imports.flows import families, targets

app_name = "imports"


def _patterns() -> list[URLPattern]:
    found = [path("", views.index, name="index")]
    for flow in targets():
        found += views.flow_urlpatterns(flow.key, f"{flow.key}/")
    for name in families():
        found += views.family_urlpatterns(name, f"{name}/<int:parent>/")
    return found


urlpatterns = _patterns()
