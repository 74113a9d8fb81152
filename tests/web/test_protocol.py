"""The protocol functions: request parsing, refusal of remote access, negotiation."""

from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.web.protocol import (
    ProtocolError,
    best_match,
    form_fields,
    negotiate,
    parse_request,
    projection_order,
)

G = "https://example.org/g/"


def test_get_with_dataset() -> None:
    graphs = {"default-graph-uri": [G + "a", G + "b"], "named-graph-uri": [G + "c"]}
    request = parse_request("GET", None, {"query": ["ASK {}"], **graphs}, b"")
    assert (request.query, request.default_graphs, request.named_graphs) == (
        "ASK {}",
        (G + "a", G + "b"),
        (G + "c",),
    )


def test_form_and_direct_posts() -> None:
    form = parse_request(
        "POST",
        "application/x-www-form-urlencoded; charset=UTF-8",
        {},
        b"query=ASK%20%7B%7D&default-graph-uri=https%3A%2F%2Fexample.org%2Fg%2Fg",
    )
    direct = parse_request(
        "POST", "application/sparql-query", {"named-graph-uri": [G + "n"]}, b"ASK {}"
    )
    assert form.query == direct.query == "ASK {}"
    assert form.default_graphs == (G + "g",) and direct.named_graphs == (G + "n",)
    # A graph that is no IRI is named with its parameter (trial 27).
    with pytest.raises(ProtocolError, match="default-graph-uri: 'g' is not an IRI"):
        parse_request("GET", None, {"query": ["ASK {}"], "default-graph-uri": ["g"]}, b"")


@pytest.mark.parametrize(
    ("method", "content_type", "params", "body", "status"),
    [
        ("PUT", None, {"query": ["ASK {}"]}, b"", 405),
        ("GET", None, {"query": ["ASK {}", "ASK {}"]}, b"", 400),
        ("GET", None, {}, b"", 400),
        ("POST", "text/plain", {}, b"ASK {}", 415),
        ("POST", None, {}, b"query=ASK%20%7B%7D", 415),
        ("POST", "application/sparql-query; charset=UTF-16", {}, "ASK {}".encode("utf-16"), 415),
        ("POST", "application/sparql-query", {}, b"\xff\xfeA", 415),
        ("POST", "application/sparql-update", {}, b"CLEAR ALL", 403),
        ("GET", None, {"update": ["CLEAR ALL"]}, b"", 403),
        ("POST", "application/sparql-query", {"query": ["ASK {}"]}, b"ASK {}", 400),
    ],
)
def test_bad_requests(
    method: str, content_type: str | None, params: dict[str, list[str]], body: bytes, status: int
) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_request(method, content_type, params, body)
    assert caught.value.status == status


def test_projection_order() -> None:
    assert projection_order("SELECT * { ?b ?a ?c }", ["a", "b", "c"]) == ["b", "a", "c"]
    assert projection_order("SELECT ?c ?a { ?a ?b ?c }", ["c", "a"]) == ["c", "a"]


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, "solutions", "json"),
        ("application/sparql-results+xml", "solutions", "xml"),
        ("text/csv;q=0.2, text/tab-separated-values", "solutions", "tsv"),
        ("application/json", "solutions", "json"),
        ("application/json", "graph", "jsonld"),
        ("text/*", "graph", "turtle"),
        ("*/*;q=0.1, application/n-triples", "graph", "ntriples"),
        ("text/turtle;q=0, */*", "graph", "ntriples"),
    ],
)
def test_negotiate(accept: str | None, kind: str, expected: str) -> None:
    assert negotiate(accept, None, kind).name == expected


def test_negotiate_format_parameter_and_refusal() -> None:
    assert negotiate("text/csv", "tsv", "solutions").name == "tsv"
    with pytest.raises(ProtocolError) as caught:
        negotiate(None, "turtle", "solutions")
    assert caught.value.status == 406
    with pytest.raises(ProtocolError):
        negotiate("image/png", None, "graph")


def test_best_match_prefers_specific_ranges() -> None:
    offers = [("text/html", "html"), ("text/turtle", "ttl")]
    assert best_match("text/*;q=0.5, text/turtle", offers) == "ttl"
    assert best_match("text/html;q=0.1, text/*;q=0.9", offers) == "ttl"
    assert best_match("garbage;;q=x", offers) is None


FORM_TEXT = st.text(alphabet=st.sampled_from("%=+&aF09 \t\r\n\x00é€?{}<>#;"), max_size=40)


@given(FORM_TEXT)
def test_form_fields_read_any_body_as_parse_qs_does(text: str) -> None:
    assert form_fields(text.encode()) == parse_qs(text, keep_blank_values=True)


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=4))
def test_form_fields_read_what_a_client_encodes(fields: dict[str, str]) -> None:
    body = urlencode(fields).encode()
    assert form_fields(body) == {key: [value] for key, value in fields.items()}


def test_a_query_parameter_misspelt_is_named() -> None:
    """ "qeury=" was only "give exactly one query parameter, not 0" (trial 28)."""
    with pytest.raises(ProtocolError) as caught:
        parse_request("GET", None, {"qeury": ["ASK {}"]}, b"")
    assert caught.value.message == (
        "give exactly one query parameter, not 0 (qeury is no parameter: did you mean query?)"
    )
