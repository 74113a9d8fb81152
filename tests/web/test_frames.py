"""The event loop's end of a worker's channel (kg.web.frames.Messages), on a real socketpair:
messages cut across reads or run together arrive whole and in order, and a closed channel
fails whoever waits."""

import asyncio
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.web.frames import Messages, encode, receive_frame


async def _attached(sock: socket.socket) -> Messages:
    _, messages = await asyncio.get_running_loop().connect_accepted_socket(Messages, sock)
    return messages


def test_messages_sent_in_pieces_and_together_arrive_whole_in_order() -> None:
    sent = [{"n": n, "text": "é" * n * 300} for n in range(40)]
    wire = b"".join(encode(message) for message in sent)

    async def scenario() -> list[object]:
        ours, theirs = socket.socketpair()
        messages = await _attached(ours)
        awaited = [messages.next() for _ in range(20)]  # some awaited before they arrive
        for start in range(0, len(wire), 777):  # frames cut anywhere, and run together
            theirs.sendall(wire[start : start + 777])
            await asyncio.sleep(0)
        got = [await future for future in awaited]
        got += [await messages.next() for _ in range(20)]  # the rest arrived unawaited
        theirs.close()
        return got

    assert asyncio.run(scenario()) == sent


@given(st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=8))
def test_any_cut_of_the_wire_gives_the_same_messages(cuts: list[int]) -> None:
    sent = [b"x" * n for n in cuts]
    wire = b"".join(encode(message) for message in sent)
    messages = Messages()
    got: list[object] = []

    async def scenario() -> None:
        awaited = [messages.next() for _ in sent]
        position = 0
        for size in cuts:
            messages.data_received(wire[position : position + size])
            position += size
        messages.data_received(wire[position:])
        got.extend([await future for future in awaited])

    asyncio.run(scenario())
    assert got == sent


def test_a_closed_channel_fails_the_waiting_and_the_next() -> None:
    async def scenario() -> tuple[BaseException | None, BaseException | None]:
        ours, theirs = socket.socketpair()
        messages = await _attached(ours)
        waiting = messages.next()
        theirs.close()
        waiting_error = await asyncio.wait_for(asyncio.gather(waiting, return_exceptions=True), 5)
        later = await asyncio.gather(messages.next(), return_exceptions=True)
        return waiting_error[0], later[0]

    waiting, later = asyncio.run(scenario())
    assert isinstance(waiting, EOFError)
    assert isinstance(later, EOFError)


def test_a_wait_given_up_still_takes_its_message() -> None:
    """The answer to a query whose caller gave up is not given to the next query."""

    async def scenario() -> object:
        ours, theirs = socket.socketpair()
        messages = await _attached(ours)
        messages.next().cancel()
        following = messages.next()
        with theirs:
            theirs.sendall(encode("first answer") + encode("second answer"))
            return await asyncio.wait_for(following, 5)

    assert asyncio.run(scenario()) == "second answer"


def test_what_is_sent_reaches_the_other_end() -> None:
    async def scenario() -> object:
        ours, theirs = socket.socketpair()
        messages = await _attached(ours)
        messages.send({"query": "ASK {}"})
        with theirs:
            theirs.settimeout(5)
            return await asyncio.to_thread(receive_frame, theirs)

    assert asyncio.run(scenario()) == {"query": "ASK {}"}


@pytest.mark.parametrize("size", [0, 1, 7])
def test_a_header_cut_short_waits_for_the_rest(size: int) -> None:
    wire = encode("whole")
    messages = Messages()

    async def scenario() -> object:
        future = messages.next()
        messages.data_received(wire[:size])
        assert not future.done()
        messages.data_received(wire[size:])
        return await future

    assert asyncio.run(scenario()) == "whole"
