"""Load benchmark: kg serve under mixed traffic, under flooding, and over a long soak.

    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/load_bench.py --out /tmp/csl
    .venv/bin/python benchmarks/load_bench.py --out /tmp/csl --soak 100000

Starts `kg serve` on a loopback port and drives it with mixed requests as readers and
scripts make them: entity pages (HTML), entity documents (Turtle), /search, and the example
queries, each client from a loopback address of its own. It prints, for 1, 8, 32 and 64
clients, throughput, p50 and p99 latency, errors by status and the memory of all server
processes. Then two flooding clients (from 127.0.0.2 and 127.0.0.3) send runaway queries
without pause, ignoring 429 and Retry-After, while one well-behaved client (127.0.0.1) goes
on with mixed requests: its p99 is the figure that counts (target: under 200 ms). With
--soak N: N mixed requests at 8 clients, and the servers' memory before and after.
"""

import argparse
import asyncio
import contextlib
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.web.examples import EXAMPLES

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ENTITIES = """PREFIX schema: <https://schema.org/>
SELECT ?e WHERE { ?e a schema:Organization } LIMIT 2000"""
WORDS = ["huawei", "hikvision", "kashgar", "urumqi", "iran", "bank", "sensetime", "aero"]
BASE = "https://w3id.org/entitylist-kg/"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def line(self, seconds: float) -> str:
        done = len(self.latencies)
        if not done:
            return "no requests"
        ordered = sorted(self.latencies)
        p99 = ordered[min(done - 1, int(done * 0.99))]
        errors = {s: n for s, n in sorted(self.statuses.items()) if s >= 400}
        return (
            f"{done / seconds:7.1f} req/s  p50 {statistics.median(ordered) * 1000:7.1f} ms  "
            f"p99 {p99 * 1000:7.1f} ms  errors {errors or 0}"
        )


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


def memory_mib(pid: int) -> float:
    """Resident memory of the server and its worker processes."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if proc.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def requests(url: str, entities: list[str]) -> Iterator[tuple[str, str, dict[str, str]]]:
    """An endless mix: pages, RDF documents, searches and example queries."""
    chooser = random.Random(7)
    queries = [e.query for e in EXAMPLES if e.id != "in-force-on"]
    while True:
        kind = chooser.random()
        entity = chooser.choice(entities).removeprefix(BASE)
        if kind < 0.35:
            yield "GET", f"{url}/{entity}", {"Accept": "text/html"}
        elif kind < 0.55:
            yield "GET", f"{url}/{entity}", {"Accept": "text/turtle"}
        elif kind < 0.8:
            yield "GET", f"{url}/search?q={chooser.choice(WORDS)}", {}
        else:
            query = chooser.choice(queries)
            yield (
                "GET",
                f"{url}/sparql?{httpx.QueryParams(query=query)}",
                {"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
            )


async def client(
    url: str, entities: list[str], until: float, tally: Tally, address: str = "127.0.0.1"
) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=30) as http:
        for method, target, headers in requests(url, entities):
            if time.monotonic() > until:
                return
            started = time.monotonic()
            response = await http.request(method, target, headers=headers)
            tally.latencies.append(time.monotonic() - started)
            tally.statuses[response.status_code] += 1
            if response.status_code == 429:  # a polite client waits as told
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))


async def flood(url: str, until: float, address: str, tally: Tally) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=60) as http:

        async def one() -> None:
            while time.monotonic() < until:
                response = await http.post(f"{url}/sparql", data={"query": RUNAWAY})
                tally.statuses[response.status_code] += 1

        await asyncio.gather(*(one() for _ in range(4)))  # ignores 429 and Retry-After


async def level(url: str, entities: list[str], clients: int, seconds: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    # Each client from an address of its own, as distinct readers are (127.0.1.1, ...).
    await asyncio.gather(
        *(client(url, entities, until, tally, f"127.0.1.{n + 1}") for n in range(clients))
    )
    return tally


async def flooded(url: str, entities: list[str], seconds: float) -> tuple[Tally, Tally]:
    good, bad = Tally(), Tally()
    until = time.monotonic() + seconds
    await asyncio.gather(
        client(url, entities, until, good),
        flood(url, until, "127.0.0.2", bad),
        flood(url, until, "127.0.0.3", bad),
    )
    return good, bad


def entity_iris(url: str) -> list[str]:
    answer = httpx.get(f"{url}/sparql", params={"query": ENTITIES, "format": "json"})
    return [row["e"]["value"] for row in answer.json()["results"]["bindings"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("build"), help="build folder")
    parser.add_argument("--seconds", type=float, default=10, help="length of each level")
    parser.add_argument("--soak", type=int, default=0, help="requests of the soak (0: none)")
    parser.add_argument("serve_options", nargs="*", help="options passed to kg serve")
    args = parser.parse_args()
    with server(args.out, args.serve_options) as (url, pid):
        entities = entity_iris(url)
        print(f"kg serve on {args.out}: {len(entities)} entities, {memory_mib(pid):.0f} MiB")
        for clients in (1, 8, 32, 64):
            tally = asyncio.run(level(url, entities, clients, args.seconds))
            print(f"{clients:3d} clients  {tally.line(args.seconds)}  {memory_mib(pid):.0f} MiB")
        good, bad = asyncio.run(flooded(url, entities, args.seconds))
        print(f"flooded: well-behaved client  {good.line(args.seconds)}")
        print(f"         flooders' answers    {dict(sorted(bad.statuses.items()))}")
        if args.soak:
            soak(url, entities, pid, args.soak)


def settled(url: str) -> None:
    """Wait until every worker is up (a flood's timed-out workers are being replaced)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        health = httpx.get(f"{url}/health").json()
        if health["status"] == "ok":
            time.sleep(2)  # and their memory has settled
            return
        time.sleep(0.5)


def soak(url: str, entities: list[str], pid: int, total: int) -> None:
    settled(url)
    before = memory_mib(pid)
    tally = Tally()
    started = time.monotonic()

    async def run() -> None:
        async def worker(share: int, address: str) -> None:
            transport = httpx.AsyncHTTPTransport(local_address=address)
            async with httpx.AsyncClient(transport=transport, timeout=30) as http:
                mix = requests(url, entities)
                for _ in range(share):
                    method, target, headers = next(mix)
                    response = await http.request(method, target, headers=headers)
                    tally.statuses[response.status_code] += 1

        await asyncio.gather(*(worker(total // 8, f"127.0.2.{n + 1}") for n in range(8)))

    asyncio.run(run())
    settled(url)
    after = memory_mib(pid)
    seconds = time.monotonic() - started
    print(
        f"soak: {sum(tally.statuses.values())} requests in {seconds:.0f} s, statuses "
        f"{dict(sorted(tally.statuses.items()))}; memory {before:.0f} -> {after:.0f} MiB "
        f"({(after / before - 1) * 100:+.1f}%)"
    )


if __name__ == "__main__":
    main()
