"""Messages between the server and its query workers: a length, then a pickle.

Both ends are ours (a socketpair the server makes for each worker it starts), so pickle
carries nothing from outside.
"""

import asyncio
import pickle
import socket
import struct
from collections import deque
from typing import Any, cast

_FRAME = struct.Struct("!Q")


def encode(message: object) -> bytes:
    """One message as sent: its length, then its pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _FRAME.pack(len(payload)) + payload


def decode(frame: bytes) -> Any:
    """The message of one whole frame made by encode(); EOFError if it is cut short."""
    if len(frame) < _FRAME.size or _FRAME.unpack_from(frame)[0] != len(frame) - _FRAME.size:
        raise EOFError("the frame is cut short")
    return pickle.loads(frame[_FRAME.size :])


def send_frame(channel: socket.socket, message: object) -> None:
    """One message on a socket (blocking)."""
    channel.sendall(encode(message))


def receive_frame(channel: socket.socket) -> object:
    """The next message sent by send_frame (blocking); EOFError when the other end closed."""
    return pickle.loads(receive_raw(channel))


def receive_raw(channel: socket.socket) -> bytes:
    """The pickle of the next message sent by send_frame (blocking), not yet loaded."""
    header = _read_exactly(channel, _FRAME.size)
    return _read_exactly(channel, _FRAME.unpack(header)[0])


def _read_exactly(channel: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = channel.recv(min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class Messages(asyncio.Protocol):
    """The event loop's end of a channel: the messages that arrive, each to whoever awaited
    it, in turn (a wait given up still takes its message: it was that caller's answer).

    A protocol, not a StreamReader: two awaited reads and a task per message were a tenth of
    the event loop's time on a cheap query.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._arrived: deque[Any] = deque()  # messages no one awaited yet
        self._awaited: deque[asyncio.Future[Any]] = deque()
        self._ended: Exception | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def send(self, message: object) -> None:
        """Send one message; the transport buffers what the socket does not take at once."""
        assert self.transport is not None
        self.transport.write(encode(message))

    def next(self) -> "asyncio.Future[Any]":
        """The next message to arrive; EOFError once the other end has closed."""
        future = asyncio.get_running_loop().create_future()
        if self._arrived:
            future.set_result(self._arrived.popleft())
        elif self._ended is not None:
            future.set_exception(self._ended)
        else:
            self._awaited.append(future)
        return future

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= _FRAME.size:
            end = _FRAME.size + _FRAME.unpack_from(self._buffer)[0]
            if len(self._buffer) < end:
                return
            message = pickle.loads(self._buffer[_FRAME.size : end])
            del self._buffer[:end]
            self._deliver(message)

    def _deliver(self, message: Any) -> None:
        if not self._awaited:
            self._arrived.append(message)
            return
        future = self._awaited.popleft()
        if not future.done():  # else given up by its caller: the message was its answer
            future.set_result(message)

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended = EOFError("the other end closed the channel")
        if exc is not None:
            self._ended.__cause__ = exc
        while self._awaited:
            future = self._awaited.popleft()
            if not future.done():
                future.set_exception(self._ended)
