"""Trial-monitoring reports, made by the report framework (`mission.reports`) on a Celery worker:

- `trial_monitoring`: the periodic report as a PDF (title page, summary figures, the dashboard's
  indicators with charts, a section per region, flagged issues and interventions, method);
- `trial_monitoring_data`: hearings, observations and the accused persons of the cases heard (each
  once) as XLSX (one sheet each) or CSV (a ZIP of three files), streamed in constant memory; names of
  the accused (in the hearings) only when the requester may see them.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from field_offices.models import Region
from mission.common import language_suffix
from mission.exports import Table, write_csv_zip, write_xlsx
from mission.reports.registry import ReportContext, ReportError
from rights import indicators, tables
from rights.dashboards import trial_dashboard
from rights.models import Case, Court, Flag, Hearing, Observation, Party, PartyRole

LATEST_FLAGS = 60  # the PDF lists the latest flags; the tables above count all of them


def build_trial_monitoring_pdf(ctx: ReportContext) -> str:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError):
        raise ReportError(
            _("PDF reports need the Pango library on the server. Ask an administrator to install it (see README).")
        ) from None

    from mission.dashboards.services import summaries_ensure_fresh
    from rights.services.summaries import SUMMARY_NAME

    regions = ctx.regions()
    period = ctx.period
    ctx.progress(0.02, _("Bringing the figures up to date"))
    freshness = summaries_ensure_fresh((SUMMARY_NAME,))
    ctx.progress(0.05, _("Counting the indicators"))
    courts = {str(pk): name for pk, name in Court.objects.values_list("pk", f"name_{language_suffix()}")}
    figures, charts = trial_dashboard(ctx.filters(regions), user=ctx.user, courts=courts)
    sections = []
    for n, region in enumerate(regions):
        ctx.progress(0.1 + 0.4 * n / len(regions), _("Region %(name)s") % {"name": region.name})
        region_figures, region_charts = trial_dashboard(ctx.filters(regions, region), user=ctx.user, courts=courts)
        by_court = next(c for c in region_charts if c.slug == "by-court")
        sections.append({"region": region, "figures": region_figures, "by_court": by_court})
    ctx.progress(0.55, _("Flags and interventions"))
    flags = (
        ctx.in_scope(Flag.objects)
        .filter(hearing__date__gte=period.first, hearing__date__lte=period.end)
        .filter(case__municipality__region__in=regions)
        .select_related("case__court", "hearing")
        .prefetch_related("interventions")
        .order_by("-hearing__date", "-pk")[:LATEST_FLAGS]
    )
    region_label = regions[0].name if len(regions) == 1 else _("the whole mission")
    html = render_to_string(
        "rights/reports/trial_monitoring.html",
        {
            "period": period,
            "period_label": period.label(),
            "region_label": region_label,
            "figures": figures,
            "charts": charts,
            "sections": sections,
            "flags": list(flags),
            "latest_flags": LATEST_FLAGS,
            "made_at": timezone.localtime(),
            "figures_as_of": freshness.as_of,
            "requested_by": ctx.user,
        },
    )
    ctx.progress(0.7, _("Laying out the pages"))
    stylesheet = CSS(filename=str(settings.BASE_DIR / "static" / "css" / "report.css"))
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[stylesheet])
    ctx.progress(0.9, _("Writing the PDF"))
    # PDF/UA: a tagged PDF (structure, reading order, language) that screen readers can read.
    document.write_pdf(ctx.output, pdf_variant="pdf/ua-1")
    code = ctx.parameters.get("region") or "mission"
    return f"trial-monitoring-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}-{ctx.job.language}.pdf"


def _hearing_table(ctx: ReportContext, regions: list[Region]) -> Table:
    period = ctx.period
    # In case order, so that the accused merge in from one streamed query (`rights.tables.HEARINGS`).
    queryset = (
        ctx.in_scope(Hearing.objects)
        .filter(date__gte=period.first, date__lte=period.end, case__municipality__region__in=regions)
        .order_by("case_id", "date", "pk")
    )
    return Table(_("Hearings"), tables.HEARINGS_REPORT, queryset, restricted=ctx.includes_restricted)


def _observation_table(ctx: ReportContext, regions: list[Region]) -> Table:
    period = ctx.period
    queryset = (
        ctx.in_scope(Observation.objects)
        .filter(
            hearing__date__gte=period.first,
            hearing__date__lte=period.end,
            hearing__case__municipality__region__in=regions,
        )
        .order_by("pk")
    )
    return Table(_("Observations"), tables.OBSERVATIONS_REPORT, queryset)


def _accused_table(ctx: ReportContext, regions: list[Region]) -> Table:
    """The accused persons of the cases heard in the period, one row each (so each counts once)."""
    period = ctx.period
    heard = ctx.in_scope(Hearing.objects).filter(
        date__gte=period.first, date__lte=period.end, case__municipality__region__in=regions
    )
    queryset = (
        ctx.in_scope(Party.objects)
        .filter(role=PartyRole.ACCUSED, case__in=heard.values("case_id"))
        .annotate(juvenile=indicators.juvenile())
        .order_by("case_id", "ordinal")
    )
    return Table(_("Accused"), tables.ACCUSED, queryset)


def build_trial_monitoring_data(ctx: ReportContext) -> str:
    regions = ctx.regions()
    hearings = _hearing_table(ctx, regions)
    files = [hearings, _observation_table(ctx, regions), _accused_table(ctx, regions)]
    if ctx.includes_restricted:
        # The cases whose accused are named in the hearings table, as `rights.tables` writes them.
        named = Party.objects.filter(role=PartyRole.ACCUSED, case__in=hearings.queryset.values("case_id"))
        ctx.discloses(
            Case.objects.filter(pk__in=named.values("case_id")),
            label=Case.label_expression(),
        )
    if ctx.job.format == "xlsx":
        write_xlsx(ctx.output, files, ctx.progress)
        extension = "xlsx"
    else:
        write_csv_zip(ctx.output, files, ctx.progress)
        extension = "zip"
    code = ctx.parameters.get("region") or "mission"
    return f"trial-monitoring-data-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}.{extension}"
