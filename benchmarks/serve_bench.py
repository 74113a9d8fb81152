"""Serve benchmark: kg serve against servers on the same engine and rdflib-endpoint.

    apt-get install wrk                      # the load generator (Debian package `wrk`)
    .venv/bin/pip install -e '.[dev,bench]'  # the Oxigraph server (PyPI `oxigraph`), peers
    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/serve_bench.py --out /tmp/csl

The systems, each on the same build and the same queries (the example queries and an
entity lookup, POSTed as forms, asking for SPARQL JSON or N-Triples):
- `kg serve`, with its default limits and isolation, but no per-client bound (every request
  of the load generator comes from one address);
- the Oxigraph server (`oxigraph serve-read-only` on the build's store);
- a plain FastAPI + pyoxigraph app (benchmarks/fastapi_peer.py);
- rdflib-endpoint over rdflib's engine (benchmarks/rdflib_peer.py), unless --no-rdflib: it
  loads the N-Quads dump into memory first (minutes on the whole CSL).

How it measures, so that the figures can be trusted:
- every system is asked every query once before any timing, and must give the same answer
  as `kg serve` (the same bindings or triples, in any order); a system that does not is
  reported and left out of the ratios for that query;
- the load comes from `wrk` (a C program, outside this process), for `--seconds` per run,
  at `--connections` connections;
- runs are interleaved: each repetition runs every query on every system, the systems in an
  order rotated at each repetition, so that a drift of the machine (another job, the page
  cache, a thermal limit) does not fall on one system;
- a request that takes more than `--timeout` seconds counts as timed out; a system with
  time-outs or errors on a query is reported as such, with its figures, and restarted;
- after each run the next waits until the system's processes are idle again, since a
  server may go on with what wrk left queued;
- per query and system: requests per second (the median of the repetitions); p50 and p99
  latency (wrk's, the worst of the repetitions); and the CPU time the system's processes
  used per request (from /proc: the system's own cost, which a busy machine disturbs far
  less than it disturbs throughput); then kg serve's ratio to each peer, and the targets of
  issue 14 (at least the plain FastAPI app everywhere, half the Oxigraph server on lookups).

On a machine where other work runs, every throughput is low and noisy: read the ratios of
the interleaved runs, and the CPU per request, rather than one system's rate.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.publish.files import DUMPS, NQUADS, STORE, STORE_DATABASE
from kg.site.pages import describe_query
from kg.web.examples import EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import tree_cpu_seconds

HERE = Path(__file__).resolve().parent
LOOKUP = "https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd"
LOOKUPS = ("entity lookup",)
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"

#: wrk's script: POST the form; at the end, print the figures as one JSON line.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "%(accept)s"
wrk.body = [==[%(body)s]==]
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'FIGURES {"requests": %%d, "seconds": %%f, "connect": %%d, "read": %%d, "write": %%d,'
    .. ' "status": %%d, "timeout": %%d, "p50": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True, kw_only=True)
class System:
    name: str
    command: list[str]
    url: str  # the query endpoint
    ready: str  # a URL that answers once the system is ready


@dataclass(frozen=True, kw_only=True)
class Run:
    requests: int
    seconds: float
    errors: int
    timeouts: int
    p50_ms: float
    p99_ms: float
    cpu_seconds: float  # of the system's processes during the run

    @property
    def cpu_us(self) -> float:
        """CPU microseconds per request: what a request costs, whatever else runs."""
        return self.cpu_seconds / self.requests * 1e6 if self.requests else 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def systems(build: Path, rdflib: bool) -> list[System]:
    ports = [free_port() for _ in range(4)]
    store = build / STORE / STORE_DATABASE
    found = [
        System(
            name="kg serve",
            command=[
                *(sys.executable, "-m", "kg.cli", "-q", "serve", "--out", str(build)),
                *("--port", str(ports[0]), "--per-client", "10000", "--max-connections", "10000"),
            ],
            url=f"http://127.0.0.1:{ports[0]}/sparql",
            ready=f"http://127.0.0.1:{ports[0]}/health",
        ),
        System(
            name="oxigraph",
            command=[
                str(Path(sys.executable).parent / "oxigraph"),
                *("serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{ports[1]}"),
            ],
            url=f"http://127.0.0.1:{ports[1]}/query",
            ready=f"http://127.0.0.1:{ports[1]}/",
        ),
        System(
            name="fastapi",
            command=[sys.executable, str(HERE / "fastapi_peer.py"), str(store), str(ports[2])],
            url=f"http://127.0.0.1:{ports[2]}/sparql",
            ready=f"http://127.0.0.1:{ports[2]}/docs",
        ),
    ]
    if rdflib:
        dump = build / DUMPS / NQUADS
        found.append(
            System(
                name="rdflib-endpoint",
                command=[sys.executable, str(HERE / "rdflib_peer.py"), str(dump), str(ports[3])],
                url=f"http://127.0.0.1:{ports[3]}/",
                ready=f"http://127.0.0.1:{ports[3]}/",
            )
        )
    return found


class Running:
    """A system's process: started, stopped, and restarted after a time-out (rdflib-endpoint
    cannot stop a query, which would go on computing beside the next runs)."""

    def __init__(self, system: System, patience: float = 900) -> None:
        self.system, self.patience = system, patience
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = self.system.command
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + self.patience
        while True:
            try:
                if httpx.get(self.system.ready, timeout=5).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                error = self.process.stderr.read().decode()[-2000:] if self.process.stderr else ""
                self.stop()
                raise SystemExit(f"{self.system.name} did not start: {error}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def settle(self, patience: float = 120) -> None:
        """Wait until the system's processes are idle: requests that wrk left queued (a
        server may go on with them after wrk hangs up) or workers being replaced must not
        burden the next run, on this system or another."""
        assert self.process is not None
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            used = tree_cpu_seconds(self.process.pid)
            time.sleep(0.5)
            if tree_cpu_seconds(self.process.pid) - used < 0.05:
                return

    def restart(self) -> None:
        self.stop()
        self.start()


def answer(system: System, query: str, timeout: float) -> object:
    """What a system answers, comparable across systems: the multiset of bindings (blank
    nodes renamed), or the set of triples; a string saying why there is none."""
    try:
        response = httpx.post(
            system.url, data={"query": query}, headers={"Accept": ACCEPT}, timeout=timeout
        )
    except httpx.TimeoutException:
        return f"timed out after {timeout:g} s"
    if response.status_code != 200:
        return f"answered {response.status_code}"
    media = response.headers.get("content-type", "").split(";")[0]
    if media == "application/sparql-results+json":
        parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return bool(parsed)
        names = [v.value for v in parsed.variables]
        rows = [{name: _plain(row[name]) for name in names} for row in parsed]
        return sorted(names), sorted(map(repr, rows))
    triples = ox.parse(response.content, ox.RdfFormat.from_media_type(media))
    return sorted({repr(tuple(map(_plain, (t.subject, t.predicate, t.object)))) for t in triples})


def _plain(term: object) -> str:
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def load(server: "Running", query: str, args: argparse.Namespace, folder: Path) -> Run:
    script = folder / "post.lua"
    body = urlencode({"query": query})
    script.write_text(WRK_SCRIPT % {"accept": ACCEPT, "body": body})
    command = [
        *("wrk", "-t", str(args.threads), "-c", str(args.connections)),
        *("-d", f"{args.seconds}s", "--timeout", f"{args.timeout}s", "-s", str(script)),
        server.system.url,
    ]
    assert server.process is not None
    cpu = tree_cpu_seconds(server.process.pid)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = tree_cpu_seconds(server.process.pid) - cpu
    line = next(line for line in output.splitlines() if line.startswith("FIGURES "))
    figures = json.loads(line.removeprefix("FIGURES "))
    errors = sum(figures[k] for k in ("connect", "read", "write", "status"))
    return Run(
        requests=figures["requests"],
        seconds=figures["seconds"],
        errors=errors,
        timeouts=figures["timeout"],
        p50_ms=figures["p50"] / 1000,
        p99_ms=figures["p99"] / 1000,
        cpu_seconds=cpu,
    )


def check_answers(
    running: list["Running"], queries: dict[str, str], timeout: float
) -> dict[tuple[str, str], str]:
    """Which (system, query) pairs answer differently from kg serve, and how. A system that
    timed out is restarted, so that the query it goes on computing burdens nothing after."""
    wrong = {}
    for name, query in queries.items():
        reference = answer(running[0].system, query, timeout)
        if isinstance(reference, str):
            raise SystemExit(f"kg serve could not answer {name}: {reference}")
        for server in running[1:]:
            theirs = answer(server.system, query, timeout)
            if theirs != reference:
                why = theirs if isinstance(theirs, str) else different(theirs, reference)
                wrong[server.system.name, name] = why
                print(f"  {server.system.name} on {name}: {why}; left out of the ratios")
                if why.startswith("timed out"):
                    server.restart()
    return wrong


def different(theirs: object, ours: object) -> str:
    """How two answers differ, in a few words."""
    if isinstance(ours, tuple) and isinstance(theirs, tuple):
        (their_names, their_rows), (names, rows) = theirs, ours
        if their_names != names:
            return f"other columns ({', '.join(their_names)})"
        unlike = len(set(their_rows) - set(rows))
        return f"{len(their_rows)} rows, kg serve {len(rows)}, {unlike} unlike"
    if isinstance(ours, list) and isinstance(theirs, list):
        return f"{len(theirs)} triples, kg serve {len(ours)}"
    return "a different answer"


def cell(runs: list[Run], wrong: str | None) -> str:
    if wrong:
        return f"{wrong[:30]:>30}"
    rate = statistics.median(run.rate for run in runs)
    p50, p99 = max(run.p50_ms for run in runs), max(run.p99_ms for run in runs)
    cpu = statistics.median(run.cpu_us for run in runs)
    flag = ""
    if any(run.timeouts for run in runs):
        flag = f" ({sum(run.timeouts for run in runs)} timed out)"
    elif any(run.errors for run in runs):
        flag = f" ({sum(run.errors for run in runs)} errors)"
    return f"{rate:>9,.0f} {p50:>8.2f} {p99:>9.2f} {cpu:>9,.0f}{flag}"


def report(
    everyone: list[System],
    queries: dict[str, str],
    runs: dict[tuple[str, str], list[Run]],
    wrong: dict[tuple[str, str], str],
) -> None:
    for name in queries:
        print(f"\n{name}")
        print(f"  {'system':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>9} {'CPU µs/req':>9}")
        for system in everyone:
            key = (system.name, name)
            print(f"  {system.name:<16} {cell(runs.get(key, []), wrong.get(key))}")
    print("\nkg serve's throughput over each peer's (median of the repetitions):")
    for system in everyone[1:]:
        ratios = []
        for name in queries:
            theirs, ours = runs.get((system.name, name), []), runs[everyone[0].name, name]
            usable = theirs and not any(r.timeouts for r in theirs)
            rate = statistics.median(r.rate for r in theirs) if usable else 0.0
            if rate:
                ratios.append(f"{name} {statistics.median(r.rate for r in ours) / rate:.2f}x")
            else:
                ratios.append(f"{name} n/a")
        print(f"  vs {system.name}: " + ", ".join(ratios))
    targets(everyone[0].name, queries, runs)


def targets(ours: str, queries: dict[str, str], runs: dict[tuple[str, str], list[Run]]) -> None:
    def rate(system: str, name: str) -> float:
        rates = [r.rate for r in runs.get((system, name), [])]
        return statistics.median(rates) if rates else 0.0

    if ("fastapi", next(iter(queries))) in runs:
        behind = [n for n in queries if rate(ours, n) < rate("fastapi", n)]
        print(f"target, at least the plain FastAPI app on every query: {behind or 'met'}")
    if ("oxigraph", LOOKUPS[0]) in runs:
        short = [n for n in LOOKUPS if rate(ours, n) < 0.5 * rate("oxigraph", n)]
        print(f"target, at least half the Oxigraph server on lookups: {short or 'met'}")


def measure(
    running: list[Running], queries: dict[str, str], args: argparse.Namespace
) -> tuple[dict[tuple[str, str], list[Run]], dict[tuple[str, str], str]]:
    """Every query on every system, --repetitions times, the systems' order rotated."""
    wrong = check_answers(running, queries, args.timeout)
    runs: dict[tuple[str, str], list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        for repetition in range(args.repetitions):
            shift = repetition % len(running)
            order = running[shift:] + running[:shift]
            for name, query in queries.items():
                for server in order:
                    key = (server.system.name, name)
                    if key in wrong:
                        continue
                    run = load(server, query, args, Path(folder))
                    runs.setdefault(key, []).append(run)
                    if run.timeouts:
                        server.restart()
                    server.settle()
    return runs, wrong


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="build", help="build folder to serve (default: build)")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per run (default: 5)")
    parser.add_argument("--repetitions", type=int, default=3, help="runs per query and system")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=10,
        help="seconds before a request counts as timed out (default 10)",
    )
    parser.add_argument(
        "--no-rdflib", dest="rdflib", action="store_false", help="leave rdflib-endpoint out"
    )
    parser.add_argument("--only", nargs="*", help="run only these queries (by name)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    build = Path(args.out)
    queries = {e.id: e.query for e in EXAMPLES if e.id != "describe"}
    queries[LOOKUPS[0]] = describe_query(LOOKUP)
    if args.only:
        queries = {name: q for name, q in queries.items() if name in args.only}
    everyone = systems(build, args.rdflib)
    print(
        f"{len(everyone)} systems, {len(queries)} queries, {args.repetitions} repetitions of "
        f"{args.seconds} s at {args.connections} connections (wrk, {args.threads} thread)"
    )
    running = [Running(system) for system in everyone]
    try:
        for server in running:  # all started at once, so that the order can rotate
            server.start()
        runs, wrong = measure(running, queries, args)
    finally:
        for server in running:
            server.stop()
    report(everyone, queries, runs, wrong)


if __name__ == "__main__":
    main()
