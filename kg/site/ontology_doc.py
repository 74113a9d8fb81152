"""The ontology as documentation: every term with its label, comment, domain and range."""

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.vocab import ELKG


@dataclass(frozen=True, kw_only=True)
class TermDoc:
    iri: str
    local: str
    kind: str
    label: str
    comment: str
    parents: tuple[str, ...]
    domain: tuple[str, ...]
    range: tuple[str, ...]


KINDS = (
    (OWL.Class, "class"),
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
)


def document(path: Path) -> list[TermDoc]:
    graph = Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")
    docs: list[TermDoc] = []
    for rdf_type, kind in KINDS:
        terms = {t for t in graph.subjects(RDF.type, rdf_type) if isinstance(t, URIRef)}
        docs += [_doc(graph, t, kind) for t in sorted(terms) if t.startswith(str(ELKG))]
    individuals = {
        s
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and s.startswith(str(ELKG))
    } - {URIRef(d.iri) for d in docs}
    docs += [_doc(graph, term, "value") for term in sorted(individuals)]
    return docs


def _doc(graph: Graph, term: URIRef, kind: str) -> TermDoc:
    def all_of(predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in graph.objects(term, predicate)))

    parents = all_of(RDFS.subClassOf) + all_of(RDFS.subPropertyOf)
    if kind == "value":
        parents = tuple(sorted(str(o) for o in graph.objects(term, RDF.type)))
    return TermDoc(
        iri=str(term),
        local=str(term)[len(str(ELKG)) :],
        kind=kind,
        label=str(graph.value(term, RDFS.label) or ""),
        comment=str(graph.value(term, RDFS.comment) or ""),
        parents=parents,
        domain=all_of(RDFS.domain),
        range=all_of(RDFS.range),
    )
