"""Hostile input against a real `kg serve`: refused before any worker sees it, or answered 503
by a worker that is then replaced; never a 500, never a lost worker."""

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import URITooLong

from conftest import serving
from kg.web import admission

# Each row adds a kilobyte or so to one string: the engine reads the on-disk store at a few
# hundred thousand rows a second, so the string passes the workers' 768 MiB within seconds.
MEMORY_BOMB = (
    "SELECT (STRLEN(GROUP_CONCAT(?long)) AS ?n) WHERE { ?a ?b ?c . ?s ?p ?o "
    f"BIND(CONCAT({', '.join(['STR(?s)'] * 16)}) AS ?long) }}"
)


def _wait_for_workers(url: str, expected: int, seconds: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        health = httpx.get(f"{url}/health").json()
        if health["workers"] == expected or time.monotonic() > deadline:
            return dict(health)
        time.sleep(0.2)


def test_a_long_query_is_refused_before_a_worker_sees_it(server: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001
    response = httpx.post(f"{server}/sparql", data={"query": query})
    assert response.status_code == 400
    assert "at most 100,000" in response.text


def test_a_get_too_long_to_read_is_414_and_says_to_post(server: str) -> None:
    """SPARQLWrapper sends GET: a query of 65,000 characters, under the query limit, got a
    bare "400 Invalid HTTP request received." (trial 41), the URL past what the parser
    reads. SPARQLWrapper turns a 414 into its URITooLong, which says to POST."""
    query = "SELECT * WHERE { VALUES ?x { " + " ".join(f'"{n}"' for n in range(8000)) + " } }"
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    with pytest.raises(URITooLong) as refused:
        client.query()
    assert "at most 65,535 are read: send a long query by POST" in str(refused.value)
    client.setMethod(POST)  # the same query, posted, is answered
    assert client.query().response.status == 200
    assert httpx.get(f"{server}/health").json()["status"] == "ok"


@pytest.mark.parametrize(
    "nested",
    [
        "SELECT * WHERE { " + "{ " * 3000 + "}" * 3000 + " }",
        "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }",
        "SELECT * WHERE { BIND(" + "STR(" * 955 + "1" + ")" * 955 + " AS ?x) }",
    ],
    ids=["braces", "optionals", "function-calls"],
)
def test_deep_nesting_is_refused_and_no_worker_dies(server: str, nested: str) -> None:
    response = httpx.post(f"{server}/sparql", data={"query": nested})
    assert response.status_code == 400
    assert "nests brackets" in response.text
    assert httpx.get(f"{server}/health").json()["status"] == "ok"


def test_a_body_over_the_limit_is_413(server: str) -> None:
    response = httpx.post(
        f"{server}/sparql",
        content=b"x" * 1_000_001,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413


def test_a_streamed_body_over_the_limit_is_413(server: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 100_000

    response = httpx.post(
        f"{server}/sparql",
        content=chunks(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413


@pytest.fixture(scope="module")
def small_workers(built: Path) -> Iterator[str]:
    """A server whose workers may use 768 MiB each, so that a memory bomb reaches it fast.

    Its long queries are not demoted (--demote-after 0): at the lowest priority, on a machine
    busy with other work, the bomb would reach the time limit before the memory limit."""
    # A flag of this server's, not the environment: the module's later servers start while
    # this one runs and must not inherit its limit.
    options = ("--worker-memory-mb", "768", "--query-timeout", "20", "--demote-after", "0")
    with serving(built, *options) as url:
        yield url


def test_a_memory_bomb_gets_503_and_its_worker_is_replaced(small_workers: str) -> None:
    started = time.monotonic()
    response = httpx.post(f"{small_workers}/sparql", data={"query": MEMORY_BOMB}, timeout=60)
    assert response.status_code == 503, response.text
    assert "worker" in response.text
    assert time.monotonic() - started < 20  # the limit stopped it, not the time limit
    assert _wait_for_workers(small_workers, 3)["status"] == "ok"
    after = httpx.get(f"{small_workers}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert after.status_code == 200


def _children_of_server(url: str) -> list[int]:
    """The worker processes of the `kg serve` listening on url's port (found through /proc)."""
    port = url.rsplit(":", 1)[1]
    procs = [p for p in Path("/proc").iterdir() if p.name.isdigit()]
    server = next(
        int(p.name)
        for p in procs
        if b"serve\0--out" in _read(p / "cmdline")
        and f"--port\0{port}\0".encode() in _read(p / "cmdline")
    )
    return [int(p.name) for p in procs if f"PPid:\t{server}\n".encode() in _read(p / "status")]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile
        return b""


def test_a_worker_killed_mid_query_is_503_and_replaced(small_workers: str) -> None:
    assert _wait_for_workers(small_workers, 3)["status"] == "ok"
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: outcome.append(
            httpx.post(f"{small_workers}/sparql", data={"query": slow}, timeout=60)
        )
    )
    thread.start()
    time.sleep(1)
    for pid in _children_of_server(small_workers):
        os.kill(pid, signal.SIGKILL)
    thread.join()
    assert outcome[0].status_code == 503
    assert _wait_for_workers(small_workers, 3)["status"] == "ok"


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def one_worker(built: Path) -> Iterator[str]:
    """One worker, no queue, one query per client, short header and body deadlines."""
    options = ("--workers", "1", "--queue", "0", "--per-client", "1", "--query-timeout", "60")
    deadlines = ("--header-timeout", "1", "--body-timeout", "1", "--max-result-bytes", "4000")
    with serving(built, *options, *deadlines) as url:
        yield url


def _hang_up_after(url: str, seconds: float, address: str = "127.0.0.1") -> threading.Thread:
    """A client that sends the slow query and gives up after `seconds`, closing its connection.

    Each test hangs up from an address of its own: a client that hangs up again soon after
    has its query left to run out, not stopped (kg.web.admission)."""

    def ask() -> None:
        with _client(address) as http, contextlib.suppress(httpx.TimeoutException):
            http.post(f"{url}/sparql", data={"query": SLOW}, timeout=seconds)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(0.5)  # the query is running
    return thread


def _client(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address))


def test_a_second_query_of_a_client_is_429_and_a_full_server_503_at_once(one_worker: str) -> None:
    hung = _hang_up_after(one_worker, 3)
    started = time.monotonic()
    same_client = httpx.get(f"{one_worker}/sparql", params={"query": "ASK {}"})
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
        other_client = other.get(f"{one_worker}/sparql", params={"query": "ASK {}"})
    assert time.monotonic() - started < 1  # refused at once, not after the time limit
    assert same_client.status_code == 429
    assert same_client.headers["retry-after"] == "1"
    assert same_client.text == "this client has 1 query running already; wait for one"
    assert other_client.status_code == 503
    assert "queue is full" in other_client.text
    hung.join()


def test_a_client_that_asks_again_while_refused_waits_for_each_429(one_worker: str) -> None:
    # Flooders that ignored Retry-After once had a 429 a millisecond from the main process.
    deadline = time.monotonic() + 30
    ask = {"query": "ASK {}"}
    while httpx.get(f"{one_worker}/sparql", params=ask).status_code != 200:  # being replaced
        assert time.monotonic() < deadline
        time.sleep(0.2)
    hung = _hang_up_after(one_worker, 4, "127.0.1.20")
    waited = []
    for _ in range(3):
        started = time.monotonic()
        with _client("127.0.1.20") as same:
            answer = same.get(f"{one_worker}/sparql", params=ask)
        waited.append(time.monotonic() - started)
        assert answer.status_code == 429, (waited, answer.text)
    hung.join()
    assert waited[0] < 1, waited  # the first at once
    assert min(waited[1:]) >= admission.PAUSE, waited


def test_a_query_whose_client_hung_up_is_stopped(one_worker: str) -> None:
    hung = _hang_up_after(one_worker, 2, "127.0.1.21")
    hung.join()
    gone = time.monotonic()
    while True:  # the worker is replaced, not left counting for the 60 s limit
        answer = httpx.get(f"{one_worker}/sparql", params={"query": "ASK {}"})
        if answer.status_code == 200 or time.monotonic() - gone > 20:
            break
        time.sleep(0.2)
    assert answer.status_code == 200
    assert time.monotonic() - gone < 15


def test_a_client_that_hangs_up_again_keeps_its_place_until_its_query_ends(built: Path) -> None:
    # Runaways abandoned after 0.1 s had every worker replaced in turn (a second or two of
    # CPU each): the others' throughput fell 200-fold. The second within the window runs out.
    options = ("--workers", "2", "--query-timeout", "5", "--per-client", "1")
    with serving(built, *options) as url:
        _hang_up_after(url, 1, "127.0.1.30").join()  # stopped, its worker replaced
        _hang_up_after(url, 1, "127.0.1.30").join()  # again: left to run out
        with _client("127.0.1.30") as same, _client("127.0.1.31") as other:
            assert same.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 429
            deadline = time.monotonic() + 30
            while other.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code != 200:
                assert time.monotonic() < deadline  # the first one's worker, replaced
                time.sleep(0.2)
        port = url.rsplit(":", 1)[1]
        log = (built.parent / f"serve-{port}.log").read_text()
        assert log.count("hung up: its query is stopped") == 1
        assert "hung up again: its query runs out" in log


def test_headers_that_do_not_arrive_close_the_connection(one_worker: str) -> None:
    port = int(one_worker.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as trickle:
        trickle.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and no end of headers
        trickle.settimeout(5)
        started = time.monotonic()
        assert trickle.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 3


def _one_read(connection: socket.socket, request: bytes) -> bytes:
    connection.sendall(request)
    return connection.recv(1 << 20)


def test_an_answer_leaves_in_one_piece_and_nothing_is_held_after_it(server: str) -> None:
    """Headers and body in one segment (TCP_CORK), so the client's first read has the whole
    answer; and the cork is lifted once the answer is complete, or the next answer on the
    connection would wait for the kernel's 200 ms."""
    port = int(server.rsplit(":", 1)[1])
    body = b"query=ASK%20%7B%7D"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(10)
        started = time.monotonic()
        for _ in range(20):
            answer = _one_read(connection, request)
            head, _, rest = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            assert len(rest) == length and b'"boolean"' in rest
        assert time.monotonic() - started < 4  # 20 answers held 200 ms each would take 4 s


def test_a_client_waiting_for_100_continue_gets_it_and_its_answer(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    body = b"query=ASK%20%7B%7D"
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(10)
        interim = _one_read(
            connection,
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body),
        )
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        connection.sendall(body)
        answer = b""
        while b"true" not in answer:  # not corked for this client: maybe in two pieces
            piece = connection.recv(1 << 20)
            assert piece, answer
            answer += piece
        assert answer.startswith(b"HTTP/1.1 200")


def test_one_address_cannot_hold_every_connection(built: Path) -> None:
    # 1,000 idle connections from one address once made every other client's request a 503.
    with serving(built, "--connections-per-client", "5", "--max-connections", "8") as url:
        port = int(url.rsplit(":", 1)[1])
        with contextlib.ExitStack() as held:
            idle = [held.enter_context(_connect_from("127.0.0.2", port)) for _ in range(5)]
            extra = held.enter_context(_connect_from("127.0.0.2", port))
            extra.settimeout(5)
            assert extra.recv(1024) == b""  # closed at once, unread
            assert httpx.get(f"{url}/health").status_code == 200  # another address
            for connection in idle:
                connection.close()
            time.sleep(0.5)  # the server has seen them go
            with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as again:
                assert again.get(f"{url}/health").status_code == 200


def test_idle_connections_from_many_addresses_give_way_to_a_reader(built: Path) -> None:
    # A dozen addresses, each under its own bound, once filled --max-connections together.
    options = ("--connections-per-client", "5", "--max-connections", "20")
    with serving(built, *options) as url:
        port = int(url.rsplit(":", 1)[1])
        with contextlib.ExitStack() as held:
            idle = [
                held.enter_context(_connect_from(f"127.0.3.{n}", port))
                for n in range(1, 6)
                for _ in range(5)
            ]
            time.sleep(0.5)  # the server has seen them all
            assert httpx.get(f"{url}/health").status_code == 200
            idle[0].settimeout(5)
            assert idle[0].recv(1024) == b""  # the oldest was closed to make room
        log = (built.parent / f"serve-{port}.log").read_text()
        assert log.count("the server is nearly full") == 1  # not a line per connection


def _connect_from(address: str, port: int) -> socket.socket:
    connection = socket.socket()
    connection.bind((address, 0))
    connection.connect(("127.0.0.1", port))
    return connection


def test_a_body_that_does_not_arrive_is_408(one_worker: str) -> None:
    port = int(one_worker.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as trickle:
        trickle.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK {"
        )
        trickle.settimeout(5)
        assert trickle.recv(1024).startswith(b"HTTP/1.1 408")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle"),
    ],
)
def test_a_result_over_the_byte_limit_is_cut_by_rows(
    one_worker: str, query: str, accept: str
) -> None:
    response = httpx.get(
        f"{one_worker}/sparql", params={"query": query}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["kg-results-truncated"] == "true"
    assert 0 < len(response.content) <= 4000
    if accept.endswith("json"):
        assert len(response.json()["results"]["bindings"]) > 5  # whole rows, a valid document
    else:
        assert len(Graph().parse(data=response.text, format="turtle")) > 5


@pytest.mark.parametrize("path", ["/match", "/reconcile"])
def test_every_route_bounds_its_body(server: str, path: str) -> None:
    big = (
        b'{"queries": {"q": {"schema": "Company", "properties": {"name": ["'
        + b"x" * 2_000_000
        + b'"]}}}}'
    )
    response = httpx.post(
        f"{server}{path}", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert len(response.content) < 1000  # a message, not the input echoed back


def test_a_validation_error_names_the_field_without_echoing_the_input(server: str) -> None:
    bad = {"queries": {"q": {"schema": "Planet", "properties": {"name": ["y" * 400] * 100}}}}
    response = httpx.post(f"{server}/match", json=bad)
    assert response.status_code == 422
    assert "schema" in response.text
    assert len(response.content) < 5000
