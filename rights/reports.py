"""Trial-monitoring reports, made by the report framework (`mission.reports`) on a Celery worker:

- `trial_monitoring`: the periodic report as a PDF (title page, summary figures, the dashboard's
  indicators with charts, a section per region, flagged issues and interventions, method);
- `trial_monitoring_data`: hearings, observations and the accused persons of the cases heard (each
  once) as XLSX (one sheet each) or CSV (a ZIP of three files), streamed in constant memory; names of
  the accused (in the hearings) only when the requester may see them.
"""

import csv
import functools
import io
import itertools
import re
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import Case, CharField, F, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from field_offices.models import Region
from mission.accounts.permissions import scope_for
from mission.common import language_suffix
from mission.dashboards.filters import Filters
from mission.exports import neutralise, neutralised, stream_values
from mission.reports.registry import ReportContext, ReportError
from mission.sensitivity import pseudonym_sql
from rights import indicators
from rights.dashboards import trial_dashboard
from rights.models import (
    AdjournmentReason,
    AgeBand,
    Court,
    Flag,
    Hearing,
    HearingType,
    Observation,
    ObservationStatus,
    Party,
    PartyRole,
    Sex,
)
from rights.models import Case as CaseModel

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


def _filters(ctx: ReportContext, regions: list[Region], region: Region | None = None) -> Filters:
    """The report's figures are the dashboard's for these filters: one region, or all the report's."""
    if region is not None:
        return Filters(period=ctx.period, region=region, region_ids=frozenset({region.pk}), regions=[region])
    whole = not (ctx.parameters.get("region") or "") and (ctx.user is None or scope_for(ctx.user).region_ids is None)
    ids = None if whole else frozenset(r.pk for r in regions)
    return Filters(period=ctx.period, region=regions[0] if len(regions) == 1 else None, region_ids=ids, regions=regions)


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
    courts = {str(pk): name for pk, name in Court.objects.values_list("pk", f"name_{language_suffix()}")}
    figures, charts = trial_dashboard(_filters(ctx, regions), user=ctx.user, courts=courts)
    sections = []
    for n, region in enumerate(regions):
        ctx.progress(0.1 + 0.4 * n / len(regions), _("Region %(name)s") % {"name": region.name})
        region_figures, region_charts = trial_dashboard(_filters(ctx, regions, region), user=ctx.user, courts=courts)
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
    # PDF/UA: a tagged PDF (structure, reading order, language) that screen readers can read.
    document.write_pdf(ctx.output, pdf_variant="pdf/ua-1")
    code = ctx.parameters.get("region") or "mission"
    return f"trial-monitoring-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}-{ctx.job.language}.pdf"


@dataclass(frozen=True)
class Column:
    header: str
    # text: what someone typed or may edit (numbers, names, reference names), neutralised for
    # spreadsheets; label: words the portal writes itself (choices, yes/no, pseudonyms), which never
    # start like a formula; int, date, bool.
    kind: str = "text"
    width: int = 14


@functools.cache
def _pseudonym(language: str, ordinal: int) -> str:
    """What Party.pseudonym says ("Accused B") in a language, made once per language and ordinal."""
    return Party(role=PartyRole.ACCUSED, ordinal=ordinal).pseudonym


def _accused_by_case(hearings, with_names: bool):
    """(case id, the accused as one text) for the cases of these hearings, in case order: names
    where allowed, else pseudonyms. One streamed query, merged with hearings streamed in case order."""
    language = get_language()  # the report's
    parties = Party.objects.filter(role=PartyRole.ACCUSED, case__in=hearings.values("case_id")).order_by(
        "case_id", "ordinal"
    )
    current, people = None, []
    for case_id, ordinal, name in stream_values(parties, "case_id", "ordinal", "name", chunk=CHUNK):
        if case_id != current:
            if current is not None:
                yield current, "; ".join(people)
            current, people = case_id, []
        label = _pseudonym(language, ordinal)
        people.append(f"{label}: {name}" if with_names else label)
    if current is not None:
        yield current, "; ".join(people)


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
        Column(_("Type"), "label", 20),
        Column(_("Held"), "bool", 8),
        Column(_("Reason for adjournment"), "label", 24),
        Column(_("Recorded"), "bool", 10),
        Column(_("Public"), "bool", 8),
        Column(_("Accused"), "label", 30),  # each cell starts with a pseudonym ("Accused A: name")
    ]
    period = ctx.period
    # In case order, so that the accused merge in from one streamed query (see _accused_by_case).
    queryset = (
        _in_scope(Hearing.objects, ctx)
        .filter(date__gte=period.first, date__lte=period.end, case__municipality__region__in=regions)
        .order_by("case_id", "date", "pk")
    )
    fields = (
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
        accused = _accused_by_case(queryset, ctx.includes_restricted)
        case, text = next(accused, (None, ""))
        for case_id, date, number, court, region, municipality, kind, held, reason, recorded, public in stream_values(
            queryset, *fields, chunk=CHUNK
        ):
            while case is not None and case < case_id:
                case, text = next(accused, (None, ""))
            yield [
                date,
                number,
                court,
                region,
                municipality,
                types.get(kind, kind),
                held,
                reasons.get(reason) if reason else None,
                recorded,
                public,
                text if case == case_id else None,
            ]

    def as_text(accused=None):
        """The same rows as text, worked out by the database (for COPY straight into the CSV); the
        accused as pseudonyms, or as `accused` (placeholders that the names fill)."""
        return _as_text(
            queryset,
            columns,
            "date",
            "case__case_number",
            f"case__court__name_{suffix}",
            f"case__municipality__region__name_{suffix}",
            f"case__municipality__name_{suffix}",
            _labels("hearing_type", HearingType.choices),
            _yes_no("held"),
            _labels("adjournment_reason", AdjournmentReason.choices),
            _yes_no("recorded"),
            _yes_no("public"),
            _accused_text() if accused is None else accused,
        )

    if not ctx.includes_restricted:
        return Table(_("Hearings"), columns, queryset, rows, as_text)
    # Names are encrypted at rest (mission/encryption.py): the database cannot write them. COPY writes
    # a placeholder with the case's id instead, filled with the case's accused as the rows stream.
    filling = _Filling(lambda: _accused_by_case(queryset, True))
    return Table(_("Hearings"), columns, queryset, rows, lambda: as_text(filling.placeholder("case_id")), filling)


def _observation_table(ctx: ReportContext, regions):
    suffix = language_suffix()
    statuses = {k: str(v) for k, v in ObservationStatus.choices}
    columns = [
        Column(_("Hearing date"), "date", 12),
        Column(_("Case number"), "text", 18),
        Column(_("Court"), "text", 30),
        Column(_("Region"), "text", 18),
        Column(_("Monitor"), "text", 22),
        Column(_("Status"), "label", 18),
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
    fields = (
        "hearing__date",
        "hearing__case__case_number",
        f"hearing__case__court__name_{suffix}",
        f"hearing__case__municipality__region__name_{suffix}",
        "monitor__first_name",
        "monitor__last_name",
        "monitor__username",
        "status",
        "revision",
        "submitted_at__date",  # the day in the portal's time zone, worked out by the database
        "summary",
    )

    def rows():
        for date, number, court, region, first, last, username, status, revision, submitted, summary in stream_values(
            queryset, *fields, chunk=CHUNK
        ):
            yield [
                date,
                number,
                court,
                region,
                f"{first} {last}".strip() or username,
                statuses.get(status, status),
                revision,
                submitted,
                summary or None,
            ]

    def as_text():
        name = Trim(Concat(F("monitor__first_name"), Value(" "), F("monitor__last_name")))
        return _as_text(
            queryset,
            columns,
            "hearing__date",
            "hearing__case__case_number",
            f"hearing__case__court__name_{suffix}",
            f"hearing__case__municipality__region__name_{suffix}",
            Coalesce(NullIf(name, Value("")), F("monitor__username")),
            _labels("status", ObservationStatus.choices),
            "revision",
            "submitted_at__date",
            NullIf(F("summary"), Value(""), output_field=TextField()),
        )

    return Table(_("Observations"), columns, queryset, rows, as_text)


def _accused_table(ctx: ReportContext, regions):
    """The accused persons of the cases heard in the period, one row each (so each counts once): the
    case, the pseudonym (never the name: the counts need none), sex, age band, juvenile, community."""
    suffix = language_suffix()
    sexes = {k: str(v) for k, v in Sex.choices}
    ages = {k: str(v) for k, v in AgeBand.choices}
    juvenile_labels = {"juvenile": _("Juvenile (under 18)"), "adult": _("Adult"), "unknown": _("Not known")}
    columns = [
        Column(_("Case number"), "text", 18),
        Column(_("Court"), "text", 30),
        Column(_("Region"), "text", 18),
        Column(_("Accused"), "label", 14),
        Column(_("Sex"), "label", 12),
        Column(_("Age"), "label", 12),
        Column(_("Juvenile"), "label", 18),
        Column(_("Community"), "text", 18),
    ]
    period = ctx.period
    heard = _in_scope(Hearing.objects, ctx).filter(
        date__gte=period.first, date__lte=period.end, case__municipality__region__in=regions
    )
    queryset = (
        _in_scope(Party.objects, ctx)
        .filter(role=PartyRole.ACCUSED, case__in=heard.values("case_id"))
        .order_by("case_id", "ordinal")
    )
    fields = (
        "case__case_number",
        f"case__court__name_{suffix}",
        f"case__municipality__region__name_{suffix}",
        "ordinal",
        "sex",
        "age_band",
        "juvenile",
        f"community__name_{suffix}",
    )
    language = get_language()

    def rows():
        for number, court, region, ordinal, sex, age, juvenile, community in stream_values(
            queryset.annotate(juvenile=indicators.juvenile()), *fields, chunk=CHUNK
        ):
            yield [
                number,
                court,
                region,
                _pseudonym(language, ordinal),
                sexes.get(sex, sex),
                ages.get(age, age),
                juvenile_labels[juvenile],
                community,
            ]

    def as_text():
        return _as_text(
            queryset.annotate(juvenile=indicators.juvenile()),
            columns,
            "case__case_number",
            f"case__court__name_{suffix}",
            f"case__municipality__region__name_{suffix}",
            pseudonym_sql(Party),
            _labels("sex", Sex.choices),
            _labels("age_band", AgeBand.choices),
            Case(
                *[When(**{"juvenile": key}, then=Value(str(label))) for key, label in juvenile_labels.items()],
                output_field=CharField(),
            ),
            f"community__name_{suffix}",
        )

    return Table(_("Accused"), columns, queryset, rows, as_text)


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]
    queryset: object
    rows: object  # () -> typed rows, for XLSX and the portable CSV writer
    as_text: object  # () -> a values_list of the same rows as text, for COPY on PostgreSQL; None: Python writes it
    # Cells the database cannot write (names are encrypted at rest): `as_text` writes a placeholder
    # holding the case id, and COPY's output is filled in as it streams (see _Filled).
    filling: "_Filling | None" = None


def _as_text(queryset, columns: list[Column], *values):
    """The table's rows as the database writes them for COPY: text columns neutralised as the Python
    writers do it (`mission.exports`), so that both write the same file."""
    return queryset.values_list(
        *[
            neutralised(F(value) if isinstance(value, str) else value) if column.kind == "text" else value
            for column, value in zip(columns, values, strict=True)
        ]
    )


def _labels(field: str, choices) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(str(label))) for value, label in choices if value],
        default=None,  # NULL: COPY writes nothing, as Python's csv writes None
        output_field=CharField(),
    )


def _yes_no(field: str) -> Case:
    return Case(
        When(**{field: True}, then=Value(_("yes"))),
        When(**{field: False}, then=Value(_("no"))),
        default=None,
        output_field=CharField(),
    )


def _accused_text() -> Subquery:
    """The pseudonyms of the accused of the hearing's case as one text, as `_accused_by_case` writes
    them without names (PostgreSQL)."""
    from django.contrib.postgres.aggregates import StringAgg

    item = pseudonym_sql(Party)
    people = (
        Party.objects.filter(case_id=OuterRef("case_id"), role=PartyRole.ACCUSED)
        .order_by()
        .values("case_id")
        .annotate(text=StringAgg(item, delimiter="; ", order_by="ordinal"))
        .values("text")[:1]
    )
    return Subquery(people, output_field=CharField())


class _Filling:
    """Cells that Python fills into COPY's output: the database writes `placeholder(key)`, a marker
    with a random nonce that no stored text can hold, and `_Filled` swaps each for its cell, written
    as CSV (quoted where COPY and Python's csv quote: delimiter, quote, line breaks)."""

    def __init__(self, cells) -> None:
        self._cells = cells  # () -> (key, text) pairs
        self.nonce = secrets.token_hex(8).encode()
        self.pattern = re.compile(b"\x01" + self.nonce + b"(\\d+)\x02")

    def placeholder(self, key: str) -> Concat:
        marker = f"\x01{self.nonce.decode()}"
        return Concat(Value(marker), Cast(key, CharField()), Value("\x02"), output_field=CharField())

    def cells(self) -> dict[int, bytes]:
        return {key: _csv_cell(text).encode() for key, text in self._cells()}


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


class _Filled(io.RawIOBase):
    """Where COPY writes: each placeholder swapped for its cell (a placeholder cut by a chunk's end
    waits for the next chunk); then on to `raw`."""

    def __init__(self, raw, filling: _Filling) -> None:
        self.raw, self.pattern, self.cells, self.pending = raw, filling.pattern, filling.cells(), b""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        text = self.pending + bytes(data)
        start = text.rfind(b"\x01")
        if start != -1 and text.find(b"\x02", start) == -1:
            text, self.pending = text[:start], text[start:]
        else:
            self.pending = b""
        self.raw.write(self.pattern.sub(lambda match: self.cells.get(int(match.group(1)), b""), text))
        return len(data)

    def close(self) -> None:
        if self.pending:  # never a whole placeholder: written as it came
            self.raw.write(self.pending)
            self.pending = b""
        super().close()


class _Counter:
    """Progress over both tables: rows written of rows expected."""

    def __init__(self, ctx: ReportContext, total: int) -> None:
        self.ctx, self.total, self.done = ctx, max(total, 1), 0

    def step(self, note: str, rows: int = 1) -> None:
        before, self.done = self.done, self.done + rows
        if before // 500 != self.done // 500:
            self.ctx.progress(0.05 + 0.9 * self.done / self.total, note)


def _write_xlsx(ctx: ReportContext, tables) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    counter = _Counter(ctx, sum(table.queryset.count() for table in tables))
    for table in tables:
        title, columns, rows = table.title, table.columns, table.rows
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
        written = 0
        text_columns = [n for n, c in enumerate(columns) if c.kind == "text"]
        for row in rows():
            for n in text_columns:  # or openpyxl stores "=1+2" as a live formula
                row[n] = neutralise(row[n])
            for n in date_columns:
                if row[n] is not None:
                    cell = WriteOnlyCell(sheet, value=row[n])
                    cell.number_format = "yyyy-mm-dd"
                    row[n] = cell
            sheet.append(row)
            written += 1
            counter.step(title)
        # Filter buttons on the header, over every row written (a write-only sheet keeps the range
        # until it is saved).
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{written + 1}"
    workbook.save(ctx.output)


def _copy_csv_zip(ctx: ReportContext, tables) -> None:
    """On PostgreSQL: each table's text rows go from COPY straight into the ZIP, never through Python;
    a table the database cannot write (one with encrypted names) goes through the portable writer."""
    from django.db import connection

    with zipfile.ZipFile(ctx.output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n, table in enumerate(tables):
            ctx.progress(0.05 + 0.9 * n / len(tables), table.title)
            if table.as_text is None:
                _python_csv_table(ctx, archive, table)
                continue
            try:
                sql, params = table.as_text().query.sql_with_params()
            except EmptyResultSet:  # nothing in scope: the header alone
                sql = None
            with archive.open(f"{table.title.lower()}.csv", "w") as raw, connection.cursor() as cursor:
                header = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                csv.writer(header, lineterminator="\n").writerow([c.header for c in table.columns])
                header.flush()
                header.detach()
                if sql is not None:
                    statement = cursor.mogrify(sql, params).decode()
                    target = raw if table.filling is None else _Filled(raw, table.filling)
                    cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", target)
                    if target is not raw:
                        target.close()


def _write_csv_zip(ctx: ReportContext, tables) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        _copy_csv_zip(ctx, tables)
    else:
        _python_csv_zip(ctx, tables)


def _python_csv_zip(ctx: ReportContext, tables) -> None:
    """Elsewhere (SQLite): the typed rows, written by Python; the same text as `_copy_csv_zip`."""
    counter = _Counter(ctx, sum(table.queryset.count() for table in tables))
    # Fast deflate: the text shrinks about sevenfold all the same, at a fraction of the default's cost.
    with zipfile.ZipFile(ctx.output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for table in tables:
            _python_csv_table(ctx, archive, table, counter)


def _python_csv_table(ctx: ReportContext, archive: zipfile.ZipFile, table, counter: "_Counter | None" = None) -> None:
    yes, no = _("yes"), _("no")
    title, columns, rows = table.title, table.columns, table.rows
    with archive.open(f"{title.lower()}.csv", "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", write_through=False)
        writer = csv.writer(text, lineterminator="\n")  # as COPY writes
        writer.writerow([c.header for c in columns])
        dates = [n for n, c in enumerate(columns) if c.kind == "date"]
        flags = [n for n, c in enumerate(columns) if c.kind == "bool"]
        texts = [n for n, c in enumerate(columns) if c.kind == "text"]
        source = rows()
        while batch := list(itertools.islice(source, CHUNK)):
            for row in batch:
                for n in texts:
                    row[n] = neutralise(row[n])
                for n in dates:
                    if row[n] is not None:
                        row[n] = row[n].isoformat()
                for n in flags:
                    value = row[n]
                    row[n] = "" if value is None else yes if value else no
            writer.writerows(batch)
            if counter is not None:
                counter.step(title, len(batch))
        text.flush()
        text.detach()


def build_trial_monitoring_data(ctx: ReportContext) -> str:
    regions = _regions(ctx)
    hearings = _hearing_table(ctx, regions)
    tables = [hearings, _observation_table(ctx, regions), _accused_table(ctx, regions)]
    if ctx.includes_restricted:
        # The cases whose accused are named in the hearings table, as `_accused_by_case` writes them.
        named = Party.objects.filter(role=PartyRole.ACCUSED, case__in=hearings.queryset.values("case_id"))
        ctx.discloses(
            CaseModel.objects.filter(pk__in=named.values("case_id")),
            label=CaseModel.label_expression(),
        )
    if ctx.job.format == "xlsx":
        _write_xlsx(ctx, tables)
        extension = "xlsx"
    else:
        _write_csv_zip(ctx, tables)
        extension = "zip"
    code = ctx.parameters.get("region") or "mission"
    return f"trial-monitoring-data-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}.{extension}"
