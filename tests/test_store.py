"""The data as one graph is an RDF merge: each fact counted once, whichever graphs state it,
as rdflib counts it over the merged dump; a query naming graphs still sees each graph's own."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

import kg.store
from conftest import PROJECT, SHARED
from kg.graph.assemble import assemble
from kg.graph.entail import add_entailed_graph
from kg.graph.ingest import IngestOptions, ingest
from kg.graph.load import from_assembly
from kg.iris import DEFAULT_BASE
from kg.publish.dumps import write_dumps
from kg.publish.files import NTRIPLES, ONTOLOGY_FILE
from kg.sources.catalog import load_catalog, snapshot
from kg.sources.turtle import parse_turtle
from kg.store import has_merge, merge, merged, select, settle

ID = f"{DEFAULT_BASE}id/"
ELKG = "https://w3id.org/entitylist-kg/ontology#"
GRAPH = "https://w3id.org/entitylist-kg/graph/"
RULE = f"<{ID}rule/84-fr-22961>"  # stated by the curated 84 FR 22961 and by the CSL rows
PREFIXES = f"PREFIX elkg: <{ELKG}> PREFIX schema: <https://schema.org/> "
QUERIES = [  # COUNT and non-DISTINCT queries, as a journalist or a page would write them
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    f"SELECT (COUNT(*) AS ?n) WHERE {{ {RULE} ?p ?o }}",
    f"SELECT ?p ?o WHERE {{ {RULE} ?p ?o }}",
    "SELECT (COUNT(?party) AS ?n) WHERE { ?listing elkg:listedEntity ?party . "
    '?party elkg:country "CN" }',
    # schema:Organization comes from the sources and, for sub-classes, from graph/entailed
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:Organization }",
    "SELECT ?s WHERE { ?s a schema:Organization ; schema:name ?name }",
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Graph]:
    """A build's store (curated sources, a CSL snapshot, graph/entailed) with its merge,
    and rdflib's graph of the merged dump it published before the merge."""
    folder = tmp_path_factory.mktemp("merge")
    assembly = assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE)
    options = IngestOptions(
        base=DEFAULT_BASE, cache=folder, today=dt.date(2026, 11, 24), strict=False
    )
    csv = SHARED / "data" / "csl_watchman" / "csl_sample_2019-12.csv"
    ingested = ingest([snapshot(f"{csv}@2019-12-03")], assembly.graphs, options)
    store = from_assembly(replace(assembly, ingested=ingested))
    ontology = parse_turtle(PROJECT / "ontology" / ONTOLOGY_FILE, None)
    assert add_entailed_graph(store, ontology, DEFAULT_BASE) > 0
    write_dumps(store, folder, DEFAULT_BASE)
    dump = Graph().parse(folder / NTRIPLES, format="nt")
    merge(store)
    return store, dump


def answers(rows: list[dict[str, ox.NamedNode | ox.Literal]]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(term.value) for term in row.values()) for row in rows)  # type: ignore[union-attr]


@pytest.mark.parametrize("query", QUERIES)
def test_counts_are_those_of_the_merged_dump_in_rdflib(
    stores: tuple[ox.Store, Graph], query: str
) -> None:
    store, dump = stores
    ours = answers(select(store, PREFIXES + query))  # type: ignore[arg-type]
    theirs = sorted(
        tuple(str(value) for value in row)  # type: ignore[union-attr]
        for row in dump.query(PREFIXES + query)
    )
    assert ours == theirs


def test_the_fact_two_sources_state_is_counted_once_and_kept_in_each_graph(
    stores: tuple[ox.Store, Graph],
) -> None:
    store, _ = stores
    query = f"SELECT ?v WHERE {{ {RULE} elkg:frVolume ?v }}"
    assert answers(select(store, PREFIXES + query)) == [("84",)]  # type: ignore[arg-type]
    union = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert len(list(union)) == 3  # the engine's union: the merge, and each stating graph
    graphs = f"SELECT ?g WHERE {{ GRAPH ?g {{ {RULE} elkg:frVolume ?v }} }}"
    assert answers(select(store, PREFIXES + graphs)) == [  # type: ignore[arg-type]
        (f"{GRAPH}csl-2019-12-03",),
        (f"{GRAPH}fr-2019-10616",),
    ]


def test_an_entailed_fact_is_in_the_merge_once(stores: tuple[ox.Store, Graph]) -> None:
    store, dump = stores
    entailed = ox.NamedNode(f"{GRAPH}entailed")
    quad = next(iter(store.quads_for_pattern(None, None, None, entailed)))
    bindings = {"s": quad.subject, "p": quad.predicate, "o": quad.object}
    found = select(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bindings)  # type: ignore[arg-type]
    assert len(found) == 1
    assert (quad.subject.value, quad.predicate.value, quad.object.value) in {  # type: ignore[union-attr]
        (str(s), str(p), str(o)) for s, p, o in dump
    }


def test_the_merge_is_there_only_for_the_time_of_a_block() -> None:
    store = ox.Store()
    triple = (ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
    for graph in (ox.NamedNode("urn:x:g1"), ox.NamedNode("urn:x:g2"), ox.BlankNode("g3")):
        store.add(ox.Quad(*triple, graph))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert not has_merge(store)
    assert select(store, count)[0]["n"].value == "3"  # a store being built: the union
    with merged(store):
        assert has_merge(store)
        assert select(store, count)[0]["n"].value == "1"
    assert not has_merge(store) and len(store) == 3
    store.add(ox.Quad(*triple))  # data of the default graph's own is never removed
    with merged(store):
        assert select(store, count)[0]["n"].value == "1"
    assert merge(store) == 1 and len(store) == 4


def test_the_merge_copied_in_chunks_is_each_triple_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's store is on disk; its merge is copied a chunk at a time."""
    monkeypatch.setattr(kg.store, "MERGE_CHUNK", 3)
    store = ox.Store(str(tmp_path / "store"))
    p = ox.NamedNode("urn:x:p")
    triples = [(ox.NamedNode(f"urn:x:s{n}"), p, ox.Literal(str(n))) for n in range(10)]
    for name, stated in (("g1", triples), ("g2", triples[4:8]), ("g3", triples[9:])):
        store.extend(ox.Quad(*triple, ox.NamedNode(f"urn:x:{name}")) for triple in stated)
    with merged(store):
        in_default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        assert sorted(str(q) for q in in_default) == sorted(str(ox.Quad(*t)) for t in triples)
    assert len(store) == 15  # the sources' graphs as they were


def _resident_mib() -> int:
    status = Path("/proc/self/status").read_text()
    return (
        int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) >> 10
    )


def test_settle_gives_back_the_memory_an_update_held(tmp_path: Path) -> None:
    """An update's writes wait in the engine's memory tables, and glibc keeps freed pages:
    a build held them through every later stage (24x: about 1.6 GB after the entailment)."""
    store = ox.Store(str(tmp_path / "store"))
    graph, p = ox.NamedNode("urn:x:g"), ox.NamedNode("urn:x:p")
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"urn:x:s{n}"), p, ox.Literal(f"value {n}"), graph)
        for n in range(200_000)
    )
    before = _resident_mib()
    store.update(
        "INSERT { GRAPH <urn:x:e> { ?s a <urn:x:C> } } WHERE { GRAPH ?g { ?s <urn:x:p> ?o } }"
    )
    updated = _resident_mib()
    assert updated - before > 100  # what there is to give back (about 190 MiB)
    settle(store)
    assert _resident_mib() < before + (updated - before) / 2
    assert len(store) == 400_000  # and the writes are kept
