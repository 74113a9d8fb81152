"""The HTTP face of kg serve, over real HTTP on loopback: the Service Description does not
trust the Host header, SPARQLWrapper's defaults are understood, HEAD answers as GET does,
and SPARQL CSV stays the W3C format."""

import csv
import io
import re

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace
from SPARQLWrapper import JSONLD, RDFXML, XML, SPARQLWrapper

from kg.web.protocol import ProtocolError, negotiate

BASE = "https://w3id.org/entitylist-kg/"
ROSS = BASE + "id/person/wilbur-ross"
NAME = URIRef("https://schema.org/name")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
EVIL = "evil.example"
DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}

# ---- The Service Description names the configured endpoint ---------------------------------


@pytest.mark.parametrize("media", list(DESCRIPTION_TYPES))
def test_service_description_ignores_the_host_header(server: str, media: str) -> None:
    response = httpx.get(f"{server}/sparql", headers={"Host": EVIL, "Accept": media})
    assert response.status_code == 200
    assert EVIL not in response.text
    assert not any(EVIL in value for value in response.headers.values())
    description = Graph().parse(data=response.content, format=DESCRIPTION_TYPES[media])
    assert URIRef(BASE + "sparql") in set(description.objects(None, SD.endpoint))


def test_service_description_counts_the_default_graphs_triples(server: str) -> None:
    """It gave the quads (480,752 on the whole CSL) as the triples of the default graph, the
    merge, which holds a triple stated in two graphs once (480,119; trial 33)."""
    response = httpx.get(f"{server}/sparql", headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.content, format="turtle")
    (stated,) = description.objects(None, URIRef("http://rdfs.org/ns/void#triples"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = httpx.get(f"{server}/sparql", params={"query": count}, headers={"Accept": "text/csv"})
    counted = int(answer.text.split()[1])
    quads = httpx.get(f"{server}/health").json()["quads"]
    assert int(stated) == counted < quads


def test_query_page_ignores_the_host_header(server: str) -> None:
    page = httpx.get(f"{server}/sparql", headers={"Host": EVIL, "Accept": "text/html"})
    assert page.status_code == 200 and EVIL not in page.text


def test_relative_iris_in_a_query_do_not_take_the_host_header(server: str) -> None:
    """A query without BASE resolves relative IRIs against the configured endpoint."""
    answer = httpx.get(
        f"{server}/sparql",
        params={"query": "SELECT ?x WHERE { BIND (<relative> AS ?x) }"},
        headers={"Host": EVIL, "Accept": "application/sparql-results+json"},
    )
    (row,) = answer.json()["results"]["bindings"]
    assert row["x"]["value"] == BASE + "relative"


# ---- SPARQLWrapper's format= words ---------------------------------------------------------

GRAPH_QUERIES = {
    "construct": f"CONSTRUCT {{ <{ROSS}> ?p ?o }} WHERE {{ <{ROSS}> ?p ?o }}",
    "describe": f"DESCRIBE <{ROSS}>",
}


# SPARQLWrapper's convert() reads RDF into an rdflib ConjunctiveGraph, which rdflib deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("form", list(GRAPH_QUERIES))
@pytest.mark.parametrize("return_format", [None, XML, RDFXML, JSONLD])
def test_sparqlwrapper_gets_a_graph(server: str, form: str, return_format: str | None) -> None:
    """The default (XML) sends format=xml with Accept: application/rdf+xml: RDF/XML it is."""
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(GRAPH_QUERIES[form])
    if return_format:
        client.setReturnFormat(return_format)
    graph = client.query().convert()
    assert isinstance(graph, Graph) and len(graph) > 0
    assert (URIRef(ROSS), NAME, Literal("Wilbur Ross")) in graph


def test_sparqlwrapper_default_select_is_sparql_xml(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(f"SELECT ?name WHERE {{ <{ROSS}> <{NAME}> ?name }}")
    result = client.query()
    assert result.response.headers["content-type"].startswith("application/sparql-results+xml")
    document = result.convert()
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert values == ["Wilbur Ross"]


@pytest.mark.parametrize(
    ("accept", "format_param", "kind", "expected"),
    [
        ("application/rdf+xml", "xml", "graph", "rdfxml"),
        ("application/sparql-results+xml", "xml", "solutions", "xml"),
        ("application/rdf+xml", "rdf+xml", "graph", "rdfxml"),
        ("application/ld+json", "json-ld", "graph", "jsonld"),
        ("text/rdf+n3", "n3", "graph", "turtle"),
        (None, "json", "graph", "jsonld"),
        # A format= with no writer for this result gives way to a type Accept names...
        ("text/turtle", "csv", "graph", "turtle"),
        ("text/csv", "turtle", "solutions", "csv"),
    ],
)
def test_format_words_for_each_kind_of_result(
    accept: str | None, format_param: str, kind: str, expected: str
) -> None:
    assert negotiate(accept, format_param, kind).name == expected


@pytest.mark.parametrize("accept", [None, "*/*", "text/*", "image/png"])
def test_format_words_without_a_writer_are_refused(accept: str | None) -> None:
    """A wildcard does not overrule format=: csv for a CONSTRUCT is a mistake worth a 406."""
    with pytest.raises(ProtocolError, match="format=csv is not offered") as caught:
        negotiate(accept, "csv", "graph")
    assert caught.value.status == 406


# ---- HEAD answers as GET does ---------------------------------------------------------------

HEAD_ROUTES = [
    ("/sparql", "text/turtle"),
    ("/sparql", "application/ld+json"),
    ("/sparql", "text/html"),
    ("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "application/sparql-results+json"),
    ("/sparql?query=SELECT", "application/sparql-results+json"),
    ("/id/person/wilbur-ross", "text/turtle"),
    ("/id/person/wilbur-ross", "application/json"),
    ("/id/person/wilbur-ross", "text/html"),
    ("/id/person/wilbur-ross/", "text/html"),
    ("/id/person/wilbur-ross.jsonld", "*/*"),
    ("/id/org/no-such-thing", "text/turtle"),
    ("/id/org/no-such-thing", "text/html"),
    ("/id/a%20b", "text/turtle"),
    ("/graph/article-2019-10-08", "text/turtle"),
    ("/dataset", "text/turtle"),
    ("/.well-known/void", "text/turtle"),
    ("/ontology", "text/turtle"),
    ("/ontology", "text/html"),
    ("/health", "*/*"),
    ("/search?q=hikvision", "application/json"),
    ("/docs", "text/html"),
    ("/screen", "text/html"),
    ("/reconcile", "application/json"),
    ("/reconcile/properties", "application/json"),
    ("/reconcile/suggest/entity?prefix=hik", "application/json"),
    ("/reconcile/preview?id=org/hangzhou-hikvision-digital-technology-co-ltd", "text/html"),
]
# Headers that may differ between two answers to the same request.
VOLATILE = {"date"}


@pytest.mark.parametrize(("path", "accept"), HEAD_ROUTES)
def test_head_answers_as_get_does(server: str, path: str, accept: str) -> None:
    headers = {"Accept": accept}
    got = httpx.get(server + path, headers=headers)
    head = httpx.head(server + path, headers=headers)
    assert head.status_code == got.status_code, head.headers
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))
    same = {k: v for k, v in got.headers.items() if k not in VOLATILE}
    assert {k: v for k, v in head.headers.items() if k not in VOLATILE} == same


def test_every_file_the_api_page_names_is_served(server: str) -> None:
    """The API page's styles, scripts and icon (a browser asks /favicon.ico of a page that
    names no icon, and logs the 404)."""
    page = httpx.get(f"{server}/docs").text
    named = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert any("favicon" in link for link in named)
    for link in named:
        assert httpx.get(server + link).status_code == 200, link


# ---- SPARQL CSV is the W3C format, not a spreadsheet export ----------------------------------

CSV_QUERY = """SELECT ?value ?other WHERE {
  VALUES (?value ?other) {
    ("=1+2" <http://example.org/a>) ("+1" UNDEF) ("-2" 42) ("@SUM(A1)" 1.5)
    ("a,b" "x"@en) ('say "hi"' true) ("line\\nbreak" "\\ttab") (UNDEF UNDEF)
  }
}"""
CSV_ROWS = [
    ["=1+2", "http://example.org/a"],
    ["+1", ""],
    ["-2", "42"],
    ["@SUM(A1)", "1.5"],
    ["a,b", "x"],
    ['say "hi"', "true"],
    ["line\nbreak", "\ttab"],
    ["", ""],
]


def test_sparql_csv_is_faithful_to_the_w3c_format(server: str) -> None:
    """Values as they are (no formula neutralisation), RFC 4180 quoting, CRLF, bare names."""
    response = httpx.get(
        f"{server}/sparql", params={"query": CSV_QUERY}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("value,other\r\n")
    # Cells that a spreadsheet would read as formulas are written as they are, unquoted.
    for line in ("=1+2,http://example.org/a\r\n", "+1,\r\n", "-2,42\r\n", "@SUM(A1),1.5\r\n"):
        assert line in body
    assert '"a,b",x\r\n' in body and '"say ""hi""",true\r\n' in body
    assert '"line\nbreak",\ttab\r\n' in body
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == ["value", "other"]
    assert sorted(rows[1:]) == sorted(CSV_ROWS)


# ---- A link to a query opens, in a browser, as the query page ------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "params", "page"),
    [
        (BROWSER, {}, True),
        ("text/html", {}, True),  # was a 406
        ("*/*", {}, False),  # curl's: results, as ever
        (None, {}, False),
        ("application/json, text/html;q=0.9", {}, False),
        (BROWSER, {"format": "csv"}, False),  # the page's form without JavaScript
        (BROWSER, {"default-graph-uri": BASE + "graph/curation"}, False),
    ],
)
def test_a_query_link_is_the_page_for_a_browser_and_results_for_a_client(
    server: str, accept: str | None, params: dict[str, str], page: bool
) -> None:
    query = 'ASK { ?s ?p "<x>" }'
    headers = {"Accept": accept} if accept else {}
    answer = httpx.get(f"{server}/sparql", params={"query": query, **params}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html") == page
    if page:
        assert "data-run" in answer.text  # its script runs it
        assert 'spellcheck="false">ASK { ?s ?p &#34;&lt;x&gt;&#34; }</textarea>' in answer.text


def test_results_asked_for_without_a_query_are_told_to_send_one(server: str) -> None:
    """It was a 406 that offered the service description's types (trial 26)."""
    answer = httpx.get(f"{server}/sparql", headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 400 and answer.text.startswith("no query: send one as query=")
    refused = httpx.get(f"{server}/sparql", headers={"Accept": "image/png"})
    assert refused.status_code == 406
