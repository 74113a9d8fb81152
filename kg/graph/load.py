"""The store a build works on: the assembled dataset and every ingested graph, loaded once."""

import logging

import pyoxigraph as ox

from kg.graph.assemble import Assembly
from kg.store import graph_name, term

log = logging.getLogger(__name__)


def from_assembly(assembly: Assembly) -> ox.Store:
    """An in-memory store holding the assembled dataset and every ingested graph."""
    store = ox.Store()
    ingested = assembly.ingested
    for dataset in (assembly.dataset, *([ingested.described] if ingested else [])):
        store.bulk_extend(
            ox.Quad(term(s), term(p), term(o), graph_name(g))  # type: ignore[arg-type]
            for s, p, o, g in dataset.quads((None, None, None, None))
        )
    for name, triples in sorted(ingested.graphs.items() if ingested else ()):
        graph = ox.NamedNode(str(name))
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    log.info("store loaded: %d quads", len(store))
    return store
