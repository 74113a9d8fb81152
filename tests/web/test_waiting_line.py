"""The pool's waiting line: ordinary queries before those of clients whose last ran long."""

import asyncio

import pytest

from kg.web.waiting_line import HeavyClients, WaitingLine


async def _served_order() -> list[str]:
    line: WaitingLine[str] = WaitingLine()
    served: list[str] = []

    async def wait(name: str, heavy: bool) -> None:
        served.append(f"{name} got {await line.get(heavy=heavy)}")

    waiters = [
        asyncio.ensure_future(wait("flooder-1", True)),
        asyncio.ensure_future(wait("flooder-2", True)),
        asyncio.ensure_future(wait("reader", False)),
        asyncio.ensure_future(wait("script", False)),
    ]
    await asyncio.sleep(0)  # all four wait, the flooders first
    for worker in ("w1", "w2", "w3", "w4"):
        line.put(worker)
        await asyncio.sleep(0)
    await asyncio.gather(*waiters)
    return served


def test_ordinary_waiters_are_served_first_and_each_class_in_order() -> None:
    assert asyncio.run(_served_order()) == [
        "reader got w1",
        "script got w2",
        "flooder-1 got w3",
        "flooder-2 got w4",
    ]


async def _cancelled_waiter_passes_it_on() -> tuple[str, int]:
    line: WaitingLine[str] = WaitingLine()
    first = asyncio.ensure_future(line.get())
    second = asyncio.ensure_future(line.get())
    await asyncio.sleep(0)
    line.put("w1")  # handed to the first waiter, which is cancelled before it runs
    first.cancel()
    got = await second
    with pytest.raises(asyncio.CancelledError):
        await first
    return got, len(line)


def test_a_worker_handed_to_a_waiter_that_was_cancelled_is_not_lost() -> None:
    assert asyncio.run(_cancelled_waiter_passes_it_on()) == ("w1", 0)


def test_a_free_worker_is_taken_at_once_and_returns_to_the_free_ones() -> None:
    async def run() -> list[int]:
        line: WaitingLine[str] = WaitingLine()
        line.put("w1")
        sizes = [len(line)]
        assert await line.get(heavy=True) == "w1"
        return [*sizes, len(line)]

    assert asyncio.run(run()) == [1, 0]


def test_the_worker_freed_last_is_taken_first() -> None:
    async def run() -> list[str]:
        line: WaitingLine[str] = WaitingLine()
        for worker in ("w1", "w2", "w3"):
            line.put(worker)
        first = await line.get()
        line.put(first)  # it answered, and is free again
        return [first, await line.get(), await line.get(), await line.get()]

    assert asyncio.run(run()) == ["w3", "w3", "w2", "w1"]


def test_a_client_is_heavy_until_a_query_of_its_runs_short() -> None:
    heavy = HeavyClients(size=2)
    heavy.note("127.0.0.2", heavy=True)
    heavy.note(None, heavy=True)  # the server's own lookups: no client
    assert "127.0.0.2" in heavy and None not in heavy
    heavy.note("127.0.0.2", heavy=False)
    assert "127.0.0.2" not in heavy
    for client in ("a", "b", "c"):
        heavy.note(client, heavy=True)
    assert "a" not in heavy and "b" in heavy and "c" in heavy  # the last `size` only
