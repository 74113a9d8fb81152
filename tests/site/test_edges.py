"""A resource's stated triples, read from the store as its pages ask."""

import pyoxigraph as ox
import pytest

from kg.site.edges import Described, Linking, Value

EX = "https://example.org/"
ENTAILED = ox.NamedNode(EX + "graph/entailed")
NAME = ox.NamedNode("https://schema.org/name")
LINK = ox.NamedNode(EX + "link")
ONE, TWO = EX + "graph/one", EX + "graph/two"


def _store() -> ox.Store:
    a, b = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(a, NAME, ox.Literal("A"), ox.NamedNode(EX + "graph/one")),
            ox.Quad(a, NAME, ox.Literal("A"), ox.NamedNode(EX + "graph/two")),  # stated twice
            ox.Quad(a, LINK, b, ox.NamedNode(EX + "graph/one")),
            ox.Quad(a, NAME, ox.Literal("Ä", language="de"), ox.NamedNode(EX + "graph/two")),
            ox.Quad(a, NAME, ox.Literal("inferred"), ENTAILED),  # ours, not the sources'
            ox.Quad(a, NAME, ox.Literal("merged"), ox.DefaultGraph()),  # the merge
            ox.Quad(ox.BlankNode("x"), LINK, b, ox.NamedNode(EX + "graph/one")),
        ]
    )
    return store


def test_stated_triples_once_each_with_their_graphs_not_ours_nor_the_merge() -> None:
    described = Described(_store().quads_for_pattern, frozenset({EX + "a"}), frozenset({ENTAILED}))
    assert described[EX + "a"] == [
        (EX + "link", Value(EX + "b", iri=EX + "b", sources=(ONE,))),
        (
            NAME.value,
            Value("A", datatype="http://www.w3.org/2001/XMLSchema#string", sources=(ONE, TWO)),
        ),
        (
            NAME.value,
            Value(
                "Ä",
                language="de",
                datatype="http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                sources=(TWO,),
            ),
        ),
    ]
    assert list(described) == [EX + "a"] and EX + "a" in described and len(described) == 1


def test_what_links_to_a_resource_comes_from_iris_alone() -> None:
    linking = Linking(_store().quads_for_pattern, frozenset({EX + "b"}), frozenset({ENTAILED}))
    assert linking[EX + "b"] == [(EX + "link", EX + "a")]  # not the blank node's link


def test_an_iri_the_sources_say_nothing_of_reads_nothing() -> None:
    def never(*pattern: object) -> None:
        raise AssertionError(f"read {pattern}")

    described = Described(never, frozenset({EX + "a"}), frozenset())  # type: ignore[arg-type]
    assert described.get(EX + "z", []) == [] and EX + "z" not in described
    with pytest.raises(KeyError):
        described[EX + "z"]


def test_a_triple_a_source_states_is_not_cited_to_a_derived_graph_repeating_it() -> None:
    """A history graph (ours) names the parties whose list actions it holds: Transneft's
    name was cited to the snapshot and to two history graphs, as if they were its sources
    (trial 54a). A triple only a derived graph states is cited to it."""
    derived = frozenset({TWO})
    described = Described(
        _store().quads_for_pattern, frozenset({EX + "a"}), frozenset({ENTAILED}), derived
    )
    cited = {found.text: found.sources for _, found in described[EX + "a"]}
    assert cited == {EX + "b": (ONE,), "A": (ONE,), "Ä": (TWO,)}
