"""The pool of query workers: a query that ends its worker costs one worker, once."""

import asyncio
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURES
from kg.publish.persistent import Checked
from kg.web.worker_process import Job
from kg.web.workers import (
    FatalQueryError,
    PoolLimits,
    QueryPool,
    QueryTimeoutError,
    WorkerLostError,
)

# 91 statements of the 2022 CSL build, found by delta debugging: sorting their objects makes
# pyoxigraph 0.5.13 abort ("comparison function does not correctly implement a total order").
ABORTS = FIXTURES / "engine-abort.nt"
ORDER_BY = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 1"


def _store(folder: Path) -> Checked:
    """An on-disk store of the statements, read-only for the workers as a build's is."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(ABORTS), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store  # closes the database
    return Checked(database=folder, quads=0)


async def _crash_then_refuse(store: Checked) -> tuple[float, int]:
    pool = QueryPool(store, PoolLimits(size=1, timeout=30, queue=4))
    await pool.start()
    try:
        with pytest.raises(WorkerLostError):
            await pool.run(Job(ORDER_BY, format="json"))
        started = time.monotonic()
        with pytest.raises(FatalQueryError, match="not run again"):
            await pool.run(Job(ORDER_BY, format="csv"))  # another format: the same query
        refused_in = time.monotonic() - started
        while not pool.alive():  # the lost worker is replaced
            await asyncio.sleep(0.1)
        count = await pool.run(Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", format="csv"))
        return refused_in, int(count.body.decode().split()[-1])
    finally:
        await pool.stop()


def test_a_query_that_aborts_the_engine_is_refused_when_sent_again(tmp_path: Path) -> None:
    refused_in, count = asyncio.run(_crash_then_refuse(_store(tmp_path / "db")))
    assert refused_in < 0.5  # no worker was started, loaded or lost for it
    assert count == len(ABORTS.read_text().splitlines())


async def _killed_then_run_again(store: Checked) -> None:
    pool = QueryPool(store, PoolLimits(size=1, timeout=3, queue=4))
    await pool.start()
    try:
        slow = Job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        running = asyncio.ensure_future(pool.run(slow))
        await asyncio.sleep(0.5)
        for worker in list(pool._workers):  # killed from outside, as the OOM killer does
            worker.process.kill()
        with pytest.raises(WorkerLostError):
            await running
        while not pool.alive():
            await asyncio.sleep(0.1)
        with pytest.raises(QueryTimeoutError):  # run again, and stopped by the time limit
            await pool.run(slow)
    finally:
        await pool.stop()


def test_a_worker_killed_from_outside_does_not_condemn_its_query(tmp_path: Path) -> None:
    asyncio.run(_killed_then_run_again(_store(tmp_path / "db")))
