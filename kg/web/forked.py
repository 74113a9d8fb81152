"""A forked copy of a process that answers calls for it, so that an abort ends only the copy.

pyoxigraph 0.5.13 aborts the whole process on `ORDER BY` over some mixes of literals (Rust's
sort finds the comparison is not a total order, where the panic cannot unwind; see
SECURITY.md). No Python code can catch an abort, so a query worker (kg.web.worker_process)
hands such queries to a Helper: a copy of itself that fork() made once the store was open,
sharing it, and that answers one call after another over a socketpair. If the copy aborts,
the worker says why, forks a new copy and lives on.

The copy is forked ahead and kept, not forked per call: a fork of a worker that has read
the store costs 3 to 40 ms on our 2-core machine (page tables), many times a lookup.

Fork safety: in the copy only the forking thread runs. The store's own threads do no work
on a read-only store (no flush, no compaction) and hold no lock the copy could wait on, and
glibc keeps malloc usable across fork. Were the copy ever to hang, the pool's time limit
stops its worker, and the kernel then kills the copy (PR_SET_PDEATHSIG).
"""

import contextlib
import fcntl
import os
import signal
import socket
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from kg import processes
from kg.web.frames import receive_frame, send_frame

#: The exit code of a copy whose Python code raised: its traceback is in `said`.
RAISED = 70

#: How much of what a copy writes to standard error is kept, per call.
SAID_BYTES = 64 << 10


@dataclass(frozen=True, kw_only=True)
class Ended:
    """A copy that ended without answering: how, and what it wrote to standard error."""

    exit_code: int  # negative: the signal that ended it
    said: str
    forked: bool = True  # false: no copy could be forked (the machine is out of processes)

    @property
    def how(self) -> str:
        code = self.exit_code
        return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


class Helper:
    """Answers call(message) with serve(message) as evaluated in a forked copy of this
    process; forked at the first call, and again after a copy ended."""

    def __init__(self, serve: Callable[[Any], Any]) -> None:
        self.serve = serve
        self.pid = 0
        #: CPU seconds the copy had used when it last answered: what its next call's CPU
        #: counts from (kg.web.demotion), without reading /proc at every call.
        self.cpu = 0.0
        self._channel: socket.socket | None = None
        # The copy's standard error: a memory file, read after each call (Rust's message).
        self._stderr = os.memfd_create("kg-helper-stderr", os.MFD_CLOEXEC)

    def start(self) -> None:
        """Fork the copy now, if there is none, rather than at the next call."""
        if self._channel is None:
            self._fork()

    def call(self, message: object) -> Any:
        """serve(message) as the copy returns it, or how the copy ended (an Ended)."""
        try:
            self.start()
        except OSError as error:
            return Ended(exit_code=RAISED, said=f"could not fork: {error}", forked=False)
        assert self._channel is not None
        os.ftruncate(self._stderr, 0)  # the copy appends (O_APPEND): it writes from 0 again
        try:
            send_frame(self._channel, message)
            answer, cpu = cast("tuple[Any, float]", receive_frame(self._channel))
        except (EOFError, OSError):
            return self._reap()
        self.cpu = cpu
        return answer

    def said(self) -> str:
        """What the copy wrote to standard error during the last call."""
        size = min(os.fstat(self._stderr).st_size, SAID_BYTES)  # mostly 0: no 64 KiB read
        return os.pread(self._stderr, size, 0).decode("utf-8", "replace") if size else ""

    def _fork(self) -> None:
        processes.libc()  # looked up before the fork, not in the copy
        ours, theirs = socket.socketpair()
        parent = os.getpid()
        with warnings.catch_warnings():
            # Python 3.12 warns on fork() in a process with threads: see the module's note.
            warnings.simplefilter("ignore", DeprecationWarning)
            child = os.fork()
        if child == 0:
            ours.close()
            _serve_forever(parent, self.serve, theirs, self._stderr)
        theirs.close()
        self.pid, self._channel, self.cpu = child, ours, 0.0  # a new process: none used yet

    def _reap(self) -> Ended:
        assert self._channel is not None
        self._channel.close()
        self._channel = None
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        ended = Ended(exit_code=os.waitstatus_to_exitcode(status), said=self.said())
        with contextlib.suppress(OSError):  # if not now, at the next call
            self.start()  # now, so that the next query does not wait for the fork
        return ended

    def close(self) -> None:
        """End the copy (it exits when its channel closes)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        os.close(self._stderr)


def _serve_forever(
    parent: int, serve: Callable[[Any], Any], channel: socket.socket, stderr: int
) -> None:
    """The copy: answer messages until the channel closes, then exit; never return."""
    code = RAISED
    try:
        processes.die_with_parent(parent)
        os.dup2(stderr, 2)
        fcntl.fcntl(2, fcntl.F_SETFL, fcntl.fcntl(2, fcntl.F_GETFL) | os.O_APPEND)
        # Python's own writes (a traceback, a warning) to it too, whatever sys.stderr was.
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115 (for its life)
        while True:
            try:
                message = receive_frame(channel)
            except EOFError:
                code = 0
                return
            send_frame(channel, (serve(message), time.process_time()))
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)  # no clean-up of the parent's objects, which are the parent's
