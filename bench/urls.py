from django.http import HttpResponse
from django.urls import path

from mission.urls import handler403, handler404, handler500  # noqa: F401
from mission.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """The baseline for page throughput: the same middleware (session, auth, CSRF, CSP, locale) and
    nothing else."""
    return HttpResponse(b"<!DOCTYPE html><title>bare</title><p>ok</p>")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
