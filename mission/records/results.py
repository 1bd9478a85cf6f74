"""A department's results report: the dashboard of its declared records and trackers
(`mission.records.dashboard`) for a period and the requester's regions, as a tagged PDF in the
language asked, made by the report framework (`mission.reports`) on a worker. Counts only: no name
is in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mission.dashboards.services import summaries_ensure_fresh
from mission.records.dashboard import record_dashboard
from mission.records.summary import summary_name
from mission.reports.registry import ReportContext, ReportError, ReportType

if TYPE_CHECKING:
    from mission.departments import DepartmentConfig


def build_results_pdf(config: DepartmentConfig, ctx: ReportContext) -> str:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError):
        raise ReportError(
            _("PDF reports need the Pango library on the server. Ask an administrator to install it (see README).")
        ) from None
    if ctx.user is None:
        raise ReportError(_("This report is made for the person who asks for it."))
    regions = ctx.regions()
    ctx.progress(0.1, _("Counting the records"))
    summaries_ensure_fresh((summary_name(config),))
    figures, charts = record_dashboard(config, ctx.user, ctx.filters(regions))
    html = render_to_string(
        "records/results_report.html",
        {
            "department": config.verbose_name,
            "period_label": ctx.period.label(),
            "region_label": regions[0].name if len(regions) == 1 else _("the whole mission"),
            "figures": figures,
            "charts": charts,
            "made_at": timezone.localtime(),
            "requested_by": ctx.user,
        },
    )
    ctx.progress(0.6, _("Laying out the pages"))
    stylesheet = CSS(filename=str(settings.BASE_DIR / "static" / "css" / "report.css"))
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[stylesheet])
    ctx.progress(0.9, _("Writing the PDF"))
    document.write_pdf(ctx.output, pdf_variant="pdf/ua-1")  # tagged, for screen readers
    code = ctx.parameters.get("region") or "mission"
    return f"{config.label}-results-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}-{ctx.job.language}.pdf"


def results_report_type(config: DepartmentConfig) -> ReportType:
    import functools

    return ReportType(
        key=f"{config.label}_results",
        label=format_lazy(gettext_lazy("{department}: results"), department=capfirst(config.verbose_name)),
        department=config.department,
        formats=("pdf",),
        description=gettext_lazy(
            "The figures and charts of the department's dashboard for a period, as a PDF: counts only, no names."
        ),
        build=functools.partial(build_results_pdf, config),
    )
