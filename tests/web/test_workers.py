"""The pool of query workers: a query that aborts the engine, or passes the memory limit,
costs no worker; one that runs past the time limit costs its worker."""

import asyncio
import logging
import os
import re
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from conftest import FIXTURES
from kg.publish.persistent import Checked
from kg.web.waiting_line import CLIENT
from kg.web.worker_process import Job
from kg.web.workers import (
    PoolLimits,
    QueryPool,
    QueryTimeoutError,
    WorkerLostError,
)

# 91 statements of the 2022 CSL build, found by delta debugging: sorting their objects makes
# pyoxigraph 0.5.13 abort ("comparison function does not correctly implement a total order").
ABORTS = FIXTURES / "engine-abort.nt"
ORDER_BY = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 1"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# 91³ rows, each binding a string of a kilobyte or so, concatenated: past 768 MiB in seconds.
MEMORY_BOMB = (
    "SELECT (STRLEN(GROUP_CONCAT(?long)) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?s ?p ?o "
    f"BIND(CONCAT({', '.join(['STR(?s)'] * 16)}) AS ?long) }}"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _store(folder: Path) -> Checked:
    """An on-disk store of the statements, read-only for the workers as a build's is."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(ABORTS), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store  # closes the database
    return Checked(database=folder, quads=0)


def _with_pool(
    folder: Path, limits: PoolLimits, test: Callable[[QueryPool], Coroutine[Any, Any, None]]
) -> None:
    async def run() -> None:
        pool = QueryPool(_store(folder), limits)
        await pool.start()
        try:
            await test(pool)
        finally:
            await pool.stop()

    asyncio.run(run())


def _pids(pool: QueryPool) -> set[int | None]:
    return {worker.process.pid for worker in pool._workers}


async def _count(pool: QueryPool) -> int:
    outcome = await pool.run(Job(COUNT, format="csv"))
    return int(outcome.body.decode().split()[-1])


def test_an_engine_abort_while_sorting_costs_no_worker(tmp_path: Path) -> None:
    async def test(pool: QueryPool) -> None:
        before = _pids(pool)
        (worker,) = before
        copies = [_children(worker)]
        for result_format in ("json", "json", "csv"):  # again: answered alike, not refused
            outcome = await pool.run(Job(ORDER_BY, format=result_format))
            assert outcome.status == 500  # the engine's fault, not the client's (trial 29)
            assert "does not correctly implement a total order" in outcome.body.decode()
            copies.append(_children(worker))
        assert _pids(pool) == before and pool.alive() == 1  # the same worker, never replaced
        assert all(len(c) == 1 for c in copies) and len({c[0] for c in copies}) == 4  # forked
        assert await _count(pool) == len(ABORTS.read_text().splitlines())
        # A total order over the same values sorts, in a child too, and answers in full.
        by_string = ORDER_BY.replace("?o LIMIT", "STR(?o) LIMIT")
        outcome = await pool.run(Job(by_string, format="csv"))
        expected = min(_object(q) for q in ox.parse(path=ABORTS, format=ox.RdfFormat.N_TRIPLES))
        assert outcome.status == 200 and outcome.rows == 1
        assert outcome.body.decode().split("\r\n")[1] == expected
        again = await pool.run(Job(by_string, format="csv"))
        assert again.body == outcome.body
        assert _children(worker) == copies[-1]  # a copy that answered serves the next one

    _with_pool(tmp_path / "db", PoolLimits(size=1, timeout=30, queue=4), test)


def _object(quad: ox.Quad) -> str:
    assert not isinstance(quad.object, ox.Triple)
    return quad.object.value


@pytest.mark.parametrize("order", ["", " ORDER BY ?n"])
def test_a_query_past_the_memory_limit_gets_503_and_costs_no_worker(
    tmp_path: Path, order: str
) -> None:
    async def test(pool: QueryPool) -> None:
        before = _pids(pool)
        (worker,) = before
        (copy,) = _children(worker)
        for result_format in ("json", "csv"):  # again: answered alike, not refused
            outcome = await pool.run(Job(MEMORY_BOMB + order, format=result_format))
            assert outcome.status == 503, outcome.body
            assert "more memory than a query may use" in outcome.body.decode()
        assert _pids(pool) == before  # the query ran in the worker's copy; the worker lives
        assert _children(worker) != [copy]  # a new copy answers the next query
        assert await _count(pool) == len(ABORTS.read_text().splitlines())

    _with_pool(tmp_path / "db", PoolLimits(size=1, timeout=30, queue=4, memory_mb=768), test)


def test_a_worker_killed_from_outside_loses_its_query_and_is_replaced(tmp_path: Path) -> None:
    async def test(pool: QueryPool) -> None:
        slow = Job(RUNAWAY)
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

    _with_pool(tmp_path / "db", PoolLimits(size=1, timeout=3, queue=4), test)


def _children(pid: int | None) -> list[int]:
    return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_sorting_query_stopped_at_the_time_limit_leaves_no_process_and_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kg.web.workers")

    async def test(pool: QueryPool) -> None:
        (worker,) = pool._workers
        running = asyncio.ensure_future(pool.run(Job(RUNAWAY + " ORDER BY ?n")))
        await asyncio.sleep(1)
        (child,) = _children(worker.process.pid)  # the query runs in the worker's copy
        with pytest.raises(QueryTimeoutError) as stopped:
            await running
        # A LIMIT does not help a sort: "narrow it (LIMIT, ...)" was said (trial 32).
        assert "ORDER BY sorts every row it matches before LIMIT applies" in str(stopped.value.hint)
        deadline = time.monotonic() + 5
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not Path(f"/proc/{child}").exists()  # died with the worker the pool stopped

    _with_pool(tmp_path / "db", PoolLimits(size=1, timeout=2, queue=4), test)
    said = [r.getMessage() for r in caplog.records if r.name == "kg.web.workers"]
    assert f"a query ran past the 2 s limit and was stopped: {RUNAWAY + ' ORDER BY ?n'!r}" in said


# About two seconds on the fixture: 91³ rows, six times.
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i VALUES ?z { 1 2 3 4 5 6 } }"


def _nice(pid: int | None) -> int:
    """The nice value of a process (field 19 of /proc/PID/stat, after the command's ")")."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_a_long_query_runs_at_the_lowest_priority_and_its_worker_is_replaced(
    tmp_path: Path,
) -> None:
    async def test(pool: QueryPool) -> None:
        pids = _pids(pool)
        running = asyncio.ensure_future(pool.run(Job(LONG, format="csv")))
        sorting = asyncio.ensure_future(pool.run(Job(LONG + " ORDER BY ?n", format="csv")))
        deadline = time.monotonic() + 20  # 0.3 s of CPU each, on a machine maybe busy
        while {_nice(pid) for pid in pids} != {19} and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert {_nice(pid) for pid in pids} == {19}
        copies = [c for pid in pids for c in _children(pid)]  # each worker's (kg.web.forked)
        assert len(copies) == 2 and {_nice(c) for c in copies} == {19}
        for outcome in await asyncio.gather(running, sorting):  # demoted, not stopped
            assert outcome.status == 200 and outcome.body.decode().split()[-1] == "4521426"
        while pool.alive() < 2:
            await asyncio.sleep(0.1)
        replacements = _pids(pool)
        assert replacements.isdisjoint(pids)  # both replaced, by workers at normal priority
        assert {_nice(pid) for pid in replacements} == {os.getpriority(os.PRIO_PROCESS, 0)}
        assert await _count(pool) == len(ABORTS.read_text().splitlines())
        assert _pids(pool) == replacements  # a short query keeps its worker

    limits = PoolLimits(size=2, timeout=30, queue=4, demote_after=0.3)
    _with_pool(tmp_path / "db", limits, test)


async def _as_client(pool: QueryPool, client: str, job: Job, done: list[str]) -> None:
    CLIENT.set(client)  # as kg.web.admission does for the request's task
    await pool.run(job)
    done.append(client)


def test_a_client_whose_last_query_ran_long_waits_behind_others(tmp_path: Path) -> None:
    async def test(pool: QueryPool) -> None:
        done: list[str] = []
        await _as_client(pool, "127.0.0.2", Job(LONG), done)  # ran long: heavy now
        while not pool.alive():  # its demoted worker was replaced
            await asyncio.sleep(0.1)
        busy = asyncio.ensure_future(_as_client(pool, "127.0.0.4", Job(LONG), done))
        await asyncio.sleep(0.2)
        flooder = asyncio.ensure_future(_as_client(pool, "127.0.0.2", Job(COUNT), done))
        await asyncio.sleep(0.2)  # the flooder's query waits first, the reader's second
        reader = asyncio.ensure_future(_as_client(pool, "127.0.0.1", Job(COUNT), done))
        await asyncio.gather(busy, flooder, reader)
        assert done == ["127.0.0.2", "127.0.0.4", "127.0.0.1", "127.0.0.2"]

    _with_pool(tmp_path / "db", PoolLimits(size=1, timeout=30, queue=4, demote_after=0.3), test)


def test_a_workers_log_line_is_stamped_and_one_line_without_rusts_backtrace(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUST_BACKTRACE", "1")  # the engine then writes its stack too

    async def test(pool: QueryPool) -> None:
        outcome = await pool.run(Job(ORDER_BY, format="json"))
        assert outcome.status == 500
        # What to do, in words a user of the endpoint can act on: it sent readers to
        # SECURITY.md, which the endpoint does not serve (trial 27).
        said = outcome.body.decode()
        assert "not of the query" in said and "ORDER BY STR(?x)" in said
        # Over the whole store, STR(?x) timed out instead (trial 28): the answer says so.
        assert "narrow it first (a property, a class, a graph)" in said
        assert "SECURITY.md" not in said

    _with_pool(tmp_path / "db", PoolLimits(size=1, timeout=30, queue=4), test)
    (line,) = [line for line in capfd.readouterr().err.splitlines() if "ended" in line]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ WARNING kg\.web\.worker_process: a query ended the "
        r"worker's copy \(signal SIGABRT\); it said: thread .* panicked at .* / user-provided "
        r"comparison function does not correctly implement a total order; the query: "
        + re.escape(repr(ORDER_BY)),
        line,
    ), line
