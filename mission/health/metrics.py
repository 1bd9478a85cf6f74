"""Metrics in Prometheus's text format at `/metrics/` (prometheus_client), for a monitoring system.

- `mission_request_duration_seconds{view, method, status}`: each request's time, by the view that
  answered (its URL name; "unresolved" for an address no view has), measured by `MetricsMiddleware`.
- `mission_queue_length{queue}`: tasks waiting in each Celery queue (Redis), read at scrape time.
- `mission_report_jobs{status}` and `mission_report_job_seconds{quantile}`: report jobs by status, and
  how long the jobs finished in the last day took (median and 95th percentile).
- `mission_report_job_failures_total`: report jobs that failed, ever.
- `mission_summary_age_seconds{summary}`: how old each summary's figures are.
- `mission_heartbeat_age_seconds{process}`: since a worker and beat were last seen.

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to an empty folder each process can write
(emptied at each start): every worker writes its own request timings there, and a scrape, whichever
worker answers it, adds them all up. The figures read at scrape time come from the database and
Redis, the same for every worker.

Reading them needs METRICS_TOKEN (`Authorization: Bearer …`) or a signed-in administrator. They
count things; nothing in them names anyone."""

import datetime
import os
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "mission_request_duration_seconds",
    "Time to answer a request, by the view that answered it.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class MetricsMiddleware:
    """Times each request (after the request id, before everything else the portal does)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unresolved"
        REQUEST_SECONDS.labels(view, request.method or "", str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


class PortalCollector(Collector):
    """What is read at scrape time: queues, report jobs, summaries, heartbeats."""

    def collect(self) -> Iterator[Any]:
        yield from _queues()
        yield from _report_jobs()
        yield from _ages()


def _queues() -> Iterator[Any]:
    lengths = GaugeMetricFamily("mission_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"])
    if settings.REDIS_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        import redis

        timeout = settings.HEALTH_REDIS_TIMEOUT_SECONDS
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            for queue in settings.METRICS_QUEUES:
                lengths.add_metric([queue], float(client.llen(queue)))
        except redis.RedisError:
            pass  # Redis away: no figure (readyz says why)
        finally:
            client.close()
    yield lengths


def _report_jobs() -> Iterator[Any]:
    from django.db.models import Count

    from mission.reports.models import ReportJob, ReportStatus

    by_status = GaugeMetricFamily("mission_report_jobs", "Report jobs by status.", labels=["status"])
    counts = dict(ReportJob.objects.order_by().values_list("status").annotate(n=Count("pk")))
    for status in ReportStatus.values:
        by_status.add_metric([status], float(counts.get(status, 0)))
    yield by_status
    yield CounterMetricFamily(
        "mission_report_job_failures", "Report jobs that failed.", value=float(counts.get(ReportStatus.FAILED, 0))
    )
    since = timezone.now() - datetime.timedelta(days=1)
    finished = ReportJob.objects.filter(
        finished_at__gte=since, started_at__isnull=False, status=ReportStatus.DONE
    ).values_list("started_at", "finished_at")
    seconds = sorted((end - start).total_seconds() for start, end in finished if start and end)
    summary = SummaryMetricFamily(
        "mission_report_job_seconds", "Time report jobs finished in the last day took.", labels=["quantile"]
    )
    if seconds:
        middle = statistics.median(seconds)
        high = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
        summary.add_sample("mission_report_job_seconds", {"quantile": "0.5"}, middle)
        summary.add_sample("mission_report_job_seconds", {"quantile": "0.95"}, high)
    summary.add_sample("mission_report_job_seconds_count", {}, float(len(seconds)))
    summary.add_sample("mission_report_job_seconds_sum", {}, float(sum(seconds)))
    yield summary


def _ages() -> Iterator[Any]:
    from mission.dashboards.models import SummaryRefresh
    from mission.health.models import Heartbeat

    now = timezone.now()
    summaries = GaugeMetricFamily(
        "mission_summary_age_seconds", "Since a summary's figures were last brought up to date.", labels=["summary"]
    )
    for name, refreshed in SummaryRefresh.objects.order_by("name").values_list("name", "refreshed_at"):
        summaries.add_metric([name], (now - refreshed).total_seconds())
    yield summaries
    beats = GaugeMetricFamily(
        "mission_heartbeat_age_seconds", "Since a background process was last seen.", labels=["process"]
    )
    for name, seen in Heartbeat.objects.order_by("name").values_list("name", "at"):
        beats.add_metric([name], (now - seen).total_seconds())
    yield beats


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # every worker's request timings
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(PortalCollector())
    return registry


def metrics(request: HttpRequest) -> HttpResponse:
    from mission.health.views import monitoring_or_administrator

    if not monitoring_or_administrator(request, settings.METRICS_TOKEN):
        return HttpResponse(status=403)
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
