"""Small generated graphs are written as Turtle in one order, from rdflib or Oxigraph terms."""

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from kg.publish.dumps import stable_turtle
from kg.store import term

NAME = "https://schema.org/name"
TRIPLES = [
    (f"https://example.org/id/{slug}", NAME, Literal(label, lang="en"))
    for slug, label in (("b", "Beta"), ("a", "Alpha"), ("c", "Gamma"))
]


def _oxigraph(order: list[int]) -> list[ox.Triple]:
    return [
        ox.Triple(ox.NamedNode(s), ox.NamedNode(p), term(o))  # type: ignore[arg-type]
        for s, p, o in (TRIPLES[i] for i in order)
    ]


def test_the_order_given_does_not_change_the_bytes() -> None:
    first, second = stable_turtle(_oxigraph([0, 1, 2])), stable_turtle(_oxigraph([2, 0, 1]))
    assert first == second
    text = first.decode()
    assert text.index('"Alpha"@en') < text.index('"Beta"@en') < text.index('"Gamma"@en')
    assert "schema:name" in text  # our prefixes


def test_an_rdflib_graph_gives_the_same_bytes() -> None:
    graph = Graph()
    for s, p, o in TRIPLES:
        graph.add((URIRef(s), URIRef(p), o))
    assert stable_turtle(graph) == stable_turtle(_oxigraph([1, 2, 0]))
