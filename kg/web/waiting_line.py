"""Free workers, and the queries waiting for one: those of clients whose last query ran
long wait behind every other.

Two flooding clients send runaway queries back to back. When their workers are stopped at
the time limit and replaced, their next queries were first in line for the replacements,
and a third client's short query waited for a worker to start (a second or more). Here a
query whose client's last query ran past the pool's demotion threshold, or timed out,
("heavy") is handed a worker only when no ordinary query waits. The client is the address
that kg.web.admission sets in CLIENT; the server's own lookups have none and are ordinary.
"""

import asyncio
import heapq
import itertools
from collections import OrderedDict
from contextvars import ContextVar
from typing import Generic, TypeVar

T = TypeVar("T")

#: The address of the client whose request the current task serves (kg.web.admission).
CLIENT: ContextVar[str | None] = ContextVar("kg_client", default=None)


class WaitingLine(Generic[T]):
    """Free items (workers), handed to waiters: ordinary ones first, each class in order."""

    def __init__(self) -> None:
        self._free: list[T] = []
        self._line: list[tuple[bool, int, asyncio.Future[T]]] = []  # a heap
        self._order = itertools.count()

    def __len__(self) -> int:
        """The free items."""
        return len(self._free)

    def put(self, item: T) -> None:
        """Hand `item` to the first waiter, or keep it free if none waits."""
        while self._line:
            _, _, waiter = heapq.heappop(self._line)
            if not waiter.done():  # not cancelled (a waiter whose time ran out)
                waiter.set_result(item)
                return
        self._free.append(item)

    async def get(self, *, heavy: bool = False) -> T:
        """A free item, at once if there is one (then nobody waits), else when one is put.

        The item freed last: a worker that has just answered has the engine's caches and
        its own pages warm, where the one idle longest has had them taken by the others.
        One client's queries one after another, on the whole CSL (a lookup of 0.6 ms in
        the engine, on a busy machine): 1.35 ms of CPU per query in all the server's
        processes, against 2.2 to 2.6 ms with the workers taking turns."""
        if self._free:
            return self._free.pop()
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._line, (heavy, next(self._order), waiter))
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed over as the wait ended
                self.put(waiter.result())
            raise


class HeavyClients:
    """The clients whose last query ran long (the last `size` of them)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._clients: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, client: object) -> bool:
        return client in self._clients

    def note(self, client: str | None, *, heavy: bool) -> None:
        """Remember how the client's last query ran: long (heavy) or not."""
        if client is None:
            return
        if not heavy:
            self._clients.pop(client, None)
            return
        self._clients[client] = None
        self._clients.move_to_end(client)
        while len(self._clients) > self.size:
            self._clients.popitem(last=False)
