"""Serve benchmark: kg serve against rdflib-endpoint on the same data and the same queries.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/kg build
    .venv/bin/python benchmarks/serve_bench.py --requests 200 --concurrency 4

    # the whole 2022 CSL (the peer takes minutes to load it, and times out on some queries)
    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/serve_bench.py --out /tmp/csl --requests 50

Prints, per query, throughput and p50/p99 latency for each server and the ratio, then our
HTTP overhead over calling pyoxigraph directly (the same query, in process, one at a time).
The servers run one at a time, so that neither is measured while the other computes.
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.web.examples import EXAMPLES
from kg.web.linked_data import describe_query
from kg.web.worker_process import Job, run_job

HERE = Path(__file__).resolve().parent
LOOKUP = "https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd"
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def started(command: list[str], url: str) -> Iterator[str]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(url, timeout=5).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"could not start: {' '.join(command)}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # rdflib-endpoint may still be inside a query
            process.kill()
            process.wait()


PEER_TIMEOUT = 30.0


async def load(
    url: str, query: str, requests: int, concurrency: int, timeout: float = 120
) -> tuple[float, list[float]]:
    """Send `requests` POSTs at `concurrency`; return (requests per second, latencies in ms).

    A request that takes longer than `timeout` ends the run: (0.0, []) means "timed out".
    """
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(requests):
        queue.put_nowait(number)

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            queue.get_nowait()
            started_at = time.perf_counter()
            response = await http.post(url, data={"query": query}, headers={"Accept": ACCEPT})
            response.raise_for_status()
            latencies.append((time.perf_counter() - started_at) * 1000)

    async with httpx.AsyncClient(timeout=timeout) as http:
        began = time.perf_counter()
        try:
            await asyncio.gather(*(client(http) for _ in range(concurrency)))
        except httpx.TimeoutException:
            return 0.0, []
        elapsed = time.perf_counter() - began
    return requests / elapsed, latencies


def figures(rps: float, latencies: list[float]) -> str:
    if not latencies:
        return f"{'timed out':>9} {'>' + str(int(PEER_TIMEOUT)) + ' s':>8} {'':>8}"
    return f"{rps:>9.1f} {percentile(latencies, 0.5):>8.2f} {percentile(latencies, 0.99):>8.2f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def sequential_p50(url: str, query: str, requests: int) -> float:
    """One request at a time from a plain synchronous client, as a script would send them."""
    timings = []
    with httpx.Client(timeout=60) as http:
        for _ in range(requests):
            began = time.perf_counter()
            http.post(url, data={"query": query}, headers={"Accept": ACCEPT}).raise_for_status()
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def raw_p50(store: ox.Store, query: str, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        run_job(store, Job(query, accept=ACCEPT, limit=10**6))
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="build", help="build folder to serve (default: build)")
    parser.add_argument("--requests", type=int, default=200, help="requests per query and server")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    args = parser.parse_args()
    dump = Path(args.out) / "dumps" / "entitylist-kg.nq"
    ours_port, peer_port = free_port(), free_port()
    queries = [(e.id, e.query) for e in EXAMPLES if e.id != "describe"]
    queries.append(("entity lookup", describe_query(LOOKUP)))
    ours_cmd = [
        sys.executable,
        "-m",
        "kg.cli",
        "-q",
        "serve",
        "--out",
        args.out,
        "--port",
        str(ours_port),
        "--result-limit",
        "1000000",
    ]
    peer_cmd = [sys.executable, str(HERE / "rdflib_peer.py"), str(dump), str(peer_port)]
    print(
        f"{args.requests} requests per query at concurrency {args.concurrency}; "
        f"data: {dump} ({dump.stat().st_size:,} bytes)\n"
    )
    # One server at a time, so that neither measures while the other computes.
    with started(ours_cmd, f"http://127.0.0.1:{ours_port}/health") as _:
        ours_url = f"http://127.0.0.1:{ours_port}/sparql"
        ours = {
            name: asyncio.run(load(ours_url, query, args.requests, args.concurrency))
            for name, query in queries
        }
        overheads = overhead_lines(dump, ours_url, queries, args.requests)
    peer = peer_runs(peer_cmd, peer_port, queries, args.requests, args.concurrency)
    print(
        f"{'query':<16} {'kg req/s':>9} {'p50 ms':>8} {'p99 ms':>8} | {'rdflib req/s':>13} "
        f"{'p50 ms':>8} {'p99 ms':>8} | {'ratio':>6}"
    )
    for name, _ in queries:
        (ours_rps, ours_lat), (peer_rps, peer_lat) = ours[name], peer[name]
        ratio = f"{ours_rps / peer_rps:>5.1f}x" if peer_rps else "   n/a"
        theirs = figures(peer_rps, peer_lat)
        print(f"{name:<16} {figures(ours_rps, ours_lat)} | {theirs:>31} | {ratio}")
    print("\nHTTP overhead over a raw pyoxigraph call (one request at a time, p50):")
    print("\n".join(overheads))


def peer_runs(
    command: list[str], port: int, queries: list[tuple[str, str]], requests: int, concurrency: int
) -> dict[str, tuple[float, list[float]]]:
    """The peer's figures per query. rdflib-endpoint has no time limit: a query that timed out
    goes on computing, so the next query gets a freshly started peer."""
    url = f"http://127.0.0.1:{port}/"
    found: dict[str, tuple[float, list[float]]] = {}
    pending = list(queries)
    while pending:
        with started(command, url) as _:
            while pending:
                name, query = pending.pop(0)
                found[name] = asyncio.run(load(url, query, requests, concurrency, PEER_TIMEOUT))
                if not found[name][1]:
                    break
    return found


def overhead_lines(
    dump: Path, url: str, queries: list[tuple[str, str]], requests: int
) -> list[str]:
    store = ox.Store()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    lines = []
    for name, query in queries:
        raw = raw_p50(store, query, requests)
        http = sequential_p50(url, query, requests)
        lines.append(
            f"{name:<16} raw {raw:7.3f} ms   http {http:7.3f} ms   overhead {http - raw:6.3f} ms"
        )
    return lines


if __name__ == "__main__":
    main()
