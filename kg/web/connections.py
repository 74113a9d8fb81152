"""Connections that must make progress: a request's headers and body have deadlines.

uvicorn closes a connection idle between requests (timeout_keep_alive) but waits forever for
the first request's headers, so 20,000 idle or trickling connections once took every file
descriptor. This protocol closes a connection whose request headers are not complete within
`header_timeout` seconds of its first byte (or of the connection, for the first request).

uvicorn's bound on connections (`limit_concurrency`) is one for all: one client holding
1,000 idle connections, each opened again when its deadline closed it, made every other
client's request a 503. So one address may hold at most `per_address` connections; past it
a new one is closed at once, before it is read. And since a dozen addresses under that
bound still filled it, a server past SHED_AT of its bound closes the connection that has
waited longest without a request, for each new one: readers who ask get in, idlers go.

A request's scope carries HANG_UP, where the app may register what to do should the
connection be lost before its answer is complete (kg.web.admission stops the query).

It extends uvicorn's httptools protocol, a documented `http=` choice of uvicorn.Config,
through its parser callbacks; tests/web/test_limits.py holds it to that.
"""

import asyncio
import contextlib
import logging
import socket
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kg.errors import KgError

log = logging.getLogger(__name__)

#: The share of --max-connections past which a new connection sheds the oldest idle one.
SHED_AT = 0.9
#: Seconds between two log lines on shed connections (each line counts those since the last).
LOG_EVERY = 10.0
#: The longest URL the parser reads (httptools.parse_url: 16-bit offsets).
MAX_URL = 65535
#: The scope's key for a request's HangUp.
HANG_UP = "kg.hang_up"


class HangUp:
    """What to call should the connection be lost before the request's answer is complete:
    a hook in the protocol, where a task per request awaiting the disconnect cost a tenth of
    the event loop's time on a cheap query."""

    __slots__ = ("callback",)

    def __init__(self) -> None:
        self.callback: Callable[[], None] | None = None


@dataclass
class Shared:
    """What the connections of one server (one event loop) know of each other."""

    #: Open connections by client address.
    open_by_address: Counter[str] = field(default_factory=Counter)
    warned: set[str] = field(default_factory=set)  # addresses at the bound, warned of once
    #: Connections without a request under way (not yet sent, or idle after an answer),
    #: oldest first: the ones shed when the server is nearly full.
    idle: dict["DeadlineProtocol", None] = field(default_factory=dict)
    shed: int = 0  # connections shed since the last log line about them
    shed_logged: float = -LOG_EVERY  # when that line was written


class DeadlineProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with a deadline on every request's headers, and a bound on the
    connections of one address."""

    header_timeout = 10.0
    per_address = 0  # 0: no bound
    #: What the connections of one server share (with_deadlines makes one per server).
    shared: ClassVar["Shared"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._address: str | None = None
        self._answering: deque[HangUp] = deque()  # requests not yet answered, oldest first
        self._tcp: Any = None  # the connection's TCP socket (not a Unix socket's)
        self._too_long = 0  # the length of a request's URL past MAX_URL

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            self._tcp = sock
        address = str((transport.get_extra_info("peername") or ("unknown",))[0])
        shared = self.shared
        if self.per_address and shared.open_by_address[address] >= self.per_address:
            if address not in shared.warned:  # once while it stays at the bound, not per refusal
                shared.warned.add(address)
                log.warning(
                    "%s holds %d connections: its new ones are closed", address, self.per_address
                )
            transport.close()
            return
        self._address = address
        shared.open_by_address[address] += 1
        self._shed_if_full()
        shared.idle[self] = None
        self._arm()

    def _shed_if_full(self) -> None:
        limit, shared = self.limit_concurrency, self.shared
        if limit is None or len(self.connections) < limit * SHED_AT or not shared.idle:
            return
        oldest = next(iter(shared.idle))
        del shared.idle[oldest]
        oldest.transport.close()
        shared.shed += 1
        now = time.monotonic()
        if now - shared.shed_logged >= LOG_EVERY:  # an attacker's churn must not fill the log
            log.warning(
                "the server is nearly full: %d connections idle the longest closed", shared.shed
            )
            shared.shed, shared.shed_logged = 0, now

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:
            self._arm()

    def on_headers_complete(self) -> None:
        if len(self.url) > MAX_URL:
            # The parser reads no longer URL: its refusal was a bare "Invalid HTTP request
            # received." to a SPARQLWrapper GET of a 65,000-character query (trial 41).
            self._too_long = len(self.url)
            raise UrlTooLongError(f"{len(self.url)} bytes")
        self._disarm()
        self.shared.idle.pop(self, None)
        hang_up = self.scope[HANG_UP] = HangUp()  # type: ignore[literal-required]
        self._answering.append(hang_up)
        super().on_headers_complete()
        # Not a client waiting for "100 Continue" before it sends its body: held back, that
        # line would keep it waiting up to the kernel's 200 ms.
        if not self.expect_100_continue:
            self._cork(True)

    def send_400_response(self, msg: str) -> None:
        """The parser's refusal; a URL too long to read is a 414 that says what to do."""
        if not self._too_long:
            super().send_400_response(msg)
            return
        said = (
            f"the request's URL is {self._too_long:,} bytes; at most {MAX_URL:,} are read: send "
            "a long query by POST, form-encoded (query=...) or as application/sparql-query"
        ).encode()
        self.transport.write(
            b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/plain; charset=utf-8\r\n"
            + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(said)
            + said
        )
        self.transport.close()

    def on_response_complete(self) -> None:
        self._cork(False)
        if self._answering:  # answers complete in the order of their requests
            self._answering.popleft()
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self.shared.idle[self] = None  # until its next request, or the idle timeout

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.shared.idle.pop(self, None)
        if self._address is not None:
            self._release(self._address)
        super().connection_lost(exc)
        while self._answering:
            callback = self._answering.popleft().callback
            if callback is not None:
                callback()

    def _cork(self, on: bool) -> None:
        """Hold what is written to the socket until the answer is complete (TCP_CORK), so
        that its headers and body leave in one segment: uvicorn writes them in two, and each
        segment woke the client."""
        if self._tcp is not None:
            with contextlib.suppress(OSError):  # closed meanwhile: nothing to hold
                self._tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, int(on))

    def _release(self, address: str) -> None:
        held = self.shared.open_by_address
        held[address] -= 1
        self.shared.warned.discard(address)
        if not held[address]:
            del held[address]

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        log.info("closing a connection whose request headers took over %g s", self.header_timeout)
        self.transport.close()


def with_deadlines(seconds: float, per_address: int) -> type[DeadlineProtocol]:
    """The protocol class for uvicorn's `http=` option, with this deadline and bound."""
    fields = {"header_timeout": seconds, "per_address": per_address, "shared": Shared()}
    return type("DeadlineProtocol", (DeadlineProtocol,), fields)


class UrlTooLongError(Exception):
    """A request's URL past MAX_URL, refused from the parser's callback (a 414)."""


class BodyTimeoutError(KgError):
    """The request body did not arrive in time."""

    status = 408


class BodyTooLargeError(KgError):
    """The request body is larger than the server accepts."""

    status = 413


class BodyBounds:
    """Every request's body is bounded: at most `max_bytes` (413), within `seconds` of the
    app's first read of it (408), whatever the route: /sparql, /match and /reconcile alike.

    The bound answers for itself: a route that reads its body through a library (FastAPI's
    JSON and form parsing) would turn the error into a 400 or 422 of its own.
    """

    def __init__(self, app: ASGIApp, *, seconds: float, max_bytes: int) -> None:
        self.app = app
        self.seconds = seconds
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(send, self._too_large(f"has {int(declared):,} bytes"))
            return
        refusal: list[KgError] = []
        answered = False

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if refusal:  # the route's own answer to the error is replaced by the bound's
                if not answered:
                    answered = True
                    await _answer(send, refusal[0])
                return
            await send(message)

        try:
            await self.app(scope, self._bounded(receive, refusal), guarded_send)
        except KgError:
            if not refusal:
                raise
            if not answered:
                await _answer(send, refusal[0])

    def _too_large(self, what: str) -> BodyTooLargeError:
        return BodyTooLargeError(
            f"the request body {what}; at most {self.max_bytes:,} are accepted",
            hint="send a smaller request: a shorter query, or a batch of fewer names",
        )

    def _bounded(self, receive: Receive, refusal: list[KgError]) -> Receive:
        deadline: float | None = None
        size = 0
        complete = False
        loop = asyncio.get_running_loop()

        async def bounded_receive() -> Message:
            nonlocal deadline, size, complete
            if complete:  # what follows the body is the disconnect, awaited without limit
                return await receive()
            if deadline is None:
                deadline = loop.time() + self.seconds
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError as error:
                refusal.append(
                    BodyTimeoutError(
                        f"the request body did not arrive within {self.seconds:g} s",
                        hint="send the whole request at once",
                    )
                )
                raise refusal[-1] from error
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                refusal.append(self._too_large(f"passes {self.max_bytes:,} bytes"))
                raise refusal[-1]
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        return bounded_receive


async def _answer(send: Send, error: KgError) -> None:
    body = str(error).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
