"""The store a build works on: the assembled dataset and every ingested graph, loaded once
(the snapshots' graphs are in it from the ingest on)."""

import logging

import pyoxigraph as ox

from kg.graph.assemble import Assembly

log = logging.getLogger(__name__)


def from_assembly(assembly: Assembly, store: ox.Store | None = None) -> ox.Store:
    """The store holding the assembled dataset and every ingested graph: the one the ingest
    wrote the snapshots into (kg.graph.streamed), else `store`, else a new in-memory one.
    Asked again for the same ingest, it is that same store (the data is not held twice)."""
    ingested = assembly.ingested
    if ingested and ingested.store is not None:
        store = ingested.store
    store = ox.Store() if store is None else store
    for graphs in (assembly.graphs, *((ingested.described,) if ingested else ())):
        for name, triples in sorted(graphs.items()):
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    log.info("store loaded: %d quads", len(store))
    return store
