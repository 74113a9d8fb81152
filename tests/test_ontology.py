"""The ontology documents every term it defines and is versioned."""

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import PROJECT
from kg.vocab import ELKG, ONTOLOGY_IRI

ONTOLOGY = Graph().parse(PROJECT / "ontology" / "entitylist.ttl")
SHAPES = Graph().parse(PROJECT / "ontology" / "shapes.ttl")


def our_terms() -> set[URIRef]:
    return {s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and s.startswith(str(ELKG))}


def test_every_term_is_labelled_and_commented() -> None:
    terms = our_terms()
    assert len(terms) > 80
    for term in terms:
        assert ONTOLOGY.value(term, RDFS.label) is not None, term
        assert ONTOLOGY.value(term, RDFS.comment) is not None, term


def test_every_term_used_by_the_data_is_defined(built_terms: set[URIRef]) -> None:
    assert built_terms <= our_terms(), built_terms - our_terms()


def test_ontology_is_versioned() -> None:
    ontology = URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in ONTOLOGY
    assert ONTOLOGY.value(ontology, OWL.versionInfo) is not None
    assert str(ONTOLOGY.value(ontology, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")


def test_every_class_has_a_node_shape() -> None:
    classes = {c for c in ONTOLOGY.subjects(RDF.type, OWL.Class) if str(c).startswith(str(ELKG))}
    targeted = set(SHAPES.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    covered = {
        c
        for c in classes
        if any(t in targeted for t in ONTOLOGY.transitive_objects(c, RDFS.subClassOf))
    }
    assert covered == classes, classes - covered


def test_every_constraint_has_a_message() -> None:
    sh = "http://www.w3.org/ns/shacl#"
    constrained = set(SHAPES.subjects(URIRef(sh + "path"))) | set(
        SHAPES.objects(None, URIRef(sh + "sparql"))
    )
    for node in constrained:
        assert SHAPES.value(node, URIRef(sh + "message")) is not None, node
