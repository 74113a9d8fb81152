"""Small generated graphs are written as Turtle in one order, from rdflib or Oxigraph terms;
the dumps' JSON-LD does not depend on the slices it is written in."""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.publish import dumps
from kg.publish.dumps import stable_turtle, write_dumps
from kg.publish.files import STEM
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


def _store() -> ox.Store:
    """Three graphs (the default graph among them), subjects of several statements each."""
    store = ox.Store()
    base = "https://w3id.org/entitylist-kg/"
    graphs = [ox.DefaultGraph(), *(ox.NamedNode(f"{base}graph/g{n}") for n in (1, 2))]
    for number, graph in enumerate(graphs):
        for subject in range(7):
            for value in range(3):
                store.add(
                    ox.Quad(
                        ox.NamedNode(f"{base}id/org/s{subject}"),
                        ox.NamedNode(NAME if value else "https://schema.org/identifier"),
                        ox.Literal(f"value {number} {subject} {value}"),
                        graph,
                    )
                )
    return store


def test_json_ld_written_in_slices_is_the_document_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slices (kg.publish.dumps.JSONLD_SLICE quads, cut where a subject ends) keep memory
    flat at scale; the bytes must not depend on where they are cut."""
    whole, sliced = tmp_path / "whole", tmp_path / "sliced"
    write_dumps(_store(), whole, "https://w3id.org/entitylist-kg/")
    monkeypatch.setattr(dumps, "JSONLD_SLICE", 2)  # a cut every subject
    write_dumps(_store(), sliced, "https://w3id.org/entitylist-kg/")
    name = f"{STEM}.jsonld"
    assert (sliced / name).read_bytes() == (whole / name).read_bytes()
    document = json.loads((sliced / name).read_bytes())
    graphs = [item["@id"] for item in document["@graph"] if "@graph" in item]
    assert graphs == [f"https://w3id.org/entitylist-kg/graph/g{n}" for n in (1, 2)]  # once each
    defaults = [item for item in document["@graph"] if "@graph" not in item]
    assert len(defaults) == 7  # the default graph's subjects, one node object each
    parsed = ox.Dataset(ox.parse(path=str(sliced / name), format=ox.RdfFormat.JSON_LD))
    assert len(parsed) == len(_store()) == 63
