"""Odd IRIs under /id/ and /graph/, over real HTTP on loopback: 400 when the path names no
IRI, 404 when it names one we do not know, never a 5xx; JSON for plain JSON clients."""

import json
import re
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef

BASE = "https://w3id.org/entitylist-kg/"
ROSS = "id/person/wilbur-ross"
NAME = URIRef("https://schema.org/name")

# Paths as sent on the wire: percent-encoded by hand, so that the client changes nothing.
ODD_PATHS = [
    "/id/a%20b",  # a space
    "/id/%3C",  # <
    "/id/org/a%3Eb",  # >
    "/id/a%00b",  # NUL
    "/graph/%00",
    "/id/%FF",  # not UTF-8
    "/id/org/%C0%AF",  # an overlong UTF-8 /
    "/id/%ED%A0%80",  # a UTF-8 surrogate
    "/id/%EF%BF%BF",  # U+FFFF, a noncharacter
    "/id/org/" + "a" * 300,  # a segment longer than a file name may be
    "/graph/" + "b" * 256,
    "/id/org/" + "%C3%A9" * 200,  # 400 bytes of é
    "/id/%22",  # "
    "/id/%7B%7D",  # { }
    "/id/%7C",  # |
    "/id/%5E",  # ^
    "/id/%60",  # `
    "/id/%5C",  # \
    "/id/%09",  # tab
    "/id/a%0Db",  # CR
    "/id/a%0Ab",  # LF
    "/id/%7F",  # DEL
    "/id/%01",
    "/id/%25",  # a lone %
    "/id/%25zz",
    "/graph/%20",
    "/id/%2e%2e/%2e%2e/%2e%2e/etc/passwd",  # dot segments
    "/id/org/%2e%2e%2F%2e%2e%2Fsite",  # an encoded slash
    "/id/org//hangzhou-hikvision-digital-technology-co-ltd",  # an empty segment
    "/id/%E2%80%AE",  # a right-to-left override: a valid IRI, unknown
    "/graph/%F0%9F%92%A9",  # an emoji: a valid IRI, unknown
    "/id/a%3Fb%23c",  # ? and # inside the path
]
VARIANTS = {
    "plain": ("", None),
    "ttl": (".ttl", None),
    "jsonld": (".jsonld", None),
    "turtle": ("", "text/turtle"),
    "html": ("", "text/html"),
    "page": ("/", "text/html"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_iris_are_400_or_404(server: str, path: str, variant: str) -> None:
    suffix, accept = VARIANTS[variant]
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server + path + suffix, headers=headers)
    assert response.status_code in (400, 404), (response.status_code, response.text[:300])
    assert "\x00" not in response.text


def test_odd_paths_are_sent_as_written(server: str) -> None:
    """The client keeps the percent-encoding: the server really meets NUL and bytes not UTF-8."""
    for path in ("/id/a%00b", "/id/%FF", "/id/%2e%2e/x"):
        assert httpx.URL(server + path).raw_path.decode() == path


def test_a_path_that_is_no_iri_says_why(server: str) -> None:
    response = httpx.get(f"{server}/id/a%20b", headers={"Accept": "text/turtle"})
    assert response.status_code == 400
    assert "not an IRI" in response.text and "Invalid IRI code point ' '" in response.text


def test_dot_segments_do_not_leave_the_site(server: str, built: Path) -> None:
    """/id/../../../outside/ once served any index.html on the disk as an entity page."""
    outside = built.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "index.html").write_text("<p>not of the site</p>")
    for dots in ("%2e%2e/%2e%2e/%2e%2e", "..%2F..%2F.."):
        response = httpx.get(f"{server}/id/{dots}/outside/", headers={"Accept": "text/html"})
        assert response.status_code == 404
        assert "not of the site" not in response.text


_SEGMENT = st.one_of(
    st.binary(max_size=300).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.text(max_size=120).map(lambda text: quote(text, safe="")),
    st.text(alphabet="%/.-_~aZ09", max_size=40),
)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["id", "graph"]),
    segments=st.lists(_SEGMENT, min_size=1, max_size=3),
    suffix=st.sampled_from(["", ".ttl", ".jsonld", ".nt", ".rdf", "/"]),
    accept=st.sampled_from([None, "text/turtle", "text/html", "application/json", "*/*"]),
)
def test_random_paths_never_answer_5xx(
    server: str, kind: str, segments: list[str], suffix: str, accept: str | None
) -> None:
    path = f"/{kind}/{'/'.join(segments)}{suffix}"
    try:
        url = httpx.URL(server + path)
    except httpx.InvalidURL:
        return  # the client itself will not send it (an invalid %-escape, for one)
    response = httpx.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code < 500, (path, response.status_code, response.text[:300])


# ---- JSON for plain JSON clients -----------------------------------------------------------


def test_application_json_gets_json_ld_with_a_context(server: str) -> None:
    response = httpx.get(f"{server}/{ROSS}", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert "Accept" in response.headers["vary"]
    document = json.loads(response.content)
    assert document["@context"]["schema"] == "https://schema.org/"
    graph = Graph().parse(data=response.content, format="json-ld")
    assert (URIRef(BASE + ROSS), NAME, Literal("Wilbur Ross")) in graph
    # The context does its work: keys are compact.
    assert any("schema:name" in node for node in document["@graph"])


def test_json_ld_is_compacted_as_the_sites_files_unless_expanded_is_asked(server: str) -> None:
    """application/ld+json and .jsonld gave the engine's expanded JSON-LD, no @context, where
    application/json and the site's .jsonld files give it compacted (trial 23); and a 406
    did not say it varies with Accept."""
    for asked in ({"Accept": "application/ld+json"}, {}):
        suffix = "" if asked else ".jsonld"
        response = httpx.get(f"{server}/{ROSS}{suffix}", headers=asked)
        assert response.headers["content-type"].startswith("application/ld+json")
        assert response.json()["@context"]["schema"] == "https://schema.org/", suffix
    profile = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"'
    expanded = httpx.get(f"{server}/{ROSS}", headers={"Accept": profile})
    assert isinstance(expanded.json(), list) and "@context" not in expanded.text
    graph = Graph().parse(data=expanded.content, format="json-ld")
    assert (URIRef(BASE + ROSS), NAME, Literal("Wilbur Ross")) in graph
    for path in (f"/{ROSS}", "/ontology", "/.well-known/void"):
        refused = httpx.get(server + path, headers={"Accept": "application/yaml"})
        assert refused.status_code == 406 and "Accept" in refused.headers["vary"], path
        assert "text/turtle, application/ld+json" in refused.text, refused.text  # media types
        # and what was asked, which went unsaid (trial 25)
        assert refused.text.startswith("nothing in Accept: application/yaml is offered here")
    # A browser at the VoID address is sent to the dataset's page, as /dataset sends it (it
    # was a 406); any other client gets the description, */* too.
    page = httpx.get(f"{server}/.well-known/void", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"].endswith("/dataset.html")
    for anything in ("*/*", None):
        described = httpx.get(
            f"{server}/.well-known/void", headers={"Accept": anything} if anything else {}
        )
        assert described.headers["content-type"].startswith("text/turtle"), anything


def test_application_json_of_an_unknown_iri_is_404(server: str) -> None:
    response = httpx.get(f"{server}/id/org/no-such-thing", headers={"Accept": "application/json"})
    assert response.status_code == 404


def test_application_json_on_the_ontology_and_the_void(server: str) -> None:
    for path in ("/ontology", "/.well-known/void"):
        response = httpx.get(server + path, headers={"Accept": "application/json"})
        assert response.status_code == 200, path
        assert "@context" in response.json()
        assert len(Graph().parse(data=response.content, format="json-ld")) > 10


# ---- Each fact in its graph: TriG and N-Quads ------------------------------------------------

COUNT = "id/list-count/entity-list/2019-10-09"
GRAPHS = BASE + "graph/"
PROV_ENTITY = (URIRef(BASE + COUNT), RDF.type, URIRef("http://www.w3.org/ns/prov#Entity"))


def test_a_resource_in_trig_says_which_graph_states_each_fact(server: str) -> None:
    """A resource's Turtle merges the graphs, so that a kind only our inference gives read as
    a source's (53a: MAHAN AIRWAYS an org:Organization); TriG and N-Quads keep them apart."""
    merged = Graph().parse(data=httpx.get(f"{server}/{COUNT}.ttl").text, format="turtle")
    assert PROV_ENTITY in merged  # entailed by the ontology from our count alone
    for asked in ({"Accept": "application/trig"}, {"Accept": "application/n-quads"}, ".trig"):
        suffix, headers = (asked, {}) if isinstance(asked, str) else ("", asked)
        response = httpx.get(f"{server}/{COUNT}{suffix}", headers=headers)
        assert response.status_code == 200, asked
        media = response.headers["content-type"]
        dataset = Dataset().parse(
            data=response.text, format="trig" if "trig" in media else "nquads"
        )
        stating = {str(g) for s, p, o, g in dataset.quads((*PROV_ENTITY, None))}
        assert stating == {GRAPHS + "entailed-from-ours"}, asked
        # the same triples as the Turtle, each in a named graph: none in the default graph
        assert {(s, p, o) for s, p, o, _ in dataset.quads()} == set(merged)
        assert not list(dataset.default_graph), asked
        assert {str(g) for _, _, _, g in dataset.quads()} == {
            GRAPHS + "list-counts",
            GRAPHS + "curation",  # the list's label
            GRAPHS + "entailed",
            GRAPHS + "entailed-from-ours",
            GRAPHS + "provenance",
        }


def test_a_fact_two_graphs_state_is_in_each(server: str) -> None:
    hikvision = "id/org/hangzhou-hikvision-digital-technology-co-ltd"
    response = httpx.get(f"{server}/{hikvision}.nq")
    assert not response.text.startswith("#")  # whole, not cut at the result limit
    dataset = Dataset().parse(data=response.text, format="nquads")
    alias = (URIRef(BASE + hikvision), URIRef("https://schema.org/alternateName"))
    assert {str(g) for *_, g in dataset.quads((*alias, Literal("Hikvision"), None))} == {
        GRAPHS + "csl-2022-05",
        GRAPHS + "article-2019-10-08",
    }
    # The same bytes each time: sorted, not in the engine's order.
    assert httpx.get(f"{server}/{hikvision}.nq").content == response.content


def test_a_resource_past_the_result_limit_is_cut_and_says_so(server: str) -> None:
    response = httpx.get(f"{server}/id/rule/84-fr-54002.trig")
    assert response.status_code == 200
    assert response.text.startswith("# results truncated at 50 rows")
    assert len(Dataset().parse(data=response.text, format="trig")) == 50


def test_the_quad_formats_are_offered_and_linked_but_never_chosen_by_a_wildcard(
    server: str,
) -> None:
    response = httpx.get(f"{server}/{ROSS}.ttl")
    assert f'</{ROSS}.trig>; rel="alternate"; type="application/trig"' in response.headers["link"]
    assert f'</{ROSS}.nq>; rel="alternate"; type="application/n-quads"' in response.headers["link"]
    for wildcard in ("*/*", "application/*"):
        chosen = httpx.get(f"{server}/{ROSS}", headers={"Accept": wildcard})
        assert "quads" not in chosen.headers.get("content-type", ""), wildcard
        assert "trig" not in chosen.headers.get("content-type", ""), wildcard
    refused = httpx.get(f"{server}/{ROSS}", headers={"Accept": "application/yaml"})
    assert "application/trig, application/n-quads" in refused.text
    # Under their older names too (trial 54a: a 406).
    for older, written in (("application/x-trig", "trig"), ("text/x-nquads", "nquads")):
        answer = httpx.get(f"{server}/{ROSS}", headers={"Accept": older})
        assert answer.status_code == 200, older
        Dataset().parse(data=answer.text, format=written)
    # application/* asks for data: it was sent to the page (application/xhtml+xml, 54a).
    data = httpx.get(f"{server}/{ROSS}", headers={"Accept": "application/*"})
    assert data.status_code == 200
    assert data.headers["content-type"].startswith("application/ld+json")
    described = httpx.get(f"{server}/dataset.trig")
    assert described.status_code == 200 and described.headers["content-type"] == "application/trig"
    # Every alternate the dataset's Link header names answers (/dataset.rdf was a 404: 54a).
    named = re.findall(r"<(/dataset\.\w+)>", httpx.get(f"{server}/dataset").headers["link"])
    assert len(named) == 6
    for path in named:
        assert httpx.get(server + path).status_code == 200, path
    assert f"<{BASE}dataset> {{" in described.text  # the description's own graph


@pytest.fixture(scope="module")
def moved_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build with real CSL rows whose parties' IRIs changed when kinds were inferred."""
    from conftest import FIXTURES, run_kg

    out = tmp_path_factory.mktemp("moved") / "build"
    rows = FIXTURES / "identity" / "csl-2022-05-identity.csv"
    done = run_kg("build", "--csl", f"{rows}@2022-05-06:partial", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def replaced_iris(out: Path) -> dict[str, str]:
    graph = Graph().parse(out / "dumps" / "entitylist-kg.nt", format="nt")
    replaced = URIRef("http://purl.org/dc/terms/isReplacedBy")
    return {str(old): str(new) for old, new in graph.subject_objects(replaced)}


def test_every_replaced_iri_answers_301_to_its_new_iri(moved_build: Path) -> None:
    """Every IRI an earlier release published for an untyped row (id/org/<slug>) and this one
    replaced dereferences: 301 to the new IRI, in every form, which then resolves."""
    from conftest import serving

    moved = replaced_iris(moved_build)
    assert f"{BASE}id/org/ma-yunong" in moved and len(moved) >= 3
    with serving(moved_build) as url, httpx.Client(base_url=url) as client:
        for old, new in sorted(moved.items()):
            old_path, new_path = old[len(BASE) - 1 :], new[len(BASE) - 1 :]
            for suffix, accept, moved_to in (
                ("", "text/turtle", ""),
                (".ttl", None, ".ttl"),
                (".html", None, ".html"),
                ("/", "text/html", ".html"),  # the page's address in earlier builds
            ):
                headers = {"Accept": accept} if accept else {}
                answer = client.get(old_path + suffix, headers=headers)
                assert answer.status_code == 301, (old_path, suffix, answer.status_code)
                assert answer.headers["location"] == new_path + moved_to
                followed = client.get(answer.headers["location"], headers=headers)
                assert followed.status_code == 200, (new_path, suffix)
            described = Graph().parse(data=client.get(new_path + ".ttl").text, format="turtle")
            assert (URIRef(new), NAME, None) in described


def test_the_site_has_a_page_at_every_old_address(moved_build: Path) -> None:
    for old, new in replaced_iris(moved_build).items():
        page = moved_build / "site" / f"{old[len(BASE) :]}.html"
        html = page.read_text(encoding="utf-8")
        relative = "../" * old[len(BASE) :].count("/") + new[len(BASE) :] + ".html"
        assert f'<meta http-equiv="refresh" content="0; url={relative}">' in html
        assert f'<link rel="canonical" href="{new}">' in html
        assert (moved_build / "site" / f"{new[len(BASE) :]}.html").is_file()
        sitemap = (moved_build / "site" / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<loc>{old}.html</loc>" not in sitemap
        assert f"<loc>{new}.html</loc>" in sitemap
