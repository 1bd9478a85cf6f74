"""One command: prepare the dataset of a size (skipped when it is there) and run the benchmarks.

python -m bench --size 10k            # or 100k, 1m (which prepares 10k too: flatness alternates them)
python -m bench --size 10k --smoke    # CI: few repeats, results checked for numbers, README untouched
python -m bench --only api_list,reports   # while working on a change: those alone, printed, not saved
"""

import argparse
import json
import os
import subprocess
import sys

from bench import generate as gen


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=gen.SIZES, default="10k")
    parser.add_argument("--repeats", type=int, default=7, help="A/B alternations per benchmark")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one throughput measurement")
    parser.add_argument("--smoke", action="store_true", help="a quick run that proves the harness works")
    parser.add_argument(
        "--only",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        help="comma-separated benchmarks to run; their results are printed, not saved",
    )
    args = parser.parse_args()

    if args.size != "10k" and {"flatness", "democratization", "public_safety", "human_rights"} & set(
        args.only or ["flatness"]
    ):
        # The flatness benchmark alternates this size with 10k in one run: prepare that one too, in a
        # process of its own (generate() migrates and loads through Django's one default connection).
        reference = os.environ.get("BENCH_REFERENCE_DATABASE_URL") or gen.database_url("10k")
        if "BENCH_DATABASE_URL" in os.environ and "BENCH_REFERENCE_DATABASE_URL" not in os.environ:
            parser.error("with BENCH_DATABASE_URL, name the 10k database too: BENCH_REFERENCE_DATABASE_URL")
        print("reference dataset (10k):", flush=True)
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--size", "10k"],
            env={**os.environ, "BENCH_DATABASE_URL": reference},
            check=True,
        )
        os.environ["BENCH_REFERENCE_DATABASE_URL"] = reference
    url = gen.database_url(args.size)
    gen.ensure_database(url)
    gen.setup_django(url)
    print("dataset:", gen.generate_all(args.size))

    from bench import report, run

    unknown = sorted(set(args.only or ()) - set(run.BENCHMARKS))
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)}; there are {', '.join(run.BENCHMARKS)}")
    repeats, seconds = (2, 1.0) if args.smoke else (args.repeats, args.seconds)
    results = run.run_all(args.size, repeats=repeats, seconds=seconds, only=args.only)
    skipped = (results["benchmarks"].get("flatness") or {}).get("skipped")
    if skipped:
        print(f"flatness: skipped ({skipped})")
    if args.only:
        print(json.dumps(results["benchmarks"], indent=2))
        return
    if args.smoke:
        report.check_numbers(results)
        print(json.dumps(results["benchmarks"], indent=2))
        print("smoke run: the harness ran and produced numbers")
        return
    path = run.save(results)
    report.update_readme()
    print(f"results: {path}")
    print(report.table(run.latest_by_size(), run.previous_by_size()))


if __name__ == "__main__":
    main()
