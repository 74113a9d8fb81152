"""In a query worker: lower its CPU priority once the query it runs has used enough CPU.

Two flooding clients' runaway queries held both cores for the whole time limit, so a third
client's short queries ran at a third of their speed. A watchdog thread of the worker sets
the worker's process group (the worker and its copy, kg.web.forked) to the lowest priority,
nice 19, once the query running has used `after` seconds of CPU, so that short queries of
other workers win the CPU. CPU time, not time elapsed: on a busy machine a query of half a
second's work took seconds, and demoted on elapsed time it then starved to the time limit.

An unprivileged process cannot raise a priority back, so the worker says in its answer that
it was demoted (Outcome.demoted), and the pool replaces it (kg.web.workers).
"""

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

#: The nice value of a demoted worker: the lowest priority there is.
LOWEST_PRIORITY = 19

#: Seconds between the watchdog's looks at the running query: the threshold's precision.
PERIOD = 0.1

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """CPU seconds a process has used (user and system, all its threads); 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


class Watchdog:
    """Demotes this process's group once the query between begin() and end() has used
    `after` seconds of CPU: this process's own, and that of the process `helper()` names
    (the copy the query may run in, and the CPU seconds it had used before the query; pid
    0: none)."""

    def __init__(self, after: float, helper: Callable[[], tuple[int, float]]) -> None:
        self.after = after
        self.helper = helper
        self.demoted = False
        self._lock = threading.Lock()
        self._base: tuple[float, int, float] | None = None  # own CPU, copy, copy's CPU

    def start(self) -> None:
        if self.after:
            threading.Thread(target=self._watch, name="kg-demotion", daemon=True).start()

    def begin(self, *, in_copy: bool) -> None:
        """A query starts, here or (in_copy) in the copy."""
        copy, copy_cpu = self.helper() if in_copy else (0, 0.0)
        self._base = (time.process_time(), copy, copy_cpu)

    def end(self) -> bool:
        """The query ended: whether this process was demoted (then it stays so)."""
        with self._lock:
            self._base = None
            return self.demoted

    def _watch(self) -> None:
        while not self.demoted:
            time.sleep(PERIOD)
            with self._lock:
                if self._base is not None and self._used(self._base) >= self.after:
                    os.setpriority(os.PRIO_PGRP, 0, LOWEST_PRIORITY)
                    self.demoted = True

    @staticmethod
    def _used(base: tuple[float, int, float]) -> float:
        own, copy, copy_cpu = base
        used = time.process_time() - own
        return used + (cpu_of(copy) - copy_cpu if copy else 0.0)
