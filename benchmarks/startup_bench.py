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
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import tree_mib
from scale_bench import KG, STEPS, _copy_log, free_port


@dataclass(frozen=True, kw_only=True)
class Started:
    ready: float
    steps: dict[str, float]
    mib: float


def start(out: Path, log: Path) -> Started:
    """Start kg serve on the build, time it to ready, measure its memory, stop it."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [*KG, "serve", "--out", str(out), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    steps: dict[str, float] = {}
    copier = threading.Thread(target=_copy_log, args=(process, log, started, steps), daemon=True)
    copier.start()
    try:
        while process.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    ready = time.perf_counter() - started
                    found = {name: steps[name] for name in STEPS if name in steps}
                    return Started(ready=ready, steps=found, mib=tree_mib(process.pid))
            time.sleep(0.05)
        copier.join(timeout=5)
        raise SystemExit(f"kg serve exited:\n{log.read_text()[-3000:]}")
    finally:
        process.terminate()
        process.wait(timeout=30)


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
            served = start(args.out, Path(folder) / f"serve-{run}.log")
            runs.append(served)
            print(_line(f"run {run + 1}", served))
    ready, mib = (statistics.median(r.ready for r in runs), statistics.median(r.mib for r in runs))
    print(f"median: ready in {ready:.1f} s, {mib:.0f} MiB all processes")
    print(f"load average after: {_load()}")


def _line(name: str, served: Started) -> str:
    steps = ", ".join(f"{step} {at:.1f} s" for step, at in served.steps.items())
    return f"{name}: ready in {served.ready:.1f} s ({steps}); {served.mib:.0f} MiB"


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
