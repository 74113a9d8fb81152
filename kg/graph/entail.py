"""RDFS entailment over our ontology, kept in a graph of its own.

Clients that know schema.org, ORG or PROV but not our terms should find our data: a
transliteration is also a schema:alternateName, a public security bureau is also a
schema:GovernmentOrganization. Those statements follow from rdfs:subClassOf and
rdfs:subPropertyOf in the ontology; the build writes them into graph/entailed, described as
derived from the ontology, so that no source graph holds a fact its source did not state.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator

import pyoxigraph as ox

from kg import iris
from kg.vocab import ELKG, ONTOLOGY_IRI, PROV, RDF, RDFS, named

ENTAILED_GRAPH = "entailed"


def closure(
    ontology: Collection[ox.Triple], relation: str
) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Every term's strict ancestors along `relation` (subClassOf or subPropertyOf)."""
    parents: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for triple in ontology:
        child, parent = triple.subject, triple.object
        # Named terms only: a blank-node class (an OWL restriction) cannot type a statement.
        if (
            triple.predicate == named(relation)
            and child != parent
            and isinstance(child, ox.NamedNode)
            and isinstance(parent, ox.NamedNode)
        ):
            parents[child].add(parent)
    ancestors: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for term in list(parents):
        seen: set[ox.NamedNode] = set()
        stack = list(parents[term])
        while stack:
            current = stack.pop()
            if current not in seen and current != term:
                seen.add(current)
                stack.extend(parents.get(current, ()))
        ancestors[term] = seen
    return ancestors


def add_entailed_graph(store: ox.Store, ontology: Collection[ox.Triple], base: str) -> int:
    """Write the statements that the stored ones entail into their own named graph, with its
    provenance; return how many were written."""
    name = ox.NamedNode(iris.graph(ENTAILED_GRAPH, base))
    # Only what no graph states already: a source's own schema:Organization stays its own.
    new = [
        triple
        for triple in set(_entailed(store, ontology))
        if next(store.quads_for_pattern(triple.subject, triple.predicate, triple.object), None)
        is None
    ]
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in new)
    provenance = ox.NamedNode(iris.graph("provenance", base))
    label = "Statements entailed by rdfs:subClassOf and rdfs:subPropertyOf in the ontology"
    store.extend(
        ox.Quad(name, predicate, value, provenance)
        for predicate, value in (
            (named(RDF.type), named(ELKG.EntailedGraph)),
            (named(PROV.wasDerivedFrom), ox.NamedNode(ONTOLOGY_IRI)),
            (named(RDFS.label), ox.Literal(label, language="en")),
        )
    )
    return len(new)


def _entailed(store: ox.Store, ontology: Collection[ox.Triple]) -> Iterator[ox.Triple]:
    """The super-class types and super-property statements of every stored statement."""
    rdf_type = named(RDF.type)
    for child, parents in closure(ontology, RDFS.subClassOf).items():
        for quad in store.quads_for_pattern(None, rdf_type, child):
            yield from (ox.Triple(quad.subject, rdf_type, parent) for parent in parents)
    for child, parents in closure(ontology, RDFS.subPropertyOf).items():
        for quad in store.quads_for_pattern(None, child, None):
            yield from (ox.Triple(quad.subject, p, quad.object) for p in parents)
