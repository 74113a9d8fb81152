"""RDFS entailment reads the ontology as Oxigraph triples and writes only what is new, in a
graph of its own that says where it came from."""

import pyoxigraph as ox

from kg.graph.entail import add_entailed_graph, closure
from kg.vocab import ONTOLOGY_IRI, PROV, RDF, RDFS

BASE = "https://example.org/"
SUB_CLASS, SUB_PROPERTY = ox.NamedNode(RDFS.subClassOf), ox.NamedNode(RDFS.subPropertyOf)
A, B, C = (ox.NamedNode(f"urn:x:{name}") for name in "ABC")
ALIAS, NAME = ox.NamedNode("urn:x:alias"), ox.NamedNode("urn:x:name")
ONTOLOGY = {
    ox.Triple(A, SUB_CLASS, B),
    ox.Triple(B, SUB_CLASS, C),
    ox.Triple(C, SUB_CLASS, A),  # a cycle ends
    ox.Triple(A, SUB_CLASS, ox.BlankNode("restriction")),  # cannot type a statement
    ox.Triple(ALIAS, SUB_PROPERTY, NAME),
}


def test_closure_is_every_named_ancestor() -> None:
    assert closure(ONTOLOGY, RDFS.subClassOf) == {A: {B, C}, B: {C, A}, C: {A, B}}
    assert closure(ONTOLOGY, RDFS.subPropertyOf) == {ALIAS: {NAME}}


def test_only_new_statements_are_entailed_into_their_graph() -> None:
    thing, data = ox.NamedNode("urn:x:thing"), ox.NamedNode("urn:x:data")
    rdf_type = ox.NamedNode(RDF.type)
    store = ox.Store()
    store.extend(
        [
            ox.Quad(thing, rdf_type, A, data),
            ox.Quad(thing, rdf_type, C, data),  # stated: not entailed again
            ox.Quad(thing, ALIAS, ox.Literal("Th"), data),
        ]
    )
    assert add_entailed_graph(store, ONTOLOGY, BASE) == 2
    entailed = ox.NamedNode(f"{BASE}graph/entailed")
    assert {q.triple for q in store.quads_for_pattern(None, None, None, entailed)} == {
        ox.Triple(thing, rdf_type, B),
        ox.Triple(thing, NAME, ox.Literal("Th")),
    }
    provenance = ox.NamedNode(f"{BASE}graph/provenance")
    derived = store.quads_for_pattern(entailed, ox.NamedNode(PROV.wasDerivedFrom), None, provenance)
    assert [q.object for q in derived] == [ox.NamedNode(ONTOLOGY_IRI)]
