"""`kg publish`: a build loaded into a SPARQL 1.1 server, switched in whole.

1. The build's N-Quads dump, ontology and description are checked against SHA256SUMS and
   read, graph by graph, in file order.
2. Every graph is cut into chunks, each POSTed through the Graph Store Protocol into a
   staging graph of the graph's own and into one for their RDF merge (the default graph
   readers query, kg.publish.pointer). A graph is a set, so a chunk sent twice (a retry, or
   a publish run again after an interruption) is held once; a graph a run staged whole
   already is not sent again (a first release, below, starts again from the beginning).
3. For each graph and the merge, two update requests write beside its staging graph what
   the staging graph adds to the live graph and what it removes. No reader looks at them,
   and each writes only a difference.
4. One SPARQL Update request applies those differences to the live graphs and rewrites the
   pointer. A server that runs an update request as one transaction (Oxigraph, Fuseki,
   GraphDB, Virtuoso, Neptune) shows readers the old release or the new, never a mix; the
   transaction holds only the differences, and is short: comparing the graphs inside it
   kept Virtuoso's readers of the pointer waiting for over ten minutes at 8 times the CSL.
   Then the staging graphs, and the graphs of the old release the new one has not, are
   emptied in small requests: no reader looks at them any more.

The first release on a server skips the staging: with no pointer, no reader looks at the
graphs, so each chunk is POSTed straight into its graph and into the merge, and the pointer
is written once every graph is seen to hold what it should (another `kg publish` run at the
same time could have emptied one: run one at a time). A server holds a transaction's
changes in memory until it commits: the Oxigraph server grew by 1.6 GB for a switch that
replaced every triple of the 2022 CSL, and past 22 GB, to the kernel's OOM killer, at 8
times it; Virtuoso refuses such a switch past its TransactionAfterImageLimit. So nothing of
a release's size goes in one request unless it is new in the release.
"""

import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg import iris
from kg.errors import KgError
from kg.publish import checksums, pointer
from kg.publish.files import DESCRIPTION, DUMPS, NQUADS, ONTOLOGY_FILE
from kg.remote_store import Dataset, RemoteConflictError, RemoteStore, RemoteStoreError
from kg.vocab import ONTOLOGY_IRI

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Triples per request: about 8 MB of N-Triples, a request any server takes.
CHUNK_TRIPLES = 50_000
#: Seconds to wait before each new try of a request that failed on the way.
RETRY_PAUSES = (1.0, 2.0, 4.0, 8.0)
#: How long a request the server gave up for another transaction's sake (a deadlock with
#: readers) is sent again, each time after a pause of CONFLICT_PAUSE seconds at most.
CONFLICT_SECONDS = 300.0
CONFLICT_PAUSE = 2.0


@dataclass(frozen=True)
class Chunk:
    """Some triples of one graph."""

    graph: str
    triples: list[ox.Triple]


@dataclass(frozen=True)
class Publication:
    """The release the server's readers see after a publish, and whether this one loaded it
    (false: it was published already)."""

    release: pointer.Published
    loaded: bool


def publish(out_dir: Path, store: RemoteStore, base: str) -> Publication:
    """Load the build in out_dir into the server, then switch readers to it."""
    dumps = out_dir / DUMPS
    checksums.verify(dumps, (NQUADS, ONTOLOGY_FILE, DESCRIPTION))
    digest = checksums.release_digest(dumps)
    old = _retrying(lambda: pointer.read(store, base), "read the published release")
    if old is not None and old.digest == digest:
        log.info("release %s is published already: nothing to do", digest)
        return Publication(old, loaded=False)
    # The update endpoint and its credentials, before minutes of staging: a wrong --update
    # was found only at the switch (trial 34). A graph of ours that is never loaded.
    probe = f"DROP SILENT GRAPH <{pointer.staging_prefix(base)}probe>"
    _retrying(lambda: store.update(probe), "reach the update endpoint")
    # Several seconds on the whole CSL, which said nothing meanwhile (trial 34).
    log.info("reading the build's graphs from %s", dumps / NQUADS)
    graphs = _read_build(dumps, base)
    new = pointer.Published(
        digest=digest,
        dataset=Dataset(pointer.merged_graph(base), tuple(sorted(graphs))),
        quads=sum(len(triples) for triples in graphs.values()),
        nquads_sha256=checksums.read(dumps)[NQUADS],
        triples=len({triple for triples in graphs.values() for triple in triples}),
    )
    stale = _graphs_under(store, pointer.staging_prefix(base))  # an interrupted publish's
    if old is None:
        _empty_graphs(store, sorted(stale))
        _load_first(store, graphs, new, base)
    else:
        folder = Staging.folder_of(base, digest)
        _empty_graphs(store, sorted(g for g in stale if not g.startswith(folder)))
        _load_later(store, graphs, old, new, base)
    log.info("published release %s: %d quads in %d graphs", digest, new.quads, len(graphs))
    return Publication(new, loaded=True)


def _read_build(dumps: Path, base: str) -> dict[str, list[ox.Triple]]:
    """The build's graphs as the query workers load them, each triple once, in an order
    fixed by the files: they are the build's, checked against SHA256SUMS, so the same release
    always gives the same chunks (a resumed publish relies on it), with no sort."""
    graphs: dict[str, list[ox.Triple]] = {}
    # Written from a store, the N-Quads dump holds each quad once, all in named graphs.
    for quad in ox.parse(path=dumps / NQUADS, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    for name, graph in ((ONTOLOGY_FILE, ONTOLOGY_IRI), (DESCRIPTION, iris.dataset(base))):
        # Through a store, as the query workers load them: Oxigraph keeps a derived integer
        # type (xsd:nonNegativeInteger) as xsd:integer, and every server must answer as they
        # do. The N-Quads dump was written from such a store already.
        small = ox.Store()
        small.load(path=dumps / name, format=ox.RdfFormat.TURTLE)
        graphs[graph] = [quad.triple for quad in small]
    return dict(sorted(graphs.items()))


def _chunks(graphs: dict[str, list[ox.Triple]]) -> Iterator[Chunk]:
    for name, triples in graphs.items():
        for start in range(0, len(triples), CHUNK_TRIPLES):
            yield Chunk(name, triples[start : start + CHUNK_TRIPLES])


def _send(
    store: RemoteStore, graphs: dict[str, list[ox.Triple]], targets: dict[str, list[str]]
) -> None:
    """POST every chunk of `graphs` into the graphs `targets` names for its graph, with
    progress; a graph is a set, so a chunk sent again (a retry) adds nothing."""
    chunks = list(_chunks(graphs))
    total, sent = sum(len(c.triples) for c in chunks), 0
    for number, chunk in enumerate(chunks, 1):
        body = ox.serialize(chunk.triples, format=ox.RdfFormat.N_TRIPLES) or b""
        for graph in targets[chunk.graph]:
            _retrying(lambda: store.post_graph(graph, body), f"load chunk {number}")  # noqa: B023
        sent += len(chunk.triples)
        log.info(
            "loaded chunk %d/%d: %d of %d quads (%d%%)",
            number,
            len(chunks),
            sent,
            total,
            100 * sent // total,  # rounded down: 100% is the last chunk's, not 99.6%'s
        )


@dataclass(frozen=True)
class Staging:
    """Where a later release is staged: a graph for each of its graphs and for their merge,
    and for each of those, what it adds to the live graph and what it removes."""

    folder: str
    graphs: dict[str, str]  # a graph of the release, or their merge: its staging graph
    merged: str  # the merge's staging graph

    @staticmethod
    def folder_of(base: str, digest: str) -> str:
        """The prefix of every staging graph of release `digest`."""
        return f"{pointer.staging_prefix(base)}{digest}/"

    @classmethod
    def of(cls, base: str, digest: str, graphs: dict[str, list[ox.Triple]]) -> "Staging":
        folder = cls.folder_of(base, digest)
        names = {graph: f"{folder}{number}" for number, graph in enumerate(graphs, 1)}
        merged = f"{folder}all"
        return cls(folder, {**names, pointer.merged_graph(base): merged}, merged)

    def added(self, graph: str) -> str:
        return f"{self.graphs[graph]}/added"

    def removed(self, graph: str) -> str:
        return f"{self.graphs[graph]}/removed"

    def every(self) -> list[str]:
        return [
            name for g in self.graphs for name in (self.graphs[g], self.added(g), self.removed(g))
        ]


def _stage(store: RemoteStore, graphs: dict[str, list[ox.Triple]], staging: Staging) -> None:
    """Each graph into its staging graph and into the merge's, but those staged whole
    already (the merge first: a graph staged whole is in the merge's whole too)."""
    held = _graphs_under(store, staging.folder)
    wanted = {}
    for graph, triples in graphs.items():
        if held.get(staging.graphs[graph]) == len(triples):  # the dump holds each triple once
            log.info("graph %s staged already", graph)
        else:
            wanted[graph] = triples
    _send(store, wanted, {graph: [staging.merged, staging.graphs[graph]] for graph in wanted})


def _load_later(
    store: RemoteStore,
    graphs: dict[str, list[ox.Triple]],
    old: pointer.Published,
    new: pointer.Published,
    base: str,
) -> None:
    """A later release: staged, its differences from the live graphs written beside it,
    then those differences applied in one request with the pointer, then the staging
    emptied."""
    staging = Staging.of(base, new.digest, graphs)
    _stage(store, graphs, staging)
    assert new.triples is not None, "publish counts the merge"
    _check_sizes(
        store,
        {staging.graphs[g]: len(t) for g, t in graphs.items()} | {staging.merged: new.triples},
        "staging",
    )
    for number, graph in enumerate(staging.graphs, 1):
        log.info("comparing graph %d/%d with the live one: %s", number, len(staging.graphs), graph)
        for request in _differences(graph, staging):
            _retrying(lambda: store.update(request), f"compare {graph}")  # noqa: B023
    log.info("switching readers to release %s", new.digest)
    switch = _switch(new, staging, base)
    _retrying(lambda: store.update(switch), "switch to the new release")
    log.info("readers see release %s; emptying the staging and retired graphs", new.digest)
    # The ontology's graph has one name for every base: left to the releases that name it.
    gone = [g for g in sorted(set(old.dataset.named_graphs) - set(graphs)) if g.startswith(base)]
    _empty_graphs(store, [*gone, *staging.every()])


def _load_first(
    store: RemoteStore, graphs: dict[str, list[ox.Triple]], new: pointer.Published, base: str
) -> None:
    """The first release: its graphs emptied (what an interrupted first publish left), each
    chunk POSTed into its graph and into the merge, its graphs checked, the pointer written."""
    # The ontology's graph has one name for every base, and another base's release may
    # name it: it is added to, and checked below.
    _empty_graphs(
        store, [g for g in sorted({new.dataset.default_graph, *graphs}) if g.startswith(base)]
    )
    _send(store, graphs, {graph: [graph, new.dataset.default_graph] for graph in graphs})
    _check_sizes(store, {g: len(triples) for g, triples in graphs.items()}, "loading")
    log.info("pointing readers to release %s", new.digest)
    _retrying(lambda: store.update(pointer.write(new, base)), "write the release's pointer")


def _check_sizes(store: RemoteStore, wanted: dict[str, int], what: str) -> None:
    """Each graph holds as many triples as wanted, or KgError (no pointer is written)."""
    log.info("counting the triples of %d graphs after %s", len(wanted), what)
    names = ", ".join(str(ox.NamedNode(g)) for g in sorted(wanted))
    held = _graph_sizes(store, f"?g IN ({names})", f"count the graphs after {what}")
    wrong = sorted(g for g, size in wanted.items() if held.get(g, 0) != size)
    if wrong:
        raise KgError(
            f"after {what}, {len(wrong)} graph(s) do not hold the release's triples, "
            f"first {wrong[0]} ({held.get(wrong[0], 0)} triples, not {wanted[wrong[0]]}); "
            "no reader was pointed to it",
            hint="another kg publish may have run at the same time, or another release "
            "holds the ontology's graph; run one kg publish at a time, then this one again",
        )


def _graphs_under(store: RemoteStore, prefix: str) -> dict[str, int]:
    """Graphs whose names start with `prefix`, with their sizes."""
    condition = f"STRSTARTS(STR(?g), {ox.Literal(prefix)})"
    return _graph_sizes(store, condition, "list the graphs under " + prefix)


def _graph_sizes(store: RemoteStore, condition: str, what: str) -> dict[str, int]:
    """The graphs ?g that meet the SPARQL `condition`, with their sizes."""
    query = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER ({condition})
}} GROUP BY ?g"""
    answer = _retrying(lambda: store.query(query), what)
    assert isinstance(answer, ox.QuerySolutions), "a SELECT query answers with solutions"
    return {row["g"].value: int(row["n"].value) for row in answer}


def _empty_graphs(store: RemoteStore, graphs: list[str]) -> None:
    """Empty graphs no reader looks at, CHUNK_TRIPLES triples a request (a graph dropped in
    one request is a transaction as large as the graph), then drop them."""
    for graph in graphs:
        name = ox.NamedNode(graph)
        pattern = f"GRAPH {name} {{ ?s ?p ?o }}"
        some = f"SELECT * WHERE {{ {pattern} }} LIMIT {CHUNK_TRIPLES}"
        delete = f"DELETE {{ {pattern} }} WHERE {{ {some} }}"
        held = False
        while _retrying(lambda: _holds_any(store, pattern), f"look into {graph}"):  # noqa: B023
            _retrying(lambda: store.update(delete), f"empty {graph}")  # noqa: B023
            held = True
        if held:  # most difference graphs are empty: nothing to say of them
            log.info("emptied %s", graph)
        # Empty now, so a small request; the graph's name leaves the server's list of graphs
        # too (Oxigraph keeps an emptied graph's name, and GRAPH ?g {} would still show it).
        _retrying(lambda: store.update(f"DROP SILENT GRAPH {name}"), f"drop {graph}")  # noqa: B023


def _holds_any(store: RemoteStore, pattern: str) -> bool:
    answer = store.query(f"ASK {{ {pattern} }}")
    assert isinstance(answer, ox.QueryBoolean), "an ASK query answers with a boolean"
    return bool(answer)


def _differences(graph: str, staging: Staging) -> list[str]:
    """Update requests that write beside its staging graph what the staging graph adds to
    `graph` and what it removes from it: read by the switch. Each writes only a difference,
    no reader looks at what it writes, and sent again it writes the same."""
    live, staged = ox.NamedNode(graph), ox.NamedNode(staging.graphs[graph])
    added, removed = ox.NamedNode(staging.added(graph)), ox.NamedNode(staging.removed(graph))
    return [
        _into(added, f"GRAPH {staged} {{ ?s ?p ?o }}", f"GRAPH {live} {{ ?s ?p ?o }}"),
        _into(removed, f"GRAPH {live} {{ ?s ?p ?o }}", f"GRAPH {staged} {{ ?s ?p ?o }}"),
    ]


def _into(target: ox.NamedNode, held: str, lacking: str) -> str:
    return (
        f"INSERT {{ GRAPH {target} {{ ?s ?p ?o }} }} "
        f"WHERE {{ {held} FILTER NOT EXISTS {{ {lacking} }} }}"
    )


def _switch(new: pointer.Published, staging: Staging, base: str) -> str:
    """One update request: each graph of the new release, and their merge, given what its
    staging graph adds and rid of what it removes, then the pointer. Only the differences
    between the releases are written."""
    operations = []
    for graph in staging.graphs:
        live = ox.NamedNode(graph)
        for verb, source in (("DELETE", staging.removed(graph)), ("INSERT", staging.added(graph))):
            operations.append(
                f"{verb} {{ GRAPH {live} {{ ?s ?p ?o }} }} "
                f"WHERE {{ GRAPH {ox.NamedNode(source)} {{ ?s ?p ?o }} }}"
            )
    # A graph of the old release that the new one has not is out of the merge above, out
    # of sight once the pointer names the new release, and emptied after the switch.
    operations.append(pointer.write(new, base))
    return " ;\n".join(operations)


def _retrying(attempt: Callable[[], T], what: str) -> T:
    """`attempt()`, tried again after a pause while the server is unreachable or failing,
    and for CONFLICT_SECONDS while it gives the request up for another transaction's sake.

    A refusal (credentials, no such service, a bad request) is not tried again.
    """
    pauses, conflicts_until = iter(RETRY_PAUSES), time.monotonic() + CONFLICT_SECONDS
    while True:
        try:
            return attempt()
        except RemoteConflictError as error:
            if time.monotonic() > conflicts_until:
                raise _gave_up(what, error, CONFLICT_HINT) from error
            # At a random time: readers that met the last try at its time may meet another.
            pause, why = random.uniform(0.1, CONFLICT_PAUSE), error.what
        except RemoteStoreError as error:
            next_pause = next(pauses, None)
            if next_pause is None or not error.transient:
                raise _gave_up(what, error, error.hint) from error
            pause, why = next_pause, error.what
        log.warning("could not %s (%s); trying again in %.1f s", what, why, pause)
        time.sleep(pause)


CONFLICT_HINT = (
    "queries that ran meanwhile kept what the request needed (Virtuoso's serializable "
    "isolation): run kg publish again when fewer run; what it staged is kept"
)


def _gave_up(what: str, error: RemoteStoreError, hint: str | None) -> KgError:
    return KgError(f"could not {what}: {error.what}", where=error.where, hint=hint)
