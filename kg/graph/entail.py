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

ENTAILED_GRAPH = iris.ENTAILED_GRAPH


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
    provenance; return how many were written.

    The engine writes them, one update per term and ancestor: no Python object per
    statement, and no lookup per statement (each one a read of the database when the build's
    store is on disk).
    """
    name = ox.NamedNode(iris.graph(ENTAILED_GRAPH, base))
    for update in _updates(ontology, name):
        store.update(update)
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
    return sum(1 for _ in store.quads_for_pattern(None, None, None, name))


def _updates(ontology: Collection[ox.Triple], name: ox.NamedNode) -> Iterator[str]:
    """The super-class types and super-property statements of what the other graphs state,
    but only those no graph states already: a source's own schema:Organization stays its
    own. Entailed statements are not read again: the closure gives every ancestor at once."""
    rdf_type = named(RDF.type)
    for child, parents in closure(ontology, RDFS.subClassOf).items():
        for parent in parents:
            yield _update(name, f"?s {rdf_type} {child}", f"?s {rdf_type} {parent}")
    for child, parents in closure(ontology, RDFS.subPropertyOf).items():
        for parent in parents:
            yield _update(name, f"?s {child} ?o", f"?s {parent} ?o")


def _update(name: ox.NamedNode, stated: str, entailed: str) -> str:
    return (
        f"INSERT {{ GRAPH {name} {{ {entailed} }} }} WHERE {{ GRAPH ?g {{ {stated} }} "
        f"FILTER(?g != {name}) FILTER NOT EXISTS {{ GRAPH ?any {{ {entailed} }} }} }}"
    )
