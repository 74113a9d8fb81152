"""The watchdog lowers a worker's priority on CPU used by the query, not time elapsed."""

import os
import pickle
import time
from collections.abc import Callable

from kg.web.demotion import LOWEST_PRIORITY, Watchdog


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
    watchdog = Watchdog(0.2)
    watchdog.start()
    watchdog.begin()
    time.sleep(0.6)  # elapsed, not worked: a query waiting for a busy machine's CPU
    waited = watchdog.end(), os.getpriority(os.PRIO_PROCESS, 0)
    watchdog.begin()
    _busy(0.6)
    return (*waited, watchdog.end(), os.getpriority(os.PRIO_PROCESS, 0))


def test_a_query_is_demoted_for_the_cpu_it_used_not_for_the_time_it_took() -> None:
    normal = os.getpriority(os.PRIO_PROCESS, 0)
    assert _in_own_group(_waiting_then_working) == (False, normal, True, LOWEST_PRIORITY)


def test_zero_means_never() -> None:
    def check() -> bool:
        watchdog = Watchdog(0)
        watchdog.start()
        watchdog.begin()
        _busy(0.3)
        return watchdog.end()

    assert _in_own_group(check) is False
