"""Shared fixtures: the project's folders, and one build of the bundled data per session."""

import contextlib
import datetime as dt
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.build import build
from kg.config import Settings
from kg.graph.assemble import Assembly
from kg.graph.ingest import MAX_SHRINK, IngestOptions, ingest
from kg.iris import DEFAULT_BASE
from kg.sources.source_toml import Snapshot

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = SHARED / "sources" / "article-2019-10-08-entity-list-additions.txt"
OCTOBER_ROWS = SHARED / "data" / "derived" / "el_84FR54002_2019-10-09_from_csl_2022-05.csv"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder of the bundled data (built once; tests must not modify it)."""
    out = tmp_path_factory.mktemp("build") / "build"
    build(Settings(out_dir=out))
    return out


CSL_2019_SAMPLE = SHARED / "data" / "csl_watchman" / "csl_sample_2019-12.csv"


@pytest.fixture(scope="session")
def later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another release of the bundled data: another date, so another description."""
    out = tmp_path_factory.mktemp("later") / "build"
    build(Settings(out_dir=out).with_options(build_date="2026-12-01"))
    return out


@pytest.fixture(scope="session")
def csl_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole 2022 CSL, with the 2019 sample before it (so that its removals are observed),
    built once per session (a minute or two; tests must not modify it)."""
    out = tmp_path_factory.mktemp("csl") / "build"
    snapshots = (f"{CSL_2019_SAMPLE}@2019-12-03:partial", str(PROJECT / "data/csl/csl-2022-05"))
    build(Settings(out_dir=out, csl=snapshots))
    return out


@pytest.fixture(scope="module")
def web_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium for one test module (tests/browser.py), skipped where it is missing
    unless KG_REQUIRE_BROWSER says the run must have it."""
    from browser import chromium, chromium_present, need

    need(chromium_present())
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def store(built: Path) -> ox.Store:
    """A store loaded from the published N-Quads dump and the published ontology."""
    loaded = ox.Store()
    loaded.load(path=str(built / "dumps" / "entitylist-kg.nq"), format=ox.RdfFormat.N_QUADS)
    loaded.load(
        path=str(built / "dumps" / "entitylist.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://w3id.org/entitylist-kg/ontology"),
    )
    return loaded


_SCRIPT = Path(sys.executable).with_name("kg")
# -P: never import kg from the current folder (a test runs kg inside a clone of the project).
KG = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-P", "-m", "kg.cli"]


def run_kg(
    *args: str, cwd: Path = PROJECT, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The `kg` command as a user runs it, in its own process, stopped after `timeout` s."""
    return subprocess.run(
        [*KG, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )


def on_a_full_disk(disk: Path, script: str, *args: str) -> str:
    """What `python -c script DISK/out ARGS...` prints when DISK is a 300 KB tmpfs of its
    own (a mount namespace: nothing outside the test sees it). Skips without root."""
    if not shutil.which("unshare") or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs in a mount namespace of its own")
    disk.mkdir()
    command = 'mount -t tmpfs -o size=300k tmpfs "$1" && exec "$2" -c "$3" "$1/out" "$4"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", command, "sh", str(disk), sys.executable, script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def built_terms(built: Path) -> set[URIRef]:
    """Every term of our namespace that the published data uses as a predicate or class."""
    ns = "https://w3id.org/entitylist-kg/ontology#"
    terms: set[URIRef] = set()
    for quad in ox.parse(path=str(built / "dumps" / "entitylist-kg.nq")):
        for node in (quad.predicate, quad.object):
            if isinstance(node, ox.NamedNode) and node.value.startswith(ns):
                terms.add(URIRef(node.value))
    return terms


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _AsksForCredentials(http.server.BaseHTTPRequestHandler):
    """A server behind an authenticating proxy, as a user may run one: every request 401."""

    def do_GET(self) -> None:
        self._refuse()

    def do_POST(self) -> None:
        self._refuse()

    def _refuse(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@contextlib.contextmanager
def loopback_http(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Python's own HTTP server with `handler` on a free loopback port, in a thread; yields
    its URL (no slash at the end)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def asking_for_credentials() -> Iterator[str]:
    """The query URL of a loopback server that answers every request 401."""
    with loopback_http(_AsksForCredentials) as url:
        yield f"{url}/query"


@contextlib.contextmanager
def serving(
    out_dir: Path, *options: str, port: int | None = None, startup: float = 60
) -> Iterator[str]:
    """A real `kg serve` on a loopback port, stopped at the end; yields its base URL.

    `startup`: seconds it may take to load (the whole CSL takes longer on a busy machine)."""
    port = port or free_port()
    log = out_dir.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "serve",
                "--out",
                str(out_dir),
                "--port",
                str(port),
                *options,
            ],
            cwd=PROJECT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, log, f"{url}/health", startup)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(process: subprocess.Popen[bytes], log: Path, probe: str, seconds: float) -> None:
    """Wait until `probe` answers 200; fail with the server's log if it exits or takes long."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited:\n{log.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(probe, timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{process.args!r} did not start:\n{log.read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def server(built: Path) -> Iterator[str]:
    """`kg serve` on the bundled build, with a short time limit and a small result limit.

    The tests send queries in parallel from one address, as one busy script would: four may
    run at once.
    """
    options = ("--query-timeout", "3", "--result-limit", "50", "--per-client", "4")
    with serving(built, *options) as url:
        yield url


def with_snapshots(
    assembly: Assembly,
    snapshots: list[Snapshot],
    cache: Path,
    *,
    strict: bool = False,
    max_shrink: float = MAX_SHRINK,
) -> Assembly:
    """The assembly with the snapshots ingested, as `kg build --csl` does it."""
    options = IngestOptions(
        base=DEFAULT_BASE,
        cache=cache,
        today=dt.date(2026, 11, 24),
        strict=strict,
        max_shrink=max_shrink,
    )
    return replace(assembly, ingested=ingest(snapshots, assembly.graphs, options))


#: The Oxigraph server of the `oxigraph` package on PyPI (the dev extras install it).
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


class Oxigraph(NamedTuple):
    url: str  # its base URL: /query, /update, /store below it
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def oxigraph_serving(location: Path, port: int | None = None, *options: str) -> Iterator[Oxigraph]:
    """A real `oxigraph serve` on a loopback port with its database in `location` (a fresh
    folder is a fresh database) and any other `options`, killed at the end."""
    port = port or free_port()
    log = location.parent / f"oxigraph-{port}.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [
                str(OXIGRAPH),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
                *options,
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # Opening a database that a killed server left takes a minute on the whole CSL.
        wait_until_up(process, log, f"{url}/query?query=ASK%7B%7D", 180)
        yield Oxigraph(url, process)
    finally:
        process.kill()
        process.wait()


def publish_options(url: str) -> list[str]:
    """kg publish's endpoint options for an Oxigraph server at `url`."""
    return ["--store", f"{url}/query", "--update", f"{url}/update", "--gsp", f"{url}/store"]


def uncited_sources(site: Path) -> list[tuple[str, str]]:
    """(page, source) of each numbered source of a page under id/ that nothing on the page
    cites: a reader cannot tell what it is the source of."""
    found = []
    for page in sorted((site / "id").glob("*/*.html")):
        text = page.read_text(encoding="utf-8")
        listed = re.search(r'<ol class="sources">(.*?)</ol>', text, re.S)
        if not listed:
            continue
        cited = set(re.findall(r'href="#source-(\d+)"', text))
        found += [
            (page.relative_to(site).as_posix(), re.sub(r"<[^>]+>", "", item))
            for number, item in re.findall(r'<li id="source-(\d+)">(.*?)</li>', listed.group(1))
            if number not in cited
        ]
    return found
