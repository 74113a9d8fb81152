"""Scale benchmark: `kg build` and `kg serve` on 1x, 4x, 8x, 24x the 2022 CSL.

    .venv/bin/python benchmarks/scale_bench.py                      # 1x, 4x, 8x
    .venv/bin/python benchmarks/scale_bench.py --multiples 1,4,8,24 --scratch /tmp/scale

For each multiple, benchmarks/scale_csl.py writes a CSL-shaped snapshot (every row again
with names, aliases, addresses, ids and dates of its own), then this prints:
- per build stage: time and the peak memory (PSS) of the build's whole process tree;
- the whole build: wall and CPU time, CPU per 1,000 rows, peak memory, files, disk, quads;
- each stage's CPU time per 1,000 rows at every multiple, against 1x's;
- `kg serve`: seconds until /health answers and until each step it logs (query workers on
  the store, the name index, start-up complete: the screening index comes between the last
  two), memory (PSS) of all its processes before and after the queries, and each example
  query's median latency.
Then the targets of issue 14, each with the figure that meets or misses it.
"""

import argparse
import contextlib
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from build_bench import print_run
from measure import BuildRun, run_build, tree_mib
from scale_csl import write_snapshot

from kg.web.examples import EXAMPLES, Example

KG = [sys.executable, "-m", "kg.cli"]
ROWS = 14_160  # rows of the 2022 CSL
REPEATS = 5


@dataclass(frozen=True, kw_only=True)
class Served:
    ready: float
    #: seconds from the start to each step the server logs (workers, name index, start-up)
    steps: dict[str, float]
    mib_ready: float
    mib_after: float
    latency: dict[str, float | None]  # median seconds; None: no answer within the limit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


#: What kg serve logs as it starts, by the step each line ends.
STEPS = {
    "query workers": "query workers ready",
    "name index": "name index:",
    "start-up complete": "Application startup complete",
}


def serve(out: Path, log: Path, examples: Sequence[Example] = EXAMPLES) -> Served:
    """Start `kg serve` on the build, time it to ready (and each step it logs), measure
    memory, time the examples."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
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
        while True:
            if process.poll() is not None:
                copier.join(timeout=5)
                raise RuntimeError(f"kg serve exited:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.1)
        ready = time.perf_counter() - started
        mib_ready = tree_mib(process.pid)
        latency = {example.id: median_latency(url, example.query) for example in examples}
        return Served(
            ready=ready,
            steps=dict(steps),
            mib_ready=mib_ready,
            mib_after=tree_mib(process.pid),
            latency=latency,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


def _copy_log(
    process: subprocess.Popen[bytes], log: Path, started: float, steps: dict[str, float]
) -> None:
    """The server's log into `log`, noting when each step of STEPS is logged."""
    assert process.stdout is not None
    with log.open("wb") as sink:
        for line in process.stdout:
            sink.write(line)
            text = line.decode(errors="replace")
            for step, marker in STEPS.items():
                if marker in text and step not in steps:
                    steps[step] = time.perf_counter() - started


def median_latency(url: str, query: str) -> float | None:
    times = []
    for attempt in range(REPEATS + 1):
        begin = time.perf_counter()
        answer = httpx.post(f"{url}/sparql", data={"query": query, "format": "json"}, timeout=60)
        if answer.status_code != 200:
            return None
        if attempt:  # the first warms the page cache
            times.append(time.perf_counter() - begin)
    return statistics.median(times)


def quads(out: Path) -> int:
    return int(json.loads((out / "store" / "store.json").read_text())["quads"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--multiples", default="1,4,8", help="comma-separated (default 1,4,8)")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/scale-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the builds")
    args = parser.parse_args()
    results: dict[int, tuple[BuildRun, int, Served]] = {}
    for multiple in (int(m) for m in args.multiples.split(",")):
        snapshot = args.scratch / f"csl-{multiple}x"
        out = args.scratch / f"build-{multiple}x"
        shutil.rmtree(out, ignore_errors=True)
        rows = write_snapshot(multiple, snapshot)
        run = run_build(
            [*KG, "build", "--csl", str(snapshot), "--out", str(out)], out, remove=False
        )
        print(f"\n=== {multiple}x: {rows} rows, {quads(out)} quads ===")
        served = serve(out, args.scratch / f"serve-{multiple}x.log")
        count = quads(out)
        if not args.keep:
            begin = time.perf_counter()
            shutil.rmtree(out)
            run = BuildRun(**{**run.__dict__, "removal": time.perf_counter() - begin})
        print_run(run)
        per_row = f"{run.cpu / rows * 1000:.2f} s; wall {run.wall / rows * 1000:.2f} s"
        print(f"CPU per 1,000 rows: {per_row}")
        print(
            f"kg serve: ready in {served.ready:.1f} s; all processes {served.mib_ready:.0f} MiB "
            f"ready, {served.mib_after:.0f} MiB after the queries"
        )
        print("  " + "; ".join(f"{step} at {at:.1f} s" for step, at in served.steps.items()))
        for name, seconds in served.latency.items():
            shown = "no answer (limit or error)" if seconds is None else f"{seconds * 1000:.1f} ms"
            print(f"  {name:<28} {shown}")
        results[multiple] = (run, count, served)
    summary(results)


def stage_costs(results: dict[int, tuple[BuildRun, int, Served]]) -> None:
    """Each stage's CPU per 1,000 rows at each multiple, and against 1x's: a stage whose
    ratio grows with the multiple does not scale linearly."""
    multiples = sorted(results)
    print(f"\n{'CPU s per 1,000 rows':<48}" + "".join(f"{m:>15}x" for m in multiples))
    base = {stage.name: stage.cpu for stage in results[1][0].stages}
    for name in base:
        cells = ""
        for multiple in multiples:
            cpu = next((s.cpu for s in results[multiple][0].stages if s.name == name), None)
            per_row = None if cpu is None else cpu / (ROWS * multiple) * 1000
            ratio = "" if cpu is None or not base[name] else f" ({cpu / multiple / base[name]:.1f})"
            cells += f"{'-' if per_row is None else f'{per_row:.3f}'}{ratio}".rjust(16)
        print(f"{name:<48}{cells}")
    print("(in brackets: the stage's CPU per row against 1x's)")


def summary(results: dict[int, tuple[BuildRun, int, Served]]) -> None:
    print("\n=== summary ===")
    print(
        f"{'x':>3} {'quads':>11} {'wall s':>8} {'CPU s':>8} {'CPU s/1k rows':>14} "
        f"{'peak MiB':>9} {'disk MiB':>9} {'files':>8} {'ready s':>8} {'serve MiB':>10}"
    )
    for multiple, (run, count, served) in sorted(results.items()):
        rows = ROWS * multiple
        print(
            f"{multiple:>3} {count:>11,} {run.wall:>8.1f} {run.cpu:>8.1f} "
            f"{run.cpu / rows * 1000:>14.2f} {run.peak_mib:>9.0f} {run.bytes / 2**20:>9.0f} "
            f"{run.files:>8} {served.ready:>8.1f} {max(served.mib_ready, served.mib_after):>10.0f}"
        )
    if 1 not in results:
        return
    stage_costs(results)
    base_run, _, base_served = results[1]
    for multiple, (run, _, served) in sorted(results.items()):
        if multiple == 1:
            continue
        ratios = [
            served.latency[name] / base_served.latency[name]
            for name in served.latency
            if served.latency[name] and base_served.latency.get(name)
        ]
        cost = (run.cpu / multiple) / base_run.cpu
        worst = max(ratios, default=float("nan"))
        print(
            f"{multiple}x: CPU per row {cost:.2f} x 1x's (target <= 1 at 8x); example queries "
            f"{min(ratios, default=float('nan')):.1f}-{worst:.1f} x 1x's latency (target <= 3 at "
            f"8x); {sum(1 for v in served.latency.values() if v is None)} without an answer"
        )


if __name__ == "__main__":
    main()
