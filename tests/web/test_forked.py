"""Forked copies answer a worker's channel; when one aborts, the worker answers how and why
in its place, and a new copy goes on."""

import faulthandler
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg.web.forked import Ended, serve_in_copies
from kg.web.frames import receive_frame, send_frame


def _serve(message: object) -> object:
    """Answer with the copy's process id; abort, as the engine does, when asked to."""
    if message == "abort":
        os.write(2, b"thread 'main' panicked at sort.rs:1:1:\nnot a total order\n")  # as Rust
        faulthandler.disable()  # pytest's: its dump of the stack would go to the test's output
        os.abort()
    if message == "raise":
        raise ValueError("not caught by serve")
    if message == "say":
        os.write(2, b"a warning of the engine\n")
    return os.getpid(), message


def _start() -> Callable[[Any], Any]:
    return _serve


def _obituary(ended: Ended, message: object) -> object:
    return "ended", ended.exit_code, ended.how, ended.said, message


@contextmanager
def _worker() -> Iterator[tuple[socket.socket, int]]:
    """A forked worker serving in copies; the test's end of its channel, and its pid."""
    ours, theirs = socket.socketpair()
    worker = os.fork()
    if worker == 0:
        code = 1
        try:
            ours.close()
            serve_in_copies(theirs, _start, _obituary, greeting="ready")
            code = 0
        finally:
            os._exit(code)
    theirs.close()
    try:
        assert receive_frame(ours) == "ready"
        yield ours, worker
    finally:
        ours.close()
        os.waitpid(worker, 0)


def _ask(channel: socket.socket, message: object) -> Any:
    send_frame(channel, message)
    return receive_frame(channel)


def _copies(worker: int) -> list[int]:
    return [int(n) for n in Path(f"/proc/{worker}/task/{worker}/children").read_text().split()]


def test_a_copy_answers_one_call_after_another() -> None:
    with _worker() as (channel, worker):
        (copy,) = _copies(worker)
        assert _ask(channel, "a") == (copy, "a") and _ask(channel, "b") == (copy, "b")
        assert copy != worker


def test_an_abort_ends_only_the_copy_and_the_worker_says_why() -> None:
    with _worker() as (channel, worker):
        before, _ = _ask(channel, "a")
        ended, code, how, said, message = _ask(channel, "abort")
        assert (ended, code, how, message) == ("ended", -signal.SIGABRT, "signal SIGABRT", "abort")
        assert said == "thread 'main' panicked at sort.rs:1:1:\nnot a total order\n"
        after, answer = _ask(channel, "b")  # a new copy, forked after the abort
        assert answer == "b" and after != before and _copies(worker) == [after]
        assert _ask(channel, "abort")[3] == said  # what a copy said is kept for its call only


def test_an_exception_in_the_copy_ends_it_with_its_traceback() -> None:
    with _worker() as (channel, _):
        ended, code, _, said, message = _ask(channel, "raise")
        assert (ended, code, message) == ("ended", 70, "raise")
        assert "ValueError: not caught by serve" in said
        assert _ask(channel, "c")[1] == "c"


def test_what_a_copy_says_in_a_call_that_ends_well_reaches_the_workers_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with _worker() as (channel, _):
        assert _ask(channel, "say")[1] == "say"
        assert capfd.readouterr().err == "a warning of the engine\n"
        said = _ask(channel, "abort")[3]
        assert "a warning" not in said and "not a total order" in said


def test_a_copy_killed_between_calls_is_replaced_without_an_answer() -> None:
    with _worker() as (channel, worker):
        (copy,) = _copies(worker)
        os.kill(copy, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _copies(worker) in ([], [copy]) and time.monotonic() < deadline:
            time.sleep(0.02)
        (replacement,) = _copies(worker)
        assert replacement != copy
        assert _ask(channel, "d") == (replacement, "d")  # not an answer for the killed copy


def test_a_closed_channel_ends_the_worker_and_its_copy() -> None:
    with _worker() as (_, worker):
        (copy,) = _copies(worker)
    assert not Path(f"/proc/{worker}").exists()  # exited and reaped
    deadline = time.monotonic() + 5
    while Path(f"/proc/{copy}").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not Path(f"/proc/{copy}").exists()
