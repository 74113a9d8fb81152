"""Queries run in worker processes, so that a time limit really stops the work.

Oxigraph cannot cancel a query from Python. Each worker process (kg.web.worker_process)
opens the build's store read-only; a query that overruns its limit has its worker killed and
replaced, while the other workers go on answering. The event loop only waits on pipes: no
query runs on it.

A query that has used `demote_after` seconds of CPU has its worker (and the worker's copy,
kg.web.forked, that runs it) lowered to the lowest CPU priority by the copy (kg.web.demotion), so
that the short queries of other clients win the CPU from runaway ones. An unprivileged
process may lower a priority but not raise it back, so such a worker is replaced once its
query ends. And a client whose last query was demoted, or timed out, waits behind every
other client for a free worker (kg.web.waiting_line).
"""

import asyncio
import contextlib
import logging
import multiprocessing
import socket
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from typing import Protocol

from kg.errors import KgError, UnavailableError
from kg.publish.persistent import Checked
from kg.remote_store import narrowing, ordered
from kg.web.frames import Messages
from kg.web.waiting_line import CLIENT, HeavyClients, WaitingLine
from kg.web.worker_process import Job, Outcome, folded, worker_main

log = logging.getLogger(__name__)


class QueryTimeoutError(UnavailableError):
    """The query ran past the time limit; its worker was stopped. No Retry-After: the same
    query would run past it again, and a client that honours the header retried it at once
    (trial 25)."""

    retry_after = None


class BusyError(UnavailableError):
    """Every worker stayed busy for the whole time limit."""

    retry_after = 5


class WorkerLostError(UnavailableError):
    """The worker ended while it ran the query: killed from outside."""

    retry_after = 2


class FatalQueryError(KgError):
    """The same query ended the SPARQL server before: it is not run again on this build."""

    status = 422


class FatalQueries:
    """The queries that ended the SPARQL server of `kg serve --store` (kg.web.remote), so
    that one hostile query sent again and again cannot keep the server down. What ended it
    once ends it again: the engine's evaluation does not depend on load. (A query cannot end
    one of our own workers: its copy ends instead, kg.web.forked.)"""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[str, tuple[str, ...], tuple[str, ...]], None] = OrderedDict()

    @staticmethod
    def _key(job: Job) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        # Whitespace folded: one more space got a condemned query past (trials 34, 35).
        return folded(job.query), job.default_graphs, job.named_graphs  # not the format

    def add(self, job: Job) -> None:
        self._seen[self._key(job)] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)

    def check(self, job: Job) -> None:
        if self._key(job) in self._seen:
            raise FatalQueryError(
                "this query ended a query worker or the SPARQL server when it was sent "
                "before (a crash of the engine, or the memory limit), so it is not run again",
                hint=f"change the query: {_rephrasing(job.query)}; see SECURITY.md",
            )


def _rephrasing(query: str) -> str:
    """What to change in a condemned query: ORDER BY was named to queries without one.

    >>> _rephrasing("SELECT ?s { ?s ?p ?o } ORDER BY ?o")
    'for example drop ORDER BY over values of mixed types, or narrow it'
    >>> _rephrasing("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    'narrow it (a property, a class, a graph)'
    """
    if ordered(query):
        return "for example drop ORDER BY over values of mixed types, or narrow it"
    return "narrow it (a property, a class, a graph)"


class Worker:
    """One worker process and the parent's end of its channel."""

    def __init__(
        self, database: str, prefixes: dict[str, str], memory_mb: int, demote_after: float
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self.channel, child = socket.socketpair()
        level = logging.getLogger().getEffectiveLevel()  # the server's (kg serve -q, -v)
        self.process: BaseProcess = context.Process(
            target=worker_main,
            args=(child, database, prefixes, memory_mb, demote_after, level),
            daemon=True,
            name="kg-query-worker",
        )
        self.process.start()
        child.close()
        self.ready = False  # true once its store is open: before, it answers nothing
        self.demoted = False  # its priority was lowered (kg.web.demotion): replaced after
        self.messages: Messages | None = None

    async def connect(self) -> str:
        """Attach the channel; wait for the worker to isolate itself and open the store.

        Returns how the worker was cut off from the network.
        """
        loop = asyncio.get_running_loop()
        _, self.messages = await loop.connect_accepted_socket(Messages, self.channel)
        ready = await self.messages.next()
        if isinstance(ready, KgError):  # no isolation (kg.web.sandbox), or no store
            raise ready
        self.ready = True
        return str(ready)

    def ask(self, job: Job) -> "asyncio.Future[Outcome]":
        """The worker's answer to `job`, to come."""
        assert self.messages is not None
        answer = self.messages.next()
        self.messages.send(job)
        return answer

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        if self.messages is not None and self.messages.transport is not None:
            self.messages.transport.close()
        else:
            self.channel.close()


#: Seconds a query whose client hung up may go on to keep its worker (kg.web.admission).
HANG_UP_GRACE = 1.0

#: Seconds the server's own queries may take (kg.web.served builds its indexes with them).
OWN_QUERY_TIMEOUT = 600.0


@dataclass(frozen=True, kw_only=True)
class PoolLimits:
    """How many workers, how long a query, how much memory, how many queries may wait, and
    after how many seconds of CPU a query's worker is demoted (0: never)."""

    size: int
    timeout: float
    queue: int
    memory_mb: int = 0
    demote_after: float = 0.0


class QueryRunner(Protocol):
    """What answers the server's queries: this pool, or a SPARQL server (kg.web.remote)."""

    size: int
    quads: int
    #: The triples of the default graph (the merge of the graphs); None where not recorded.
    triples: int | None
    isolation: str

    async def run(self, job: Job, *, own: bool = False) -> Outcome: ...

    async def stop(self) -> None: ...

    def alive(self) -> int: ...


class QueryPool:
    """A fixed number of query worker processes, each used by one query at a time."""

    def __init__(
        self, store: Checked, limits: PoolLimits, prefixes: dict[str, str] | None = None
    ) -> None:
        self.database = str(store.database)
        self.size = limits.size
        self.timeout = limits.timeout
        self.queue = limits.queue
        self.memory_mb = limits.memory_mb
        self.demote_after = limits.demote_after
        self.prefixes = prefixes or {}
        self._waiting = 0
        self._respawns: set[asyncio.Task[None]] = set()
        self._watch: asyncio.Task[None] | None = None
        #: The quads the store holds in their graphs (its default graph is their merge).
        self.quads, self.triples = store.quads, store.triples
        self.isolation = ""
        self._idle: WaitingLine[Worker] = WaitingLine()
        self._heavy = HeavyClients()
        self._workers: set[Worker] = set()

    async def start(self) -> None:
        started = time.perf_counter()
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        self._watch = asyncio.get_running_loop().create_task(self.watch())
        log.info(
            "%d query workers ready on a store of %d quads in %.1f s, without network (%s)",
            self.size,
            self.quads,
            time.perf_counter() - started,
            self.isolation,
        )

    async def _spawn(self) -> None:
        worker = Worker(self.database, self.prefixes, self.memory_mb, self.demote_after)
        self._workers.add(worker)
        try:
            self.isolation = await worker.connect()
        except BaseException:
            self._workers.discard(worker)
            worker.kill()
            raise
        self._idle.put(worker)

    async def _respawn(self) -> None:
        """Start a replacement worker, trying again with a growing pause until one starts."""
        pause = 0.5
        while True:
            try:
                await self._spawn()
                return
            except Exception as error:
                log.error("could not start a query worker (%s); again in %.1f s", error, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)

    def _replace(self, worker: Worker) -> None:
        if worker not in self._workers:  # replaced already, by the watch or another path
            return
        self._workers.discard(worker)
        worker.kill()
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._respawns.add(task)  # held, so that the task is not collected while it runs
        task.add_done_callback(self._respawns.discard)

    async def watch(self, every: float = 1.0) -> None:
        """Replace workers that ended while idle, so that no query is given a dead one."""
        while True:
            await asyncio.sleep(every)
            for worker in list(self._workers):
                if not worker.process.is_alive():
                    log.warning("a query worker ended (exit code %s)", worker.process.exitcode)
                    self._replace(worker)

    async def _admit(self, own: bool) -> Worker:
        """A free worker; waiting for one only while fewer than `queue` queries wait.

        A full queue is answered at once: waiting the whole time limit to say 503 held every
        client up behind two slow ones. The server's own queries (`own`) always wait.
        """
        if not own and not self._idle and self._waiting >= self.queue:
            raise BusyError(
                f"every query worker is busy and the queue is full ({self.queue} waiting)",
                hint="try again shortly",
            )
        self._waiting += 1
        # The server's own queries wait as long as they may run: the screening index sends
        # several at once, which queue behind each other for longer than a client's limit.
        limit = max(self.timeout, OWN_QUERY_TIMEOUT) if own else self.timeout
        try:
            async with asyncio.timeout(limit):
                return await self._take(heavy=not own and CLIENT.get() in self._heavy)
        except TimeoutError as error:
            raise BusyError(
                f"every query worker stayed busy for {limit:g} s",
                hint="try again shortly",
            ) from error
        finally:
            self._waiting -= 1

    async def _take(self, *, heavy: bool) -> Worker:
        while True:
            worker = await self._idle.get(heavy=heavy)
            if worker in self._workers and worker.process.is_alive():
                return worker
            self._replace(worker)

    async def run(self, job: Job, *, own: bool = False) -> Outcome:
        """Answer a query in a worker. `own`: one of the server's own queries (the indexes it
        builds when it loads a build), which neither the queue bound nor the clients' time
        limit apply to, since the whole CSL's name lists take longer than a client may."""
        worker = await self._admit(own)
        limit = max(self.timeout, OWN_QUERY_TIMEOUT) if own else self.timeout
        asking = worker.ask(replace(job, demote=False) if own else job)
        try:
            async with asyncio.timeout(limit):
                outcome = await asyncio.shield(asking)  # a hang-up need not stop it at once
        except TimeoutError as error:
            asking.cancel()
            self._replace(worker)
            self._heavy.note(CLIENT.get(), heavy=True)
            # In the log, so that an operator can tell a time-out from the other 503s.
            log.info("a query ran past the %g s limit and was stopped: %r", limit, job.query[:500])
            raise QueryTimeoutError(
                f"the query ran past the {limit:g} s limit and was stopped",
                hint=narrowing(job.query),
            ) from error
        except (EOFError, ConnectionError) as error:
            # Not the query's doing: a copy the query ends is answered for by its worker
            # (kg.web.forked), so a worker ends only when killed from outside.
            self._replace(worker)
            raise WorkerLostError(
                "the query worker ended while it ran the query (stopped from outside, or "
                "out of processes to fork); it was replaced",
                hint="try again shortly",
            ) from error
        except asyncio.CancelledError:
            self._finish_or_stop(worker, asking)  # the client hung up
            raise
        except BaseException:
            asking.cancel()
            self._replace(worker)
            raise
        self._heavy.note(CLIENT.get(), heavy=outcome.demoted)
        self._release(worker, outcome)
        return outcome

    def _release(self, worker: Worker, outcome: Outcome) -> None:
        """A worker whose query ended: idle again, or replaced if it was demoted."""
        worker.demoted = worker.demoted or outcome.demoted
        if worker.demoted:
            self._replace(worker)
        else:
            self._idle.put(worker)

    def _finish_or_stop(self, worker: Worker, asking: "asyncio.Future[Outcome]") -> None:
        """A query whose client is gone: its worker is kept if the query ends within
        HANG_UP_GRACE seconds, and stopped and replaced if not. Replacing a worker costs a
        second or two of CPU; a load generator, or a reader closing a tab, hangs up on
        queries that would end in milliseconds."""

        def stop() -> None:
            asking.cancel()
            self._replace(worker)

        timer = asyncio.get_running_loop().call_later(HANG_UP_GRACE, stop)

        def ended(task: "asyncio.Future[Outcome]") -> None:
            timer.cancel()
            if task.cancelled() or task.exception() is not None:
                self._replace(worker)
            elif worker in self._workers:
                self._release(worker, task.result())

        asking.add_done_callback(ended)

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
        for task in list(self._respawns):
            task.cancel()
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.kill()
        self._workers.clear()

    def alive(self) -> int:
        """Workers that can answer now: started, loaded, not ended."""
        return sum(1 for worker in self._workers if worker.ready and worker.process.is_alive())
