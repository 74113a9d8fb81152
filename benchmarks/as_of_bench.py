"""As-of benchmark: the "as of" queries over a four-snapshot history, as a query worker runs them.

    .venv/bin/python benchmarks/as_of_bench.py                  # the four snapshots in ../shared
    .venv/bin/python benchmarks/as_of_bench.py --out /tmp/csl   # a build folder's dump

Without --out it reads the 2019 sample (partial), the 2022 list (complete), the 2023 subset
(partial) and the 2025 sample (partial) through the build's own stages (sources, ingest,
store, entailment; nothing is published, so it runs whether or not the graph conforms), and
writes the N-Quads to a temporary folder. The dump is then loaded as a query worker of
`kg serve` loads it (kg.web.worker_process.load_store: every graph merged into the default
graph) and each as-of example of the query page runs through the worker's own job (query and
SPARQL JSON), several times. It prints each query's rows and its median and slowest time, and
whether every one is under the target (2 s on the server, issue 14).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.build import Timings, _check
from kg.config import Settings
from kg.graph.entail import add_entailed_graph
from kg.web.examples import EXAMPLES
from kg.web.worker_process import Job, Source, load_store, run_job

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "csl_watchman"
FOUR = (
    f"{SHARED / 'csl_sample_2019-12.csv'}@2019-12-03:partial",
    "data/csl/csl-2022-05",
    f"{SHARED / 'csl_subset_2023-11.csv.gz'}@2023-11-30:partial",
    f"{SHARED / 'csl_sample_2025-06.csv'}@2025-06-30:partial",
)
AS_OF = ("in-force-on", "on-list-on", "lists-on")
TARGET = 2.0


def history_dump(folder: Path, specs: tuple[str, ...]) -> Path:
    """The snapshots' graph, entailed, as N-Quads (what `kg build` would publish)."""
    started = time.perf_counter()
    settings = Settings(csl=specs)
    checked = _check(settings, Timings())
    add_entailed_graph(checked.store, checked.ontology, settings.base_iri)
    path = folder / "history.nq"
    checked.store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    print(
        f"history of {len(specs)} snapshots: {len(checked.store):,} quads in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return path


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
        if args.out:
            dump = args.out / "dumps" / "entitylist-kg.nq"
        else:
            dump = history_dump(Path(folder), FOUR)
        started = time.perf_counter()
        store = load_store([Source(str(dump), "N_QUADS")])
        print(f"loaded as a query worker loads it in {time.perf_counter() - started:.1f} s")
    slowest = 0.0
    for example in (e for e in EXAMPLES if e.id in AS_OF):
        rows, times = timed(store, example.query, args.repeat)
        slowest = max(slowest, max(times))
        print(
            f"{example.id:12} {rows:6} rows  median {statistics.median(times):.3f} s  "
            f"slowest {max(times):.3f} s  ({args.repeat} runs)"
        )
    verdict = "met" if slowest < TARGET else "NOT met"
    print(f"target: every as-of query under {TARGET:.0f} s: {verdict} (slowest {slowest:.3f} s)")


if __name__ == "__main__":
    main()
