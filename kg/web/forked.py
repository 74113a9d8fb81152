"""Forked copies of a process that answer its channel, so that an abort ends only a copy.

pyoxigraph 0.5.13 aborts the whole process on `ORDER BY` over some mixes of literals (Rust's
sort finds the comparison is not a total order, where the panic cannot unwind; see
SECURITY.md), and the memory limit ends a process in the same way. No Python code can catch
an abort, so a query worker (kg.web.worker_process) answers no query itself: it forks a
copy of itself, once its store is open, and the copy answers the messages on the worker's
channel one after another. The worker waits; when a copy ends while it answers, the worker
answers for it (why it ended), forks a new copy and lives on.

The copy, not the worker, reads and answers the channel: a query handed from the worker to
its copy and back cost two more process switches and pickles: about a tenth of the
server's throughput on a cheap sorting query (`statements` of kg.web.examples on the whole
CSL, 682 against 743 requests/s).

The copy is forked ahead and kept, not forked per call: a fork of a worker that has read
the store costs 3 to 40 ms on our 2-core machine (page tables), many times a lookup.

Fork safety: in the copy only the forking thread runs. The store's own threads do no work
on a read-only store (no flush, no compaction) and hold no lock the copy could wait on, and
glibc keeps malloc usable across fork. Were the copy ever to hang, the pool's time limit
stops its worker, and the kernel then kills the copy (PR_SET_PDEATHSIG).
"""

import contextlib
import fcntl
import logging
import mmap
import os
import pickle
import signal
import socket
import struct
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg import processes
from kg.web.frames import receive_raw, send_frame

log = logging.getLogger(__name__)

#: The exit code of a copy whose Python code raised: its traceback is in `said`.
RAISED = 70

#: How much of what a copy writes to standard error is kept, per call.
SAID_BYTES = 64 << 10

#: Room for the message a copy is answering, kept where the worker can read it if the copy
#: ends (a longer message is not kept: the worker then answers without it).
MESSAGE_BYTES = 1 << 20
_SIZE = struct.Struct("!Q")  # the message's size in the shared page; 0: no call under way


@dataclass(frozen=True, kw_only=True)
class Ended:
    """A copy that ended while it answered: how, and what it wrote to standard error."""

    exit_code: int  # negative: the signal that ended it
    said: str

    @property
    def how(self) -> str:
        code = self.exit_code
        return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


#: What a copy runs once forked, before its first message: it returns the copy's answerer.
Start = Callable[[], Callable[[Any], Any]]
#: The answer a worker sends for a copy that ended answering `message` (None: not kept).
Obituary = Callable[[Ended, Any], Any]


def serve_in_copies(
    channel: socket.socket, start: Start, obituary: Obituary, greeting: object
) -> None:
    """Have copies of this process answer the messages on `channel` until it closes; send
    `greeting` on it once the first copy is forked.

    Returns when a copy found the channel closed; raises OSError when no copy can be forked.
    """
    processes.libc()  # looked up before the forks, not in each copy
    said = os.memfd_create("kg-copy-stderr", os.MFD_CLOEXEC)
    shared = mmap.mmap(-1, _SIZE.size + MESSAGE_BYTES)  # shared with the copies
    try:
        copy = _fork(channel, start, said, shared)
        send_frame(channel, greeting)
        while True:
            _, status = os.waitpid(copy, 0)
            code = os.waitstatus_to_exitcode(status)
            if code == 0:
                return
            ended = Ended(exit_code=code, said=_said(said))
            os.ftruncate(said, 0)
            (size,) = _SIZE.unpack_from(shared)
            message = shared[_SIZE.size : _SIZE.size + size] if size <= MESSAGE_BYTES else None
            _SIZE.pack_into(shared, 0, 0)
            copy = _fork(channel, start, said, shared)  # before the answer: no wait for it
            if not size:  # between two calls (killed from outside): nobody waits for it
                log.warning("a query worker's copy ended between queries (%s)", ended.how)
                continue
            send_frame(channel, obituary(ended, None if message is None else pickle.loads(message)))
    finally:
        os.close(said)
        shared.close()


def _said(said: int) -> str:
    """What the copy wrote to standard error since its last call ended."""
    return _written(said).decode("utf-8", "replace")


def _written(said: int) -> bytes:
    """The memory file's first SAID_BYTES; no read when it is empty, as it mostly is."""
    size = min(os.fstat(said).st_size, SAID_BYTES)
    return os.pread(said, size, 0) if size else b""


def _fork(channel: socket.socket, start: Start, said: int, shared: mmap.mmap) -> int:
    parent = os.getpid()
    with warnings.catch_warnings():
        # Python 3.12 warns on fork() in a process with threads: see the module's note.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        _serve_forever(parent, channel, start, said, shared)
    return child


def _serve_forever(
    parent: int, channel: socket.socket, start: Start, said: int, shared: mmap.mmap
) -> None:
    """The copy: answer messages until the channel closes, then exit; never return."""
    code = RAISED
    try:
        processes.die_with_parent(parent)
        stderr = os.dup(2)  # where what the copy says goes, once the call has ended well
        os.dup2(said, 2)
        fcntl.fcntl(2, fcntl.F_SETFL, fcntl.fcntl(2, fcntl.F_GETFL) | os.O_APPEND)
        # Python's own writes (a traceback, a warning) to it too, whatever sys.stderr was.
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115 (for its life)
        answer = start()
        while True:
            try:
                frame = receive_raw(channel)
            except EOFError:
                code = 0
                return
            if len(frame) <= MESSAGE_BYTES:
                shared[_SIZE.size : _SIZE.size + len(frame)] = frame
            _SIZE.pack_into(shared, 0, len(frame))
            reply = answer(pickle.loads(frame))
            # Cleared before the reply: were the copy killed while it sends, the worker must
            # not answer the same message a second time (the server would read that answer
            # as the next message's).
            _SIZE.pack_into(shared, 0, 0)
            _pass_on(said, stderr)
            send_frame(channel, reply)
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)  # no clean-up of the parent's objects, which are the parent's


def _pass_on(said: int, stderr: int) -> None:
    """What the copy said during a call that ended well (warnings, the log), to the real
    standard error; the memory file is emptied for the next call."""
    written = _written(said)
    if written:
        with contextlib.suppress(OSError):
            os.write(stderr, written)
        os.ftruncate(said, 0)
