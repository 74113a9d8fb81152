"""The store a build works on: the assembled dataset and every ingested graph, loaded once
(the snapshots' graphs are in it from the ingest on)."""

import logging

import pyoxigraph as ox

from kg.graph.assemble import Assembly

log = logging.getLogger(__name__)


def from_assembly(assembly: Assembly) -> ox.Store:
    """The store holding the assembled dataset and every ingested graph: the one the ingest
    wrote the snapshots into (kg.graph.streamed), or a new in-memory one. Asked again for
    the same ingest, it is that same store (the data is not held twice)."""
    ingested = assembly.ingested
    store = ingested.store if ingested and ingested.store is not None else ox.Store()
    for graphs in (assembly.graphs, *((ingested.described,) if ingested else ())):
        for name, triples in sorted(graphs.items()):
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    log.info("store loaded: %d quads", len(store))
    return store
