"""What a query worker process does: give up the network, load the store, answer queries.

A worker has no network (kg.web.sandbox): SERVICE is evaluated by the engine, as the engine
parses it, and fails there. Its store's default graph is the RDF merge of every graph it
holds, so that a fact stated in two graphs is counted once, and FROM / FROM NAMED are read
by the engine's own parser. Every failure of a query is an answer (an Outcome), never the
end of the worker, except what the engine aborts on (kg.web.workers replaces the worker).
"""

import functools
import logging
import resource
import socket
from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import TypeVar

import pyoxigraph as ox

from kg.web import results, sandbox
from kg.web.frames import receive_frame, send_frame
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
