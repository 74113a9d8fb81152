"""RDFS entailment over our ontology, kept in a graph of its own.

Clients that know schema.org, ORG or PROV but not our terms should find our data: a
transliteration is also a schema:alternateName, a public security bureau is also a
schema:GovernmentOrganization. Those statements follow from rdfs:subClassOf and
rdfs:subPropertyOf in the ontology; the build writes them into graph/entailed, described as
derived from the ontology, so that no source graph holds a fact its source did not state.
"""

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from kg import iris
from kg.vocab import ELKG, ONTOLOGY_IRI

ENTAILED_GRAPH = "entailed"


def closure(ontology: Graph, relation: URIRef) -> dict[Node, set[Node]]:
    """Every term's strict ancestors along `relation` (subClassOf or subPropertyOf)."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for child, parent in ontology.subject_objects(relation):
        if child != parent:
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


def entailed(
    triples: Iterable[tuple[Node, Node, Node]], ontology: Graph
) -> set[tuple[Node, Node, Node]]:
    """The super-class types and super-property statements that the triples entail."""
    classes = closure(ontology, RDFS.subClassOf)
    properties = closure(ontology, RDFS.subPropertyOf)
    asserted = set(triples)
    found: set[tuple[Node, Node, Node]] = set()
    for subject, predicate, obj in asserted:
        if predicate == RDF.type:
            found.update((subject, RDF.type, parent) for parent in classes.get(obj, ()))
        for parent in properties.get(predicate, ()):
            found.add((subject, parent, obj))
    return found - asserted


def add_entailed_graph(dataset: Dataset, ontology: Graph, base: str) -> int:
    """Write the entailed statements into their own named graph, with their provenance."""
    triples = [(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))]
    name = URIRef(iris.graph(ENTAILED_GRAPH, base))
    graph = dataset.graph(name)
    for triple in sorted(entailed(triples, ontology)):
        graph.add(triple)
    provenance = dataset.graph(URIRef(iris.graph("provenance", base)))
    provenance.add((name, RDF.type, ELKG.EntailedGraph))
    provenance.add((name, PROV.wasDerivedFrom, URIRef(ONTOLOGY_IRI)))
    provenance.add(
        (
            name,
            RDFS.label,
            Literal(
                "Statements entailed by rdfs:subClassOf and rdfs:subPropertyOf in the ontology",
                lang="en",
            ),
        )
    )
    return len(graph)
