"""Chart geometry: every label inside the drawing, text large enough to read (issue 11, item 29)."""

import itertools

import pytest

from mission.dashboards.charts import (
    NARROWEST_PX,
    PRINT,
    SCREEN,
    Chart,
    Column,
    text_width,
)

MIN_TEXT_PX = 11
COURTS = [f"Basic Court of Mitrovicë/Mitrovica, branch in Skenderaj/Srbica no. {n}" for n in range(40)]
LAYOUTS = pytest.mark.parametrize("layout", [SCREEN, PRINT], ids=["screen", "print"])


def _court_chart() -> Chart:
    """The 40-bar chart of the dashboard's courts, with long names and large counts."""
    return Chart(
        "by-court",
        "By court",
        [Column("Court", "text"), Column("Hearings")],
        [[name, 12345 - 300 * n] for n, name in enumerate(COURTS)],
    )


def _month_chart(months: int) -> Chart:
    return Chart(
        "by-month",
        "By month",
        [Column("Month", "text"), Column("Held"), Column("Adjourned")],
        [[f"Month {n}", 10000 + n, 2000] for n in range(months)],
        series=(1, 2),
        style="columns",
        axis_labels=[f"Sep {n % 100:02d}" for n in range(months)],
    )


def _extent(x: float, text: str, anchor: str, font: float) -> tuple[float, float]:
    width = text_width(text, font)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, left + width


@LAYOUTS
def test_bar_labels_and_values_stay_inside_the_drawing(layout):
    svg = _court_chart().drawing(layout)
    width, font = float(svg["width"]), float(svg["font_size"])
    for bar in svg["bars"]:
        for line in bar["lines"]:
            left, _right = _extent(float(svg["label_width"]), line["text"], "end", font)
            assert left >= 0, line["text"]
            assert float(line["y"]) <= float(svg["height"])
        _left, right = _extent(float(bar["value_x"]), bar["value"], "start", font)
        assert right <= width, bar["value"]
        assert float(bar["text_y"]) <= float(svg["height"])
    shown = [line["text"] for line in svg["bars"][0]["lines"]]
    assert len(shown) > 1  # wrapped onto more lines,
    assert " ".join(shown) == COURTS[0] or shown[-1].endswith("…")  # then shortened, not cut by the edge
    assert svg["bars"][0]["title"].startswith(COURTS[0])  # whole in the tooltip


@LAYOUTS
@pytest.mark.parametrize("months", [1, 12, 24, 120])
def test_column_axis_labels_stay_inside_the_drawing_and_apart(layout, months):
    svg = _month_chart(months).drawing(layout)
    width, font = float(svg["width"]), float(svg["font_size"])
    for tick in svg["ticks"]:
        left, _right = _extent(float(svg["left"]), tick["label"], "end", font)
        assert left >= 0, tick["label"]
    spans = [_extent(float(c["label_x"]), c["label"], "middle", font) for c in svg["columns"] if c["label"]]
    assert spans
    assert spans[0][0] >= 0
    assert spans[-1][1] <= width
    assert all(before[1] < after[0] for before, after in itertools.pairwise(spans))


def test_screen_text_is_at_least_11_px_on_a_phone():
    """The stylesheet shrinks a chart to the narrowest card, a 360 px phone's: its text must stay readable."""
    for chart in (_court_chart(), _month_chart(12)):
        svg = chart.svg()
        assert float(svg["font_size"]) * NARROWEST_PX / float(svg["width"]) >= MIN_TEXT_PX


def test_print_text_is_at_least_11_px():
    for chart in (_court_chart(), _month_chart(12)):
        assert float(chart.print_svg["font_size"]) >= MIN_TEXT_PX


def test_a_40_bar_chart_is_as_tall_as_its_bars_need():
    svg = _court_chart().svg()
    assert float(svg["height"]) >= 40 * float(svg["font_size"])


def test_columns_side_by_side_share_each_slot_and_stay_inside_the_drawing():
    chart = Chart(
        "trend",
        "Budget execution by year",
        [Column("Year", "text"), Column("Pejë/Peć"), Column("Median")],
        [[2023, 60.0, 60.0], [2024, 70.0, 60.0], [2025, 80.0, 85.0]],
        series=(1, 2),
        style="columns",
        stacked=False,
        measured=True,
    )
    drawing = chart.svg()
    for column in drawing["columns"]:
        own, median = column["parts"]
        assert float(own["x"]) + float(own["width"]) == pytest.approx(float(median["x"]), abs=0.15)  # rounded to 0.1
        assert float(median["x"]) + float(median["width"]) <= float(drawing["plot_right"])
    tallest = max(float(p["height"]) for c in drawing["columns"] for p in c["parts"])
    last_median = drawing["columns"][2]["parts"][1]
    assert float(last_median["height"]) == tallest  # 85, the top: not 80 + 85 stacked


def test_a_measure_of_zero_is_a_figure_and_only_unknown_figures_are_empty():
    def measured(value):
        return Chart("m", "M", [Column("Year", "text"), Column("Share")], [[2025, value]], measured=True)

    assert not measured(0.0).empty
    assert measured(None).empty
    assert Chart("c", "C", [Column("Year", "text"), Column("Count")], [[2025, 0]]).empty  # a count of 0: nothing


SOURCES = [
    "EU Election Observation Mission",
    "OSCE Office for Democratic Institutions and Human Rights (ODIHR) expert team",
    "Central Election Commission internal review",
]


def _stacked_by_source() -> Chart:
    """A tracker's items by a grouping of long names, stacked by status (mission/trackers/dashboard.py)."""
    return Chart(
        "by-source",
        "Recommendations by source",
        [Column("Source", "text"), Column("Implemented"), Column("Partly"), Column("Not implemented")],
        [[name, 3 + n, 2, 1] for n, name in enumerate(SOURCES)],
        series=(1, 2, 3),
    )


@LAYOUTS
def test_stacked_bars_wrap_long_labels_inside_the_drawing_and_keep_them_whole_in_the_tooltip(layout):
    svg = _stacked_by_source().drawing(layout)
    width, font = float(svg["width"]), float(svg["font_size"])
    bottom = 0.0
    for name, bar in zip(SOURCES, svg["bars"], strict=True):
        assert bar["title"].startswith(f"{name}: ")  # whole, with the total and each status
        assert "Implemented: " in bar["title"]
        assert "Not implemented: 1" in bar["title"]
        for line in bar["lines"]:
            left, right = _extent(float(svg["label_width"]), line["text"], "end", font)
            assert left >= 0, line["text"]
            assert right <= float(svg["bar_x"])
            assert float(line["y"]) - font >= bottom - 0.01  # under the row above: no overlap
        bottom = float(bar["lines"][-1]["y"])
        assert len(bar["parts"]) == 3
        ends = [float(p["x"]) + float(p["width"]) for p in bar["parts"]]
        assert [float(p["x"]) for p in bar["parts"][1:]] == pytest.approx(ends[:-1], abs=0.15)  # end to end
        _left, right = _extent(float(bar["value_x"]), bar["value"], "start", font)
        assert right <= width, bar["value"]
    assert float(svg["height"]) >= bottom
    first = svg["bars"][0]["lines"]
    assert " ".join(line["text"] for line in first) == SOURCES[0]  # a short name is shown whole


@LAYOUTS
def test_column_labels_without_short_axis_labels_do_not_hang_over_the_left_edge(layout):
    chart = Chart(
        "over-time",
        "Status at the end of each month",
        [Column("Month", "text"), Column("Open"), Column("Done")],
        [[f"September {2020 + n}", 4, 2] for n in range(12)],
        series=(1, 2),
        style="columns",
    )
    svg = chart.drawing(layout)
    font = float(svg["font_size"])
    spans = [_extent(float(c["label_x"]), c["label"], "middle", font) for c in svg["columns"] if c["label"]]
    assert spans[0][0] >= 0
    assert spans[-1][1] <= float(svg["width"])


@pytest.mark.parametrize("language", ["en", "sq", "sr-latn"])
def test_a_tables_row_heads_are_text_whatever_their_columns_kind(language):
    """A chart's first column is its rows' labels: as typed, never grouped like a number ("P,riz,ren"),
    even where the column was declared without a kind (a count by default); the counts are grouped."""
    from django.utils import translation

    chart = Chart("by-place", "By place", [Column("Municipality"), Column("Incidents")], [["Prizren", 12345]])
    with translation.override(language):
        (row,) = chart.table()["rows"]
    assert row["head"] == "Prizren"
    assert row["cells"][0] in {"12,345", "12.345", "12 345", "12\xa0345"}


def test_a_stacked_chart_draws_up_to_eight_series():
    """A tracker whose items have six statuses stacks seven series (with "no status yet")."""
    columns = [Column("Kind", "text"), *(Column(f"Stage {n}") for n in range(7))]
    chart = Chart("stages", "By stage", columns, [["Draft law", *range(1, 8)]], series=tuple(range(1, 8)))
    fills = {item["fill"] for item in chart.legend()}
    assert len(fills) == 7
    assert chart.svg()
