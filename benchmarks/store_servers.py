"""SPARQL servers we do not write, for the benchmarks: a fresh one on loopback, and
`kg publish` of a build into it, timed.

Used by benchmarks/virtuoso_bench.py (answers compared with the embedded store's) and
benchmarks/scale_bench.py (the largest build served from each).
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from measure import Sampler
from virtuoso_server import present, virtuoso_options, virtuoso_serving

from conftest import oxigraph_serving, publish_options

KG = [sys.executable, "-m", "kg.cli"]
KINDS = ("oxigraph", "virtuoso")


class StoreServer(NamedTuple):
    query_url: str
    publishing: list[str]  # kg publish's options for it
    env: dict[str, str]  # and the environment they need (credentials)
    pid: int


def missing(kind: str) -> str | None:
    """Why a server of that kind (one of KINDS) cannot run here, or None."""
    if kind == "virtuoso" and not present():
        return "Virtuoso is not installed (apt-get install virtuoso-opensource)"
    return None


def running(pid: int) -> bool:
    """Whether the process runs (not ended, nor a zombie awaiting its parent)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@contextmanager
def server(kind: str, folder: Path) -> Iterator[StoreServer]:
    """A fresh server of that kind (virtuoso or oxigraph), its database in `folder`."""
    if kind == "virtuoso":
        with virtuoso_serving(folder) as virtuoso:
            url = virtuoso.url
            yield StoreServer(
                f"{url}/sparql", virtuoso_options(url), virtuoso.env, virtuoso.process.pid
            )
    else:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with oxigraph_serving(folder / "db") as oxigraph:
            url = oxigraph.url
            yield StoreServer(f"{url}/query", publish_options(url), {}, oxigraph.process.pid)


class Publishing(NamedTuple):
    wall: float  # seconds
    mib: float  # peak PSS of kg publish
    server_mib: float  # peak PSS of the server's processes meanwhile


def publish(out: Path, store: StoreServer) -> Publishing:
    """kg publish of the build into the server, timed, its memory and the server's sampled."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*KG, "-q", "publish", "--out", str(out), *store.publishing],
        env={**os.environ, **store.env},
        stderr=subprocess.PIPE,
        text=True,
    )
    ours, theirs = Sampler(process.pid, every=1.0), Sampler(store.pid, every=1.0)
    _, errors = process.communicate()
    ours.stop()
    theirs.stop()
    if process.returncode != 0:
        ended = "" if running(store.pid) else f"; the server has ended, at {theirs.peak():.0f} MiB"
        raise RuntimeError(f"kg publish failed{ended}:\n{errors[-2000:]}")
    return Publishing(time.perf_counter() - started, ours.peak(), theirs.peak())
