"""The worker's watchdog lowers its priority on CPU used by the query, not time elapsed."""

import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path

from kg.web.demotion import LOWEST_PRIORITY, Watchdog, cpu_of


def _busy(seconds: float) -> None:
    """Use `seconds` of CPU."""
    until = time.process_time() + seconds
    while time.process_time() < until:
        pass


def _in_own_group(check: Callable[[], object]) -> object:
    """check() as a forked child returns it, the child leading a process group of its own
    (as a query worker does), so that the demotion does not reach the test's process."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child
        code = 1
        try:
            os.setpgid(0, 0)
            os.write(writing, pickle.dumps(check()))
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    return pickle.loads(answer)


def _waiting_then_working() -> tuple[bool, int, bool, int]:
    watchdog = Watchdog(0.2, lambda: (0, 0.0))
    watchdog.start()
    watchdog.begin(in_copy=False)
    time.sleep(0.6)  # elapsed, not worked: a query waiting for a busy machine's CPU
    waited = watchdog.end(), os.getpriority(os.PRIO_PROCESS, 0)
    watchdog.begin(in_copy=False)
    _busy(0.6)
    return (*waited, watchdog.end(), os.getpriority(os.PRIO_PROCESS, 0))


def test_a_query_is_demoted_for_the_cpu_it_used_not_for_the_time_it_took() -> None:
    normal = os.getpriority(os.PRIO_PROCESS, 0)
    assert _in_own_group(_waiting_then_working) == (False, normal, True, LOWEST_PRIORITY)


def _working_in_the_copy() -> tuple[bool, int, int]:
    copy = os.fork()
    if copy == 0:  # the copy, working as a sorting query's does
        _busy(5)
        os._exit(0)
    watchdog = Watchdog(0.2, lambda: (copy, 0.0))  # just forked: no CPU used
    watchdog.start()
    watchdog.begin(in_copy=True)
    while cpu_of(copy) < 0.5:
        time.sleep(0.05)
    time.sleep(0.2)  # the watchdog's period
    demoted = watchdog.end()
    nice = int(Path(f"/proc/{copy}/stat").read_text().rsplit(")", 1)[1].split()[16])
    os.kill(copy, 9)
    os.waitpid(copy, 0)
    return demoted, os.getpriority(os.PRIO_PROCESS, 0), nice


def test_the_cpu_of_the_copy_counts_and_the_copy_is_demoted_too() -> None:
    assert _in_own_group(_working_in_the_copy) == (True, LOWEST_PRIORITY, LOWEST_PRIORITY)


def test_zero_means_never() -> None:
    def check() -> bool:
        watchdog = Watchdog(0, lambda: (0, 0.0))
        watchdog.start()
        watchdog.begin(in_copy=False)
        _busy(0.3)
        return watchdog.end()

    assert _in_own_group(check) is False
