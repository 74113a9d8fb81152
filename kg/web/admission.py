"""Who may run a query now: a bound per client, and no work for the departed.

Queries cost a worker process each. Two flooding clients once made every other client wait
the full time limit and then get 503; so a client address may have only `per_client` queries
in flight (429 beyond, with Retry-After). With more workers than flooders' queries, the
others keep a worker (the pool's queue is bounded too: kg.web.workers). A query whose client
hung up is cancelled, which stops its worker (the pool replaces a worker whose query is
cancelled). Not so for a client that hangs up again within AGAIN seconds of its last stopped
query: replacing a worker costs a second or two of CPU, and a client that sent runaways and
hung up after 0.1 s had every worker replaced in turn, cutting others' throughput 200-fold.
Its query runs out instead (at the lowest priority past its CPU allowance: kg.web.demotion;
at most the time limit), and holds the client's place until then.

A client that asks again while refused gets each further 429 only after a pause: two
flooders that ignored Retry-After once had a 429 a millisecond out of the main process, the
one that answers every other client too.

A pure ASGI middleware over the query routes, so that it needs nothing from the routes.
"""

import asyncio
import functools
import logging
import time
from collections import Counter
from collections.abc import Callable, Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.web.connections import HANG_UP, HangUp
from kg.web.waiting_line import CLIENT

log = logging.getLogger(__name__)

#: Seconds a refused client waits for each 429 after the first, while its queries run.
PAUSE = 0.5
#: Seconds after a client's query was stopped for its hang-up in which its next abandoned
#: query is left to run out rather than stopped.
AGAIN = 10.0


class Admission:
    """Admits requests to `paths` within the per-client and overall bounds."""

    def __init__(self, app: ASGIApp, *, paths: Collection[str], per_client: int) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.per_client = per_client
        self.in_flight: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()  # 429s since its queries last all ended
        self.stopped_at: dict[str, float] = {}  # when a query of each was last stopped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        if self.in_flight[client] >= self.per_client:
            self.refused[client] += 1
            if self.refused[client] > 1:
                await asyncio.sleep(PAUSE)
            queries = "query" if self.per_client == 1 else "queries"
            message = f"this client has {self.per_client} {queries} running already; wait for one"
            await _plain(send, 429, message, retry_after=1)
            return
        self.in_flight[client] += 1
        held = True

        def release() -> None:
            # Called when the answer is sent, so that the client's next request, which may
            # come before this task ends, is not counted against it; and at the end anyway.
            nonlocal held
            if held:
                held = False
                self.in_flight[client] -= 1
                if not self.in_flight[client]:
                    del self.in_flight[client]
                    self.refused.pop(client, None)

        # Who asks, for the pool's waiting line (kg.web.waiting_line): the task's context.
        token = CLIENT.set(client)
        try:
            stoppable = functools.partial(self.may_stop, client)
            await _unless_gone(self.app, scope, receive, send, release, stoppable)
        finally:
            CLIENT.reset(token)
            release()

    def may_stop(self, client: str) -> bool:
        """Whether a query of `client`, who hung up, may be stopped: not within AGAIN seconds
        of the last one stopped (see the module's note)."""
        now = time.monotonic()
        if now - self.stopped_at.get(client, -AGAIN) < AGAIN:
            return False
        if len(self.stopped_at) > 10_000:  # bounded: those past AGAIN count for nothing
            self.stopped_at = {c: t for c, t in self.stopped_at.items() if now - t < AGAIN}
        self.stopped_at[client] = now
        return True


async def _unless_gone(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    answered: Callable[[], None],
    may_stop: Callable[[], bool],
) -> None:
    """Run the app, cancelling it if the client disconnects before its answer is complete,
    and `may_stop` allows it.

    The server tells of the disconnect (kg.web.connections.HangUp); under a server that
    does not, the app runs to its end. `answered` is called once the whole answer is sent.
    """

    async def watched_send(message: Message) -> None:
        await send(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered()

    current = asyncio.current_task()
    assert current is not None
    hung_up = False

    def gone() -> None:
        nonlocal hung_up
        if current.done():
            return
        if not may_stop():
            log.info(
                "client %s hung up again: its query runs out, holding its place",
                scope.get("client"),
            )
            return
        hung_up = True
        log.info("client %s hung up: its query is stopped", scope.get("client"))
        current.cancel()

    hang_up: HangUp | None = scope.get(HANG_UP)
    if hang_up is not None:
        hang_up.callback = gone
    try:
        await app(scope, receive, watched_send)
    except asyncio.CancelledError:
        if not hung_up or current.uncancel():  # cancelled by someone else too: go on
            raise
    finally:
        if hang_up is not None:
            hang_up.callback = None


async def _plain(send: Send, status: int, message: str, *, retry_after: int) -> None:
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
