"""Queries run in worker processes, so that a time limit really stops the work.

Oxigraph cannot cancel a query from Python. Each worker process holds its own copy of the
store; a query that overruns its limit has its worker killed and replaced, while the other
workers go on answering. The event loop only waits on pipes: no query runs on it.

A worker has no network (kg.web.sandbox): SERVICE is evaluated by the engine, as the engine
parses it, and fails there. Its store's default graph is the RDF merge of every graph it
holds, so that a fact stated in two graphs is counted once, and FROM / FROM NAMED are read
by the engine's own parser.
"""

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import pickle
import resource
import socket
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.errors import UnavailableError
from kg.web import results, sandbox
from kg.web.protocol import ProtocolError, negotiate, projection_order

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """A file the workers load: path, pyoxigraph RdfFormat name, target graph (None: as is).

    The default graph of the loaded store is the RDF merge of every file (see load_store).
    """

    path: str
    format: str
    graph: str | None = None


@dataclass(frozen=True)
class Job:
    query: str
    _: KW_ONLY
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    format: str | None = None
    limit: int = 10_000
    base_iri: str | None = None
    #: Most bytes of a result body (0: no bound); past it the result is cut as past `limit`.
    max_bytes: int = 0


@dataclass(frozen=True)
class Outcome:
    status: int
    media_type: str
    body: bytes
    rows: int = 0
    truncated: bool = False


class QueryTimeoutError(UnavailableError):
    """The query ran past the time limit; its worker was stopped."""


class BusyError(UnavailableError):
    """Every worker stayed busy for the whole time limit."""

    retry_after = 5


class WorkerLostError(UnavailableError):
    """The worker ended while it ran the query: its memory limit, or a crash of the engine."""

    retry_after = 2


MERGE_INTO_DEFAULT_GRAPH = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def load_store(sources: Sequence[Source]) -> ox.Store:
    store = ox.Store()
    for source in sources:
        graph = ox.NamedNode(source.graph) if source.graph else None
        rdf_format = getattr(ox.RdfFormat, source.format)
        store.bulk_load(path=source.path, format=rdf_format, to_graph=graph)
    # The engine's union of named graphs repeats a triple once per graph that states it; the
    # default graph is a set of triples, so copying every graph into it makes the RDF merge.
    store.update(MERGE_INTO_DEFAULT_GRAPH)
    return store


def _merged(store: ox.Store) -> int:
    """Triples in the default graph (the merge of the named graphs)."""
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QuerySolutions)
    return int(next(iter(answer))["n"].value)


def _is_engine_panic(error: BaseException) -> bool:
    """A Rust panic in the engine: pyo3's PanicException, a BaseException of no public module."""
    return type(error).__name__ == "PanicException"


def run_job(store: ox.Store, job: Job, prefixes: dict[str, str] | None = None) -> Outcome:
    """Execute one query operation against the store: the worker's whole job, in one call."""
    try:
        answer = _query(store, job)
        return _serialise(answer, job, prefixes)
    except ProtocolError as error:
        return Outcome(error.status, "text/plain; charset=utf-8", error.message.encode())
    except SyntaxError as error:
        return Outcome(400, "text/plain; charset=utf-8", f"query syntax error: {error}".encode())
    except OSError as error:
        # The store is in memory: the one thing that can fail with an OSError is a SERVICE
        # call, which the worker's missing network stops.
        return Outcome(
            400,
            "text/plain; charset=utf-8",
            f"the query could not be answered: {error}. This endpoint has no network access, "
            "so SERVICE (federated query) always fails here.".encode(),
        )
    except (RuntimeError, ValueError) as error:
        return Outcome(
            400, "text/plain; charset=utf-8", f"the query cannot be evaluated: {error}".encode()
        )
    except BaseException as error:
        if not _is_engine_panic(error):
            raise
        log.warning("the query engine panicked (%s) on: %r", error, job.query[:2000])
        return Outcome(
            400,
            "text/plain; charset=utf-8",
            f"the query engine cannot evaluate this query ({error}); rephrase it, for "
            "example without ORDER BY over values of mixed kinds".encode(),
        )


def _query(store: ox.Store, job: Job) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    if job.default_graphs or job.named_graphs:
        # The protocol's dataset replaces any FROM in the query; a graph we do not hold is empty.
        return store.query(
            job.query,
            base_iri=job.base_iri,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs],
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs],
        )
    return store.query(job.query, base_iri=job.base_iri)


def _serialise(
    answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    job: Job,
    prefixes: dict[str, str] | None,
) -> Outcome:
    if isinstance(answer, ox.QueryBoolean):
        chosen = negotiate(job.accept, job.format, "solutions")
        return Outcome(200, chosen.media_type, results.boolean(chosen.name, bool(answer)), 1)
    if isinstance(answer, ox.QuerySolutions):
        chosen = negotiate(job.accept, job.format, "solutions")
        variables = projection_order(job.query, [v.value for v in answer.variables])
        rows: list[list[results.Term | None]] = []
        truncated = False
        for solution in answer:
            if len(rows) == job.limit:
                truncated = True
                break
            rows.append([solution[name] for name in variables])
        write_rows = functools.partial(results.solutions, chosen.name, variables)
        return _bounded(write_rows, rows, truncated, job, chosen.media_type)
    chosen = negotiate(job.accept, job.format, "graph")
    triples: list[ox.Triple] = []
    truncated = False
    for triple in answer:
        if len(triples) == job.limit:
            truncated = True
            break
        triples.append(triple)

    def write_triples(items: list[ox.Triple], cut: bool, limit: int) -> bytes:
        return results.graph(chosen.name, items, cut, limit, prefixes)

    return _bounded(write_triples, triples, truncated, job, chosen.media_type)


def _bounded(
    write: Callable[[list[T], bool, int], bytes],
    items: list[T],
    truncated: bool,
    job: Job,
    media_type: str,
) -> Outcome:
    """The written result, cut to fewer items until it fits in job.max_bytes.

    Rows are cut, never bytes, so that the body stays a well-formed result of its format.
    """
    body = write(items, truncated, job.limit)
    while job.max_bytes and len(body) > job.max_bytes and items:
        keep = int(len(items) * job.max_bytes / len(body) * 0.9)  # room for the note
        items, truncated = items[:keep], True
        body = write(items, truncated, len(items))
    return Outcome(200, media_type, body, len(items), truncated)


_FRAME = struct.Struct("!Q")


def send_frame(channel: socket.socket, message: object) -> None:
    """One message on a socket: its length, then its pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    channel.sendall(_FRAME.pack(len(payload)) + payload)


def receive_frame(channel: socket.socket) -> object:
    """The next message sent by send_frame (blocking); EOFError when the other end closed."""
    header = _read_exactly(channel, _FRAME.size)
    return pickle.loads(_read_exactly(channel, _FRAME.unpack(header)[0]))


def _read_exactly(channel: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = channel.recv(min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


async def read_frame(reader: asyncio.StreamReader) -> Any:
    """The next message sent by send_frame, awaited on the event loop."""
    header = await reader.readexactly(_FRAME.size)
    return pickle.loads(await reader.readexactly(_FRAME.unpack(header)[0]))


def worker_main(
    channel: socket.socket, sources: Sequence[Source], prefixes: dict[str, str], memory_mb: int
) -> None:
    """The loop of one worker process: give up the network, load the store, answer jobs."""
    try:
        isolation = sandbox.isolate()
    except sandbox.SandboxError as error:
        send_frame(channel, error)
        return
    if memory_mb:
        # Past it an allocation fails and the engine aborts: the pool answers 503 and replaces
        # the worker, where an unbounded query would take the machine's memory.
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = load_store(sources)
    # The quads as loaded, in their graphs: the merged default graph is a second view of them.
    quads = len(store) - _merged(store)
    send_frame(channel, (isolation, quads))
    while True:
        try:
            job = receive_frame(channel)
        except EOFError:
            return
        assert isinstance(job, Job)
        send_frame(channel, run_job(store, job, prefixes))


class Worker:
    """One worker process and the parent's end of its channel."""

    def __init__(self, sources: Sequence[Source], prefixes: dict[str, str], memory_mb: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.channel, child = socket.socketpair()
        self.process: BaseProcess = context.Process(
            target=worker_main,
            args=(child, sources, prefixes, memory_mb),
            daemon=True,
            name="kg-query-worker",
        )
        self.process.start()
        child.close()
        self.ready = False  # true once its store is loaded: before, it answers nothing
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> tuple[str, int]:
        """Attach the channel; wait for the worker to isolate itself and load its store.

        Returns how the worker was cut off from the network, and how many quads it holds.
        """
        self.reader, self.writer = await asyncio.open_connection(sock=self.channel)
        ready = await read_frame(self.reader)
        if isinstance(ready, sandbox.SandboxError):
            raise ready
        isolation, quads = ready
        self.ready = True
        return str(isolation), int(quads)

    async def ask(self, job: Job) -> Outcome:
        assert self.reader is not None and self.writer is not None
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(_FRAME.pack(len(payload)) + payload)
        await self.writer.drain()
        outcome: Outcome = await read_frame(self.reader)
        return outcome

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        if self.writer is not None:
            self.writer.close()
        else:
            self.channel.close()


#: Seconds the server's own queries may take (kg.web.served builds its indexes with them).
OWN_QUERY_TIMEOUT = 600.0


@dataclass(frozen=True, kw_only=True)
class PoolLimits:
    """How many workers, how long a query, how much memory, how many queries may wait."""

    size: int
    timeout: float
    queue: int
    memory_mb: int = 0


class QueryPool:
    """A fixed number of query worker processes, each used by one query at a time."""

    def __init__(
        self, sources: Sequence[Source], limits: PoolLimits, prefixes: dict[str, str] | None = None
    ) -> None:
        self.sources = tuple(sources)
        self.size = limits.size
        self.timeout = limits.timeout
        self.queue = limits.queue
        self.memory_mb = limits.memory_mb
        self.prefixes = prefixes or {}
        self._waiting = 0
        self._respawns: set[asyncio.Task[None]] = set()
        self._watch: asyncio.Task[None] | None = None
        self.quads = 0
        self.isolation = ""
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()

    async def start(self) -> None:
        started = time.perf_counter()
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        self._watch = asyncio.get_running_loop().create_task(self.watch())
        log.info(
            "%d query workers ready with %d quads each in %.1f s, without network (%s)",
            self.size,
            self.quads,
            time.perf_counter() - started,
            self.isolation,
        )

    async def _spawn(self) -> None:
        worker = Worker(self.sources, self.prefixes, self.memory_mb)
        self._workers.add(worker)
        try:
            self.isolation, self.quads = await worker.connect()
        except BaseException:
            self._workers.discard(worker)
            worker.kill()
            raise
        self._idle.put_nowait(worker)

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
        if not own and self._idle.empty() and self._waiting >= self.queue:
            raise BusyError(
                f"every query worker is busy and the queue is full ({self.queue} waiting)",
                hint="try again shortly",
            )
        self._waiting += 1
        try:
            async with asyncio.timeout(self.timeout):
                return await self._take()
        except TimeoutError as error:
            raise BusyError(
                f"every query worker stayed busy for {self.timeout:g} s",
                hint="try again shortly",
            ) from error
        finally:
            self._waiting -= 1

    async def _take(self) -> Worker:
        while True:
            worker = await self._idle.get()
            if worker in self._workers and worker.process.is_alive():
                return worker
            self._replace(worker)

    async def run(self, job: Job, *, own: bool = False) -> Outcome:
        """Answer a query in a worker. `own`: one of the server's own queries (the indexes it
        builds when it loads a build), which neither the queue bound nor the clients' time
        limit apply to, since the whole CSL's name lists take longer than a client may."""
        worker = await self._admit(own)
        limit = max(self.timeout, OWN_QUERY_TIMEOUT) if own else self.timeout
        try:
            async with asyncio.timeout(limit):
                outcome = await worker.ask(job)
        except TimeoutError as error:
            self._replace(worker)
            raise QueryTimeoutError(
                f"the query ran past the {limit:g} s limit and was stopped",
                hint="narrow the query (LIMIT, more specific patterns)",
            ) from error
        except (EOFError, asyncio.IncompleteReadError, ConnectionError) as error:
            self._replace(worker)
            raise WorkerLostError(
                "the query ended its worker process (its memory limit, or a crash of the "
                "engine); the worker was replaced",
                hint="narrow the query: it needed more than a worker may use",
            ) from error
        except BaseException:
            # Cancelled (client gone) or the worker died: its state is unknown, so replace it.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return outcome

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
