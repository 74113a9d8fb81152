"""A forked copy answers calls; when it aborts, its parent learns how and why, and goes on."""

import faulthandler
import os
import signal
import time
from pathlib import Path

from kg.web.demotion import cpu_of
from kg.web.forked import Ended, Helper


def _serve(message: object) -> object:
    """Answer with the copy's process id; abort, as the engine does, when asked to."""
    if message == "abort":
        os.write(2, b"thread 'main' panicked at sort.rs:1:1:\nnot a total order\n")  # as Rust
        faulthandler.disable()  # pytest's: its dump of the stack would go to the test's output
        os.abort()
    if message == "raise":
        raise ValueError("not caught by serve")
    if message == "work":
        started = time.process_time()
        while time.process_time() - started < 0.3:
            pass
    return os.getpid(), message


def test_a_copy_answers_one_call_after_another() -> None:
    helper = Helper(_serve)
    try:
        first, second = helper.call("a"), helper.call("b")
        assert first == (helper.pid, "a") and second == (helper.pid, "b")
        assert helper.pid != os.getpid()
    finally:
        helper.close()


def test_the_parent_knows_the_cpu_its_copy_had_used_when_it_answered() -> None:
    helper = Helper(_serve)
    try:
        helper.call("a")
        rested = helper.cpu
        helper.call("work")
        # What a query's demotion counts from (kg.web.demotion), as /proc tells it (in ticks).
        assert helper.cpu - rested >= 0.3
        assert abs(cpu_of(helper.pid) - helper.cpu) < 0.05
    finally:
        helper.close()


def test_an_abort_ends_only_the_copy_and_says_why() -> None:
    helper = Helper(_serve)
    try:
        before = helper.call("a")[0]
        ended = helper.call("abort")
        assert isinstance(ended, Ended)
        assert ended.exit_code == -signal.SIGABRT and ended.how == "signal SIGABRT"
        assert "panicked at sort.rs:1:1:\nnot a total order" in ended.said
        after = helper.call("b")  # a new copy, forked after the abort
        assert after == (helper.pid, "b") and helper.pid != before
        assert helper.said() == ""  # what the copy said is kept for one call only
    finally:
        helper.close()


def test_an_exception_in_the_copy_ends_it_with_its_traceback() -> None:
    helper = Helper(_serve)
    try:
        ended = helper.call("raise")
        assert isinstance(ended, Ended) and ended.exit_code == 70
        assert "ValueError: not caught by serve" in ended.said
        assert helper.call("c")[1] == "c"
    finally:
        helper.close()


def test_a_closed_helper_leaves_no_process() -> None:
    helper = Helper(_serve)
    helper.start()
    pid = helper.pid
    helper.close()
    assert not Path(f"/proc/{pid}").exists()  # exited and reaped
