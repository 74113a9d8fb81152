"""Connections that must make progress: a request's headers and body have deadlines.

uvicorn closes a connection idle between requests (timeout_keep_alive) but waits forever for
the first request's headers, so 20,000 idle or trickling connections once took every file
descriptor. This protocol closes a connection whose request headers are not complete within
`header_timeout` seconds of its first byte (or of the connection, for the first request).
It extends uvicorn's httptools protocol, a documented `http=` choice of uvicorn.Config,
through its parser callbacks; tests/web/test_limits.py holds it to that.
"""

import asyncio
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kg.errors import KgError

log = logging.getLogger(__name__)


class DeadlineProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with a deadline on every request's headers."""

    header_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:
            self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

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


def with_header_timeout(seconds: float) -> type[DeadlineProtocol]:
    """The protocol class for uvicorn's `http=` option, with this deadline."""
    return type("DeadlineProtocol", (DeadlineProtocol,), {"header_timeout": seconds})


class BodyTimeoutError(KgError):
    """The request body did not arrive in time."""

    status = 408


class BodyDeadline:
    """A request's body must arrive within `seconds` of the app's first read of it (408)."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline: float | None = None
        complete = False
        loop = asyncio.get_running_loop()

        async def bounded_receive() -> Message:
            nonlocal deadline, complete
            if complete:  # what follows the body is the disconnect, awaited without limit
                return await receive()
            if deadline is None:
                deadline = loop.time() + self.seconds
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError as error:
                raise BodyTimeoutError(
                    f"the request body did not arrive within {self.seconds:g} s",
                    hint="send the whole request at once",
                ) from error
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, bounded_receive, send)
