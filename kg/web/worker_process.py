"""What a query worker process does: give up the network, open the store, answer queries.

A worker has no network (kg.web.sandbox): SERVICE is evaluated by the engine, as the engine
parses it, and fails there. It opens the build's persistent store read-only (no copy of its
own: every worker and every server on the machine shares it through the page cache); the
store's default graph is the RDF merge of every graph it holds (kg.publish.persistent), so
that a fact stated in two graphs is counted once, and FROM / FROM NAMED are read by the
engine's own parser. Every failure of a query is an answer (an Outcome), never the end of
the worker: its queries run in a forked copy of it (kg.web.forked), where the engine's abort
(ORDER BY over some mixes of literals, the memory limit) ends only the copy.
"""

import functools
import logging
import os
import resource
import signal
import socket
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, replace
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg import logs, processes
from kg.errors import KgError
from kg.web import engine_results, forked, merge_graph, results, sandbox, syntax_errors
from kg.web.demotion import Watchdog
from kg.web.frames import send_frame
from kg.web.protocol import ProtocolError, ResultFormat, negotiate, projection_order

log = logging.getLogger(__name__)

T = TypeVar("T")


def folded(query: str) -> str:
    """The query with its runs of whitespace as one space: a query and the same with an
    extra space or CRLF line ends (a form's) are one query to FatalQueries and the
    examples. A literal's inner spaces are folded too, which at worst condemns a twin.

    >>> folded("SELECT *\\r\\nWHERE  { ?s ?p ?o }")
    'SELECT * WHERE { ?s ?p ?o }'
    """
    return " ".join(query.split())


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
    #: Whether a long run lowers the worker's priority (kg.web.demotion): not the server's own.
    demote: bool = True
    #: The name a published release gives the merge of its graphs (kg.web.merge_graph), read
    #: as the store's default graph, which holds that merge.
    merge: str | None = None
    #: A query of ours (an IRI's document, an index): never condemned for a server's crash
    #: (kg.web.workers.FatalQueries). Its shape is ours, and refusing it refused an address.
    ours: bool = False


@dataclass(frozen=True)
class Outcome:
    status: int
    media_type: str
    body: bytes
    rows: int = 0
    truncated: bool = False
    #: The worker was demoted while it ran the query (kg.web.demotion): replace it.
    demoted: bool = False


def _is_engine_panic(error: BaseException) -> bool:
    """A Rust panic in the engine: pyo3's PanicException, a BaseException of no public module."""
    return type(error).__name__ == "PanicException"


def run_job(store: ox.Store, job: Job, prefixes: dict[str, str] | None = None) -> Outcome:
    """Execute one query operation against the store: the worker's whole job, in one call."""
    try:
        answer = _query(store, job)
        if isinstance(answer, ox.QuerySolutions):
            return _solutions(store, answer, job)
        if isinstance(answer, ox.QueryBoolean):
            chosen = _negotiated(job.accept, job.format, "solutions")
            return Outcome(200, chosen.media_type, results.boolean(chosen.name, bool(answer)), 1)
        return _graph(store, answer, job, prefixes)
    except ProtocolError as error:
        return Outcome(error.status, "text/plain; charset=utf-8", error.message.encode())
    except SyntaxError as error:
        message = syntax_errors.explained(job.query, str(error))
        return Outcome(400, "text/plain; charset=utf-8", message.encode())
    except OSError as error:
        # A SERVICE call, which the worker's missing network stops; the store's own reads
        # do not fail so (its files were checked against SHA256SUMS when the server started).
        # The engine's words stay in the log: they tell how far it got (a name looked up, a
        # port refused), which a client has no use for and a prober would.
        log.info("SERVICE refused by the worker's missing network: %s", error)
        return Outcome(
            400,
            "text/plain; charset=utf-8",
            b"the query calls a remote service (SERVICE), which this endpoint never calls (its "
            b"query workers have no network access, and a SPARQL server it answers from is not "
            b"asked to), so SERVICE (federated query) always fails here: query without it, or "
            b"federate from your own client",
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


#: What Rust or Python write when an allocation fails: the memory limit (RLIMIT_AS).
_OUT_OF_MEMORY = ("memory allocation of", "MemoryError")


def _ended(ended: forked.Ended, job: Job | None) -> Outcome:
    """The answer for a query whose copy ended without an outcome; the worker lives on."""
    query = job.query[:2000] if job is not None else "(too long to keep)"
    said = f"; it said: {_briefly(ended.said)}" if ended.said.strip() else ""
    log.warning("a query ended the worker's copy (%s)%s; the query: %r", ended.how, said, query)
    if ended.exit_code == -signal.SIGKILL:  # from outside: an operator, the OOM killer
        return _text(503, f"the process evaluating the query was killed ({ended.how})")
    if any(mark in ended.said for mark in _OUT_OF_MEMORY):
        return _text(
            503,
            "the query needed more memory than a query may use (--worker-memory-mb) and was "
            "stopped; narrow it (LIMIT, more specific patterns)",
        )
    lines = ended.said.splitlines()
    panic = next((n for n, line in enumerate(lines) if " panicked at " in line), None)
    # Rust writes "thread '...' panicked at FILE:LINE:COLUMN:", then the message.
    why = lines[panic + 1].strip() if panic is not None and panic + 1 < len(lines) else ""
    # 500, the SPARQL Protocol's answer for a query the service fails to execute: the query is
    # valid, and a 400 told clients it was theirs to fix (trial 29). Not 503: sent again
    # as written, it fails again.
    return _text(
        500,
        f"the query engine stopped while evaluating this query ({ended.how}"
        + (f": {why}" if why else "")
        + "), a fault of the engine, Oxigraph, not of the query, which this server cannot "
        "answer as written; rephrase it: an ORDER BY over values of mixed kinds (IRIs, "
        "numbers, dates, text) can be ORDER BY STR(?x), or kept to one kind with FILTER; "
        "a pattern that matches every triple sorts the whole store, which takes longer than "
        "a query may run, so narrow it first (a property, a class, a graph)",
    )


def _briefly(said: str) -> str:
    """What a copy said as it ended, on one log line: without the stack backtrace that Rust
    adds when RUST_BACKTRACE is set (tens of lines, which read as a crash of the server).

    >>> _briefly("panicked at a.rs:1:1:\\nnot a total order\\nstack backtrace:\\n  0: sort\\n")
    'panicked at a.rs:1:1: / not a total order'
    """
    head = said.split("stack backtrace:", 1)[0]
    return " / ".join(line.strip() for line in head.splitlines() if line.strip())[:2000]


def _text(status: int, message: str) -> Outcome:
    return Outcome(status, "text/plain; charset=utf-8", message.encode())


def _query(store: ox.Store, job: Job) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    defaults: merge_graph.Graphs = job.default_graphs
    named = job.named_graphs
    if job.merge:
        defaults, named = merge_graph.dataset(job.query, job.default_graphs, named, job.merge)
    if defaults or named:
        # The protocol's dataset replaces any FROM in the query; a graph we do not hold is empty.
        return store.query(
            job.query,
            base_iri=job.base_iri,
            default_graph=[
                ox.DefaultGraph() if g is merge_graph.DEFAULT else ox.NamedNode(g) for g in defaults
            ],
            named_graphs=[ox.NamedNode(g) for g in named],
        )
    return store.query(job.query, base_iri=job.base_iri)


def _graph(
    store: ox.Store,
    answer: ox.QueryTriples | list[ox.Triple],
    job: Job,
    prefixes: dict[str, str] | None,
) -> Outcome:
    """A CONSTRUCT or DESCRIBE result: written by the engine when its format allows and it
    fits the bounds (kg.web.engine_results); else by the capped writers, which cut it."""
    chosen = _negotiated(job.accept, job.format, "graph")
    # A remote store's graph is a list already (kg.remote_store): only the engine's is written so.
    if isinstance(answer, ox.QueryTriples) and chosen.name in engine_results.ENGINE_GRAPH_FORMATS:
        fast = engine_results.written(answer, chosen.name, limit=job.limit, max_bytes=job.max_bytes)
        if fast is not None:
            return Outcome(200, chosen.media_type, fast[0], fast[1])
        again = _query(store, job)  # spent by the engine's writer: run again, to be cut
        assert isinstance(again, ox.QueryTriples)
        answer = again
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


@functools.lru_cache(maxsize=64)
def _negotiated(accept: str | None, format_param: str | None, kind: str) -> ResultFormat:
    """negotiate(), remembered: clients send the same few headers again and again."""
    return negotiate(accept, format_param, kind)


@functools.lru_cache(maxsize=64)
def _engine_order_kept(query: str, engine_order: tuple[str, ...]) -> bool:
    """Whether the columns the engine writes are the query's (not so for some SELECT *);
    remembered, as a client sends the same queries again and again."""
    return projection_order(query, engine_order) == list(engine_order)


def _solutions(store: ox.Store, answer: ox.QuerySolutions, job: Job) -> Outcome:
    """A SELECT result: written by the engine when it fits the bounds and its columns are
    the engine's (kg.web.engine_results); else by the capped writers, which cut it."""
    chosen = _negotiated(job.accept, job.format, "solutions")
    if _engine_order_kept(job.query, tuple(v.value for v in answer.variables)):
        fast = engine_results.written(answer, chosen.name, limit=job.limit, max_bytes=job.max_bytes)
        if fast is not None:
            return Outcome(200, chosen.media_type, fast[0], fast[1])
        again = _query(store, job)  # spent by the engine's writer: run again, to be cut
        assert isinstance(again, ox.QuerySolutions)
        return _capped_solutions(again, job)
    return _capped_solutions(answer, job)


def _capped_solutions(answer: ox.QuerySolutions, job: Job) -> Outcome:
    chosen = _negotiated(job.accept, job.format, "solutions")
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


def worker_main(
    channel: socket.socket,
    database: str,
    prefixes: dict[str, str],
    memory_mb: int,
    demote_after: float = 0.0,
    log_level: int = logging.WARNING,
) -> None:
    """The loop of one worker process: give up the network, open the store, answer jobs."""
    logs.to_stderr(log_level, stamped=True)  # its lines like the server's: it is part of one
    # A process group of its own, which its watchdog lowers in priority as a whole (the
    # worker and its copy) once a query has used much CPU (kg.web.demotion).
    os.setpgid(0, 0)
    # Few allocator arenas: glibc reserves 64 MiB of address space for each thread that
    # meets contention, up to 8 per core, so what a worker holds before any query varied
    # from 380 to 950 MiB from one start to the next, against a fixed memory limit.
    processes.libc().mallopt(M_ARENA_MAX, ARENAS)
    try:
        # Opened before isolation: the server passes the path through its own descriptor of
        # the build (/proc/PID/fd/N), which a process in a user namespace of its own may not
        # follow; this process's descriptor it always may.
        folder = os.open(database, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        isolation = sandbox.isolate()  # before the store starts its threads: unshare needs one
    except (OSError, sandbox.SandboxError) as error:
        send_frame(channel, error if isinstance(error, KgError) else _unopened(database, error))
        return
    try:
        proc = Path(f"/proc/self/fd/{folder}")
        store = open_store(str(proc) if proc.is_dir() else database)
    except KgError as error:
        send_frame(channel, error)
        return
    if memory_mb:
        try:
            check_memory(memory_mb)
        except KgError as error:
            send_frame(channel, error)
            return
    start = functools.partial(_start_copy, store, prefixes, memory_mb, demote_after)
    try:
        forked.serve_in_copies(channel, start, _ended, greeting=isolation)
    except OSError as error:  # the server sees the channel close, and replaces this worker
        log.error("a query worker cannot fork the copy that answers its queries: %s", error)


def _start_copy(
    store: ox.Store, prefixes: dict[str, str], memory_mb: int, demote_after: float
) -> Callable[[Job], Outcome]:
    """In a copy of the worker (kg.web.forked): its watchdog and memory limit, and what
    answers its jobs."""
    watchdog = Watchdog(demote_after)
    # Before the memory limit: a thread reserves its stack and its allocator's arena up front.
    watchdog.start()
    if memory_mb:
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def answer(job: Job) -> Outcome:
        if job.demote:
            watchdog.begin()
        outcome = run_job(store, job, prefixes)
        return replace(outcome, demoted=True) if watchdog.end() else outcome

    return answer


#: mallopt's parameter for the most allocator arenas, and the number a worker keeps to.
M_ARENA_MAX = -8
ARENAS = 2

#: Address space a worker needs beyond what it holds once its store is open, to answer the
#: smallest query: the threads' allocator arenas the engine reserves as it runs (64 MiB each).
QUERY_HEADROOM_MB = 256


def check_memory(memory_mb: int) -> None:
    """Raise KgError if a bound of memory_mb MiB on this process's address space (RLIMIT_AS,
    set in each copy that answers queries) leaves no room for a query.

    Past the bound an allocation fails and the engine aborts: the copy ends and the pool
    answers 503, where an unbounded query would take the machine's memory. Checked once
    the store is open: its threads reserve address space that a query does not use. The
    store is read, not mapped, so its size does not count against the bound."""
    held = address_space_mb()
    if memory_mb < held + QUERY_HEADROOM_MB:
        # Below it the worker's next thread or allocation fails at once: a worker that cannot
        # answer anything would hold up the server's start.
        raise KgError(
            f"--worker-memory-mb {memory_mb} leaves a query worker no room: it holds "
            f"{held} MiB of address space before any query",
            where="kg serve --worker-memory-mb (KG_WORKER_MEMORY_MB)",
            hint=f"give at least {held + QUERY_HEADROOM_MB} MiB, or 0 for no bound",
        )


def address_space_mb() -> int:
    """This process's address space in MiB (VmSize), reserved pages included."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) >> 10
    raise KgError("/proc/self/status has no VmSize", hint="kg serve needs Linux's /proc")


def open_store(database: str) -> ox.Store:
    """The store at `database`, read-only: any number of processes may open it at once."""
    try:
        return ox.Store.read_only(database)
    except OSError as error:
        raise KgError(
            f"cannot open the store: {error}",
            where=database,
            hint="the build is damaged or half copied: rebuild it with `kg build`, or copy "
            "it again",
        ) from error


def _unopened(database: str, error: OSError) -> KgError:
    return KgError(
        f"a query worker cannot open the store: {error.strerror}",
        where=database,
        hint="check that the build folder is readable by the server's user",
    )
