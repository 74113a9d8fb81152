"""Oxigraph helpers: terms at the rdflib edge, and named SELECT queries as rows."""

import logging
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

log = logging.getLogger(__name__)

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term for an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype else None
        return ox.Literal(str(node), datatype=datatype)
    raise TypeError(f"not an RDF term: {node!r}")


def node(value: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """The rdflib term for an Oxigraph term."""
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if value.language:
        return Literal(value.value, lang=value.language)
    if value.datatype.value == str(XSD.string):  # a simple literal, as rdflib reads one
        return Literal(value.value)
    return Literal(value.value, datatype=URIRef(value.datatype.value))


def rdflib_graph(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """The triples in an rdflib graph (a new one, or `graph`): for what reads rdflib terms,
    kg.validate and pyshacl."""
    graph = Graph() if graph is None else graph
    for triple in triples:
        graph.add((node(triple.subject), node(triple.predicate), node(triple.object)))  # type: ignore[arg-type]
    return graph


def select(
    store: ox.Store,
    query: str,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    *,
    union: bool = True,
) -> list[Row]:
    """Run a SELECT; `bindings` substitute variables safely (never by string formatting).

    Oxigraph substitutes only variables of the projection, so a bound variable must be
    selected too.
    """
    solutions = store.query(
        query,
        use_default_graph_as_union=union,
        substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()},
    )
    assert isinstance(solutions, ox.QuerySolutions), "select() runs SELECT queries only"
    names = [variable.value for variable in solutions.variables]
    # By position: looking a value up by name costs twice the whole query on big results.
    return [
        {name: value for name, value in zip(names, row, strict=True) if value is not None}
        for row in solutions
    ]


def value(found: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The text of a term of a result row: an IRI, a literal's lexical form, a blank node's id."""
    return str(found) if isinstance(found, ox.Triple) else found.value


def text_rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as text, without their unbound variables (nor blank nodes)."""
    return [
        {
            name: term.value
            for name, term in row.items()
            if isinstance(term, ox.NamedNode | ox.Literal)
        }
        for row in select(store, query)
    ]
