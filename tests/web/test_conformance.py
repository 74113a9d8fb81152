"""The W3C SPARQL 1.1 suites, run by our own runner over their manifests against `kg serve`.

Loaded first (a read-only endpoint cannot be loaded by the tests): data{1,2,3}.nt in the
named graphs the protocol manifest names, and the result-format data in graphs named after
their W3C URLs. The default graph is left empty.
"""

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, Namespace

from conftest import PROJECT, SHARED, free_port, serving
from kg.publish import checksums, persistent
from kg.publish.files import NTRIPLES, STORE
from kg.publish.staging import MARKER, MARKER_TEXT
from kg.vocab import SD

SUITES = SHARED / "conformance"
PROTOCOL = SUITES / "sparql11-protocol"
JSON_RES = SUITES / "sparql11-results-json"
CSV_TSV = SUITES / "sparql11-results-csv-tsv"
W3C = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
RESULT_GRAPHS = {
    JSON_RES / "data.ttl": W3C + "json-res/data.ttl",
    CSV_TSV / "data.ttl": W3C + "csv-tsv-res/data.ttl",
    CSV_TSV / "data2.ttl": W3C + "csv-tsv-res/data2.ttl",
}

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

SOLUTION_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A build folder holding only the W3C test data, served by `kg serve`."""
    dumps = tmp_path_factory.mktemp("w3c") / "build" / "dumps"
    dumps.mkdir(parents=True)
    quads: list[ox.Quad] = []
    protocol = Graph().parse(PROTOCOL / "manifest.ttl")
    loaded = set()
    for data in protocol.objects(None, UT.graphData):
        path = Path(str(protocol.value(data, UT.graph)).removeprefix("file://"))
        name = str(protocol.value(data, RDFS.label))
        if name not in loaded:
            loaded.add(name)
            quads += _in_graph(path, name)
    for path, name in RESULT_GRAPHS.items():
        quads += _in_graph(path, name)
    ox.serialize(quads, str(dumps / "entitylist-kg.nq"), ox.RdfFormat.N_QUADS)
    merged = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    ox.serialize(sorted(merged, key=str), str(dumps / NTRIPLES), ox.RdfFormat.N_TRIPLES)
    (dumps / "entitylist.ttl").write_bytes((PROJECT / "ontology" / "entitylist.ttl").read_bytes())
    (dumps / "description.ttl").write_text("")
    names = ("entitylist-kg.nq", "entitylist.ttl", "description.ttl")
    checksums.write(dumps, {n: hashlib.sha256((dumps / n).read_bytes()).hexdigest() for n in names})
    (dumps.parent / MARKER).write_text(MARKER_TEXT)  # a build folder, as kg build marks one
    # The W3C tests expect the description to name the URL they request: that is the public
    # endpoint when the server is published at this address (--base).
    port = free_port()
    persistent.write(dumps.parent / STORE, dumps, f"http://127.0.0.1:{port}/")
    with serving(dumps.parent, "--base", f"http://127.0.0.1:{port}/", port=port) as url:
        yield url


def _in_graph(path: Path, name: str) -> list[ox.Quad]:
    return [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
        for t in ox.parse(path=str(path), base_iri=f"file://{path}")
    ]


# ---- SPARQL 1.1 Protocol ------------------------------------------------------------------

PROTOCOL_MANIFEST = Graph().parse(PROTOCOL / "manifest.ttl")
PROTOCOL_TESTS = list(
    Collection(
        PROTOCOL_MANIFEST,
        PROTOCOL_MANIFEST.value(
            next(PROTOCOL_MANIFEST.subjects(RDF.type, MF.Manifest)), MF.entries
        ),
    )
)
# The update tests need SPARQL Update, which this read-only endpoint refuses by design;
# the bad_update_* tests (requests that must be refused) run.
RUN = [t for t in PROTOCOL_TESTS if not str(t).split("#")[1].startswith("update_")]


def test_suite_has_the_tests_the_issue_names() -> None:
    names = [str(t).split("#")[1] for t in RUN]
    refused_updates = [n for n in names if n.startswith("bad_") and "update" in n]
    assert len(refused_updates) == 7
    assert len(names) - len(refused_updates) == 20


@pytest.mark.parametrize("test", RUN, ids=[str(t).split("#")[1] for t in RUN])
def test_protocol(w3c_server: str, test: URIRef) -> None:
    graph = PROTOCOL_MANIFEST
    action = graph.value(test, MF.action)
    for request in Collection(graph, graph.value(action, HT.requests)):
        response = _send(w3c_server, graph, request)
        _check(graph, graph.value(request, HT.resp), response)


def _send(server: str, graph: Graph, request: URIRef) -> httpx.Response:
    path = str(graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    headers = {}
    header_list = graph.value(request, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(
                graph.value(header, HT.fieldValue)
            )
    body = graph.value(request, HT.body)
    content = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        content = str(graph.value(body, CNT.chars)).encode(encoding.lower())
    return httpx.request(
        str(graph.value(request, HT.methodName)),
        server + path,
        headers=headers,
        content=content,
        timeout=30,
    )


def _check(graph: Graph, expected: URIRef, response: httpx.Response) -> None:
    classes = {
        str(s).rsplit("#StatusCode", 1)[1] for s in graph.objects(expected, MF.expectedStatus)
    }
    assert f"{response.status_code // 100}xx" in classes, (response.status_code, response.text)
    media = response.headers.get("content-type", "").split(";")[0]
    expected_format = graph.value(expected, MF.expectedFormat)
    if expected_format is not None:
        allowed = RDF_TYPES if str(expected_format) == "RDF" else SOLUTION_TYPES
        assert media in allowed, media
    expected_boolean = graph.value(expected, MF.expectedBoolean)
    if expected_boolean is not None:
        assert _boolean(response) is bool(expected_boolean.toPython())


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return bool(response.json()["boolean"])
    root = ET.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None
    return node.text == "true"


# ---- Service Description ------------------------------------------------------------------


def test_service_description_returns_rdf(w3c_server: str) -> None:
    response = httpx.get(f"{w3c_server}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    Graph().parse(data=response.text, format="turtle")


def test_service_description_has_endpoint_triple(w3c_server: str) -> None:
    description = Graph().parse(
        data=httpx.get(f"{w3c_server}/sparql", headers={"Accept": "text/turtle"}).text,
        format="turtle",
    )
    assert URIRef(f"{w3c_server}/sparql") in set(description.objects(None, SD.endpoint))


def test_service_description_conforms_to_schema(w3c_server: str) -> None:
    """Every sd: term used is defined, and is used with the classes the schema gives it."""
    description = Graph().parse(
        data=httpx.get(f"{w3c_server}/sparql", headers={"Accept": "text/turtle"}).text,
        format="turtle",
    )
    (service,) = description.subjects(RDF.type, SD.Service)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    dataset = description.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in description
    assert (description.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in description
    known = {
        "Service",
        "endpoint",
        "supportedLanguage",
        "SPARQL11Query",
        "feature",
        "UnionDefaultGraph",
        "defaultDataset",
        "Dataset",
        "defaultGraph",
        "Graph",
        "resultFormat",
    }
    used = {
        str(term).split("#")[1]
        for triple in description
        for term in triple
        if str(term).startswith(str(SD))
    }
    assert used <= known, used - known


# ---- Result formats -----------------------------------------------------------------------


def _manifest_tests(folder: Path) -> list[tuple[str, Path, Path, Path]]:
    manifest = Graph().parse(folder / "manifest.ttl")
    found = []
    for test in manifest.subjects(MF.result, None):
        action = manifest.value(test, MF.action)
        local = lambda node: Path(str(node).removeprefix("file://"))  # noqa: E731
        found.append(
            (
                str(test).split("#")[1],
                local(manifest.value(action, QT.query)),
                local(manifest.value(action, QT.data)),
                local(manifest.value(test, MF.result)),
            )
        )
    return sorted(found)


RESULT_TESTS = _manifest_tests(JSON_RES) + _manifest_tests(CSV_TSV)
ACCEPT = {
    ".srj": "application/sparql-results+json",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
}


@pytest.mark.parametrize(
    ("name", "query", "data", "expected"), RESULT_TESTS, ids=[t[0] for t in RESULT_TESTS]
)
def test_result_format(w3c_server: str, name: str, query: Path, data: Path, expected: Path) -> None:
    response = httpx.get(
        f"{w3c_server}/sparql",
        params={"query": query.read_text(), "default-graph-uri": RESULT_GRAPHS[data]},
        headers={"Accept": ACCEPT[expected.suffix]},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(ACCEPT[expected.suffix])
    if expected.suffix == ".srj":
        assert _json_rows(response.json()) == _json_rows(json.loads(expected.read_text()))
    else:
        delimiter = "," if expected.suffix == ".csv" else "\t"
        got, want = _table(response.text, delimiter), _table(expected.read_text(), delimiter)
        assert len(got) == len(want)
        for got_row, want_row in zip(got, want, strict=True):
            for got_cell, want_cell in zip(got_row, want_row, strict=True):
                assert _same_cell(got_cell, want_cell), (got_cell, want_cell)


def _json_rows(document: dict) -> object:
    if "boolean" in document:
        return document["boolean"]
    blank = lambda t: {**t, "value": "_"} if t["type"] == "bnode" else t  # noqa: E731
    rows = [{k: blank(v) for k, v in b.items()} for b in document["results"]["bindings"]]
    return document["head"]["vars"], sorted(json.dumps(r, sort_keys=True) for r in rows)


def _table(text: str, delimiter: str) -> list[list[str]]:
    return list(
        csv.reader(
            io.StringIO(text),
            delimiter=delimiter,
            quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL,
        )
    )


_TYPED = re.compile(r'^"(.*)"\^\^<http://www\.w3\.org/2001/XMLSchema#(\w+)>$')
_NUMERIC = {"integer", "negativeInteger", "decimal", "double", "float", "int", "long"}


def _value(cell: str) -> object:
    typed = _TYPED.match(cell)
    if typed and typed.group(2) in _NUMERIC:
        return float(typed.group(1))
    try:
        return float(cell)
    except ValueError:
        return cell


def _same_cell(got: str, want: str) -> bool:
    if got.startswith("_:") and want.startswith("_:"):
        return True  # blank node labels are local to a result
    # Oxigraph stores literals in canonical form: "-3"^^xsd:negativeInteger comes back as the
    # xsd:integer -3, and "1.0E6"^^xsd:double (which tsv03 expects as 1.0e6) as
    # "1000000"^^xsd:double. Same values, other lexical forms: compare the values.
    return got == want or _value(got) == _value(want)
