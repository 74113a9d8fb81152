"""Start-up benchmark: how soon `kg serve` answers on a build, and how much memory it holds.

    .venv/bin/python benchmarks/startup_bench.py --out /tmp/csl            # the 2022 CSL
    .venv/bin/python benchmarks/startup_bench.py --out /tmp/csl-8x --runs 3

Starts `kg serve` on the build --runs times, one after the other, and prints for each run
the seconds until /health answers 200, when each step the server logs ended (the query
workers on the store, the indexes, start-up complete), and the memory
(PSS) of all its processes once ready; then the median. The target of issue 14: ready in
under 10 s on the 8x build, under 1.5 GB for all processes. A build made before builds
wrote `indexes/` shows what the server costs when it makes its indexes itself.

The machine's load average is printed before and after: on a shared machine the seconds
grow with it, while the memory does not.
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import Served, serve


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", required=True, type=Path, help="the build folder to serve")
    parser.add_argument("--runs", type=int, default=3, help="start-ups to time (default 3)")
    args = parser.parse_args()
    print(f"load average before: {_load()}")
    runs = []
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        for run in range(args.runs):
            served = serve(args.out, Path(folder) / f"serve-{run}.log", examples=())
            runs.append(served)
            print(_line(f"run {run + 1}", served))
    ready, mib = (
        statistics.median(r.ready for r in runs),
        statistics.median(r.mib_ready for r in runs),
    )
    print(f"median: ready in {ready:.1f} s, {mib:.0f} MiB all processes")
    print(f"load average after: {_load()}")


def _line(name: str, served: Served) -> str:
    steps = ", ".join(f"{step} {at:.1f} s" for step, at in served.steps.items())
    return f"{name}: ready in {served.ready:.1f} s ({steps}); {served.mib_ready:.0f} MiB"


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
