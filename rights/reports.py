"""Trial-monitoring reports, made by the report framework (`mission.reports`) on a Celery worker:

- `trial_monitoring`: the periodic report as a PDF (title page, summary figures, the dashboard's
  indicators with charts, a section per region, flagged issues and interventions, method);
- `trial_monitoring_data`: hearings and observations as XLSX (one sheet each) or CSV (a ZIP of two
  files), streamed in constant memory; names of the accused only when the requester may see them.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from field_offices.models import Region
from mission.accounts.permissions import scope_for
from mission.common import language_suffix
from mission.reports.registry import ReportContext, ReportError
from rights import indicators
from rights.dashboards import human_rights_charts
from rights.models import (
    AdjournmentReason,
    Court,
    Flag,
    Hearing,
    HearingType,
    Observation,
    ObservationStatus,
    Party,
    PartyRole,
)

CHUNK = 2000
LATEST_FLAGS = 60  # the PDF lists the latest flags; the tables above count all of them


def _regions(ctx: ReportContext) -> list[Region]:
    code = ctx.parameters.get("region") or ""
    regions = Region.objects.order_by("code")
    if code:
        regions = regions.filter(code=code)
    if ctx.user is not None:
        scope = scope_for(ctx.user)
        if scope.region_ids is not None:
            regions = regions.filter(pk__in=scope.region_ids)
    regions = list(regions)
    if not regions:
        raise ReportError(_("There is no region in your scope to report on."))
    return regions


def _scope(ctx: ReportContext, regions: list[Region], region_ids=None) -> indicators.Scope:
    whole = not (ctx.parameters.get("region") or "") and (ctx.user is None or scope_for(ctx.user).region_ids is None)
    ids = region_ids if region_ids is not None else (None if whole else frozenset(r.pk for r in regions))
    return indicators.Scope(user=ctx.user, period=ctx.period, region_ids=ids)


def _in_scope(queryset, ctx: ReportContext):
    """Live records for the report: the requester's scope, or everything for a scheduled report
    (which is limited to its region below)."""
    return queryset.visible_to(ctx.user) if ctx.user is not None else queryset.all()


def build_trial_monitoring_pdf(ctx: ReportContext) -> str:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError):
        raise ReportError(
            _("PDF reports need the Pango library on the server. Ask an administrator to install it (see README).")
        ) from None

    from mission.dashboards.services import summaries_ensure_fresh
    from rights.services.summaries import SUMMARY_NAME

    regions = _regions(ctx)
    period = ctx.period
    ctx.progress(0.02, _("Bringing the figures up to date"))
    freshness = summaries_ensure_fresh((SUMMARY_NAME,))
    ctx.progress(0.05, _("Counting the indicators"))
    filters = SimpleNamespace(period=period, regions=regions)
    courts = {str(pk): name for pk, name in Court.objects.values_list("pk", f"name_{language_suffix()}")}
    figures, charts = human_rights_charts(filters, courts=courts, **indicators.trial_indicators(_scope(ctx, regions)))
    sections = []
    for n, region in enumerate(regions):
        ctx.progress(0.1 + 0.4 * n / len(regions), _("Region %(name)s") % {"name": region.name})
        region_figures, region_charts = human_rights_charts(
            SimpleNamespace(period=period, regions=[region]),
            courts=courts,
            **indicators.trial_indicators(_scope(ctx, regions, frozenset({region.pk}))),
        )
        by_court = next(c for c in region_charts if c.slug == "by-court")
        sections.append({"region": region, "figures": region_figures, "by_court": by_court})
    ctx.progress(0.55, _("Flags and interventions"))
    flags = (
        _in_scope(Flag.objects, ctx)
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
    document.write_pdf(ctx.output)
    code = ctx.parameters.get("region") or "mission"
    return f"trial-monitoring-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}-{ctx.job.language}.pdf"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, int, date, bool
    width: int = 14


def _pseudonym(role: str, ordinal: int) -> str:
    return Party(role=role, ordinal=ordinal).pseudonym


def _accused(case_ids: set[int], with_names: bool) -> dict[int, str]:
    """The accused of these cases, as one text per case: names where allowed, else pseudonyms."""
    people: dict[int, list[str]] = {}
    rows = (
        Party.objects.filter(case_id__in=case_ids, role=PartyRole.ACCUSED)
        .order_by("case_id", "ordinal")
        .values_list("case_id", "ordinal", "name")
    )
    for case_id, ordinal, name in rows:
        label = _pseudonym(PartyRole.ACCUSED, ordinal)
        people.setdefault(case_id, []).append(f"{label}: {name}" if with_names else label)
    return {case_id: "; ".join(names) for case_id, names in people.items()}


def _hearing_table(ctx: ReportContext, regions):
    suffix = language_suffix()
    types = {k: str(v) for k, v in HearingType.choices}
    reasons = {k: str(v) for k, v in AdjournmentReason.choices}
    columns = [
        Column(_("Date"), "date", 12),
        Column(_("Case number"), "text", 18),
        Column(_("Court"), "text", 30),
        Column(_("Region"), "text", 18),
        Column(_("Municipality"), "text", 18),
        Column(_("Type"), "text", 20),
        Column(_("Held"), "bool", 8),
        Column(_("Reason for adjournment"), "text", 24),
        Column(_("Recorded"), "bool", 10),
        Column(_("Public"), "bool", 8),
        Column(_("Accused"), "text", 30),
    ]
    period = ctx.period
    queryset = (
        _in_scope(Hearing.objects, ctx)
        .filter(date__gte=period.first, date__lte=period.end, case__municipality__region__in=regions)
        .order_by("pk")
    )
    values = queryset.values_list(
        "case_id",
        "date",
        "case__case_number",
        f"case__court__name_{suffix}",
        f"case__municipality__region__name_{suffix}",
        f"case__municipality__name_{suffix}",
        "hearing_type",
        "held",
        "adjournment_reason",
        "recorded",
        "public",
    )

    def rows():
        batch = []
        for row in values.iterator(chunk_size=CHUNK):
            batch.append(row)
            if len(batch) == CHUNK:
                yield from _hearing_rows(batch)
                batch = []
        yield from _hearing_rows(batch)

    def _hearing_rows(batch):
        accused = _accused({row[0] for row in batch}, ctx.includes_restricted)
        for case_id, date, number, court, region, municipality, kind, held, reason, recorded, public in batch:
            yield [
                date,
                number,
                court,
                region,
                municipality,
                types.get(kind, kind),
                held,
                reasons.get(reason, ""),
                recorded,
                public,
                accused.get(case_id, ""),
            ]

    return _("Hearings"), columns, queryset, rows


def _observation_table(ctx: ReportContext, regions):
    suffix = language_suffix()
    statuses = {k: str(v) for k, v in ObservationStatus.choices}
    columns = [
        Column(_("Hearing date"), "date", 12),
        Column(_("Case number"), "text", 18),
        Column(_("Court"), "text", 30),
        Column(_("Region"), "text", 18),
        Column(_("Monitor"), "text", 22),
        Column(_("Status"), "text", 18),
        Column(_("Revision"), "int", 9),
        Column(_("Submitted"), "date", 12),
        Column(_("Summary"), "text", 50),
    ]
    period = ctx.period
    queryset = (
        _in_scope(Observation.objects, ctx)
        .filter(
            hearing__date__gte=period.first,
            hearing__date__lte=period.end,
            hearing__case__municipality__region__in=regions,
        )
        .order_by("pk")
    )
    values = queryset.values_list(
        "hearing__date",
        "hearing__case__case_number",
        f"hearing__case__court__name_{suffix}",
        f"hearing__case__municipality__region__name_{suffix}",
        "monitor__first_name",
        "monitor__last_name",
        "monitor__username",
        "status",
        "revision",
        "submitted_at",
        "summary",
    )

    def rows():
        for date, number, court, region, first, last, username, status, revision, submitted, summary in values.iterator(
            chunk_size=CHUNK
        ):
            yield [
                date,
                number,
                court,
                region,
                f"{first} {last}".strip() or username,
                statuses.get(status, status),
                revision,
                timezone.localtime(submitted).date() if submitted else None,
                " ".join(summary.split()),
            ]

    return _("Observations"), columns, queryset, rows


class _Counter:
    """Progress over both tables: rows written of rows expected."""

    def __init__(self, ctx: ReportContext, total: int) -> None:
        self.ctx, self.total, self.done = ctx, max(total, 1), 0

    def step(self, note: str) -> None:
        self.done += 1
        if self.done % 500 == 0:
            self.ctx.progress(0.05 + 0.9 * self.done / self.total, note)


def _write_xlsx(ctx: ReportContext, tables) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    counter = _Counter(ctx, sum(queryset.count() for _t, _c, queryset, _r in tables))
    for title, columns, _queryset, rows in tables:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for n, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = column.width
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        date_columns = [n for n, c in enumerate(columns) if c.kind == "date"]
        for row in rows():
            for n in date_columns:
                if row[n] is not None:
                    cell = WriteOnlyCell(sheet, value=row[n])
                    cell.number_format = "yyyy-mm-dd"
                    row[n] = cell
            sheet.append(row)
            counter.step(title)
    workbook.save(ctx.output)


def _write_csv_zip(ctx: ReportContext, tables) -> None:
    yes, no = _("yes"), _("no")
    counter = _Counter(ctx, sum(queryset.count() for _t, _c, queryset, _r in tables))
    with zipfile.ZipFile(ctx.output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for title, columns, _queryset, rows in tables:
            with archive.open(f"{title.lower()}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow([c.header for c in columns])
                kinds = [c.kind for c in columns]
                for row in rows():
                    writer.writerow(
                        [
                            ""
                            if value is None
                            else value.isoformat()
                            if kind == "date"
                            else (yes if value else no)
                            if kind == "bool"
                            else value
                            for value, kind in zip(row, kinds, strict=True)
                        ]
                    )
                    counter.step(title)
                text.flush()
                text.detach()


def build_trial_monitoring_data(ctx: ReportContext) -> str:
    regions = _regions(ctx)
    tables = [_hearing_table(ctx, regions), _observation_table(ctx, regions)]
    if ctx.job.format == "xlsx":
        _write_xlsx(ctx, tables)
        extension = "xlsx"
    else:
        _write_csv_zip(ctx, tables)
        extension = "zip"
    code = ctx.parameters.get("region") or "mission"
    return f"trial-monitoring-data-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}.{extension}"


def register() -> None:
    from django.utils.translation import gettext_lazy

    from mission.accounts.roles import Department
    from mission.reports import registry

    registry.register(
        registry.ReportType(
            key="trial_monitoring",
            label=gettext_lazy("Trial-monitoring report"),
            department=Department.RIGHTS,
            formats=("pdf",),
            description=gettext_lazy(
                "The periodic report: summary figures, indicators with charts, each region, flags and interventions."
            ),
            build=build_trial_monitoring_pdf,
            monthly=True,
        )
    )
    registry.register(
        registry.ReportType(
            key="trial_monitoring_data",
            label=gettext_lazy("Hearings and observations (data)"),
            department=Department.RIGHTS,
            formats=("xlsx", "csv"),
            description=gettext_lazy("Every hearing and observation of the period, one sheet or file each."),
            build=build_trial_monitoring_data,
            may_include_restricted=True,
        )
    )
