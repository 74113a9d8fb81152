"""No query makes the server connect anywhere: SERVICE bypasses against a loopback listener.

The query workers have no network (kg.web.sandbox), so whatever the engine reads as SERVICE
fails inside the worker. A listener on the host's loopback counts every connection made.
"""

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.web import sandbox


class Listener:
    """A loopback socket that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    ear = Listener()
    yield ear
    ear.close()


def _bypasses(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # The crafted query that passed the old text check: a comment hid the IRI from it.
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ sErViCe\t<{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#\n#x\n<{url}>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


# The known ways a bypass is answered 400: the network was missing when the engine ran
# SERVICE, the engine's parser refused the text, or the engine could not evaluate it.
REFUSALS = ("no network access", "syntax error", "cannot be evaluated")


def _assert_no_connection(listener: Listener, before: int) -> None:
    time.sleep(0.3)  # a connection in flight would have been accepted by now
    assert listener.connections == before


def test_every_known_bypass_connects_nowhere(server: str, listener: Listener) -> None:
    before = listener.connections
    refused = 0
    for query in _bypasses(listener.port):
        response = httpx.post(f"{server}/sparql", data={"query": query})
        assert response.status_code in (200, 400), (query, response.text)
        if response.status_code == 400:
            assert any(word in response.text for word in REFUSALS), (query, response.text)
            refused += "no network access" in response.text
    assert refused >= 10  # the engine did try SERVICE, and met no network
    _assert_no_connection(listener, before)
    assert httpx.get(f"{server}/health").json()["workers"] >= 1


def test_service_is_answered_with_a_clear_400(server: str, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    response = httpx.get(f"{server}/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.text
    assert "no network access" in response.text
    # Nothing of how far the engine got: no name lookup, no port policy, no address.
    assert "127.0.0.1" not in response.text and "lookup" not in response.text
    for host in ("internal.example", "127.0.0.1:22"):
        probe = httpx.get(
            f"{server}/sparql",
            params={"query": f"SELECT * WHERE {{ SERVICE <http://{host}/> {{ ?s ?p ?o }} }}"},
        )
        assert probe.status_code == 400 and probe.text == response.text


def test_service_to_the_server_itself_connects_nowhere(server: str) -> None:
    # A relative IRI resolves against the endpoint's published IRI (under --base).
    response = httpx.get(
        f"{server}/sparql", params={"query": "SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }"}
    )
    assert response.status_code == 400
    assert "no network access" in response.text


_SPACE = st.sampled_from([" ", "\t", "\n", "\r\n", "#c\n", " #>\n", "\n#}\n"])
_KEYWORD = st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT"])


@st.composite
def _service_query(draw: st.DrawFn, port: int) -> str:
    gap = draw(_SPACE)
    head = draw(st.sampled_from(["SELECT *", "select ?s", "ASK", "CONSTRUCT { ?s ?p ?o }"]))
    prefix = draw(st.sampled_from(["", "FILTER(1<2)", "?a ?b ?c .", "OPTIONAL {} "]))
    iri = draw(
        st.sampled_from(
            [f"<http://127.0.0.1:{port}/sparql>", f"<http://localhost:{port}/>", "<sparql>"]
        )
    )
    pattern = f"{draw(_KEYWORD)}{gap}{iri}{draw(_SPACE)}{{ ?s ?p ?o }}"
    wrap = draw(
        st.sampled_from(["{}", "OPTIONAL {{ {} }}", "{{ {} }} UNION {{}}", "MINUS {{ {} }}"])
    )
    return f"{head} WHERE {{ {prefix}{gap}{wrap.format(pattern)} }}"


def test_fuzzed_service_variants_connect_nowhere(server: str, listener: Listener) -> None:
    before = listener.connections
    statuses: set[int] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_service_query(listener.port))
    def check(query: str) -> None:
        response = httpx.post(f"{server}/sparql", data={"query": query})
        assert response.status_code < 500, (query, response.text)
        statuses.add(response.status_code)

    check()
    _assert_no_connection(listener, before)
    assert 400 in statuses  # the family holds real SERVICE calls, refused by the engine's run


PROBE = """
import socket, sys
from kg.web import sandbox
sandbox.isolate((sys.argv[1],))
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2)
except OSError as error:
    print(error.errno)
else:
    print("connected")
"""


@pytest.mark.parametrize("means", sandbox.MEANS)
def test_each_means_of_isolation_stops_a_connection(listener: Listener, means: str) -> None:
    before = listener.connections
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, means, str(listener.port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if "could not be cut off" in probe.stderr:
        pytest.skip(f"{means} is not available on this machine")
    assert probe.returncode == 0, probe.stderr
    outcome = probe.stdout.strip()
    assert outcome != "connected"
    assert int(outcome) in sandbox.ISOLATED_ERRNOS
    _assert_no_connection(listener, before)
