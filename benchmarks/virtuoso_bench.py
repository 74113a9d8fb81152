"""kg publish into a fresh Virtuoso (and the Oxigraph server), then kg serve --store from it,
checked against kg serve on the embedded store and timed.

    .venv/bin/kg build --csl data/csl/csl-2022-05 --out /tmp/csl
    .venv/bin/python benchmarks/virtuoso_bench.py --out /tmp/csl
    .venv/bin/python benchmarks/virtuoso_bench.py --out /tmp/csl --servers virtuoso,oxigraph
    .venv/bin/python benchmarks/virtuoso_bench.py --before /tmp/csl-2021 --out /tmp/csl

For each server: a fresh database on loopback (benchmarks/virtuoso_server.py, or `oxigraph
serve`), `kg publish` timed (wall, peak memory of kg publish and of the server; with
--before, that build is published first, so that --out goes in as a later release, through
the switch), `kg serve --store` start-up,
then every example query in four formats, an entity's document, a search and a screening
answer compared with the embedded store's (as tests/web/test_remote_virtuoso.py compares
them; every difference is printed), and each example query's median latency on both.
"""

import argparse
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "web"))
from scale_bench import median_latency
from store_servers import Publishing, publish, server
from test_remote import BASE, FORMATS, HIKVISION, ask, same_document
from test_remote_virtuoso import same_answer

from conftest import serving
from kg.web.examples import examples

REQUESTS = [
    ("GET", "/id/org/hangzhou-hikvision-digital-technology-co-ltd", {"accept": "text/turtle"}),
    ("GET", "/id/person/wilbur-ross.jsonld", {}),
    ("GET", "/search?q=kashi", {}),
    ("GET", "/search?q=huawei", {"accept": "text/html"}),
    ("GET", "/.well-known/void", {"accept": "text/turtle"}),
]


def compare(embedded: str, remote: str) -> int:
    """Every example query in every format, documents, search, /match: the differences."""
    differences = 0
    for example in examples(BASE):
        for accept in (*FORMATS, "application/n-triples"):
            ours, theirs = ask(embedded, example.query, accept), ask(remote, example.query, accept)
            if not same_answer(ours, theirs):
                differences += 1
                print(f"  DIFFERS: {example.title} ({accept}): {theirs.text[:300]!r}")
    for method, path, headers in REQUESTS:
        ours = httpx.request(method, embedded + path, headers=headers, timeout=120)
        theirs = httpx.request(method, remote + path, headers=headers, timeout=120)
        if theirs.status_code != ours.status_code or not same_document(ours, theirs):
            differences += 1
            print(f"  DIFFERS: {path}: {theirs.status_code} {theirs.text[:300]!r}")
    body = {"queries": {"q": HIKVISION}}
    ours = httpx.post(f"{embedded}/match", json=body, timeout=120)
    theirs = httpx.post(f"{remote}/match", json=body, timeout=120)
    if ours.content != theirs.content:
        differences += 1
        print(f"  DIFFERS: /match: {theirs.text[:300]!r}")
    return differences


def latencies(embedded: str, remote: str, kind: str) -> None:
    for example in examples(BASE):
        here, there = median_latency(embedded, example.query), median_latency(remote, example.query)
        print(f"  {example.id:<16} embedded {shown(here):>12}  {kind} {shown(there):>12}")


def report(what: str, published: Publishing) -> None:
    print(
        f"{what}: {published.wall:.1f} s, peak {published.mib:.0f} MiB (PSS); "
        f"the server {published.server_mib:.0f} MiB"
    )


def shown(seconds: float | None) -> str:
    return "no answer" if seconds is None else f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True, help="a build folder (kg build)")
    parser.add_argument("--servers", default="virtuoso", help="virtuoso, oxigraph or both")
    parser.add_argument(
        "--before", type=Path, help="an earlier build, published first: --out is switched in"
    )
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/virtuoso-bench"))
    args = parser.parse_args()
    options = ("--result-limit", "100000", "--query-timeout", "60")
    with serving(args.out, *options, startup=600) as embedded:
        for kind in args.servers.split(","):
            print(f"=== {kind} ===")
            with server(kind, args.scratch / kind) as store:
                if args.before:
                    report("kg publish of --before", publish(args.before, store))
                report("kg publish", publish(args.out, store))
                started = time.perf_counter()
                with serving(args.out, "--store", store.query_url, *options, startup=600) as remote:
                    print(f"kg serve --store: ready in {time.perf_counter() - started:.1f} s")
                    print(f"differences from the embedded store: {compare(embedded, remote)}")
                    latencies(embedded, remote, kind)


if __name__ == "__main__":
    main()
