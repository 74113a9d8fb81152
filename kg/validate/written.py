"""The data as its sources wrote it, for the pyshacl cross-check.

The cross-check is independent of the store: an Oxigraph store keeps one canonical form of
each value ("1"^^xsd:boolean merges with true), so a check that read the store would miss
what the store hid, as our engine would. pyshacl reads instead the curated Turtle files as
written (the statements the build kept) and, from the store, the graphs the build wrote:
the ingested snapshots' (written into the store as they were mapped, every typed literal
asked of a store on the way: kg.graph.streamed; a build whose literals the store rewrote
stops before validation, so these graphs are as the ingest made them) and those the build
made itself (provenance, snapshot history, identity across lists, replaced IRIs). rdflib
normalises lexical forms by default; these terms are made without that (`normalize=False`).
"""

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.graph.assemble import Assembly
from kg.validate.literals import parsed


def sources_graph(assembly: Assembly, store: ox.Store) -> Graph:
    """Every graph of the build as one rdflib graph, each from where it was written."""
    merged = Graph()
    for origin in assembly.origins.values():
        graph = ox.NamedNode(str(origin.graph))
        for triple in parsed(origin.path, origin.base):
            if _kept(store, triple, graph):
                merged.add(as_written(triple))
    read = {str(name) for name in assembly.origins}
    for name in sorted(store.named_graphs(), key=str):
        if name.value not in read:  # ingested, or made by the build itself
            for quad in store.quads_for_pattern(None, None, None, name):
                merged.add(as_written(quad.triple))
    return merged


def _kept(store: ox.Store, triple: ox.Triple, graph: ox.NamedNode) -> bool:
    """Whether the build kept a source's statement (it leaves out, say, a curator's judgement
    about a party it does not hold). The store compares values, so "1"^^xsd:boolean is found
    as true; a statement with a blank node cannot be looked up, and is kept."""
    if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
        return True
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph) in store


def as_written(triple: ox.Triple) -> tuple[Node, Node, Node]:
    """An Oxigraph triple as rdflib terms, each literal's lexical form kept as written."""
    return _node(triple.subject), _node(triple.predicate), _node(triple.object)


def _node(term: object) -> Node:
    """An rdflib term for an Oxigraph term, its lexical form kept as written."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal), f"not a term of a triple: {term!r}"
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # a simple literal, as rdflib reads one
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
