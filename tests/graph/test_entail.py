"""RDFS entailment reads the ontology as Oxigraph triples and writes only what is new, in a
graph of its own that says where it came from."""

import pyoxigraph as ox

from kg.graph.entail import add_entailed_graph, closure
from kg.store import value
from kg.vocab import ELKG, ONTOLOGY_IRI, PROV, RDF, RDFS

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
    provenance = ox.NamedNode(f"{BASE}graph/provenance")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(data, rdf_type, ox.NamedNode(ELKG.SourceGraph), provenance),
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
    derived = store.quads_for_pattern(entailed, ox.NamedNode(PROV.wasDerivedFrom), None, provenance)
    assert {q.object for q in derived} == {ox.NamedNode(ONTOLOGY_IRI), data}
    # And the activity that wrote it, with its method and what it read, as a derived graph
    # names its own (trials 54a, 55b: the ontology alone).
    (made,) = store.quads_for_pattern(entailed, ox.NamedNode(PROV.wasGeneratedBy), None, provenance)
    (method,) = store.quads_for_pattern(made.object, ox.NamedNode(RDFS.comment), None, provenance)
    assert value(method.object).startswith("RDFS entailment by rdfs:subClassOf")
    used = store.quads_for_pattern(made.object, ox.NamedNode(PROV.used), None, provenance)
    assert {q.object for q in used} == {ox.NamedNode(ONTOLOGY_IRI), data}


def test_what_the_provenance_graph_states_entails_as_ours() -> None:
    """graph/entailed held "graph/history-... a prov:Entity", from the provenance graph's
    "a elkg:DerivedGraph", and said it came from the sources (trial 55b)."""
    rdf_type = ox.NamedNode(RDF.type)
    provenance = ox.NamedNode(f"{BASE}graph/provenance")
    ours = ox.NamedNode(f"{BASE}graph/history")
    store = ox.Store()
    store.add(ox.Quad(ours, rdf_type, ox.NamedNode(ELKG.DerivedGraph), provenance))
    ontology = {ox.Triple(ox.NamedNode(ELKG.DerivedGraph), SUB_CLASS, ox.NamedNode(PROV.Entity))}
    assert add_entailed_graph(store, ontology, BASE) == 1
    from_ours = ox.NamedNode(f"{BASE}graph/entailed-from-ours")
    assert [q.triple for q in store.quads_for_pattern(None, None, None, from_ours)] == [
        ox.Triple(ours, rdf_type, ox.NamedNode(PROV.Entity))
    ]
    entailed = ox.NamedNode(f"{BASE}graph/entailed")
    assert not list(store.quads_for_pattern(None, None, None, entailed))
    read = store.quads_for_pattern(from_ours, ox.NamedNode(PROV.wasDerivedFrom), None, provenance)
    assert {q.object for q in read} == {ox.NamedNode(ONTOLOGY_IRI), ours, provenance}


def test_what_only_our_inferences_state_entails_into_a_graph_of_ours() -> None:
    """MAHAN AIRWAYS, an organisation by our inference alone, was an org:Organization in
    graph/entailed, which says it comes from the ontology (trial 52b)."""
    rdf_type = ox.NamedNode(RDF.type)
    inferred, stated = ox.NamedNode("urn:x:inferred"), ox.NamedNode("urn:x:stated")
    ours, source = ox.NamedNode(f"{BASE}graph/inferred-kinds"), ox.NamedNode("urn:x:source")
    provenance = ox.NamedNode(f"{BASE}graph/provenance")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(source, rdf_type, ox.NamedNode(ELKG.SourceGraph), provenance),
            ox.Quad(ours, rdf_type, ox.NamedNode(ELKG.DerivedGraph), provenance),
            ox.Quad(inferred, rdf_type, A, ours),
            ox.Quad(stated, rdf_type, A, ours),
            ox.Quad(stated, rdf_type, A, source),  # a source states it too: not ours alone
        ]
    )
    assert add_entailed_graph(store, ONTOLOGY, BASE) == 4

    def held(graph: str) -> set[ox.Triple]:
        return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}

    assert held(f"{BASE}graph/entailed") == {
        ox.Triple(stated, rdf_type, B),
        ox.Triple(stated, rdf_type, C),
    }
    from_ours = f"{BASE}graph/entailed-from-ours"
    assert held(from_ours) == {ox.Triple(inferred, rdf_type, B), ox.Triple(inferred, rdf_type, C)}
    described = {
        (q.predicate.value, value(q.object))
        for q in store.quads_for_pattern(ox.NamedNode(from_ours), None, None, provenance)
    }
    assert (str(RDF.type), str(ELKG.DerivedGraph)) in described
    assert (str(RDF.type), str(ELKG.EntailedGraph)) in described
    assert (str(PROV.wasDerivedFrom), ours.value) in described
    assert (str(PROV.wasDerivedFrom), ONTOLOGY_IRI) in described
