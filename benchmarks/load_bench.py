"""Load benchmark: kg serve under mixed traffic, under flooding, and over a long soak.

    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/load_bench.py --out /tmp/csl
    .venv/bin/python benchmarks/load_bench.py --out /tmp/csl --soak 100000

Starts `kg serve` on a loopback port and drives it with mixed requests as readers and
scripts make them: entity pages (HTML), entity documents (Turtle), /search, POST /match (a
yente-shaped screening of one party) and the example queries, each client from a loopback
address of its own. It prints, for 1, 8, 32 and 64 clients, throughput, p50 and p99
latency, errors by status and the memory (PSS) of all server processes; for 1 client, p50
and p99 by kind of request, so that lookups and analytic queries are seen apart. Then two
flooding clients (from 127.0.0.2 and 127.0.0.3) send runaway queries without pause,
ignoring 429 and Retry-After, while one well-behaved client (127.0.0.1) goes on with mixed
requests: its p99, overall and by kind, is the figure that counts (target: under 200 ms).
With --soak N: then N mixed requests at 8 clients, the servers' memory (PSS, and its
anonymous and file-mapped parts) sampled after each tenth, and its growth over the whole
soak and over the second half (caches level off; a leak keeps growing). --only-soak skips
the levels and the flood, so that the soak starts from a server just started.
The machine's load average is printed at the start and the end: figures taken on a busy
machine say little about the server.
"""

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from measure import Memory, tree_memory

from kg.web.examples import EXAMPLES

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ENTITIES = """PREFIX schema: <https://schema.org/>
SELECT ?e ?name WHERE { ?e a schema:Organization ; schema:name ?name } LIMIT 2000"""
WORDS = ["huawei", "hikvision", "kashgar", "urumqi", "iran", "bank", "sensetime", "aero"]
BASE = "https://w3id.org/entitylist-kg/"
TARGET = 0.2  # seconds: the well-behaved client's p99 under flooding

#: The example queries in the mix: all but "in-force-on", a whole list as of a day, which
#: a page or script asks once, not in a loop.
QUERIES = {e.id: e.query for e in EXAMPLES if e.id != "in-force-on"}


@dataclass(frozen=True)
class Request:
    kind: str  # page, turtle, search, match or query:<example id>
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, object] | None = None


def percentiles(latencies: list[float]) -> tuple[float, float]:
    """p50 and p99, in milliseconds."""
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    by_kind: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, seconds: float, status: int) -> None:
        self.latencies.append(seconds)
        self.by_kind[kind].append(seconds)
        self.statuses[status] += 1

    def line(self, seconds: float) -> str:
        done = len(self.latencies)
        if not done:
            return "no requests"
        p50, p99 = percentiles(self.latencies)
        errors = {s: n for s, n in sorted(self.statuses.items()) if s >= 400}
        return (
            f"{done / seconds:7.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
            f"errors {errors or 0}"
        )

    def kinds(self, target: float | None = None) -> str:
        """A table by kind of request; with `target`, whether each kind's p99 is under it."""
        lines = []
        for kind in sorted(self.by_kind):
            latencies = self.by_kind[kind]
            p50, p99 = percentiles(latencies)
            verdict = ""
            if target is not None:
                verdict = "  meets the target" if p99 < target * 1000 else "  misses the target"
            lines.append(
                f"    {kind:22s} {len(latencies):6d} requests  p50 {p50:7.1f} ms  "
                f"p99 {p99:7.1f} ms{verdict}"
            )
        return "\n".join(lines)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def server(out: Path, options: list[str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "-q", "serve", "--out", str(out)]
    process = subprocess.Popen([*command, "--port", str(port), *options])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("kg serve did not start")
            time.sleep(0.5)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def requests(url: str, entities: list[tuple[str, str]], seed: int = 7) -> Iterator[Request]:
    """An endless mix: pages, RDF documents, searches, screenings and example queries."""
    chooser = random.Random(seed)
    accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    while True:
        kind = chooser.random()
        iri, name = chooser.choice(entities)
        entity = iri.removeprefix(BASE)
        if kind < 0.3:
            yield Request("page", "GET", f"{url}/{entity}", {"Accept": "text/html"})
        elif kind < 0.45:
            yield Request("turtle", "GET", f"{url}/{entity}", {"Accept": "text/turtle"})
        elif kind < 0.65:
            yield Request("search", "GET", f"{url}/search?q={chooser.choice(WORDS)}")
        elif kind < 0.8:
            party = {"schema": "Company", "properties": {"name": [name]}}
            yield Request("match", "POST", f"{url}/match", body={"queries": {"q1": party}})
        else:
            example = chooser.choice(sorted(QUERIES))
            target = f"{url}/sparql?{httpx.QueryParams(query=QUERIES[example])}"
            yield Request(f"query:{example}", "GET", target, accept)


async def send(http: httpx.AsyncClient, request: Request) -> httpx.Response:
    return await http.request(
        request.method, request.url, headers=request.headers, json=request.body
    )


async def client(
    url: str,
    entities: list[tuple[str, str]],
    until: float,
    tally: Tally,
    address: str = "127.0.0.1",
) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=30) as http:
        for request in requests(url, entities):
            if time.monotonic() > until:
                return
            started = time.monotonic()
            response = await send(http, request)
            tally.add(request.kind, time.monotonic() - started, response.status_code)
            if response.status_code == 429:  # a polite client waits as told
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))


async def flood(url: str, until: float, address: str, tally: Tally) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=60) as http:

        async def one() -> None:
            while time.monotonic() < until:
                started = time.monotonic()
                response = await http.post(f"{url}/sparql", data={"query": RUNAWAY})
                tally.add("runaway", time.monotonic() - started, response.status_code)

        await asyncio.gather(*(one() for _ in range(4)))  # ignores 429 and Retry-After


async def level(url: str, entities: list[tuple[str, str]], clients: int, seconds: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    # Each client from an address of its own, as distinct readers are (127.0.1.1, ...).
    await asyncio.gather(
        *(client(url, entities, until, tally, f"127.0.1.{n + 1}") for n in range(clients))
    )
    return tally


async def flooded(url: str, entities: list[tuple[str, str]], seconds: float) -> tuple[Tally, Tally]:
    good, bad = Tally(), Tally()
    until = time.monotonic() + seconds
    await asyncio.gather(
        client(url, entities, until, good),
        flood(url, until, "127.0.0.2", bad),
        flood(url, until, "127.0.0.3", bad),
    )
    return good, bad


def entity_iris(url: str) -> list[tuple[str, str]]:
    """Organisations and one name of each: pages to ask for, and parties to screen."""
    answer = httpx.get(f"{url}/sparql", params={"query": ENTITIES, "format": "json"})
    rows = answer.json()["results"]["bindings"]
    return [(row["e"]["value"], row["name"]["value"]) for row in rows]


def load_average() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("build"), help="build folder")
    parser.add_argument("--seconds", type=float, default=10, help="length of each level")
    parser.add_argument("--soak", type=int, default=0, help="requests of the soak (0: none)")
    parser.add_argument("--only-soak", action="store_true", help="the soak alone")
    parser.add_argument("serve_options", nargs="*", help="options passed to kg serve")
    args = parser.parse_args()
    print(f"before the server starts: {load_average()} ({os.cpu_count()} cores)")
    with server(args.out, args.serve_options) as (url, pid):
        entities = entity_iris(url)
        print(f"kg serve on {args.out}: {len(entities)} entities, {tree_memory(pid).pss:.0f} MiB")
        if not args.only_soak:
            levels_and_flood(url, entities, pid, args.seconds)
        if args.soak:
            soak(url, entities, pid, args.soak)
    print(f"at the end: {load_average()}")


def levels_and_flood(url: str, entities: list[tuple[str, str]], pid: int, seconds: float) -> None:
    for clients in (1, 8, 32, 64):
        tally = asyncio.run(level(url, entities, clients, seconds))
        print(f"{clients:3d} clients  {tally.line(seconds)}  {tree_memory(pid).pss:.0f} MiB")
        if clients == 1:
            print(tally.kinds())
    settled(url)
    good, bad = asyncio.run(flooded(url, entities, seconds))
    print(f"flooded: well-behaved client  {good.line(seconds)}")
    print(good.kinds(TARGET))
    print(f"         flooders' answers    {dict(sorted(bad.statuses.items()))}")


def settled(url: str) -> None:
    """Wait until every worker is up (a flood's timed-out workers are being replaced)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        health = httpx.get(f"{url}/health").json()
        if health["status"] == "ok":
            time.sleep(2)  # and their memory has settled
            return
        time.sleep(0.5)


SAMPLES = 10  # memory samples over a soak


def soak(url: str, entities: list[tuple[str, str]], pid: int, total: int) -> None:
    """`total` mixed requests from 8 clients (each its own address and mix), the servers'
    memory sampled after each tenth. Caches that fill (the store's, the indexes' pages, a
    new worker's) grow early and level off; a leak grows by the same amount every tenth, so
    the growth over the second half is the figure that tells them apart."""
    settled(url)
    clients = 8
    mixes = [requests(url, entities, seed=n) for n in range(clients)]
    samples = [tree_memory(pid)]
    tally = Tally()
    started = time.monotonic()
    print(f"soak: {total} requests from {clients} clients; memory (PSS, MiB) every tenth")
    print(f"  {'requests':>8s}  {'seconds':>7s}  {'all':>6s}  {'anon':>6s}  {'files':>6s}  procs")
    _sample_line(0, 0.0, samples[0])
    for tenth in range(1, SAMPLES + 1):
        share = total // SAMPLES // clients
        asyncio.run(_soak_share(mixes, share, tally))
        settled(url)  # a worker replaced (a demoted query) counts when it is up again
        samples.append(tree_memory(pid))
        _sample_line(tenth * share * clients, time.monotonic() - started, samples[-1])
    first, middle, last = samples[0], samples[SAMPLES // 2], samples[-1]
    print(
        f"soak: {sum(tally.statuses.values())} requests in {time.monotonic() - started:.0f} s, "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    print(
        f"soak memory: {first.pss:.0f} -> {last.pss:.0f} MiB ({_growth(first, last)}) over "
        f"the whole soak; {middle.pss:.0f} -> {last.pss:.0f} MiB ({_growth(middle, last)}) over "
        f"the second half; anonymous {first.anon:.0f} -> {middle.anon:.0f} -> {last.anon:.0f} MiB"
    )


async def _soak_share(mixes: list[Iterator[Request]], share: int, tally: Tally) -> None:
    async def one(mix: Iterator[Request], address: str) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=address)
        async with httpx.AsyncClient(transport=transport, timeout=30) as http:
            for _ in range(share):
                response = await send(http, next(mix))
                tally.statuses[response.status_code] += 1

    await asyncio.gather(*(one(mix, f"127.0.2.{n + 1}") for n, mix in enumerate(mixes)))


def _sample_line(done: int, seconds: float, sample: Memory) -> None:
    print(
        f"  {done:8d}  {seconds:7.0f}  {sample.pss:6.0f}  {sample.anon:6.0f}  "
        f"{sample.file:6.0f}  {sample.processes:5d}"
    )


def _growth(before: Memory, after: Memory) -> str:
    return f"{(after.pss / before.pss - 1) * 100:+.1f}%"


if __name__ == "__main__":
    main()
