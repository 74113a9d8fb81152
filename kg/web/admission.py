"""Who may run a query now: a bound per client, a bound overall, and no work for the departed.

Queries cost a worker process each. Two flooding clients once made every other client wait
the full time limit and then get 503; so a client may have only `per_client` queries in
flight (429 beyond, with Retry-After), and the server only `capacity` (the workers plus a
short queue; 503 at once beyond, not after the time limit). A query whose client hung up is
cancelled, which stops its worker (kg.web.workers replaces a worker whose query is cancelled).

A pure ASGI middleware over the query routes, so that it needs nothing from the routes.
"""

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class Admission:
    """Admits requests to `paths` within the per-client and overall bounds."""

    def __init__(
        self, app: ASGIApp, *, paths: Collection[str], per_client: int, capacity: int
    ) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.per_client = per_client
        self.capacity = capacity
        self.in_flight: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        refusal = self._refusal(client)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        self.in_flight[client] += 1
        try:
            await _unless_gone(self.app, scope, receive, send)
        finally:
            self.in_flight[client] -= 1
            if not self.in_flight[client]:
                del self.in_flight[client]

    def _refusal(self, client: str) -> tuple[int, str, int] | None:
        """Status, message and Retry-After seconds for a request that may not run now."""
        if self.in_flight[client] >= self.per_client:
            return (
                429,
                f"this client has {self.per_client} queries running already; wait for one "
                "to finish",
                1,
            )
        if self.in_flight.total() >= self.capacity:
            return 503, "every query worker is busy and the queue is full; try again shortly", 2
        return None


async def _unless_gone(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run the app, cancelling it if the client disconnects once its request has been read."""
    body_read = asyncio.Event()
    answered = False

    async def watched_send(message: Message) -> None:
        nonlocal answered
        await send(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered = True  # the server reports a disconnect once the answer is complete

    async def watched_receive() -> Message:
        message = await receive()
        if message["type"] == "http.request" and not message.get("more_body", False):
            body_read.set()
        return message

    async def watch() -> None:
        await body_read.wait()
        # The request is read: the next message the server has for us is the disconnect.
        while (await receive())["type"] != "http.disconnect":
            pass

    work = asyncio.ensure_future(app(scope, watched_receive, watched_send))
    watcher = asyncio.ensure_future(watch())
    try:
        await asyncio.wait({work, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if not work.done() and not answered:
            log.info("client %s hung up: its query is stopped", scope.get("client"))
            work.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await work
    finally:
        watcher.cancel()
        work.cancel()


async def _plain(send: Send, status: int, message: str, retry_after: int) -> None:
    body = message.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
