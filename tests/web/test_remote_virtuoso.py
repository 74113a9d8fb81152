"""kg publish into a fresh Virtuoso (Debian's), then kg serve --store from it: every example
query, documents, search and screening answer as `kg serve` on the embedded store answers.

On the bundled build: Virtuoso's fresh database takes 15-40 s to create, a publish and a
kg serve a few seconds each; measured at 3 to 5 minutes in all while the machine ran at load
average 15-25, so under a minute is an estimate for a quiet CI machine;
benchmarks/virtuoso_bench.py does the same on the whole CSL. Skipped where Virtuoso is not
installed (.ci/system-packages installs it), unless KG_REQUIRE_VIRTUOSO says it must run.
"""

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_remote import BASE, FORMATS, HIKVISION, Request, answer, answer_alike, ask

from conftest import PROJECT, run_kg, serving
from kg.publish import checksums
from kg.web.examples import examples

sys.path.insert(0, str(PROJECT / "benchmarks"))
from virtuoso_server import present, virtuoso_options, virtuoso_serving

#: What the session's embedded `server` fixture runs with, so that answers can be equal.
OPTIONS = ("--query-timeout", "3", "--result-limit", "50", "--per-client", "4")

pytestmark = pytest.mark.skipif(
    not present() and not os.environ.get("KG_REQUIRE_VIRTUOSO"),
    reason="Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)",
)


@pytest.fixture(scope="module")
def published(built: Path, later: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled build published into a fresh Virtuoso as its second release, so through
    the switch; kg serve --store from it."""
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso_serving(folder / "db") as virtuoso:
        options = virtuoso_options(virtuoso.url)
        for release in (later, built):
            done = run_kg("publish", "--out", str(release), *options, env=virtuoso.env)
            assert done.returncode == 0, done.stderr
        assert "switching readers" in done.stderr
        store = ("--store", f"{virtuoso.url}/sparql")
        with serving(built, *store, *OPTIONS) as url:
            yield url


def test_virtuoso_serves_the_release_it_was_given(published: str, built: Path) -> None:
    health = httpx.get(f"{published}/health").json()
    assert health["build"] == checksums.release_digest(built / "dumps")
    assert health["quads"] > 1000 and health["names"] > 10


def test_every_example_query_answers_as_on_the_embedded_store(published: str, server: str) -> None:
    for example in examples(BASE):
        answered = 0
        for accept in (*FORMATS, "application/n-triples"):
            ours, theirs = ask(server, example.query, accept), ask(published, example.query, accept)
            answered += ours.status_code == 200
            assert same_answer(ours, theirs), (example.title, accept, theirs.text[:500])
        assert answered, example.title


def same_answer(ours: httpx.Response, theirs: httpx.Response) -> bool:
    """As test_remote's `answer`, but a graph's triples in any order: Virtuoso writes them in
    an order of its own, and the first line is no header."""
    if ours.headers.get("content-type", "").startswith("application/n-triples"):
        lines = sorted(ours.text.split("\n"))
        return theirs.status_code == 200 and sorted(theirs.text.split("\n")) == lines
    return answer(theirs) == answer(ours)


def test_documents_search_and_screening_answer_as_on_the_embedded_store(
    published: str, server: str
) -> None:
    requests: list[Request] = [
        ("GET", "/id/person/wilbur-ross", {"accept": "text/turtle"}, None),
        ("GET", "/id/person/wilbur-ross.jsonld", {}, None),
        ("GET", "/id/person/wilbur-ross.nq", {}, None),
        ("GET", "/id/person/wilbur-ross.html", {"accept": "text/html"}, None),
        ("GET", "/search?q=kashi", {}, None),
        ("GET", "/search?q=huawei", {"accept": "text/html"}, None),
        ("GET", "/.well-known/void", {"accept": "text/turtle"}, None),
        ("POST", "/match", {}, {"queries": {"q": HIKVISION}}),
    ]
    answer_alike(server, published, requests)


def test_a_transaction_past_the_servers_limit_is_a_clear_error_not_tried_again(
    built: Path, tmp_path: Path
) -> None:
    """Virtuoso refuses a transaction past TransactionAfterImageLimit, every time: kg publish
    says which setting to raise, at once."""
    with virtuoso_serving(tmp_path / "db", after_image=100_000) as virtuoso:
        options = virtuoso_options(virtuoso.url)
        done = run_kg("publish", "--out", str(built), *options, env=virtuoso.env)
    assert done.returncode == 1
    assert "refused a transaction this large" in done.stderr
    assert "TransactionAfterImageLimit" in done.stderr and "trying again" not in done.stderr
    assert "Traceback" not in done.stderr
