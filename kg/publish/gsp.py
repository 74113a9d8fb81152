"""`kg publish`: a build loaded into a SPARQL 1.1 server, switched in whole.

1. The build's N-Quads dump, ontology and description are checked against SHA256SUMS and
   read, graph by graph, in file order.
2. Every graph is cut into chunks, each PUT into a staging graph of its own through the
   Graph Store Protocol. A PUT replaces its graph, so a chunk sent twice (a retry, or a
   publish run again after an interruption) is held once; chunks a run staged whole already
   are not sent again (a first release, below, starts again from the beginning).
3. One SPARQL Update request drops the old release's graphs, adds the staged chunks into the
   graphs' own names and into their RDF merge (the default graph readers query,
   kg.publish.pointer), and rewrites the pointer: a server that runs an update request as one
   transaction (Oxigraph, Fuseki, GraphDB, Virtuoso, Neptune) shows readers the old release or
   the new, never a mix. Then the staging graphs are dropped.

The first release on a server skips the staging: with no pointer, no reader looks at the
graphs, so each chunk is POSTed straight into its graph and into the merge, and the pointer
is written once every graph is seen to hold what it should (another `kg publish` run at the
same time could have emptied one: run one at a time). The switch's one transaction holds
the whole release in the server's memory (the Oxigraph server grew by 1.6 GB for the 2022
CSL, and past 22 GB, to the kernel's OOM killer, at 8 times it; Virtuoso refuses it past
its TransactionAfterImageLimit), so a first release of any size loads in small requests,
and only a later one needs that room.
"""

import logging
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
from kg.remote_store import Dataset, RemoteStore, RemoteStoreError
from kg.vocab import ONTOLOGY_IRI

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Triples per PUT: about 8 MB of N-Triples, a request any server takes.
CHUNK_TRIPLES = 50_000
#: Seconds to wait before each new try of a request that failed on the way.
RETRY_PAUSES = (1.0, 2.0, 4.0, 8.0)


@dataclass(frozen=True)
class Chunk:
    """Some triples of one graph, staged under a name of their own."""

    graph: str
    staged: str
    triples: list[ox.Triple]


def publish(out_dir: Path, store: RemoteStore, base: str) -> pointer.Published:
    """Load the build in out_dir into the server, then switch readers to it."""
    dumps = out_dir / DUMPS
    checksums.verify(dumps, (NQUADS, ONTOLOGY_FILE, DESCRIPTION))
    digest = checksums.release_digest(dumps)
    old = _retrying(lambda: pointer.read(store, base), "read the published release")
    if old is not None and old.digest == digest:
        log.info("release %s is published already: nothing to do", digest)
        return old
    graphs = _read_build(dumps, base)
    chunks = list(_chunks(graphs, base, digest))
    new = pointer.Published(
        digest=digest,
        dataset=Dataset(pointer.merged_graph(base), tuple(sorted(graphs))),
        quads=sum(len(triples) for triples in graphs.values()),
    )
    if old is None:
        _drop_staging(store, base, keep=None)
        _load_first(store, chunks, new, base)
    else:
        _drop_staging(store, base, keep=_staging_folder(base, digest))
        _stage(store, chunks, _staged_whole(store, base, digest))
        log.info("switching readers to release %s", digest)
        switch = _switch(old, new, chunks, base)
        _retrying(lambda: store.update(switch), "switch to the new release")
        _drop_staging(store, base, keep=None)
    log.info("published release %s: %d quads in %d graphs", digest, new.quads, len(graphs))
    return new


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


def _staging_folder(base: str, digest: str) -> str:
    # The chunk size is in the name: chunks cut otherwise are other chunks.
    return f"{pointer.staging_prefix(base)}{digest}-{CHUNK_TRIPLES}/"


def _chunks(graphs: dict[str, list[ox.Triple]], base: str, digest: str) -> Iterator[Chunk]:
    folder, number = _staging_folder(base, digest), 0
    for name, triples in graphs.items():
        for start in range(0, len(triples), CHUNK_TRIPLES):
            number += 1
            yield Chunk(name, f"{folder}{number}", triples[start : start + CHUNK_TRIPLES])


def _stage(store: RemoteStore, chunks: list[Chunk], done: dict[str, int]) -> None:
    total, sent = sum(len(c.triples) for c in chunks), 0
    for number, chunk in enumerate(chunks, 1):
        sent += len(chunk.triples)
        if done.get(chunk.staged) == len(chunk.triples):
            log.info("chunk %d/%d staged already", number, len(chunks))
            continue
        body = ox.serialize(chunk.triples, format=ox.RdfFormat.N_TRIPLES) or b""
        _retrying(lambda: store.put_graph(chunk.staged, body), f"load chunk {number}")  # noqa: B023
        _progress(number, len(chunks), sent, total)


def _progress(number: int, chunks: int, sent: int, total: int) -> None:
    log.info(
        "loaded chunk %d/%d: %d of %d triples (%.0f%%)",
        number,
        chunks,
        sent,
        total,
        100 * sent / total,
    )


def _load_first(store: RemoteStore, chunks: list[Chunk], new: pointer.Published, base: str) -> None:
    """The first release: its graphs emptied (what an interrupted first publish left), each
    chunk POSTed into its graph and into the merge, its graphs checked, the pointer written."""
    for graph in sorted({new.dataset.default_graph, *new.dataset.named_graphs}):
        # One request each: a leftover of millions is a large transaction. The ontology's
        # graph has one name for every base, and another base's release may name it: it is
        # added to, and checked below.
        if graph.startswith(base):
            drop = f"DROP SILENT GRAPH {ox.NamedNode(graph)}"
            _retrying(lambda: store.update(drop), f"empty {graph}")  # noqa: B023
    total, sent = sum(len(c.triples) for c in chunks), 0
    for number, chunk in enumerate(chunks, 1):
        body = ox.serialize(chunk.triples, format=ox.RdfFormat.N_TRIPLES) or b""
        for graph in (chunk.graph, new.dataset.default_graph):
            _retrying(lambda: store.post_graph(graph, body), f"load chunk {number}")  # noqa: B023
        sent += len(chunk.triples)
        _progress(number, len(chunks), sent, total)
    _check_loaded(store, chunks)
    log.info("pointing readers to release %s", new.digest)
    _retrying(lambda: store.update(pointer.write(new, base)), "write the release's pointer")


def _check_loaded(store: RemoteStore, chunks: list[Chunk]) -> None:
    """Each named graph holds exactly its triples, or KgError (no pointer is written)."""
    wanted: dict[str, int] = {}
    for chunk in chunks:
        wanted[chunk.graph] = wanted.get(chunk.graph, 0) + len(chunk.triples)
    names = ", ".join(str(ox.NamedNode(g)) for g in sorted(wanted))
    held = _graph_sizes(store, f"?g IN ({names})", "count the loaded graphs")
    wrong = sorted(g for g, n in wanted.items() if held.get(g, 0) != n)
    if wrong:
        raise KgError(
            f"after loading, {len(wrong)} graph(s) do not hold the release's triples, "
            f"first {wrong[0]} ({held.get(wrong[0], 0)} triples, not {wanted[wrong[0]]}); "
            "no reader was pointed to it",
            hint="another kg publish may have run at the same time, or another release "
            "holds the ontology's graph; run one kg publish at a time, then this one again",
        )


def _graphs_under(store: RemoteStore, prefix: str) -> dict[str, int]:
    """Graphs whose names start with `prefix`, with their sizes."""
    condition = f"STRSTARTS(STR(?g), {ox.Literal(prefix)})"
    return _graph_sizes(store, condition, "list the staging graphs")


def _graph_sizes(store: RemoteStore, condition: str, what: str) -> dict[str, int]:
    """The graphs ?g that meet the SPARQL `condition`, with their sizes."""
    query = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER ({condition})
}} GROUP BY ?g"""
    answer = _retrying(lambda: store.query(query), what)
    assert isinstance(answer, ox.QuerySolutions), "a SELECT query answers with solutions"
    return {row["g"].value: int(row["n"].value) for row in answer}


def _staged_whole(store: RemoteStore, base: str, digest: str) -> dict[str, int]:
    return _graphs_under(store, _staging_folder(base, digest))


def _drop_staging(store: RemoteStore, base: str, keep: str | None) -> None:
    """Drop the staging graphs we left (of an interrupted publish), but those under `keep`."""
    stale = [
        g
        for g in _graphs_under(store, pointer.staging_prefix(base))
        if keep is None or not g.startswith(keep)
    ]
    if stale:
        drops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in stale)
        _retrying(lambda: store.update(drops), "drop the staging graphs")
        log.info("dropped %d staging graphs", len(stale))


def _switch(
    old: pointer.Published | None, new: pointer.Published, chunks: list[Chunk], base: str
) -> str:
    """One update request: the old release's graphs out, the staged chunks in, the pointer."""
    live = {new.dataset.default_graph, *new.dataset.named_graphs}
    if old is not None:
        live |= {old.dataset.default_graph, *old.dataset.named_graphs}
    operations = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in sorted(live)]
    merged = ox.NamedNode(new.dataset.default_graph)
    for chunk in chunks:  # into its graph, and into their merge (a graph holds a triple once)
        operations.append(f"ADD SILENT {ox.NamedNode(chunk.staged)} TO {ox.NamedNode(chunk.graph)}")
        operations.append(f"ADD SILENT {ox.NamedNode(chunk.staged)} TO {merged}")
    operations.append(pointer.write(new, base))
    return " ;\n".join(operations)


def _retrying(attempt: Callable[[], T], what: str) -> T:
    """`attempt()`, tried again after a pause while the server is unreachable or failing.

    A refusal (credentials, no such service, a bad request) is not tried again.
    """
    for pause in (*RETRY_PAUSES, None):
        try:
            return attempt()
        except RemoteStoreError as error:
            if pause is None or not error.transient:
                raise KgError(
                    f"could not {what}: {error.what}", where=error.where, hint=error.hint
                ) from error
            log.warning("could not %s (%s); trying again in %g s", what, error.what, pause)
            time.sleep(pause)
    raise AssertionError("unreachable")
