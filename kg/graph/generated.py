"""Graphs the build makes itself rather than reads from a source, described in the
provenance graph as PROV states any inference of ours: the activity that made them, its
method in words, and the documents it read."""

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from kg import iris
from kg.vocab import ELKG, PROV, RDF, RDFS, named


def described(
    graphs: Mapping[ox.NamedNode, str],
    *,
    activity: ox.NamedNode,
    label: str,
    method: str,
    used: Sequence[ox.NamedNode],
    base: str,
    kind: str = ELKG.DerivedGraph,
) -> list[ox.Quad]:
    """The provenance quads of `graphs` (graph -> its label), made by `activity`."""
    triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (activity, RDF.type, named(PROV.Activity)),
        (activity, RDFS.label, ox.Literal(label, language="en")),
        (activity, RDFS.comment, ox.Literal(method, language="en")),
        *((activity, PROV.used, document) for document in used),
    ]
    for graph, graph_label in graphs.items():
        triples += [
            (graph, RDF.type, named(kind)),
            (graph, RDFS.label, ox.Literal(graph_label, language="en")),
            (graph, PROV.wasGeneratedBy, activity),
            *((graph, PROV.wasDerivedFrom, document) for document in used),
        ]
    provenance = ox.NamedNode(iris.graph("provenance", base))
    return [ox.Quad(s, named(p), o, provenance) for s, p, o in triples]
