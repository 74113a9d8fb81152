"""The front process's own cost per /sparql request, without the network or the engine.

    .venv/bin/python benchmarks/front_bench.py --out /tmp/csl

`kg serve`'s event-loop process does, for every query, what the layers of the app do
(security headers, body bounds, CORS, admission, the protocol's parsing and checks, the
response) and hands the query to a worker. This calls the app in process, as uvicorn
would, with a pool that answers at once, so that only that Python is timed: the CPU time
per request, the best of --runs runs of --requests requests. uvicorn's HTTP parsing, the
hop to a worker and the engine's work come on top (serve_bench.py measures the whole).
"""

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.config import Settings
from kg.match.name_index import NameIndex
from kg.web.app import create_app
from kg.web.served import Loaded, ServedBuild
from kg.web.worker_process import Job, Outcome

ANSWER = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
BODY = urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"}).encode()
HEADERS = [
    (b"host", b"127.0.0.1:8000"),
    (b"content-type", b"application/x-www-form-urlencoded"),
    (b"accept", b"application/sparql-results+json, application/n-triples;q=0.9"),
    (b"content-length", str(len(BODY)).encode()),
]


class AnsweringPool:
    """A pool whose every query is answered at once, with the same small result."""

    size, quads, isolation = 3, 0, "none"
    triples: int | None = None

    async def run(self, job: Job, *, own: bool = False) -> Outcome:
        return Outcome(200, "application/sparql-results+json", ANSWER, 0)

    def alive(self) -> int:
        return self.size

    async def stop(self) -> None:
        pass


def request(app: Callable[..., Awaitable[None]]) -> Callable[[], Awaitable[int]]:
    """One POST of a form to /sparql, as uvicorn hands it to the app; its status."""
    scope = {
        **{"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST"},
        **{"scheme": "http", "path": "/sparql", "raw_path": b"/sparql", "query_string": b""},
        **{"root_path": "", "headers": HEADERS, "state": {}},
        **{"client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)},
    }

    async def once() -> int:
        messages = [{"type": "http.request", "body": BODY, "more_body": False}]
        status = 0

        async def receive() -> dict[str, object]:
            if messages:
                return messages.pop()
            await asyncio.sleep(3600)  # the client stays: no disconnect
            raise AssertionError("unreachable")

        async def send(message: dict[str, object]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(str(message["status"]))

        await app(dict(scope), receive, send)
        return status

    return once


async def measure(out: Path, requests: int) -> float:
    """CPU microseconds per request, after a warm-up."""
    app = create_app(Settings(out_dir=out, per_client=requests * 2))
    build = ServedBuild.pin(out)
    app.state.kg.switch(Loaded(build, AnsweringPool(), NameIndex([]), [], "bench"))
    once = request(app)
    for _ in range(200):
        assert await once() == 200
    started = time.process_time()
    for _ in range(requests):
        await once()
    elapsed = time.process_time() - started
    build.release()
    return elapsed / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", required=True, type=Path, help="a build folder")
    parser.add_argument("--requests", type=int, default=3000, help="per run (default 3000)")
    parser.add_argument("--runs", type=int, default=3, help="runs (default 3)")
    args = parser.parse_args()
    costs = [uvloop.run(measure(args.out, args.requests)) for _ in range(args.runs)]
    print(
        f"front process, in process: {min(costs):.0f} µs of CPU per /sparql request "
        f"(best of {args.runs} runs of {args.requests}; all: "
        + ", ".join(f"{c:.0f}" for c in costs)
        + ")"
    )


if __name__ == "__main__":
    main()
