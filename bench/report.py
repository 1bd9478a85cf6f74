"""The tables in bench/README.md: every goal, before → now for each size (the latest result of the size
and the one before it), then the details of the latest result of each size."""

import numbers
from collections.abc import Callable
from typing import TypeGuard

from bench.run import (
    BENCH_DIR,
    DEMOCRATIZATION_PAGES,
    GOALS,
    GROUPS,
    HUMAN_RIGHTS_PAGES,
    LISTS,
    PUBLIC_SAFETY_PAGES,
    Goal,
    latest_by_size,
    lookup,
    previous_by_size,
)

START, END = "<!-- results:start -->", "<!-- results:end -->"
SIZE_ORDER = ["10k", "100k", "1m"]


def _real(value: object) -> TypeGuard[float]:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_numbers(results: dict) -> None:
    """Fail unless every benchmark produced numbers (the CI smoke run's whole assertion)."""
    benchmarks = results["benchmarks"]

    def need(name: str, *keys: str, positive: bool = True) -> None:
        for key in keys:
            value = lookup(benchmarks.get(name), key)
            if not _real(value) or (positive and value <= 0):
                raise SystemExit(f"benchmark {name} produced no number for {key}: {value!r}")

    need("csv_export", "ratio", "ratio_min", "ratio_max")
    need("page_throughput", "ratio", *(f"pages.{page}.ratio" for page in benchmarks["page_throughput"]["pages"]))
    if len(benchmarks["page_throughput"]["pages"]) != 5:
        raise SystemExit("the page throughput benchmark measured fewer than five pages")
    if not benchmarks["list_pages"] or not all(
        _real(v["median_ms"]) and v["queries"] > 0 for v in benchmarks["list_pages"].values()
    ):
        raise SystemExit("the list-page benchmark produced no numbers")
    need("api_list", "first.ratio", "deep.ratio")
    if benchmarks["api_list"].get("same_bytes") is not True:
        raise SystemExit("the API benchmark did not check the baseline's bytes")
    need("mixed_load", "ratio", "workers.2.mixed_rps", "workers.2.bare_rps", "latency.rps")
    need("mixed_load", "errors", positive=False)
    groups = benchmarks["mixed_load"]["workers"]["2"]["groups"]
    if set(groups) != set(GROUPS) or not all(_real(g["p95_ms"]) for g in groups.values()):
        raise SystemExit(f"the mixed load produced no percentiles for every page group: {sorted(groups)}")
    need("reports", "csv.ratio", "xlsx.ratio", "xlsx.cells_per_s", "pdf.seconds_per_page")
    need("dashboards", "human_rights.p95_ms", "overview.p95_ms")
    aggregates = benchmarks.get("aggregates") or {}
    if not aggregates or not all(_real(v.get("p95_ms")) for v in aggregates.values()):
        raise SystemExit("the aggregate benchmark produced no numbers")
    flatness = benchmarks.get("flatness") or {}
    if not flatness.get("skipped"):
        need("flatness", *(f"pages.{name}.{page}.ratio" for name in LISTS for page in ("first", "deep")))


def _figure(goal: Goal, value: float) -> str:
    return f"{value:,.3g}{goal.unit}" if goal.unit == "×" else f"{value:,g}{goal.unit}"


def _goal_cell(goal: Goal, size: str, now: dict | None, before: dict | None) -> str:
    if not goal.applies(size) or now is None:
        return ""
    value = goal.value(now)
    if value is None:
        return "not measured"
    previous = goal.value(before) if before else None
    verdict = "pass" if goal.met(value) else "**miss**"
    shown = f"{_figure(goal, previous)} → {_figure(goal, value)}" if previous is not None else _figure(goal, value)
    return f"{shown}, {verdict}"


def goals_table(latest: dict[str, dict], previous: dict[str, dict]) -> list[str]:
    """One row per goal: its figure in the result before the latest → in the latest, per size."""
    sizes = [s for s in SIZE_ORDER if s in latest]
    lines = [
        "| goal | target | " + " | ".join(f"{s}: before → now" for s in sizes) + " |",
        "| --- | --- | " + " | ".join("---" for _ in sizes) + " |",
    ]
    for goal in GOALS:
        if not any(goal.applies(s) for s in sizes):
            continue
        cells = [_goal_cell(goal, s, latest.get(s), previous.get(s)) for s in sizes]
        lines.append(f"| {goal.label} | {goal.text()} | " + " | ".join(cells) + " |")
    return lines


def _spread(r: dict) -> str:
    return f"{r['ratio']}× ({r['ratio_min']}–{r['ratio_max']})"


def _percentiles(group: dict | None) -> str:
    if not group or group.get("p50_ms") is None:
        return "not measured"
    return f"{group['p50_ms']:g} / {group['p95_ms']:g} / {group['p99_ms']:g} ms ({group['requests']:,})"


def details_table(latest: dict[str, dict]) -> list[str]:
    """What each benchmark measured in the latest run of each size ("not measured": not in that run)."""
    sizes = [s for s in SIZE_ORDER if s in latest]
    lines = [
        "| benchmark | " + " | ".join(sizes) + " |",
        "| --- | " + " | ".join("---" for _ in sizes) + " |",
    ]

    def row(label: str, cell: Callable[..., str], *args: str) -> None:
        """A row whose cell for each size is `cell(benchmarks, *args)`."""
        cells = []
        for s in sizes:
            try:
                cells.append(cell(latest[s]["benchmarks"], *args))
            except (KeyError, TypeError):
                cells.append("not measured")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "CSV export of all observations ÷ `COPY`",
        lambda b: f"{_spread(b['csv_export'])}, {b['csv_export']['rows']:,} rows",
    )
    for page, label in (
        ("hearing_list", "Hearings list (head)"),
        ("case_detail", "Case page (head)"),
        ("review_queue", "Review queue (supervisor)"),
        ("dashboard", "Human Rights dashboard (head)"),
        ("overview", "Mission overview (head)"),
    ):
        row(
            f"{label}, req/s ÷ bare view (gunicorn, 2 workers, 4 clients)",
            lambda b, page: (
                f"{_spread(b['page_throughput']['pages'][page])}, {b['page_throughput']['pages'][page]['portal_rps']}"
                f" against {b['page_throughput']['pages'][page]['baseline_rps']} req/s"
            ),
            page,
        )
    for workers in ("2", "4"):
        row(
            f"Mixed load, {workers} workers: req/s ÷ bare view, same users",
            lambda b, workers: (
                f"{_spread(b['mixed_load']['workers'][workers])}, {b['mixed_load']['workers'][workers]['mixed_rps']} "
                f"against {b['mixed_load']['workers'][workers]['bare_rps']} req/s, "
                f"{b['mixed_load']['workers'][workers]['users']} users"
            ),
            workers,
        )
    row("Mixed load, failed requests", lambda b: f"{b['mixed_load']['errors']}")
    for group in GROUPS:
        row(
            f"Mixed load, `{group}` p50 / p95 / p99 (requests): at half the saturated rate; saturated (2 workers)",
            lambda b, group: (
                f"{_percentiles(b['mixed_load']['latency']['groups'].get(group))}; "
                f"{_percentiles(b['mixed_load']['workers']['2']['groups'].get(group))}"
            ),
            group,
        )
    for page, label in (("first", "first page"), ("deep", "page 90 % deep")):
        row(
            f"API `/api/v1/hearings/` 100 rows, {label} ÷ lean baseline (same bytes)",
            lambda b, page: (
                f"{_spread(b['api_list'][page])}, {b['api_list'][page]['portal_median_s'] * 1000:.1f} against "
                f"{b['api_list'][page]['baseline_median_s'] * 1000:.1f} ms"
            ),
            page,
        )

    def flat(b: dict, key: str) -> str:
        if (b.get("flatness") or {}).get("skipped"):
            return "skipped (10k is the reference)"
        r = lookup(b["flatness"]["pages"], key)
        assert isinstance(r, dict)
        times = " against ".join(f"{ms} ms" for ms in r["median_ms"].values())
        return f"{_spread(r)}, {times}"

    for name in LISTS:
        for page in ("first", "deep"):
            row(f"`{name}` {page} page, server time ÷ the same at 10k", lambda b, key: flat(b, key), f"{name}.{page}")
    for key, label in (
        ("overview", "Mission overview"),
        ("human_rights", "Human Rights dashboard"),
        ("api.first", "API list first page"),
        ("api.deep", "API list deep page"),
    ):
        row(f"{label}, server time ÷ the same at 10k", lambda b, key: flat(b, key), key)

    def department(benchmark: str) -> Callable[[dict, str], str]:
        def cell(b: dict, key: str) -> str:
            r = lookup(b[benchmark]["pages"], key)
            assert isinstance(r, dict)
            measured = f"{r['median_ms']} ms ({r['queries']} queries)"
            if "ratio" not in r:
                return measured
            return f"{_spread(r)}, {r['median_ms']} ms against {r['median_ms_10k']} ms ({r['queries']} queries)"

        return cell

    def baseline(benchmark: str) -> Callable[[dict, str], str]:
        def cell(b: dict, page: str) -> str:
            r = b[benchmark]["api_baseline"][page]
            return f"{_spread(r)}, {r['portal_median_s'] * 1000:.1f} against {r['baseline_median_s'] * 1000:.1f} ms"

        return cell

    for title, benchmark, department_pages, route in (
        ("Democratization", "democratization", DEMOCRATIZATION_PAGES, "/api/v1/journalist-safety/"),
        ("Security & Public Safety", "public_safety", PUBLIC_SAFETY_PAGES, "/api/v1/hate-crimes/"),
        ("Human Rights beyond the courtroom", "human_rights", HUMAN_RIGHTS_PAGES, "/api/v1/community-incidents/"),
    ):
        for key, label, _target in department_pages:
            row(f"{title}: {label}, server time (÷ the same at 10k)", department(benchmark), key)
        for page, label in (("first", "first page"), ("deep", "page 90 % deep")):
            row(f"{title}: API `{route}` 100 rows, {label} ÷ lean baseline (same bytes)", baseline(benchmark), page)

    def dashboard(b: dict, name: str) -> str:
        r = b["dashboards"][name]
        return f"median {r['median_ms']} ms, p95 {r['p95_ms']} ms ({r['queries']} queries)"

    for name, label in (
        ("human_rights", "Human Rights dashboard, last 12 months (head)"),
        ("human_rights_two_years", "Human Rights dashboard, 25 months (head)"),
        ("human_rights_region", "Human Rights dashboard, one region (supervisor)"),
        ("overview", "Mission overview with the map (head)"),
    ):
        row(f"{label}, server time in-process", lambda b, name: dashboard(b, name), name)
    row(
        "Summary tables rebuilt whole",
        lambda b: f"{b['dashboards']['refresh_s']} s, {b['dashboards']['summary_rows']:,} rows",
    )
    for change, label in (("hearing_date_moved", "a hearing's date moved"), ("observation_approved", "an approval")):
        row(
            f"Summaries brought up to date after {label}",
            lambda b, change: (
                f"median {b['dashboards']['incremental_refresh'][change]['median_s']} s, max "
                f"{b['dashboards']['incremental_refresh'][change]['max_s']} s"
            ),
            change,
        )
    for name, label in (
        ("hearings_by_region", "hearings by region"),
        ("hearings_by_month_and_community", "hearings by month and community of the accused"),
        ("accused_by_court_and_sex", "accused persons by court and sex"),
        ("standards_by_region", "standards by region"),
    ):
        row(
            f"API aggregates: {label} (partner), server time",
            lambda b, name: (
                f"median {b['aggregates'][name]['median_ms']} ms, p95 {b['aggregates'][name]['p95_ms']} ms "
                f"({b['aggregates'][name]['queries']} queries, {b['aggregates'][name]['rows']} rows)"
                + (
                    f"; kept for partners: median {b['aggregates'][name]['kept_median_ms']} ms "
                    f"({b['aggregates'][name]['kept_queries']} queries)"
                    if "kept_median_ms" in b["aggregates"][name]
                    else ""
                )
            ),
            name,
        )
    row(
        "Data report as CSV (ZIP of three files) ÷ `COPY`",
        lambda b: (
            f"{_spread(b['reports']['csv'])}, {b['reports']['csv']['rows']:,} rows in "
            f"{b['reports']['csv']['portal_median_s']} s"
        ),
    )
    row(
        "Data report as XLSX ÷ openpyxl alone",
        lambda b: (
            f"{b['reports']['xlsx']['ratio']}×, {b['reports']['xlsx']['cells_per_s']:,} cells/s against "
            f"{b['reports']['xlsx']['openpyxl_cells_per_s']:,} ({b['reports']['xlsx']['cells']:,} cells), memory "
            f"+{b['reports']['xlsx']['memory_growth_mb']} MB"
        ),
    )
    row(
        "Trial-monitoring report as PDF",
        lambda b: (
            f"{b['reports']['pdf']['seconds_per_page']} s/page ({b['reports']['pdf']['pages']} pages in "
            f"{b['reports']['pdf']['seconds']} s)"
        ),
    )

    def pages(s: str) -> dict:
        """The list pages measured at size `s` (the benchmark's result also holds its verdict)."""
        return {n: v for n, v in latest[s]["benchmarks"].get("list_pages", {}).items() if isinstance(v, dict)}

    names = sorted({name for s in sizes for name in pages(s)})
    for name in names:
        row(
            f"`{name}` server time (queries)",
            lambda b, name: f"{b['list_pages'][name]['median_ms']} ms ({b['list_pages'][name]['queries']})",
            name,
        )
    counts = {s: {n: v["queries"] for n, v in pages(s).items()} for s in sizes}
    # Pages measured at every size (the older results have no deep page by cursor).
    common = set.intersection(*(set(c) for c in counts.values())) if counts else set()
    equal = all(counts[s][n] == counts[sizes[0]][n] for s in sizes for n in common)
    lines.append("")
    lines.append(f"Query counts of the list pages equal across {', '.join(sizes)}: **{'yes' if equal else 'no'}**.")
    return lines


def table(latest: dict[str, dict], previous: dict[str, dict] | None = None) -> str:
    sizes = [s for s in SIZE_ORDER if s in latest]
    if not sizes:
        return "No results yet: run `python -m bench --size 10k`."
    previous = previous or {}
    lines = ["### Goals", "", *goals_table(latest, previous), "", "### Details of the latest runs", ""]
    lines += details_table(latest)
    lines.append("")

    def when(result: dict) -> str:
        return (
            f"{result['date']}, {result['machine']['cpus']} CPUs, PostgreSQL "
            f"{result['machine']['postgresql'].split()[0]}"
        )

    lines.append("Measured on: " + "; ".join(f"{s}: {when(latest[s])}" for s in sizes) + ".")
    before = [f"{s}: {previous[s]['date']}" for s in sizes if s in previous]
    if before:
        lines.append("Before: " + "; ".join(before) + ".")
    return "\n".join(lines)


def update_readme() -> None:
    path = BENCH_DIR / "README.md"
    text = path.read_text()
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{table(latest_by_size(), previous_by_size())}\n{END}{tail}")
