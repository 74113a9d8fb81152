"""A snapshot's graph goes into the store a chunk at a time, its typed literals asked of a
store on the way, and the store ends up holding what a set of the same triples would."""

import datetime as dt
from pathlib import Path

import pyoxigraph as ox

from conftest import SHARED, with_snapshots
from kg.graph.assemble import assemble
from kg.graph.load import from_assembly
from kg.graph.streamed import Literals, StreamedGraph
from kg.iris import DEFAULT_BASE, graph
from kg.sources.catalog import snapshot
from kg.sources.csl import map_rows
from kg.sources.csl_read import read_csl

XSD = "http://www.w3.org/2001/XMLSchema#"
NAME = ox.NamedNode("https://example.org/graph/g")
P = ox.NamedNode("https://example.org/p")
SAMPLE = SHARED / "data" / "csl_watchman" / "csl_sample_2019-12.csv"


def triple(n: int, value: ox.Literal | None = None) -> ox.Triple:
    return ox.Triple(ox.NamedNode(f"https://example.org/s{n}"), P, value or ox.Literal(f"v{n}"))


def in_graph(store: ox.Store, name: ox.NamedNode) -> set[ox.Triple]:
    return {quad.triple for quad in store.quads_for_pattern(None, None, None, name)}


def test_triples_wait_for_a_full_chunk_then_go_into_the_store() -> None:
    store = ox.Store()
    written = StreamedGraph(store, NAME, Literals(), chunk=3)
    assert not written
    written.add(triple(1))
    written.add(triple(2))
    assert written and len(store) == 0  # held until the chunk is full
    written.add(triple(3))
    assert in_graph(store, NAME) == {triple(1), triple(2), triple(3)}
    written.update([triple(4), triple(1)])  # the store holds each triple once, as a set
    written.discard(triple(2))
    assert in_graph(store, NAME) == {triple(1), triple(3), triple(4)}


def test_every_triple_whose_literal_the_store_rewrites_is_kept_with_the_stored_form() -> None:
    literals = Literals()
    written = StreamedGraph(ox.Store(), NAME, literals, chunk=2)
    odd = ox.Literal("007", datatype=ox.NamedNode(XSD + "int"))
    fine = ox.Literal("2019-12-03", datatype=ox.NamedNode(XSD + "date"))
    written.update([triple(1, odd), triple(2, fine), triple(3, odd), triple(4)])
    written.flush()
    seven = ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))
    assert literals.rewritten == [(triple(1, odd), seven), (triple(3, odd), seven)]
    assert literals.stored == {odd: seven, fine: fine}  # each asked once, text never


def test_an_ingested_snapshot_is_in_the_store_as_its_rows_map(tmp_path: Path) -> None:
    assembly = with_snapshots(
        assemble([], DEFAULT_BASE), [snapshot(f"{SAMPLE}@2019-12-03")], tmp_path
    )
    assert assembly.ingested is not None and assembly.ingested.rewritten == ()
    store = from_assembly(assembly)
    assert store is assembly.ingested.store  # written once, by the ingest
    mapped = map_rows(read_csl(SAMPLE).rows, DEFAULT_BASE)
    name = ox.NamedNode(graph(f"csl-{dt.date(2019, 12, 3).isoformat()}", DEFAULT_BASE))
    assert name in set(store.named_graphs())
    assert in_graph(store, name) == mapped.triples
