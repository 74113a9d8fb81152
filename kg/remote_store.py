"""A SPARQL 1.1 server we do not run, behind the interface of the embedded store.

`RemoteStore.query` takes what `pyoxigraph.Store.query` takes and answers with Oxigraph's
own result objects (parsed from the server's SPARQL JSON or N-Triples), so that the code
that writes results, pages and indexes reads a remote server exactly as it reads the
embedded store. Updates go through the SPARQL 1.1 Update and Graph Store protocols.

Credentials come from the environment (or a file it names), never from a URL or an option,
so that neither the command line nor a log shows them.
"""

import copy
import io
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox

from kg.errors import KgError, UnavailableError

log = logging.getLogger(__name__)

Answer = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple] | Iterator[ox.Triple]

#: What we ask for: SPARQL JSON for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE.
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
#: The same by query form: Virtuoso takes the first type it can write, whatever the q-values,
#: and writes a graph as SPARQL JSON it cannot parse back ("Unsupported term key: lang").
ACCEPT_BY_FORM = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}
#: Virtuoso 7.2 answers ASK as a SELECT of this one variable (1 or 0), not as a boolean.
VIRTUOSO_ASK = "__ASK_RETVAL"
#: How each kind of server takes a query's time limit as a request parameter, by the start of
#: its Server header: (parameter, multiplier of seconds). Oxigraph's limit is the server's own
#: `--timeout-s`; ours is enforced on our side whatever the server does.
TIME_LIMIT_PARAMETERS = {
    "virtuoso": ("timeout", 1000),  # milliseconds
    "apache jena fuseki": ("timeout", 1),  # seconds
    "graphdb": ("timeout", 1),  # seconds
}


class RemoteStoreError(UnavailableError):
    """The SPARQL server cannot be reached, refused us, or broke off its answer."""

    retry_after = 5
    #: Whether trying again may help (an unreachable or failing server), or not (a refusal).
    transient = True


class RemoteTimeLimitError(RemoteStoreError):
    """The SPARQL server stopped the query at its own time limit (Oxigraph's --timeout-s),
    and said so after the part of its answer it had sent: the server is well."""

    def __init__(self, url: str) -> None:
        super().__init__(
            "the SPARQL server stopped the query at its own time limit",
            where=url,
            hint="narrow the query; the server's operator may raise its limit (Oxigraph: "
            "--timeout-s) above kg serve's --query-timeout and the time its indexes take",
        )


#: What the Oxigraph server writes after a partial answer when its time limit stops a query
#: (its status is 200 by then): our parsers read it as a syntax error of the answer.
CANCELLED = b"The SPARQL operation has been cancelled"


class RemoteRefusalError(RemoteStoreError):
    """The SPARQL server refused us: credentials, or no such service at the URL."""

    transient = False


class RemoteConflictError(RemoteStoreError):
    """The server gave our transaction up for another's (a deadlock: SQLSTATE 40001, as
    Virtuoso reports it under serializable isolation when readers hold what it needs). The
    same request sent again may well pass."""


class RemoteTooLargeError(RemoteStoreError):
    """The server refused a transaction as larger than it is set to hold (Virtuoso's
    TransactionAfterImageLimit): the same request fails again until the setting changes."""

    transient = False


#: How a server says a transaction passed its size limit (Virtuoso 7: SR325).
TOO_LARGE = ("SR325", "log after image size")


class RemoteQueryError(KgError, ValueError):
    """The SPARQL server refused a query as bad (400): the client's to fix, not ours.

    A ValueError, so that run_job answers it as the engine's own refusals: 400."""

    def __init__(self, said: str) -> None:
        super().__init__(f"the SPARQL server refused the query (400): {said}")
        self.said = said


#: How Oxigraph places a syntax error, the library's and the server's: "error at LINE:COLUMN: ".
SYNTAX_AT = re.compile(r"error at (\d+):(\d+): ")


@dataclass(frozen=True, kw_only=True)
class Credentials:
    """A user and password for HTTP authentication (Basic, or Digest as Virtuoso asks)."""

    user: str
    password: str = field(repr=False)
    digest: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Credentials | None":
        """KG_STORE_USER with KG_STORE_PASSWORD or KG_STORE_PASSWORD_FILE; KG_STORE_AUTH=digest."""
        env = os.environ if environ is None else environ
        user = env.get("KG_STORE_USER")
        if not user:
            if env.get("KG_STORE_PASSWORD") or env.get("KG_STORE_PASSWORD_FILE"):
                # Else the requests go without credentials, and the refusal names no cause.
                raise KgError(
                    "a password is set (KG_STORE_PASSWORD or KG_STORE_PASSWORD_FILE) but no "
                    "user is",
                    hint="set KG_STORE_USER too, or unset the password",
                )
            return None
        password = env.get("KG_STORE_PASSWORD")
        if password is None and env.get("KG_STORE_PASSWORD_FILE"):
            path = Path(env["KG_STORE_PASSWORD_FILE"])
            try:
                password = path.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise KgError(
                    f"cannot read the password file: {error.strerror}",
                    where=str(path),
                    hint="point KG_STORE_PASSWORD_FILE at a readable file holding the password",
                ) from error
        if password is None:
            raise KgError(
                "KG_STORE_USER is set but no password is",
                hint="set KG_STORE_PASSWORD, or KG_STORE_PASSWORD_FILE to a file holding it",
            )
        scheme = env.get("KG_STORE_AUTH", "basic").lower()
        if scheme not in ("basic", "digest"):
            raise KgError(
                f"KG_STORE_AUTH is {scheme!r}, no scheme we know",
                hint="set it to basic (the default) or digest (as Virtuoso asks), or unset it",
            )
        return cls(user=user, password=password, digest=scheme == "digest")

    def auth(self) -> httpx.Auth:
        if self.digest:
            return httpx.DigestAuth(self.user, self.password)
        return httpx.BasicAuth(self.user, self.password)


def checked_url(url: str, option: str) -> str:
    """An http(s) URL without credentials in it, or an error naming the option."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KgError(
            f"not an http(s) URL: {url!r}",
            where=option,
            hint="give the server's endpoint, such as http://127.0.0.1:7878/query",
        )
    if parts.username or parts.password:
        raise KgError(
            "the URL holds credentials, which would show in the process list and the logs",
            where=option,
            hint="remove them from the URL and set KG_STORE_USER and KG_STORE_PASSWORD",
        )
    return url


@dataclass(frozen=True)
class Dataset:
    """The graphs a query sees when it names none: what a published release is made of."""

    default_graph: str
    named_graphs: tuple[str, ...]

    def within(self, defaults: list[str], named: list[str]) -> tuple[list[str], list[str]]:
        """A dataset asked for, but the graphs outside the release: the merge or any graph of
        the release as a default graph, a graph of the release as a named graph (the merge
        is none, as on the embedded store). Nothing left of the default graph: EMPTY_GRAPH,
        as the protocol reads no default-graph-uri as the query's own FROM.

        >>> release = Dataset("x:all", ("x:a", "x:b"))
        >>> release.within(["x:a", "other:hr"], ["x:all", "x:b", "x:staging/all"])
        (['x:a'], ['x:b'])
        >>> release.within(["other:hr"], [])
        (['urn:x-entitylist-kg:no-graph'], [])
        """
        held = set(self.named_graphs)
        kept = [g for g in defaults if g in held or g == self.default_graph]
        return kept or [EMPTY_GRAPH], [g for g in named if g in held]


#: A graph no release holds: the default graph of a query whose FROM names none of its graphs.
EMPTY_GRAPH = "urn:x-entitylist-kg:no-graph"


def _name(graph: ox.NamedNode | ox.DefaultGraph, merge: str | None) -> str:
    """A graph's name for the protocol; the default graph (the embedded store's name for the
    merge, kg.web.merge_graph) is the merge's on a server."""
    if isinstance(graph, ox.DefaultGraph):
        if merge is None:
            raise ValueError("the default graph has no name on a SPARQL server")
        return merge
    return graph.value


def from_clauses(query: str) -> tuple[list[str], list[str]]:
    """The IRIs of the query's FROM and FROM NAMED clauses, as rdflib's parser reads them;
    none where it cannot read the query (a dataset of nothing, never the server's graphs).

    >>> from_clauses("PREFIX g: <https://x.test/graph/> SELECT * FROM g:a FROM NAMED <b> "
    ...              "WHERE { ?s ?p ?o }")
    (['https://x.test/graph/a'], ['b'])
    """
    # Imported here: rdflib's SPARQL parser adds 12 MB and 0.1 s to every process that
    # loads it, for the few queries that name a graph.
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        clauses = translateQuery(parseQuery(query)).algebra.get("datasetClause") or []
    except Exception:  # rdflib's parser raises many kinds; the engine decides
        return [], []
    defaults = [str(c["default"]) for c in clauses if "default" in c]
    named = [str(c["named"]) for c in clauses if "named" in c]
    return defaults, named


class RemoteStore:
    """A SPARQL server's query, update and Graph Store endpoints, with one pooled client."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.query_url = checked_url(query_url, "--store")
        self.update_url = checked_url(update_url, "--update") if update_url else None
        self.gsp_url = checked_url(gsp_url, "--gsp") if gsp_url else None
        self.timeout = timeout
        self.client = httpx.Client(
            auth=credentials.auth() if credentials else None,
            timeout=httpx.Timeout(timeout, connect=5.0),
            follow_redirects=False,
        )
        #: The graphs a query sees when neither it nor its request names a dataset.
        self.dataset: Dataset | None = None
        #: The server's Server header, as first seen: which kind of server this is.
        self.server = ""
        self.authenticated = credentials is not None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        default_graph: Sequence[ox.NamedNode | ox.DefaultGraph] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        use_default_graph_as_union: bool = False,
        substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
        timeout: float | None = None,
        opened: list[httpx.Response] | None = None,
    ) -> Answer:
        """As pyoxigraph.Store.query. The union flag is moot: a published release's default
        graph is the RDF merge of its graphs already (kg.publish.pointer). `timeout`: seconds
        this request may take, if not the store's.

        `opened`: the answer is read as it is used, its response added to the list for the
        caller to close once done: a reader that stops at its row limit reads no further
        (the whole store's 80 MB took 8.9 s to fetch and parse for 10,000 rows)."""
        del use_default_graph_as_union
        text = _with_bindings(query, substitutions or {})
        # On the query's first line (a later BASE in the query still wins), so that a
        # server's "error at LINE:COLUMN" keeps the query's own line.
        base = f"BASE <{base_iri}> " if base_iri else ""
        text = base + text
        form = [("query", text), *self._dataset(query, default_graph, named_graphs)]
        form.extend(self._time_limit(timeout or self.timeout))
        kind = query_form(query)
        accept = ACCEPT_BY_FORM.get(kind, ACCEPT)
        try:
            response = self._send(
                "POST",
                self.query_url,
                content=urlencode(form).encode(),  # repeated keys: httpx's data= takes a dict
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=httpx.Timeout(timeout or self.timeout, connect=5.0),
                stream=opened is not None,
            )
        except RemoteQueryError as error:
            raise _as_syntax_error(error, len(base)) from error
        if opened is not None:
            opened.append(response)
        answer = _parse(response, streamed=opened is not None)
        if kind == "ASK" and isinstance(answer, ox.QuerySolutions):
            return _as_boolean(answer)
        return answer

    def bare(self) -> "RemoteStore":
        """This server, through the same client, with no release's dataset: for our own
        reads of graphs outside the release (its pointer)."""
        return self.reading(None)

    def reading(self, dataset: "Dataset | None") -> "RemoteStore":
        """This server, through the same client, queried with another dataset."""
        view = copy.copy(self)
        view.dataset = dataset
        return view

    def _dataset(
        self,
        query: str,
        default_graph: Sequence[ox.NamedNode | ox.DefaultGraph] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> list[tuple[str, str]]:
        """The dataset sent with the query. A reader's (`dataset` set) is always sent, so
        that it replaces any FROM of the query, and holds only the release's graphs: the
        server's other graphs (another application's, a publish's staging) are as absent
        as from the embedded store. Without a release (kg publish) the query is sent as it
        is, with the request's dataset if it gives one."""
        if self.dataset is None:
            defaults = [_name(g, None) for g in default_graph or ()]
            named = [g.value for g in named_graphs or ()]
        else:
            defaults, named = self.dataset.within(*self._asked(query, default_graph, named_graphs))
        return [("default-graph-uri", g) for g in defaults] + [
            ("named-graph-uri", g) for g in named
        ]

    def _asked(
        self,
        query: str,
        default_graph: Sequence[ox.NamedNode | ox.DefaultGraph] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> tuple[list[str], list[str]]:
        """The dataset a reader's request asks for: its own, the query's FROM clauses, or
        the release's. DefaultGraph: the release's default graph, the merge."""
        assert self.dataset is not None
        if default_graph or named_graphs:
            merge = self.dataset.default_graph
            return [_name(g, merge) for g in default_graph or ()], [
                g.value for g in named_graphs or ()
            ]
        if names_dataset(query):
            return from_clauses(query)
        return [self.dataset.default_graph], list(self.dataset.named_graphs)

    def _time_limit(self, seconds: float) -> list[tuple[str, str]]:
        for prefix, (name, scale) in TIME_LIMIT_PARAMETERS.items():
            if self.server.lower().startswith(prefix):
                return [(name, str(int(seconds * scale)))]
        return []

    def answers(self, seconds: float = 2.0) -> bool:
        """Whether the server answers at all now (any HTTP status), within `seconds`."""
        try:
            self.client.get(self.query_url, timeout=seconds)
        except httpx.HTTPError:
            return False
        return True

    def update(self, operations: str) -> None:
        """One SPARQL Update request: one transaction on servers that have them."""
        if self.update_url is None:
            raise KgError("no update endpoint given", hint="give --update UPDATE_URL")
        self._send("POST", self.update_url, data={"update": operations})

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one graph with these triples (Graph Store Protocol PUT: idempotent)."""
        if self.gsp_url is None:
            raise KgError("no Graph Store endpoint given", hint="give --gsp GSP_URL")
        headers = {"Content-Type": "application/n-triples"}
        self._send("PUT", self.gsp_url, params={"graph": graph}, content=ntriples, headers=headers)

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """Add these triples to one graph (Graph Store Protocol POST). A graph is a set, so
        triples sent again add nothing (but for blank nodes, new in each request: our dumps
        have none)."""
        if self.gsp_url is None:
            raise KgError("no Graph Store endpoint given", hint="give --gsp GSP_URL")
        headers = {"Content-Type": "application/n-triples"}
        self._send("POST", self.gsp_url, params={"graph": graph}, content=ntriples, headers=headers)

    def _send(
        self, method: str, url: str, *, stream: bool = False, **options: object
    ) -> httpx.Response:
        try:
            request = self.client.build_request(method, url, **options)  # type: ignore[arg-type]
            response = self.client.send(request, stream=stream)
            if stream and response.status_code >= 300:
                response.read()  # what went wrong, for _check_status
                response.close()
        except httpx.ConnectTimeout as error:
            # An https:// URL given a plain-HTTP port waits for a handshake that never comes.
            raise RemoteStoreError(
                "the SPARQL server did not take the connection within 5 s",
                where=url,
                hint="check the URL, its scheme (http or https) and port, and that the server "
                "is running",
            ) from error
        except httpx.TimeoutException as error:
            raise RemoteStoreError(
                f"the SPARQL server did not answer within {self.timeout:g} s",
                where=url,
                hint="try again shortly, or narrow the query",
            ) from error
        except httpx.HTTPError as error:
            raise RemoteStoreError(
                f"cannot reach the SPARQL server: {plain(error)}",
                where=url,
                hint="check the URL and that the server is running, then try again",
            ) from error
        self.server = self.server or response.headers.get("server", "")
        _check_status(response, url, self.authenticated)
        return response


def _as_syntax_error(error: RemoteQueryError, shift: int) -> Exception:
    """A server's syntax error, placed in the query as sent to us (`shift` characters of
    BASE were put before its first line), as the engine's own: a SyntaxError, which the
    workers' answer explains (kg.web.syntax_errors). Any other refusal as it came.

    >>> str(_as_syntax_error(RemoteQueryError("error at 1:30: expected [_]"), 20))
    'error at 1:10: expected [_]'
    >>> type(_as_syntax_error(RemoteQueryError("Virtuoso 37000 Error SP030"), 20)).__name__
    'RemoteQueryError'
    """
    found = SYNTAX_AT.match(error.said)
    if found is None:
        return error
    line, column = int(found[1]), int(found[2])
    if line == 1:
        column = max(column - shift, 1)
    return SyntaxError(f"error at {line}:{column}: {error.said[found.end() :]}")


def _reason(said: str) -> str:
    """What a server's error body says, in a line: the first line of text (Virtuoso goes on
    to repeat the whole request, thousands of lines), or an HTML page's text, its lines
    joined (Virtuoso's Graph Store endpoint puts the reason last).

    >>> _reason("<html><title>Request failed</title><h3>Error 40005</h3><xmp>SR325: ...</xmp>")
    'Request failed; Error 40005; SR325: ...'
    """
    if said.startswith("<"):
        text = re.sub(r"<!DOCTYPE[^>]*>|<[^>]+>", "\n", said)
        return "; ".join(line.strip() for line in text.splitlines() if line.strip())[:500]
    return said.splitlines()[0] if said else "no reason given"


def _check_status(response: httpx.Response, url: str, authenticated: bool = True) -> None:
    status = response.status_code
    if status < 300:
        return
    said = response.text[:1000].strip()
    if status == 400:
        raise RemoteQueryError(said)
    if status in (401, 403):
        refused = "refused our credentials" if authenticated else "asks for credentials"
        raise RemoteRefusalError(
            f"the SPARQL server {refused} ({status})",
            where=url,
            hint="set KG_STORE_USER and KG_STORE_PASSWORD (or KG_STORE_PASSWORD_FILE) to an "
            "account allowed to do this",
        )
    if status == 404:
        raise RemoteRefusalError(
            "no SPARQL service at this URL (404)",
            where=url,
            hint="give the server's query, update or Graph Store endpoint (README, 'Publishing')",
        )
    first = _reason(said)
    if "40001" in first or "deadlock" in first.lower():
        raise RemoteConflictError(f"the SPARQL server answered {status}: {first}", where=url)
    if any(sign in first for sign in TOO_LARGE):
        raise RemoteTooLargeError(
            f"the SPARQL server refused a transaction this large ({status}): {first}",
            where=url,
            hint="raise the server's limit (Virtuoso: TransactionAfterImageLimit, in bytes, "
            "in [Parameters] of virtuoso.ini; restart it) and run kg publish again: what it "
            "staged is kept. A later release's switch writes all it changes in one transaction; "
            "into a fresh database a release loads in chunks instead",
        )
    raise RemoteStoreError(f"the SPARQL server answered {status}: {first}", where=url)


def _parse(response: httpx.Response, *, streamed: bool = False) -> Answer:
    """The answer in the response: read whole, or (`streamed`) as it is used."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not streamed and CANCELLED in response.content:
        raise RemoteTimeLimitError(str(response.url))
    body: bytes | IO[bytes] = io.BufferedReader(_Body(response)) if streamed else response.content
    try:
        if media == "application/sparql-results+json":
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if media == "application/sparql-results+xml":
            return ox.parse_query_results(body, ox.QueryResultsFormat.XML)
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is not None:
            triples = (quad.triple for quad in ox.parse(body, rdf_format))
            return triples if streamed else list(triples)
    except SyntaxError as error:
        raise RemoteStoreError(
            f"the SPARQL server's answer is not well-formed {media}: {error}",
            where=str(response.url),
        ) from error
    raise RemoteStoreError(
        f"the SPARQL server answered in {media or 'no stated format'}, which we do not read",
        where=str(response.url),
        hint="the server should offer SPARQL JSON results and N-Triples",
    )


class _Body(io.RawIOBase):
    """A streamed response's body as a file the engine's parsers read as they go; a break in
    it is the server's (RemoteStoreError), as when a whole answer breaks off."""

    def __init__(self, response: httpx.Response) -> None:
        self.response, self.url = response, str(response.url)
        self.chunks = response.iter_bytes()
        self.left = b""
        self.tail = b""  # the end of the last chunk: the server's notice may span two

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.left:
            try:
                self.left = next(self.chunks)
            except StopIteration:
                return 0
            except httpx.TimeoutException as error:
                raise RemoteStoreError(
                    "the SPARQL server stopped sending its answer", where=self.url
                ) from error
            except httpx.HTTPError as error:
                raise RemoteStoreError(
                    f"the SPARQL server's answer broke off: {plain(error)}",
                    where=self.url,
                    hint="try again shortly",
                ) from error
            if CANCELLED in self.tail + self.left:
                raise RemoteTimeLimitError(self.url)
            self.tail = self.left[-len(CANCELLED) :]
        size = min(len(buffer), len(self.left))
        buffer[:size] = self.left[:size]
        self.left = self.left[size:]
        return size


def _as_boolean(answer: ox.QuerySolutions) -> ox.QueryBoolean:
    """Virtuoso's ASK answer (a row of __ASK_RETVAL 1 for true, no row for false) as a boolean."""
    if [str(v) for v in answer.variables] != [f"?{VIRTUOSO_ASK}"]:
        raise RemoteStoreError("the SPARQL server answered an ASK query with solutions")
    value = any(row[0] is not None and row[0].value not in ("0", "false") for row in answer)
    json = b'{"head": {}, "boolean": %s}' % (b"true" if value else b"false")
    parsed = ox.parse_query_results(json, ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QueryBoolean)
    return parsed


#: Strings, IRIs and comments, which a keyword inside them is not.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


def code_of(query: str) -> str:
    """The query with its strings, IRIs and comments blanked out: what its keywords and
    brackets are, each where it is in the query (its length and lines kept).

    >>> query = 'ASK { ?s <x:a(> "}" } # )'
    >>> code_of(query).split(), len(code_of(query)) == len(query)
    (['ASK', '{', '?s', '}'], True)
    """
    return _OPAQUE.sub(lambda opaque: _NOT_NEWLINE.sub(" ", opaque[0]), query)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w:?$]){word}(?![\w:])", re.IGNORECASE)


_FROM, _SERVICE, _GRAPH = _keyword("FROM"), _keyword("SERVICE"), _keyword("GRAPH|NAMED")
_FORM = _keyword("(SELECT|ASK|CONSTRUCT|DESCRIBE)")


_ORDER_BY = _keyword(r"ORDER\s+BY")


def plain(error: httpx.HTTPError) -> str:
    """A network error in words, without the client library's class or errno: a 503's
    body went to readers as "ConnectError: [Errno 111] Connection refused" (trial 34).

    >>> plain(httpx.ConnectError("[Errno 111] Connection refused"))
    'connection refused'
    >>> plain(httpx.RemoteProtocolError(""))
    'the connection closed without an answer'
    """
    said = re.sub(r"^\[Errno -?\d+\]\s*", "", str(error)).strip()
    if isinstance(error, httpx.RemoteProtocolError) or not said:
        return "the connection closed without an answer"
    return said[0].lower() + said[1:]


def ordered(query: str) -> bool:
    """Whether the query sorts (an ORDER BY outside its strings, IRIs and comments)."""
    return bool(_ORDER_BY.search(code_of(query)))


def narrowing(query: str) -> str:
    """What to do about a query that ran past the time limit. "Narrow it (LIMIT, ...)" was
    said to a query with a LIMIT, which an ORDER BY runs after it has sorted every row
    (trial 32).

    >>> narrowing("SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 3")[:60]
    'narrow the pattern (a property, a class, a graph): ORDER BY '
    """
    if ordered(query):
        return (
            "narrow the pattern (a property, a class, a graph): ORDER BY sorts every row it "
            "matches before LIMIT applies"
        )
    return "narrow the query (LIMIT, more specific patterns)"


def query_form(query: str) -> str:
    """The query's form (its first form keyword past strings and IRIs), or "" if none.

    >>> query_form('PREFIX a: <x:ASK> CONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    found = _FORM.search(code_of(query))
    return found[1].upper() if found else ""


def names_graphs(query: str) -> bool:
    """Whether a query reads named graphs (GRAPH, or FROM NAMED), read past strings and IRIs.

    >>> names_graphs("SELECT ?g WHERE { GRAPH ?g { } }"), names_graphs("SELECT ?graph {}")
    (True, False)
    """
    return bool(_GRAPH.search(code_of(query)))


def names_dataset(query: str) -> bool:
    """Whether a query names its own dataset (FROM or FROM NAMED), read past strings and IRIs.

    >>> names_dataset("SELECT * FROM <g> WHERE { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * WHERE { ?s ?p "from" . ?from a <x:FROM> } # FROM')
    False
    """
    return bool(_FROM.search(code_of(query)))


def calls_service(query: str) -> bool:
    """Whether a query calls another endpoint (SERVICE), read past strings and IRIs.

    >>> calls_service("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    True
    >>> calls_service('SELECT ?service WHERE { ?service a <x:SERVICE> ; <x:p> "service" }')
    False
    """
    return bool(_SERVICE.search(code_of(query)))


def _with_bindings(query: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """The query with its substitutions as a trailing VALUES block: the protocol has no other
    way to bind a variable, and terms written by Oxigraph are never string-formatted input."""
    if not bindings:
        return query
    names = " ".join(str(variable) for variable in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{query}\nVALUES ({names}) {{ ({terms}) }}"
