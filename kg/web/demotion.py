"""In a query worker's copy: lower its CPU priority once the query it runs used enough CPU.

Two flooding clients' runaway queries held both cores for the whole time limit, so a third
client's short queries ran at a third of their speed. A watchdog thread of the copy that
answers the worker's queries (kg.web.forked) sets the worker's process group (the worker and
its copy) to the lowest priority, nice 19, once the query running has used `after` seconds
of CPU, so that short queries of other workers win the CPU. CPU time, not time elapsed: on
a busy machine a query of half a second's work took seconds, and demoted on elapsed time it
then starved to the time limit.

An unprivileged process cannot raise a priority back, so the worker says in its answer that
it was demoted (Outcome.demoted), and the pool replaces it (kg.web.workers).
"""

import os
import threading
import time

#: The nice value of a demoted worker: the lowest priority there is.
LOWEST_PRIORITY = 19

#: Seconds between the watchdog's looks at the running query: the threshold's precision.
PERIOD = 0.1


class Watchdog:
    """Demotes this process's group once the query between begin() and end() has used
    `after` seconds of this process's CPU."""

    def __init__(self, after: float) -> None:
        self.after = after
        self.demoted = False
        self._lock = threading.Lock()
        self._base: float | None = None  # the CPU this process had used when the query began

    def start(self) -> None:
        if self.after:
            threading.Thread(target=self._watch, name="kg-demotion", daemon=True).start()

    def begin(self) -> None:
        """A query starts."""
        self._base = time.process_time()

    def end(self) -> bool:
        """The query ended: whether this process was demoted (then it stays so)."""
        with self._lock:
            self._base = None
            return self.demoted

    def _watch(self) -> None:
        while not self.demoted:
            time.sleep(PERIOD)
            with self._lock:
                if self._base is not None and time.process_time() - self._base >= self.after:
                    os.setpriority(os.PRIO_PGRP, 0, LOWEST_PRIORITY)
                    self.demoted = True
