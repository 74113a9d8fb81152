"""As-of benchmark: the "as of" queries over a four-snapshot history, as a query worker runs them.

    .venv/bin/python benchmarks/as_of_bench.py                  # the four snapshots in ../shared
    .venv/bin/python benchmarks/as_of_bench.py --out /tmp/multi # a build of your own

Without --out it builds the 2019 sample (partial), the 2022 list (complete), the 2023 subset
(partial) and the 2025 sample (partial) with `kg build` into a temporary folder (a few
minutes: the site is rendered too). It opens the build's persistent store as a query worker
of `kg serve` opens it (read-only, kg.web.worker_process.open_store) and runs each as-of
example of the query page through the worker's own job (query and SPARQL JSON), several
times. It prints each query's rows and its median and slowest time, and whether every one is
under the target (2 s on the server, issue 14).
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.publish.files import STORE, STORE_DATABASE
from kg.web.examples import EXAMPLES
from kg.web.worker_process import Job, open_store, run_job

KG = [sys.executable, "-m", "kg.cli"]
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "csl_watchman"
FOUR = (
    f"{SHARED / 'csl_sample_2019-12.csv'}@2019-12-03:partial",
    "data/csl/csl-2022-05",
    f"{SHARED / 'csl_subset_2023-11.csv.gz'}@2023-11-30:partial",
    f"{SHARED / 'csl_sample_2025-06.csv'}@2025-06-30:partial",
)
AS_OF = ("in-force-on", "on-list-on", "lists-on")
TARGET = 2.0


def history_build(folder: Path, specs: tuple[str, ...]) -> Path:
    """`kg build` of the snapshots into `folder`."""
    started = time.perf_counter()
    csl = [option for spec in specs for option in ("--csl", spec)]
    subprocess.run([*KG, "-q", "build", *csl, "--out", str(folder)], check=True)
    print(f"built {len(specs)} snapshots in {time.perf_counter() - started:.1f} s")
    return folder


def timed(store: ox.Store, query: str, repeat: int) -> tuple[int, list[float]]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run_job(store, Job(query, format="json"))
        times.append(time.perf_counter() - started)
        assert outcome.status == 200, outcome.body[:500]
        rows = outcome.rows
    return rows, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="a build folder (default: the four snapshots)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="as-of-bench-") as folder:
        out = args.out or history_build(Path(folder) / "build", FOUR)
        store = open_store(str(out / STORE / STORE_DATABASE))
        measure(store, args.repeat)


def measure(store: ox.Store, repeat: int) -> None:
    slowest = 0.0
    for example in (e for e in EXAMPLES if e.id in AS_OF):
        rows, times = timed(store, example.query, repeat)
        slowest = max(slowest, max(times))
        print(
            f"{example.id:12} {rows:6} rows  median {statistics.median(times):.3f} s  "
            f"slowest {max(times):.3f} s  ({repeat} runs)"
        )
    verdict = "met" if slowest < TARGET else "NOT met"
    print(f"target: every as-of query under {TARGET:.0f} s: {verdict} (slowest {slowest:.3f} s)")


if __name__ == "__main__":
    main()
