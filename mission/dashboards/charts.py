"""Charts drawn on the server as SVG, each with the table of its numbers and a CSV download.

A dashboard builds `Chart`s from aggregated rows; the templates print the strings prepared here, so
that numbers are formatted once, in the user's language, and the SVG geometry is never localised
(a decimal comma in an SVG attribute would break the drawing).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from field_offices.boundaries import ATTRIBUTION, outlines

COUNT, RATE, TEXT = "count", "rate", "text"
MEAN = "mean"  # a mean, written to one decimal
PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")  # ColorBrewer Blues, light to dark
ZERO_FILL = "#f4f6f8"
OUTSIDE_FILL = "#d9d9d9"
# Stacked series' colours, up to eight (a tracker's statuses and "no status yet").
SERIES_FILLS = ("#3182bd", "#fd8d3c", "#74c476", "#9e9ac8", "#969696", "#e7ba52", "#d6616b", "#17becf")


def format_value(value: Any, kind: str = COUNT) -> str:
    """A count or a rate (a fraction) as the user's language writes it; an em dash when unknown."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):  # a label (a row's head): text, never grouped like a number
        return value
    if kind == RATE:
        return f"{number_format(shown_percent(value), 1, use_l10n=True)} %"
    if kind == COUNT:
        return number_format(value, 0, use_l10n=True, force_grouping=True)
    if kind == MEAN:
        return number_format(round(value, 1), 1, use_l10n=True)
    return str(value)


def shown_percent(value: float) -> float:
    """A rate (a fraction) as the percentage shown, to one decimal. Rounded here, not by number_format,
    which cuts 4.999… to 4.9; and whatever compares rates compares these, the figures the reader sees."""
    return round(value * 100, 1)


def rate(numerator: float, denominator: float | None) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Column:
    label: StrOrPromise
    kind: str = COUNT


@dataclass
class Chart:
    """One chart: the rows are the data; `series` names the columns drawn (stacked for `columns`)."""

    slug: str
    title: StrOrPromise
    columns: list[Column]
    rows: list[list[Any]]
    series: tuple[int, ...] = (1,)
    style: str = "bars"  # "bars": one horizontal bar per row; "columns": vertical, over months
    note: str = ""
    links: list[str] = field(default_factory=list)  # per row, optional
    axis_labels: list[str] = field(default_factory=list)  # short labels under columns (else the first column)
    stacked: bool = True  # "columns" with several series: stacked (parts of a total), else side by side
    # Its numbers are measures (a share in per cent), not counts: 0 is a figure, and the chart is empty
    # only when no figure is known.
    measured: bool = False
    empty_text: StrOrPromise = ""  # what the page says when it is empty (else "Nothing to show…")
    # Its numbers by municipality as a map (`choropleth`): the page draws the map, with the rows as its
    # data table and CSV; a report prints the rows.
    shape_map: dict[str, Any] | None = None

    @property
    def empty(self) -> bool:
        if self.measured:
            return not any(row[i] is not None for row in self.rows for i in self.series)
        return not self.rows or not any(self._number(row, i) for row in self.rows for i in self.series)

    def _number(self, row: list[Any], index: int) -> float:
        value = row[index]
        return float(value) if isinstance(value, (int, float)) else 0.0

    def table(self) -> dict[str, Any]:
        body = []
        for position, row in enumerate(self.rows):
            cells = [format_value(v, c.kind) for v, c in zip(row, self.columns, strict=True)]
            link = self.links[position] if position < len(self.links) else ""
            body.append({"head": cells[0], "cells": cells[1:], "link": link})
        return {"header": [c.label for c in self.columns], "rows": body}

    def csv_rows(self) -> tuple[list[str], list[list[Any]]]:
        header = [f"{c.label} (%)" if c.kind == RATE else str(c.label) for c in self.columns]
        rows = []
        for row in self.rows:
            out = []
            for value, column in zip(row, self.columns, strict=True):
                if column.kind == RATE:
                    out.append("" if value is None else round(value * 100, 2))
                elif column.kind == MEAN:
                    out.append("" if value is None else round(value, 2))
                else:
                    out.append("" if value is None else value)
            rows.append(out)
        return header, rows

    def svg(self) -> dict[str, Any]:
        """The drawing for a page: SCREEN_WIDTH units wide, scaled by the stylesheet to fit its box."""
        return self.drawing(SCREEN)

    @property
    def print_svg(self) -> dict[str, Any]:
        """The drawing for a printed report: the width of an A4 text block, drawn at its own size."""
        return self.drawing(PRINT)

    def drawing(self, layout: "Layout") -> dict[str, Any]:
        return self._columns(layout) if self.style == "columns" else self._bars(layout)

    def legend(self) -> list[dict[str, Any]]:
        if len(self.series) < 2:
            return []
        return [{"fill": SERIES_FILLS[n], "label": self.columns[i].label} for n, i in enumerate(self.series)]

    def _bars(self, layout: "Layout") -> dict[str, Any]:
        """One horizontal bar per row, its series stacked. A label wraps onto a second line within its
        share of the width and is shortened with an ellipsis beyond (the tooltip and the table below
        have it whole), so no label runs past the drawing's edge on a 360 px phone."""
        width, font = layout.width, layout.font_size
        gap, line_height = font * 0.5, font * 1.2
        stacked = len(self.series) > 1
        kind = COUNT if stacked else self.columns[self.series[0]].kind
        totals = [sum(self._number(row, i) for i in self.series) for row in self.rows]
        values = [
            format_value(total if stacked else row[self.series[0]], kind)
            for total, row in zip(totals, self.rows, strict=True)
        ]
        value_width = max((text_width(v, font) for v in values), default=0)
        longest = max((text_width(str(row[0]), font) for row in self.rows), default=0)
        label_width = min(longest, width * LABEL_SHARE)
        bar_x = label_width + gap
        bar_space = max(width - bar_x - gap - value_width - 2, 0)
        top = max(totals if stacked else [self._number(row, self.series[0]) for row in self.rows], default=0) or 1
        bar_height = font + 2
        bars = []
        y = 4.0
        for n, row in enumerate(self.rows):
            label = str(row[0])
            lines = wrap(label, label_width, font, MAX_LABEL_LINES)
            row_height = max(font + 10, len(lines) * line_height + 6)
            middle = y + (row_height - 8) / 2  # the bar's middle, where the label's lines are centred
            first_line = middle - (len(lines) - 1) * line_height / 2 + font * 0.35
            parts, x = [], bar_x
            for s, index in enumerate(self.series):
                length = bar_space * self._number(row, index) / top
                parts.append({"x": f"{x:.1f}", "width": f"{max(length, 0):.1f}", "fill": SERIES_FILLS[s]})
                x += length
            if stacked:
                shares = ", ".join(
                    f"{self.columns[i].label}: {format_value(row[i], self.columns[i].kind)}" for i in self.series
                )
                title = f"{label}: {values[n]} ({shares})"
            else:
                title = f"{label}: {values[n]}"
            bars.append(
                {
                    "y": f"{middle - bar_height / 2:.1f}",
                    "text_y": f"{middle + font * 0.35:.1f}",
                    "width": parts[0]["width"],
                    "parts": parts,
                    "value_x": f"{x + gap:.1f}",
                    "label": " ".join(lines),
                    "lines": [
                        {"text": text, "y": f"{first_line + k * line_height:.1f}"} for k, text in enumerate(lines)
                    ],
                    "title": title,
                    "value": values[n],
                }
            )
            y += row_height
        return {
            "style": "bars",
            "width": f"{width:.0f}",
            "height": f"{y + 4:.0f}",
            "font_size": f"{font:g}",
            "label_width": f"{label_width:.1f}",
            "bar_x": f"{bar_x:.1f}",
            "bar_height": f"{bar_height:.0f}",
            "bars": bars,
            "fill": SERIES_FILLS[0],
        }

    def _columns(self, layout: "Layout") -> dict[str, Any]:
        width, font = layout.width, layout.font_size
        if self.stacked:
            totals = [sum(self._number(row, i) for i in self.series) for row in self.rows]
        else:
            totals = [max(self._number(row, i) for i in self.series) for row in self.rows]
        top = max(totals, default=0) or 1
        ticks = [(fraction, format_value(round(top * fraction))) for fraction in (0, 0.5, 1)]
        labels = [self.axis_labels[n] if n < len(self.axis_labels) else str(row[0]) for n, row in enumerate(self.rows)]
        label_width = max((text_width(label, font) for label in labels), default=0)
        # The axis figures decide the left margin; half a month label may hang over the right edge.
        left = max(text_width(label, font) for _f, label in ticks) + font
        # The first column's label is centred under it: it must not hang over the left edge either.
        left = max(left, text_width(labels[0], font) / 2 if labels else 0)
        right = max(font * 0.5, label_width / 2)
        height, top_pad, bottom = layout.column_height, font, font * 2.2
        plot_w, plot_h = width - left - right, height - bottom - top_pad
        slot = plot_w / max(len(self.rows), 1)
        every = max(1, math.ceil((label_width + font * 0.5) / slot))
        columns = []
        # Side by side, the series share a column's width; stacked, each takes all of it.
        part_width = slot * 0.7 / (1 if self.stacked else len(self.series))
        for n, row in enumerate(self.rows):
            x = left + n * slot + slot * 0.15
            base = top_pad + plot_h
            parts = []
            for s, index in enumerate(self.series):
                h = plot_h * self._number(row, index) / top
                if self.stacked:
                    base -= h
                    y, part_x = base, x
                else:
                    y, part_x = top_pad + plot_h - h, x + s * part_width
                parts.append(
                    {
                        "x": f"{part_x:.1f}",
                        "y": f"{y:.1f}",
                        "width": f"{part_width:.1f}",
                        "height": f"{h:.1f}",
                        "fill": SERIES_FILLS[s],
                    }
                )
            title = ", ".join(
                f"{self.columns[i].label}: {format_value(row[i], self.columns[i].kind)}" for i in self.series
            )
            columns.append(
                {
                    "x": f"{x:.1f}",
                    "width": f"{slot * 0.7:.1f}",
                    "parts": parts,
                    "title": f"{row[0]} — {title}",
                    "label": labels[n] if n % every == 0 else "",
                    "label_x": f"{x + slot * 0.35:.1f}",
                }
            )
        tick_rows = []
        for fraction, label in ticks:
            y = top_pad + plot_h * (1 - fraction)
            tick_rows.append({"y": f"{y:.1f}", "text_y": f"{y + font * 0.35:.1f}", "label": label})
        return {
            "style": "columns",
            "width": f"{width:.0f}",
            "height": f"{height:.0f}",
            "font_size": f"{font:g}",
            "left": f"{left - font * 0.5:.1f}",
            "plot_left": f"{left:.1f}",
            "plot_right": f"{width - right:.1f}",
            "axis_y": f"{height - bottom + font * 1.3:.1f}",
            "columns": columns,
            "ticks": tick_rows,
        }


@dataclass(frozen=True)
class Layout:
    """The size a chart is drawn at, in the drawing's units."""

    width: float
    font_size: float
    column_height: float


# On a page the drawing is SCREEN_WIDTH units wide and the stylesheet (`.chart-svg` in portal.css)
# scales it between NARROWEST_PX, the card on a 360 px phone, and CHART_MAX_PX: its text stays between
# 11 and about 15 px wherever it is shown (dashboard, municipality page, phone).
SCREEN = Layout(width=360, font_size=14, column_height=220)
NARROWEST_PX = 294  # 360 px less the page's and the card's padding and borders
CHART_MAX_PX = 384  # 24rem, as in portal.css
# A report draws it at the width of the A4 text block (178 mm = 673 px) at about its own size.
PRINT = Layout(width=640, font_size=11, column_height=240)
LABEL_SHARE = 0.45  # of the width, at most, for the labels of a bar chart
MAX_LABEL_LINES = 3  # a bar's label wraps onto at most this many lines, then is shortened
# Text is measured on the server, where there is no font: an average glyph of the sans-serif fonts we
# use (DejaVu Sans in the PDF is the widest) is under 0.62 em, so labels sized with it are not cut.
EM_PER_CHARACTER = 0.62


def text_width(text: str, font_size: float) -> float:
    """A safe guess at how wide `text` is drawn, in the units of `font_size`."""
    return len(text) * font_size * EM_PER_CHARACTER


def shorten(text: str, width: float, font_size: float) -> str:
    """`text`, cut with an ellipsis to fit `width`."""
    if text_width(text, font_size) <= width:
        return text
    fits = max(int(width / (font_size * EM_PER_CHARACTER)) - 1, 1)
    return text[:fits].rstrip() + "…"


def wrap(text: str, width: float, font_size: float, lines: int) -> list[str]:
    """`text` broken at spaces into at most `lines` lines that fit `width`, the last one shortened
    with an ellipsis when the rest does not fit (a word longer than a line is shortened too)."""
    made: list[str] = []
    words = text.split()
    while words and len(made) < lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", font_size) <= width:
            line = f"{line} {words.pop(0)}"
        if len(made) == lines - 1 and words:
            line = shorten(f"{line} {' '.join(words)}", width, font_size)
            words = []
        made.append(shorten(line, width, font_size))
    return made or [""]


@dataclass(frozen=True)
class Figure:
    """A key figure with its change from the previous period."""

    label: StrOrPromise
    value: float | None
    previous: float | None
    kind: str = COUNT
    url: str = ""

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.kind)

    @property
    def previous_text(self) -> str:
        return format_value(self.previous, self.kind)

    def _shown(self, value: float, previous: float) -> tuple[float, float]:
        """Both sides as the reader sees them (rates rounded to the percentage shown), so that the change
        is the difference of the two figures printed, not of the digits behind them."""
        if self.kind == RATE:
            return shown_percent(value), shown_percent(previous)
        return value, previous

    @property
    def change(self) -> str:
        """ "up", "down" or "same" (or "" when either side is unknown), for the arrow and its label."""
        if self.value is None or self.previous is None:
            return ""
        value, previous = self._shown(self.value, self.previous)
        if value == previous:
            return "same"
        return "up" if value > previous else "down"

    @property
    def change_text(self) -> str:
        if self.value is None or self.previous is None:  # no change to show
            return str(_("no figure to compare"))
        if self.kind == RATE:
            value, previous = self._shown(self.value, self.previous)
            points = round(value - previous, 1)
            return str(
                _("%(sign)s%(points)s points")
                % {
                    "sign": "+" if points >= 0 else "−",
                    "points": number_format(round(abs(points), 1), 1, use_l10n=True),
                }
            )
        delta = self.value - self.previous
        text = f"{'+' if delta >= 0 else '−'}{format_value(abs(delta))}"
        if self.previous:
            percent = number_format(round(abs(delta) / self.previous * 100), 0, use_l10n=True)
            text += f" ({'+' if delta >= 0 else '−'}{percent} %)"
        return text


def choropleth(
    *,
    values: dict[str, float],
    names: dict[str, str],
    inside: set[str] | None,
    url: Callable[[str], str],
    metric: StrOrPromise,
    missing_is_zero: bool = True,
) -> dict[str, Any]:
    """The 38 municipalities coloured by `values` (keyed by municipality code) in five equal classes.

    Municipalities outside the user's scope (`inside` is not None and lacks them) are grey, with no
    figure, so that a supervisor's map shows where their region lies but nothing of the others.
    """
    shapes = outlines()
    shown = sorted(v for code, v in values.items() if v and (inside is None or code in inside))
    # Quantile classes: each colour holds about as many municipalities, so that one large town does
    # not push every other municipality into the lightest colour.
    uppers: list[float] = []
    for n in range(1, len(PALETTE) + 1):
        upper = shown[min(len(shown) - 1, math.ceil(len(shown) * n / len(PALETTE)) - 1)] if shown else 0
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    fills = PALETTE[len(PALETTE) - len(uppers) :]
    items = []
    for code, outline in sorted(shapes.by_code.items()):
        name = names.get(code, code)
        if inside is not None and code not in inside:
            fill, text, figure = OUTSIDE_FILL, f"{name}: {_('outside your scope')}", None
        elif not missing_is_zero and code not in values:  # a measure, not a count: nothing is known
            fill, text, figure = ZERO_FILL, f"{name}: {_('no figure')}", None
        else:
            value = values.get(code, 0)
            fill = (
                next((f for f, upper in zip(fills, uppers, strict=True) if value <= upper), ZERO_FILL)
                if value
                else ZERO_FILL
            )
            figure = format_value(value)
            text = f"{name}: {figure} {metric}"
        items.append(
            {"code": code, "path": outline.path, "fill": fill, "text": text, "url": url(code), "figure": figure}
        )
    legend = [{"fill": ZERO_FILL, "label": "0" if missing_is_zero else str(_("no figure"))}]
    low = min(shown) if shown else 0
    for fill, upper in zip(fills, uppers, strict=True):
        label = format_value(low) if low == upper else f"{format_value(low)}–{format_value(upper)}"
        legend.append({"fill": fill, "label": label})
        low = upper + 1
    if inside is not None:
        legend.append({"fill": OUTSIDE_FILL, "label": str(_("outside your scope"))})
    return {
        "width": f"{shapes.width:.0f}",
        "height": f"{shapes.height:.0f}",
        "shapes": items,
        "legend": legend,
        "metric": metric,
        "attribution": ATTRIBUTION,
    }
