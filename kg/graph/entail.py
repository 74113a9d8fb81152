"""RDFS entailment over our ontology, kept in a graph of its own.

Clients that know schema.org, ORG or PROV but not our terms should find our data: a
transliteration is also a schema:alternateName, a public security bureau is also a
schema:GovernmentOrganization. Those statements follow from rdfs:subClassOf and
rdfs:subPropertyOf in the ontology; the build writes them into graph/entailed, described as
derived from the ontology, so that no source graph holds a fact its source did not state.
"""

from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from kg import iris
from kg.vocab import ELKG, ONTOLOGY_IRI, named

ENTAILED_GRAPH = "entailed"


def closure(ontology: Graph, relation: URIRef) -> dict[Node, set[Node]]:
    """Every term's strict ancestors along `relation` (subClassOf or subPropertyOf)."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for child, parent in ontology.subject_objects(relation):
        # Named terms only: a blank-node class (an OWL restriction) cannot type a statement.
        if child != parent and isinstance(child, URIRef) and isinstance(parent, URIRef):
            parents[child].add(parent)
    ancestors: dict[Node, set[Node]] = {}
    for term in list(parents):
        seen: set[Node] = set()
        stack = list(parents[term])
        while stack:
            current = stack.pop()
            if current not in seen and current != term:
                seen.add(current)
                stack.extend(parents.get(current, ()))
        ancestors[term] = seen
    return ancestors


def add_entailed_graph(store: ox.Store, ontology: Graph, base: str) -> int:
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


def _entailed(store: ox.Store, ontology: Graph) -> Iterator[ox.Triple]:
    """The super-class types and super-property statements of every stored statement."""
    rdf_type = named(RDF.type)
    for child, parents in closure(ontology, RDFS.subClassOf).items():
        for quad in store.quads_for_pattern(None, rdf_type, named(child)):
            yield from (ox.Triple(quad.subject, rdf_type, named(parent)) for parent in parents)
    for child, parents in closure(ontology, RDFS.subPropertyOf).items():
        for quad in store.quads_for_pattern(None, named(child), None):
            yield from (ox.Triple(quad.subject, named(p), quad.object) for p in parents)
