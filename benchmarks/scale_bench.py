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
At the largest multiple, the same for each SPARQL server of --servers (the Oxigraph server
and Virtuoso by default; benchmarks/store_servers.py starts a fresh one on loopback): `kg
publish` of the build into it (time, peak memory), then `kg serve --store` from it (ready,
memory of its processes and of the server's, each example query's median latency).
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from build_bench import print_run
from measure import BuildRun, Stage, run_build, tree_mib
from scale_csl import write_snapshot
from store_servers import KINDS, Publishing, missing, publish, server

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


@dataclass(frozen=True, kw_only=True)
class Peer:
    """The build published into a SPARQL server and served from it (kg serve --store)."""

    published: Publishing
    served: Served
    server_mib: float  # the SPARQL server's processes, after the queries


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


def serve(
    out: Path, log: Path, examples: Sequence[Example] = EXAMPLES, *, store: str | None = None
) -> Served:
    """Start `kg serve` on the build (from the SPARQL server at the query URL `store`, if
    given), time it to ready (and each step it logs), measure memory, time the examples."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            *KG,
            "serve",
            "--out",
            str(out),
            "--port",
            str(port),
            *(["--store", store] if store else []),
        ],
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
    parser.add_argument(
        "--servers",
        default=",".join(KINDS),
        help="SPARQL servers to publish the largest build into and serve from, "
        f"comma-separated, '' for none (default {','.join(KINDS)})",
    )
    args = parser.parse_args()
    multiples = [int(m) for m in args.multiples.split(",")]
    kinds = [kind for kind in args.servers.split(",") if kind]
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"--servers: unknown {', '.join(sorted(unknown))} (one of {', '.join(KINDS)})")
    results: dict[int, tuple[BuildRun, int, Served]] = {}
    peers: dict[str, Peer] = {}
    for multiple in multiples:
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
        if multiple == max(multiples):
            peers = from_servers(out, kinds, args.scratch)
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
    if peers:
        compare_servers(max(multiples), results[max(multiples)][2], peers)


def from_servers(out: Path, kinds: Sequence[str], scratch: Path) -> dict[str, Peer]:
    """The build published into a fresh server of each kind, and served from it."""
    peers = {}
    for kind in kinds:
        why = missing(kind)
        if why:
            print(f"{kind}: skipped: {why}")
            continue
        with server(kind, scratch / kind) as store:
            try:
                published = publish(out, store)
            except RuntimeError as error:  # reported, and the other servers still measured
                print(f"{kind}: {error}")
                continue
            served = serve(out, scratch / f"serve-{kind}.log", store=store.query_url)
            server_mib = tree_mib(store.pid)
        peer = Peer(published=published, served=served, server_mib=server_mib)
        peers[kind] = peer
        print(
            f"{kind}: kg publish {published.wall:.1f} s, peak {published.mib:.0f} MiB (the "
            f"server {published.server_mib:.0f} MiB); kg serve --store ready in "
            f"{served.ready:.1f} s, {max(served.mib_ready, served.mib_after):.0f} MiB; "
            f"the server {peer.server_mib:.0f} MiB after the queries"
        )
    return peers


def compare_servers(multiple: int, embedded: Served, peers: dict[str, Peer]) -> None:
    """At the largest multiple: kg serve on its own store beside kg serve --store."""
    print(f"\n=== {multiple}x: the embedded store and SPARQL servers (kg serve --store) ===")
    served = [embedded, *(peer.served for peer in peers.values())]

    def row(label: str, cells: Sequence[str]) -> None:
        print(f"{label:<28}" + "".join(f"{cell:>14}" for cell in cells))

    row("", ["embedded", *peers])
    row("ready s", [f"{s.ready:.1f}" for s in served])
    row("kg serve MiB", [f"{max(s.mib_ready, s.mib_after):.0f}" for s in served])
    row("server MiB after", ["-", *(f"{p.server_mib:.0f}" for p in peers.values())])
    row("kg publish s", ["-", *(f"{p.published.wall:.1f}" for p in peers.values())])
    row("server MiB publishing", ["-", *(f"{p.published.server_mib:.0f}" for p in peers.values())])
    for example in embedded.latency:
        cells = [s.latency.get(example) for s in served]
        row(example, ["no answer" if v is None else f"{v * 1000:.1f} ms" for v in cells])


def stage_costs(results: dict[int, tuple[BuildRun, int, Served]]) -> None:
    """Each stage's CPU per 1,000 rows at each multiple, and against 1x's: a stage whose
    ratio grows with the multiple does not scale linearly. Then the same of its system time:
    the kernel's share (files and folders written, the page cache) may grow where the
    build's own work does not."""
    for title, of in (("CPU", lambda s: s.cpu), ("of which system", lambda s: s.system)):
        per_stage(results, title, of)
    print("(in brackets: the stage's time per row against 1x's)")


def per_stage(
    results: dict[int, tuple[BuildRun, int, Served]], title: str, of: Callable[[Stage], float]
) -> None:
    multiples = sorted(results)
    print(f"\n{title + ' s per 1,000 rows':<48}" + "".join(f"{m:>15}x" for m in multiples))
    base = {stage.name: of(stage) for stage in results[1][0].stages}
    for name in base:
        cells = ""
        for multiple in multiples:
            cpu = next((of(s) for s in results[multiple][0].stages if s.name == name), None)
            per_row = None if cpu is None else cpu / (ROWS * multiple) * 1000
            ratio = "" if cpu is None or not base[name] else f" ({cpu / multiple / base[name]:.1f})"
            cells += f"{'-' if per_row is None else f'{per_row:.3f}'}{ratio}".rjust(16)
        print(f"{name:<48}{cells}")


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
            seconds / base
            for name, seconds in served.latency.items()
            if seconds and (base := base_served.latency.get(name))
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
