"""The query engine: an embedded Oxigraph store filled from the validated dataset."""

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

log = logging.getLogger(__name__)

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def from_dataset(dataset: Dataset, path: Path | None = None) -> ox.Store:
    """A store holding every quad of the dataset (in memory, or on disk at path)."""
    store = ox.Store(str(path)) if path else ox.Store()
    payload = dataset.serialize(format="nquads", encoding="utf-8")
    store.bulk_load(payload, ox.RdfFormat.N_QUADS)
    log.info("store loaded: %d quads", len(store))
    return store


def select(
    store: ox.Store,
    query: str,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    *,
    union: bool = True,
) -> list[Row]:
    """Run a SELECT; `bindings` substitute variables safely (never by string formatting)."""
    solutions = store.query(
        query,
        use_default_graph_as_union=union,
        substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()},
    )
    assert isinstance(solutions, ox.QuerySolutions), "select() runs SELECT queries only"
    names = [variable.value for variable in solutions.variables]
    return [{name: row[name] for name in names if row[name] is not None} for row in solutions]


def sorted_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """Every quad, ordered by graph, subject, predicate, object: for deterministic output."""
    quads = list(store.quads_for_pattern(None, None, None, None))
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return iter(quads)
