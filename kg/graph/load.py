"""The store a build works on: the assembled dataset and every ingested graph, loaded once."""

import logging

import pyoxigraph as ox

from kg.graph.assemble import Assembly

log = logging.getLogger(__name__)


def from_assembly(assembly: Assembly) -> ox.Store:
    """An in-memory store holding the assembled dataset and every ingested graph."""
    store = ox.Store()
    ingested = assembly.ingested
    parts = (assembly.graphs, *((ingested.described, ingested.graphs) if ingested else ()))
    for graphs in parts:
        for name, triples in sorted(graphs.items()):
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    log.info("store loaded: %d quads", len(store))
    return store
