"""Run one call in a forked child, so that an abort of native code ends only the child.

pyoxigraph 0.5.13 aborts the whole process on `ORDER BY` over some mixes of literals (Rust's
sort finds the comparison is not a total order, where the panic cannot unwind; see
SECURITY.md). No Python code can catch an abort, so a query worker (kg.web.worker_process)
runs such queries through run_forked: the child fork() makes shares the worker's open store,
sends its result through a pipe and exits; if it aborts, the worker says why and lives.

Fork safety: in the child only the forking thread runs. The store's own threads do no work
on a read-only store (no flush, no compaction) and hold no lock the child could wait on, and
glibc keeps malloc usable across fork. Were the child ever to hang, the pool's time limit
stops its worker, and the kernel then kills the child (PR_SET_PDEATHSIG).
"""

import os
import signal
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from kg import processes
from kg.web.frames import decode, encode

T = TypeVar("T")

#: The exit code of a child whose Python code raised: its traceback is in `said`.
RAISED = 70


@dataclass(frozen=True, kw_only=True)
class Ended:
    """A child that ended without a result: how, and what it wrote to standard error."""

    exit_code: int  # negative: the signal that ended it
    said: str

    @property
    def how(self) -> str:
        code = self.exit_code
        return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


def run_forked(call: Callable[[], T]) -> T | Ended:
    """call() as a forked child returns it (pickled through a pipe), or how the child ended.

    Its standard error goes to a memory file the parent reads, so the reason of an abort
    (Rust's message) reaches the caller.
    """
    processes.libc()  # looked up before the fork, not in every child
    reading, writing = os.pipe()
    stderr = os.memfd_create("kg-forked-stderr", os.MFD_CLOEXEC)
    parent = os.getpid()
    with warnings.catch_warnings():
        # Python 3.12 warns on fork() in a process with threads: see the module's note.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        os.close(reading)
        _child(parent, call, writing, stderr)
    os.close(writing)
    try:
        body = _read_all(reading)
        _, status = os.waitpid(child, 0)
        said = os.pread(stderr, 64 << 10, 0).decode("utf-8", "replace")
    finally:
        os.close(reading)
        os.close(stderr)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        try:
            result: T = decode(body)
            return result
        except EOFError:  # not expected: the child exits 0 only once it wrote it all
            said += "\nits result was cut short"
    return Ended(exit_code=code, said=said)


def _child(parent: int, call: Callable[[], object], writing: int, stderr: int) -> None:
    """Make the call, write its result to the pipe, exit: never return into the caller."""
    code = RAISED
    try:
        processes.die_with_parent(parent)
        os.dup2(stderr, 2)
        frame = encode(call())
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(frame)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)  # no clean-up of the parent's objects, which are the parent's


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
