"""RemoteStore against a real Oxigraph server: the embedded store's answers, over HTTP."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import asking_for_credentials, free_port, oxigraph_serving
from kg.errors import KgError
from kg.remote_store import (
    Credentials,
    Dataset,
    RemoteRefusalError,
    RemoteStore,
    RemoteStoreError,
    RemoteTimeLimitError,
    checked_url,
)

DATA = """
<x:a> <x:name> "Alpha"@en <x:g1> .
<x:a> <x:name> "Alpha"@en <x:g2> .
<x:b> <x:size> "2"^^<http://www.w3.org/2001/XMLSchema#integer> <x:g2> .
<x:hidden> <x:name> "staged" <x:staging> .
<x:a> <x:name> "Alpha"@en <x:all> .
<x:b> <x:size> "2"^^<http://www.w3.org/2001/XMLSchema#integer> <x:all> .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    folder = tmp_path_factory.mktemp("remote-store")
    with oxigraph_serving(folder / "db") as server:
        url = server.url
        with RemoteStore(f"{url}/query", update_url=f"{url}/update") as remote:
            remote.update(f"INSERT DATA {{ {_as_graphs(DATA)} }}")
            yield remote


def _as_graphs(nquads: str) -> str:
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    return " ".join(f"GRAPH {q.graph_name} {{ {q.triple} }}" for q in quads)


def test_answers_are_the_embedded_stores_terms(store: RemoteStore) -> None:
    embedded = ox.Store()
    embedded.load(DATA, format=ox.RdfFormat.N_QUADS)
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    theirs = store.query(query)
    assert isinstance(theirs, ox.QuerySolutions)
    assert [list(row) for row in theirs] == [list(row) for row in embedded.query(query)]
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <x:g2> { ?s ?p ?o } }")
    assert isinstance(triples, list) and len(triples) == 2
    assert all(isinstance(t, ox.Triple) for t in triples)
    assert bool(store.query("ASK { GRAPH <x:g1> { <x:a> ?p ?o } }")) is True


def test_the_release_dataset_hides_other_graphs_whatever_a_query_names(
    store: RemoteStore,
) -> None:
    """A query that named its own dataset read any graph of the server (trial 33): now the
    graphs outside the release read as empty, as on the embedded store."""
    store.dataset = Dataset("x:all", ("x:g1", "x:g2"))
    try:
        graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert sorted(row["g"].value for row in graphs) == ["x:g1", "x:g2"]
        merged = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert next(iter(merged))["n"].value == "2"
        for query in (
            "SELECT ?s FROM <x:staging> WHERE { ?s ?p ?o }",
            "SELECT ?s FROM NAMED <x:staging> WHERE { GRAPH ?g { ?s ?p ?o } }",
        ):
            assert list(store.query(query)) == [], query
        # The release's graph of the two, named by a prefix: not the staging's "staged".
        mixed = "PREFIX x: <x:> SELECT ?o FROM x:staging FROM <x:g2> WHERE { ?s <x:name> ?o }"
        assert [row["o"].value for row in store.query(mixed)] == ["Alpha"]
        asked = store.query(
            "SELECT ?s WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode("x:staging")]
        )
        assert list(asked) == []
        from_one = store.query("SELECT ?s FROM <x:g1> WHERE { ?s ?p ?o }")
        assert [row["s"].value for row in from_one] == ["x:a"]  # a graph of the release
        merge = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=[ox.DefaultGraph()]
        )
        assert next(iter(merge))["n"].value == "2"  # the embedded store's name for the merge
        bare = store.bare().query("SELECT ?s FROM <x:staging> WHERE { ?s ?p ?o }")
        assert [row["s"].value for row in bare] == ["x:hidden"]  # our own reads: kg publish
        bound = store.query(
            "SELECT ?s ?o WHERE { ?s <x:name> ?o }",
            substitutions={ox.Variable("s"): ox.NamedNode("x:a")},
        )
        assert [row["o"].value for row in bound] == ["Alpha"]
    finally:
        store.dataset = None


def test_refusals_and_failures_are_errors_that_say_what_to_do(store: RemoteStore) -> None:
    # The server's syntax error, where it is in the query as given (the BASE we put before
    # it not counted), as the engine's own would be.
    for base in (None, "https://example.org/a-long-base/"):
        with pytest.raises(SyntaxError, match=r"^error at 1:15: "):
            store.query("SELECT WHERE {", base_iri=base)
    with (
        RemoteStore(store.query_url.replace("/query", "/nothing")) as wrong,
        pytest.raises(RemoteRefusalError, match="404"),
    ):
        wrong.query("ASK {}")
    with (
        RemoteStore(f"http://127.0.0.1:{free_port()}/query") as nowhere,
        pytest.raises(RemoteStoreError, match="cannot reach") as caught,
    ):
        nowhere.query("ASK {}")
    assert caught.value.status == 503 and caught.value.transient


@pytest.mark.parametrize(
    ("url", "complaint"),
    [("ftp://host/q", "not an http"), ("http://user:pw@host/q", "holds credentials")],
)
def test_urls_that_are_not_endpoints_or_hold_credentials_are_refused(
    url: str, complaint: str
) -> None:
    with pytest.raises(KgError, match=complaint) as caught:
        checked_url(url, "--store")
    assert "pw" not in str(caught.value)


def test_credentials_come_from_the_environment_or_a_file(tmp_path: Path) -> None:
    assert Credentials.from_env({}) is None
    secret = tmp_path / "password"
    secret.write_text("s3cret\n", encoding="utf-8")
    found = Credentials.from_env({"KG_STORE_USER": "dba", "KG_STORE_PASSWORD_FILE": str(secret)})
    assert found == Credentials(user="dba", password="s3cret")
    assert "s3cret" not in repr(found)
    digest = Credentials.from_env(
        {"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": "x", "KG_STORE_AUTH": "digest"}
    )
    assert digest is not None and digest.digest
    with pytest.raises(KgError, match="no password"):
        Credentials.from_env({"KG_STORE_USER": "dba"})
    for password in ({"KG_STORE_PASSWORD": "x"}, {"KG_STORE_PASSWORD_FILE": str(secret)}):
        with pytest.raises(KgError, match="but no user is"):  # went without a word (trial 34)
            Credentials.from_env(password)
    with pytest.raises(KgError, match="'bogus', no scheme we know"):  # was taken as basic
        Credentials.from_env(
            {"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": "x", "KG_STORE_AUTH": "bogus"}
        )


def test_a_refusal_says_whether_credentials_were_sent(store: RemoteStore, tmp_path: Path) -> None:
    """Without credentials set, a 401 was told as 'refused our credentials' (trial 33)."""
    with asking_for_credentials() as url:
        with RemoteStore(url) as anonymous, pytest.raises(RemoteRefusalError) as caught:
            anonymous.query("ASK {}")
        assert "asks for credentials (401)" in str(caught.value)
        given = Credentials(user="dba", password="wrong")
        with (
            RemoteStore(url, credentials=given) as named,
            pytest.raises(RemoteRefusalError) as caught,
        ):
            named.query("ASK {}")
        assert "refused our credentials (401)" in str(caught.value)
    # An https URL given a plain-HTTP port: no handshake comes back. It was told as "did
    # not answer within 600 s" after the 5 s it waited for the connection.
    plain = store.query_url.replace("http://", "https://")
    with RemoteStore(plain) as wrong, pytest.raises(RemoteStoreError) as caught:
        wrong.query("ASK {}")
    assert "did not take the connection within 5 s" in str(caught.value)
    assert "scheme (http or https)" in str(caught.value)


def test_the_servers_own_time_limit_is_said_as_such(tmp_path: Path) -> None:
    """Oxigraph's --timeout-s ends its answer with a notice after the part it sent, with
    status 200: it was read as a syntax error of the query (400), and made a new release's
    indexes fail to load over and over (trial 34)."""
    heavy = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?l"
    triples = " ".join(f"<x:s{n}> <x:p> {n} ." for n in range(100))  # 100^4 rows to sort
    with (
        oxigraph_serving(tmp_path / "db", None, "--timeout-s", "1") as server,
        RemoteStore(f"{server.url}/query", update_url=f"{server.url}/update") as store,
    ):
        store.update(f"INSERT DATA {{ {triples} }}")
        for opened in (None, []):  # read whole, and read as used
            with pytest.raises(RemoteTimeLimitError, match="its own time limit") as caught:
                answer = store.query(heavy, opened=opened)
                list(answer)  # type: ignore[arg-type]
            assert caught.value.status == 503
            for response in opened or ():
                response.close()
