"""kg publish into a real Oxigraph server: what lands there, a second release, an interruption."""

import http.server
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from conftest import free_port, oxigraph_serving, publish_options, run_kg
from kg import iris
from kg.errors import KgError
from kg.publish import checksums, gsp, pointer
from kg.remote_store import Answer, RemoteConflictError, RemoteStore

BASE = iris.DEFAULT_BASE


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with oxigraph_serving(tmp_path / "db") as oxigraph:
        yield oxigraph.url


def remote(url: str) -> RemoteStore:
    return RemoteStore(f"{url}/query", update_url=f"{url}/update", gsp_url=f"{url}/store")


CSV = {"accept": "text/csv"}


def graph_sizes(url: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    answer = httpx.post(f"{url}/query", data={"query": query}, headers=CSV)
    rows = answer.text.splitlines()[1:]
    return {g: int(n) for g, n in (row.rsplit(",", 1) for row in rows)}


def expected_sizes(out: Path) -> dict[str, int]:
    """Each graph of the build as the query workers load it, and the merge of them all."""
    dumps, dataset = out / "dumps", ox.Store()
    dataset.load(path=dumps / "entitylist-kg.nq", format=ox.RdfFormat.N_QUADS)
    for name, graph in (("entitylist.ttl", "ontology"), ("description.ttl", "dataset")):
        target = ox.NamedNode(BASE + graph)
        dataset.load(path=dumps / name, format=ox.RdfFormat.TURTLE, to_graph=target)
    sizes: dict[str, int] = {}
    merged = set()
    for quad in dataset:
        sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
        merged.add(quad.triple)
    sizes[pointer.merged_graph(BASE)] = len(merged)
    return sizes


def test_a_publish_puts_every_graph_of_the_build_on_the_server(built: Path, server: str) -> None:
    done = run_kg("publish", "--out", str(built), *publish_options(server))
    assert done.returncode == 0, done.stderr
    digest = checksums.release_digest(built / "dumps")
    assert f"published release {digest}" in done.stdout
    progress = [line for line in done.stderr.splitlines() if "loaded chunk" in line]
    # Timed, as a server's lines are: a publish runs for minutes (trial 33); and 100% only
    # once the last chunk is in, where 99.6% was rounded up three chunks before the end.
    assert progress and all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO ", x) for x in progress)
    assert [x.endswith("(100%)") for x in progress] == [False] * (len(progress) - 1) + [True]
    # Said from the start: the first line came 11 to 21 s in on the whole CSL (trial 34).
    assert "INFO kg.publish.gsp: reading the build's graphs from " in done.stderr.splitlines()[0]
    sizes = graph_sizes(server)
    pointed = sizes.pop(pointer.pointer_graph(BASE))
    assert pointed > 0
    assert sizes == expected_sizes(built)  # no staging graph left, nothing twice
    with remote(server) as store:
        published = pointer.read(store, BASE)
    assert published is not None and published.digest == digest
    assert published.nquads_sha256 == checksums.read(built / "dumps")["entitylist-kg.nq"]
    assert set(published.dataset.named_graphs) == set(sizes) - {pointer.merged_graph(BASE)}
    again = run_kg("publish", "--out", str(built), *publish_options(server))
    assert again.returncode == 0 and "published already" in again.stderr
    assert (
        again.stdout.startswith(f"release {digest} (") and "was published already" in again.stdout
    )
    assert graph_sizes(server) == {**sizes, pointer.pointer_graph(BASE): pointed}  # unchanged


class Interrupted(RemoteStore):
    """Ctrl-C after `after` chunks, as a user would press it."""

    def __init__(self, url: str, after: int) -> None:
        super().__init__(f"{url}/query", update_url=f"{url}/update", gsp_url=f"{url}/store")
        self.after = after

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        self._count()
        super().put_graph(graph, ntriples)

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        self._count()
        super().post_graph(graph, ntriples)

    def _count(self) -> None:
        if self.after == 0:
            raise KeyboardInterrupt
        self.after -= 1


def test_a_first_release_interrupted_is_never_seen_and_a_later_publish_replaces_it(
    built: Path, later: Path, server: str
) -> None:
    """The first release loads in place, with no switch; until its pointer is written no
    reader sees it, and what an interrupted one left goes before another loads."""
    with pytest.raises(KeyboardInterrupt), Interrupted(server, after=5) as interrupted:
        gsp.publish(built, interrupted, BASE)
    halfway = graph_sizes(server)
    assert halfway and pointer.pointer_graph(BASE) not in halfway  # loading, in place
    assert not any(g.startswith(pointer.staging_prefix(BASE)) for g in halfway)
    with remote(server) as store:
        assert pointer.read(store, BASE) is None  # so readers find no release
        gsp.publish(later, store, BASE)
    after = graph_sizes(server)
    assert after.pop(pointer.pointer_graph(BASE)) > 0
    assert after == expected_sizes(later)  # nothing of the interrupted one left, nothing twice


def test_an_interrupted_publish_leaves_the_old_release_and_resumes(
    built: Path, later: Path, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with remote(server) as store:
        gsp.publish(built, store, BASE)
    before = graph_sizes(server)
    assert not mentions(server, "2026-12-01")
    # Three graphs (of one chunk each), each sent into the merge's staging graph, then its own.
    with pytest.raises(KeyboardInterrupt), Interrupted(server, after=6) as interrupted:
        gsp.publish(later, interrupted, BASE)
    halfway = graph_sizes(server)
    staged = {g for g in halfway if g.startswith(pointer.staging_prefix(BASE))}
    assert len(staged) == 4
    assert {g: n for g, n in halfway.items() if g not in staged} == before
    assert not mentions(server, "2026-12-01")
    with caplog.at_level(logging.INFO, logger="kg.publish.gsp"), remote(server) as store:
        published = gsp.publish(later, store, BASE)
    assert caplog.text.count("staged already") == 3  # resumed, not sent twice
    # The switch's end is said, not only its start (trial 34).
    switched = caplog.text.index(f"switching readers to release {published.release.digest}")
    assert caplog.text.index(f"readers see release {published.release.digest}") > switched
    assert published.loaded and published.release.digest == checksums.release_digest(
        later / "dumps"
    )
    after = graph_sizes(server)
    assert after.pop(pointer.pointer_graph(BASE)) > 0
    assert after == expected_sizes(later)
    assert mentions(server, "2026-12-01")  # the new release's own description


class Recording(RemoteStore):
    """The update requests kg publish sends, kept."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url}/query", update_url=f"{url}/update", gsp_url=f"{url}/store")
        self.updates: list[str] = []

    def update(self, operations: str) -> None:
        self.updates.append(operations)
        super().update(operations)


def test_a_later_release_writes_what_differs_and_empties_what_it_left_in_small_requests(
    built: Path, later: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release's size never goes in one request: the switch writes the difference, and
    the staging graphs and a graph the new release has not are emptied a chunk at a time."""
    monkeypatch.setattr(gsp, "CHUNK_TRIPLES", 500)
    with remote(server) as store:
        gsp.publish(built, store, BASE)
        retired = f"{BASE}graph/retired-source"  # a source the next release has not
        facts = " ".join(f"<{BASE}id/x{n}> <{BASE}p> {n} ." for n in range(1_200))
        store.update(
            f"INSERT DATA {{ GRAPH <{retired}> {{ {facts} }} GRAPH <{BASE}graph/all> {{ {facts} }}"
            f" GRAPH <{pointer.pointer_graph(BASE)}> {{ <{pointer.pointer_graph(BASE)}> "
            f"<http://www.w3.org/ns/sparql-service-description#namedGraph> <{retired}> }} }}"
        )
    with Recording(server) as recording:
        gsp.publish(later, recording, BASE)
    after = graph_sizes(server)
    assert after.pop(pointer.pointer_graph(BASE)) > 0
    assert after == expected_sizes(later)  # the retired graph gone, from the merge too
    # Gone from the server's list of graphs too, as the staging graphs are, not just emptied.
    listed = httpx.post(
        f"{server}/query", data={"query": "SELECT ?g { GRAPH ?g {} }"}, headers=CSV
    ).text.split()[1:]
    assert sorted(listed) == sorted([*expected_sizes(later), pointer.pointer_graph(BASE)])
    switch = next(u for u in recording.updates if pointer.pointer_graph(BASE) in u)
    # No operation on a whole graph but the pointer's: the transaction holds the difference.
    whole = re.findall(r"\b(?:ADD|COPY|MOVE|DROP|CLEAR)\b[^;]*", switch)
    assert whole == [f"DROP SILENT GRAPH <{pointer.pointer_graph(BASE)}> "]
    # The graphs were compared before, each in requests of its own: the switch only applies.
    assert "NOT EXISTS" not in switch
    compared = recording.updates[: recording.updates.index(switch)]
    graphs = expected_sizes(later)  # graph/all among them
    assert sum("NOT EXISTS" in u for u in compared) == 2 * len(graphs)
    emptied = [u for u in recording.updates if f"GRAPH <{retired}>" in u and "LIMIT 500" in u]
    assert len(emptied) == 3  # 1,200 triples, 500 a request
    staged = [u for u in recording.updates if pointer.staging_prefix(BASE) in u and "LIMIT" in u]
    assert len(staged) > len(expected_sizes(later))  # a graph of over 500 took two or more


class Emptying(RemoteStore):
    """Another kg publish, run at the same time, empties a graph this one loaded."""

    def __init__(self, url: str, graph: str) -> None:
        super().__init__(f"{url}/query", update_url=f"{url}/update", gsp_url=f"{url}/store")
        self.graph = graph

    def query(self, query: str, **options: Any) -> Answer:
        if "?g IN (" in query:  # the count of the graphs loaded, before the pointer
            self.update(f"DROP SILENT GRAPH <{self.graph}>")
        return super().query(query, **options)


def test_a_first_release_is_pointed_to_only_when_its_graphs_hold_it(
    built: Path, server: str
) -> None:
    curation = f"{BASE}graph/curation"
    refusal = pytest.raises(KgError, match="do not hold the release")
    with refusal as refused, Emptying(server, curation) as store:
        gsp.publish(built, store, BASE)
    assert curation in str(refused.value)
    with remote(server) as store:
        assert pointer.read(store, BASE) is None  # no reader sees the half release
        gsp.publish(built, store, BASE)  # and the next publish loads it whole
    assert graph_sizes(server)[curation] == expected_sizes(built)[curation]


def mentions(url: str, day: str) -> bool:
    """Whether the dataset description on the server gives that day."""
    query = f"""ASK {{ GRAPH <{BASE}dataset> {{ ?s ?p ?o FILTER (STR(?o) = "{day}") }} }}"""
    answer = httpx.post(f"{url}/query", data={"query": query}, headers=CSV)
    return answer.text.strip().endswith("true")


def test_an_unreachable_or_refusing_server_is_a_clear_error(built: Path, tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    done = run_kg("publish", "--out", str(built), *publish_options(nowhere))
    assert done.returncode == 1
    assert "cannot reach the SPARQL server" in done.stderr and "Traceback" not in done.stderr
    with oxigraph_serving(tmp_path / "db") as oxigraph:
        url = oxigraph.url
        wrong = ["--store", f"{url}/nothing", "--update", f"{url}/update", "--gsp", f"{url}/store"]
        done = run_kg("publish", "--out", str(built), *wrong)
        assert done.returncode == 1 and "no SPARQL service at this URL (404)" in done.stderr
        # A wrong update endpoint, before anything is staged: it was found at the switch,
        # after minutes of loading (trial 34).
        wrong = ["--store", f"{url}/query", "--update", f"{url}/nothing", "--gsp", f"{url}/store"]
        done = run_kg("publish", "--out", str(built), *wrong)
        assert done.returncode == 1 and "could not reach the update endpoint" in done.stderr
        assert "no SPARQL service at this URL (404)" in done.stderr
        graphs = httpx.post(
            f"{url}/query",
            data={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"},
            headers=CSV,
        )
        assert graphs.text.split() == ["g"]  # nothing staged
    secret = ["--store", "http://me:secret@127.0.0.1:1/query", "--update", "http://a/u"]
    done = run_kg("publish", "--out", str(built), *secret, "--gsp", "http://a/g")
    assert done.returncode == 1 and "holds credentials" in done.stderr
    assert "secret" not in done.stderr
    done = run_kg("publish", "--out", str(built), "--store", "http://127.0.0.1:1/query")
    assert done.returncode == 1 and "--update, --gsp missing" in done.stderr


def test_a_damaged_build_is_not_published(built: Path, tmp_path: Path, server: str) -> None:
    copy = tmp_path / "copy"
    (copy / "dumps").mkdir(parents=True)
    for name in ("SHA256SUMS", "entitylist.ttl", "description.ttl"):
        (copy / "dumps" / name).write_bytes((built / "dumps" / name).read_bytes())
    nquads = (built / "dumps" / "entitylist-kg.nq").read_bytes()
    (copy / "dumps" / "entitylist-kg.nq").write_bytes(nquads[: len(nquads) // 2])
    with pytest.raises(KgError, match="does not match its checksum"), remote(server) as store:
        gsp.publish(copy, store, BASE)
    assert graph_sizes(server) == {}


class Deadlocking(http.server.BaseHTTPRequestHandler):
    """An update endpoint that answers as Virtuoso does when it gives our transaction up for
    a reader's sake, `deadlocks` times, then takes the request. Virtuoso runs here, but
    cannot be made to deadlock on cue."""

    deadlocks = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        server: Any = self.server
        if server.deadlocks:
            server.deadlocks -= 1
            body = b"Virtuoso 40001 Error SR172: Transaction deadlocked\n\nSPARQL query:\n"
            self.send_response(500)
            self.send_header("Content-Length", str(len(body) + 9000))
            self.end_headers()
            self.wfile.write(body + b"DELETE {}" * 1000)  # the request repeated, in full
        else:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def deadlocking(times: int) -> Iterator[RemoteStore]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Deadlocking)
    server.deadlocks = times
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with RemoteStore(f"{url}/query", update_url=f"{url}/update") as store:
            yield store
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_a_request_given_up_for_a_readers_sake_is_sent_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(gsp, "CONFLICT_PAUSE", 0.2)
    with deadlocking(times=1) as store, pytest.raises(RemoteConflictError) as caught:
        store.update("INSERT DATA {}")
    said = str(caught.value)
    assert "SR172: Transaction deadlocked" in said and "DELETE" not in said  # its first line
    # More deadlocks than the four tries of a failing server: a conflict is worth waiting out.
    with deadlocking(times=6) as store, caplog.at_level(logging.WARNING, "kg.publish.gsp"):
        gsp._retrying(lambda: store.update("INSERT DATA {}"), "switch to the new release")
    assert caplog.text.count("could not switch to the new release") == 6
    monkeypatch.setattr(gsp, "CONFLICT_SECONDS", 0.5)
    with deadlocking(times=1_000) as store, pytest.raises(KgError) as given_up:
        gsp._retrying(lambda: store.update("INSERT DATA {}"), "switch to the new release")
    assert "deadlocked" in str(given_up.value) and "when fewer run" in str(given_up.value)
