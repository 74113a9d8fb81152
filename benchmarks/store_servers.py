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


def publish(out: Path, store: StoreServer) -> tuple[float, float]:
    """kg publish of the build into the server: wall seconds and peak MiB (PSS)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*KG, "-q", "publish", "--out", str(out), *store.publishing],
        env={**os.environ, **store.env},
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = Sampler(process.pid)
    _, errors = process.communicate()
    sampler.stop()
    if process.returncode != 0:
        raise RuntimeError(f"kg publish failed:\n{errors}")
    return time.perf_counter() - started, sampler.peak()
