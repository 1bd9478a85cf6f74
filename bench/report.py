"""The summary table in bench/README.md, rebuilt from the latest result of each size."""

import numbers

from bench.run import BENCH_DIR, latest_by_size

START, END = "<!-- results:start -->", "<!-- results:end -->"
SIZE_ORDER = ["10k", "100k", "1m"]


def check_numbers(results: dict) -> None:
    """Fail unless every benchmark produced numbers (the CI smoke run's whole assertion)."""
    benchmarks = results["benchmarks"]
    for name in ("csv_export", "page_throughput"):
        for key in ("ratio", "ratio_min", "ratio_max"):
            value = benchmarks[name][key]
            if not isinstance(value, numbers.Real) or value <= 0:
                raise SystemExit(f"benchmark {name} produced no number for {key}: {value!r}")
    if not benchmarks["list_pages"] or not all(
        isinstance(v["median_ms"], numbers.Real) and v["queries"] > 0 for v in benchmarks["list_pages"].values()
    ):
        raise SystemExit("the list-page benchmark produced no numbers")
    reports = benchmarks.get("reports") or {}
    if not all(
        isinstance(reports.get(k, {}).get(m), numbers.Real)
        for k, m in (("csv", "ratio"), ("xlsx", "cells_per_s"), ("pdf", "seconds_per_page"))
    ):
        raise SystemExit("the report benchmark produced no numbers")
    dashboards = benchmarks.get("dashboards") or {}
    if not all(isinstance(dashboards.get(n, {}).get("p95_ms"), numbers.Real) for n in ("human_rights", "overview")):
        raise SystemExit("the dashboard benchmark produced no numbers")
    aggregates = benchmarks.get("aggregates") or {}
    if not aggregates or not all(isinstance(v.get("p95_ms"), numbers.Real) for v in aggregates.values()):
        raise SystemExit("the aggregate benchmark produced no numbers")


def _verdict(result: dict) -> str:
    return "pass" if result.get("pass") else "**miss**"


def table(latest: dict[str, dict]) -> str:
    sizes = [s for s in SIZE_ORDER if s in latest]
    if not sizes:
        return "No results yet: run `python -m bench --size 10k`."
    lines = [
        "| benchmark | goal | " + " | ".join(sizes) + " |",
        "| --- | --- | " + " | ".join("---" for _ in sizes) + " |",
    ]

    def row(label, goal, cell):
        lines.append(f"| {label} | {goal} | " + " | ".join(cell(latest[s]["benchmarks"]) for s in sizes) + " |")

    row(
        "CSV export of all observations ÷ `COPY … TO STDOUT`",
        "≤ 4×",
        lambda b: (
            f"{b['csv_export']['ratio']}× ({b['csv_export']['ratio_min']}–{b['csv_export']['ratio_max']}), "
            f"{b['csv_export']['rows']:,} rows, {_verdict(b['csv_export'])}"
        ),
    )
    row(
        "Hearings page req/s (gunicorn, 2 workers) ÷ bare view",
        "≥ 0.4×",
        lambda b: (
            f"{b['page_throughput']['ratio']}× ({b['page_throughput']['ratio_min']}–"
            f"{b['page_throughput']['ratio_max']}), {b['page_throughput']['portal_rps']} req/s, "
            f"{_verdict(b['page_throughput'])}"
        ),
    )

    def api(b, page):
        if "api_list" not in b:
            return "not measured"
        r = b["api_list"][page]
        verdict = "pass" if r["ratio"] <= 2.0 else "**miss**"
        return f"{r['ratio']}× ({r['ratio_min']}–{r['ratio_max']}), {r['portal_median_s'] * 1000:.1f} ms, {verdict}"

    row("API `/api/v1/hearings/` 100 rows, first page ÷ raw psycopg + orjson", "≤ 2×", lambda b: api(b, "first"))
    row("API `/api/v1/hearings/` 100 rows, page 90 % deep ÷ raw", "≤ 2×", lambda b: api(b, "deep"))
    row(
        "API deep page ÷ first page (portal)",
        "≤ 1.2×",
        lambda b: f"{b['api_list']['deep_vs_first']}×" if "api_list" in b else "not measured",
    )
    if (
        "10k" in latest
        and "1m" in latest
        and "api_list" in latest["1m"]["benchmarks"]
        and "api_list" in latest["10k"]["benchmarks"]
    ):
        small, large = latest["10k"]["benchmarks"]["api_list"], latest["1m"]["benchmarks"]["api_list"]
        flat = {p: large[p]["portal_median_s"] / small[p]["portal_median_s"] for p in ("first", "deep")}
        lines.append(
            f"| API flatness, 1m ÷ 10k (portal) | ≤ 1.2× | first page {flat['first']:.2f}×, deep page "
            f"{flat['deep']:.2f}× | |"
        )

    def dashboard(b, name):
        if "dashboards" not in b:
            return "not measured"
        r = b["dashboards"][name]
        return f"p95 {r['p95_ms']} ms, median {r['median_ms']} ms ({r['queries']} queries)"

    row(
        "Human Rights dashboard, last 12 months (head), server time",
        "p95 < 150 ms at 1m",
        lambda b: dashboard(b, "human_rights"),
    )
    row("Human Rights dashboard, 25 months (head)", "", lambda b: dashboard(b, "human_rights_two_years"))
    row("Human Rights dashboard, one region (supervisor)", "", lambda b: dashboard(b, "human_rights_region"))
    row("Mission overview with the map (head)", "", lambda b: dashboard(b, "overview"))
    row(
        "Summary tables rebuilt (Celery beat's job)",
        "",
        lambda b: (
            f"{b['dashboards']['refresh_s']} s, {b['dashboards']['summary_rows']:,} rows"
            if "dashboards" in b
            else "not measured"
        ),
    )
    if all(s in latest and "dashboards" in latest[s]["benchmarks"] for s in ("10k", "1m")):
        small, large = latest["10k"]["benchmarks"]["dashboards"], latest["1m"]["benchmarks"]["dashboards"]
        ratio = large["human_rights"]["p95_ms"] / small["human_rights"]["p95_ms"]
        p95 = large["human_rights"]["p95_ms"]
        verdict = "pass" if ratio <= 1.5 and p95 < 150 else "**miss**"
        lines.append(
            f"| Human Rights dashboard, 1m ÷ 10k (p95) | ≤ 1.5×, p95 < 150 ms | {ratio:.2f}×, p95 {p95} ms at 1m, "
            f"{verdict} | |"
        )

    def aggregate(b, name):
        if "aggregates" not in b:
            return "not measured"
        r = b["aggregates"][name]
        return f"p95 {r['p95_ms']} ms, median {r['median_ms']} ms ({r['queries']} queries, {r['rows']} rows)"

    row("API aggregates: hearings by region (partner)", "", lambda b: aggregate(b, "hearings_by_region"))
    row(
        "API aggregates: hearings by month and community of the accused",
        "",
        lambda b: aggregate(b, "hearings_by_month_and_community"),
    )
    row("API aggregates: accused persons by court and sex", "", lambda b: aggregate(b, "accused_by_court_and_sex"))
    row("API aggregates: standards by region", "", lambda b: aggregate(b, "standards_by_region"))

    def report(b, kind):
        if "reports" not in b:
            return "not measured"
        r = b["reports"][kind]
        if kind == "csv":
            verdict = "pass" if r["ratio"] <= 4 else "**miss**"
            return (
                f"{r['ratio']}× ({r['ratio_min']}–{r['ratio_max']}), {r['rows']:,} rows in "
                f"{r['portal_median_s']} s, {verdict}"
            )
        if kind == "xlsx":
            verdict = "pass" if r["cells_per_s"] >= 100_000 else "**miss**"
            floor = (
                f"; openpyxl alone {r['openpyxl_cells_per_s']:,} cells/s, {r['ratio']}× of it"
                if "openpyxl_cells_per_s" in r
                else ""
            )
            return (
                f"{r['cells_per_s']:,} cells/s ({r['cells']:,} cells in {r['seconds']} s{floor}), "
                f"memory +{r['memory_growth_mb']} MB, {verdict}"
            )
        verdict = "pass" if r["seconds_per_page"] <= 0.5 else "**miss**"
        return f"{r['seconds_per_page']} s/page ({r['pages']} pages in {r['seconds']} s), {verdict}"

    row("Data report as CSV (ZIP of three files) ÷ `COPY` of the same rows", "≤ 4×", lambda b: report(b, "csv"))
    row("Data report as XLSX, three sheets", "≥ 100,000 cells/s, memory flat", lambda b: report(b, "xlsx"))
    row("Trial-monitoring report as PDF, whole mission, 25 months", "≤ 0.5 s/page", lambda b: report(b, "pdf"))
    names = sorted(latest[sizes[0]]["benchmarks"]["list_pages"])
    for name in names:
        row(
            f"`{name}` server time (queries)",
            "queries equal across sizes",
            lambda b, name=name: f"{b['list_pages'][name]['median_ms']} ms ({b['list_pages'][name]['queries']})",
        )
    counts = {s: {n: v["queries"] for n, v in latest[s]["benchmarks"]["list_pages"].items()} for s in sizes}
    equal = all(counts[s] == counts[sizes[0]] for s in sizes)
    lines.append("")
    lines.append(f"Query counts equal across {', '.join(sizes)}: **{'yes' if equal else 'no'}**.")
    lines.append("")
    lines.append(
        "Measured on: "
        + "; ".join(
            f"{s}: {latest[s]['date']}, {latest[s]['machine']['cpus']} CPUs, PostgreSQL "
            f"{latest[s]['machine']['postgresql'].split()[0]}"
            for s in sizes
        )
    )
    return "\n".join(lines)


def update_readme() -> None:
    path = BENCH_DIR / "README.md"
    text = path.read_text()
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{table(latest_by_size())}\n{END}{tail}")
