"""Our result writers agree with Oxigraph's on every uncapped result, and cap as announced."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.publish import persistent
from kg.web import results
from kg.web.worker_process import Job, open_store, run_job

QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "SELECT ?s ?name WHERE { ?s <https://schema.org/name> ?name OPTIONAL { ?s <https://schema.org/url> ?u } } ORDER BY ?s",
    'SELECT ?x WHERE { VALUES ?x { "a\\"b,c\\nd"@en 1 2.5 "1.0E6"^^<http://www.w3.org/2001/XMLSchema#double> <http://x/y> } }',
]
FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@pytest.fixture(scope="module")
def worker_store(built: Path) -> ox.Store:
    """The store a query worker opens: the build's persistent store, read-only."""
    return open_store(str(persistent.verify(built / "store").database))


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("query", QUERIES)
def test_writers_agree_with_oxigraph(worker_store: ox.Store, query: str, name: str) -> None:
    ours = run_job(worker_store, Job(query, format=name, limit=10**6)).body
    theirs = worker_store.query(query).serialize(format=FORMATS[name])
    assert theirs is not None
    if name == "json":
        assert json.loads(ours) == json.loads(theirs)
    elif name == "xml":
        assert _xml(ours) == _xml(theirs)
    elif name == "csv":
        assert ours.replace(b"\r\n", b"\n") == theirs.replace(b"\r\n", b"\n")
    else:
        assert _tsv(ours) == _tsv(theirs)


def _xml(payload: bytes) -> list[str]:
    return sorted(
        ET.tostring(e, encoding="unicode") for e in ET.fromstring(payload).iter() if not list(e)
    )


def _tsv(payload: bytes) -> list[str]:
    # Oxigraph writes the header without a trailing newline on empty results; we always end lines.
    return payload.decode().strip("\n").split("\n")


def test_cap_is_exact_and_flagged(worker_store: ox.Store) -> None:
    outcome = run_job(worker_store, Job("SELECT * WHERE { ?s ?p ?o }", format="json", limit=7))
    body = json.loads(outcome.body)
    assert outcome.truncated and outcome.rows == 7 and len(body["results"]["bindings"]) == 7
    exact = run_job(
        worker_store, Job("SELECT * WHERE { ?s ?p ?o } LIMIT 7", format="json", limit=7)
    )
    assert not exact.truncated and exact.rows == 7


def test_boolean_formats() -> None:
    assert json.loads(results.boolean("json", True)) == {"head": {}, "boolean": True}
    root = ET.fromstring(results.boolean("xml", False))
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"  # type: ignore[union-attr]


def test_bad_syntax_is_a_400_outcome(tmp_path: Path) -> None:
    outcome = run_job(ox.Store(), Job("SELECT WHERE {"))
    assert outcome.status == 400 and b"syntax error" in outcome.body
