"""Messages between the server and its query workers: a length, then a pickle.

Both ends are ours (a socketpair the server makes for each worker it starts), so pickle
carries nothing from outside.
"""

import asyncio
import pickle
import socket
import struct
from typing import Any

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


async def read_frame(reader: asyncio.StreamReader) -> Any:
    """The next message sent by send_frame, awaited on the event loop."""
    header = await reader.readexactly(_FRAME.size)
    return pickle.loads(await reader.readexactly(_FRAME.unpack(header)[0]))
