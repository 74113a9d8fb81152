"""Results written by the engine: the same answers as the capped writers, within the bounds."""

import json

import pyoxigraph as ox
import pytest

from kg.web import engine_results
from kg.web.worker_process import Job, run_job

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("http://x/a"),
    ox.Literal('line\none, "quoted"\ttabbed <tag> & {"json": 1}'),
    ox.Literal("chat", language="fr"),
    ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")),
    ox.BlankNode("b1"),
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    memory = ox.Store()
    p = ox.NamedNode("http://x/p")
    for number, term in enumerate(TERMS):
        memory.add(ox.Quad(ox.NamedNode(f"http://x/s{number}"), p, term))
    return memory


QUERY = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize("name", list(engine_results.ENGINE_FORMATS))
def test_rows_are_counted_exactly_in_every_format(store: ox.Store, name: str) -> None:
    fast = engine_results.written(store.query(QUERY), name, limit=100, max_bytes=0)
    assert fast is not None and fast[1] == len(TERMS)
    empty = engine_results.written(
        store.query("SELECT ?s WHERE { ?s ?p 42 }"), name, limit=100, max_bytes=0
    )
    assert empty is not None and empty[1] == 0


@pytest.mark.parametrize("name", list(engine_results.ENGINE_FORMATS))
def test_a_result_of_exactly_the_row_bound_is_the_engines(store: ox.Store, name: str) -> None:
    """However many columns (JSON holds a brace per term too). Without a line break in a
    literal, which CSV may count as a row."""
    one_line = """SELECT ?s ?p ?o (STR(?o) AS ?text) WHERE { ?s ?p ?o
                  FILTER (!isLiteral(?o) || !CONTAINS(STR(?o), "\\n")) } ORDER BY ?s"""
    rows = len(TERMS) - 1
    fast = engine_results.written(store.query(one_line), name, limit=rows, max_bytes=0)
    assert fast is not None and fast[1] == rows


@pytest.mark.parametrize("name", list(engine_results.ENGINE_FORMATS))
def test_past_a_bound_the_engine_gives_way(store: ox.Store, name: str) -> None:
    assert engine_results.written(store.query(QUERY), name, limit=4, max_bytes=0) is None
    assert engine_results.written(store.query(QUERY), name, limit=100, max_bytes=50) is None


def test_run_job_takes_the_engines_bytes_within_the_bounds(store: ox.Store) -> None:
    outcome = run_job(store, Job(QUERY, format="json", limit=100))
    assert outcome.body == store.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON)
    assert outcome.rows == len(TERMS) and not outcome.truncated


def test_run_job_cuts_what_passes_the_bounds_and_says_so(store: ox.Store) -> None:
    cut = run_job(store, Job(QUERY, format="json", limit=2))
    document = json.loads(cut.body)
    assert cut.truncated and len(document["results"]["bindings"]) == 2
    assert document["truncated"]["limit"] == 2
    small = run_job(store, Job(QUERY, format="tsv", limit=100, max_bytes=120))
    assert small.truncated and 0 < small.rows < len(TERMS) and len(small.body) <= 120


def test_select_star_keeps_the_querys_column_order(store: ox.Store) -> None:
    outcome = run_job(store, Job("SELECT * WHERE { ?s ?p ?o }", format="json"))
    assert json.loads(outcome.body)["head"]["vars"] == ["s", "p", "o"]


def test_a_result_of_many_rows_stops_as_it_is_written(store: ox.Store) -> None:
    many = "SELECT ?n WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } ?s ?p ?o BIND(?a AS ?n) }"
    for name in engine_results.ENGINE_FORMATS:
        buffer = engine_results._BoundedBuffer(0, name, limit=3)
        with pytest.raises(engine_results._OverflowError):
            store.query(many).serialize(buffer, format=engine_results.ENGINE_FORMATS[name])
        assert len(buffer.getvalue()) < len(
            store.query(many).serialize(format=engine_results.ENGINE_FORMATS[name])
        )  # type: ignore[arg-type]


GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def test_a_graph_in_n_triples_is_the_engines_and_counted_a_triple_a_line(
    store: ox.Store,
) -> None:
    """A literal's line break included: N-Triples escapes it."""
    outcome = run_job(store, Job(GRAPH, format="ntriples", limit=100))
    assert outcome.body == store.query(GRAPH).serialize(format=ox.RdfFormat.N_TRIPLES)
    assert outcome.rows == len(TERMS) and not outcome.truncated
    exact = engine_results.written(store.query(GRAPH), "ntriples", limit=len(TERMS), max_bytes=0)
    assert exact is not None and exact[1] == len(TERMS)


def test_a_graph_past_a_bound_is_cut_by_the_capped_writers_and_says_so(store: ox.Store) -> None:
    assert engine_results.written(store.query(GRAPH), "ntriples", limit=4, max_bytes=0) is None
    cut = run_job(store, Job(GRAPH, format="ntriples", limit=2))
    lines = cut.body.decode().splitlines()
    assert cut.truncated and cut.rows == 2
    assert lines[0] == "# results truncated at 2 rows by this endpoint's result limit"
    assert len(lines) == 3
    small = run_job(store, Job(GRAPH, format="ntriples", limit=100, max_bytes=100))
    assert small.truncated and 0 < small.rows < len(TERMS) and len(small.body) <= 100
