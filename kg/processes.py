"""Processes a build forks end with it: a killed build leaves nothing writing files."""

import ctypes
import ctypes.util
import functools
import logging
import os
import signal
import sys

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies; call it first in a forked child.

    A SIGKILLed build cannot stop its children itself, and an orphan would go on writing into
    a staging folder the next build removes. Linux only: elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    if libc().prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        log.debug("prctl(PR_SET_PDEATHSIG) failed (errno %d)", ctypes.get_errno())
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


@functools.cache
def libc() -> ctypes.CDLL:
    """The C library, looked up once: find_library runs ldconfig, milliseconds that each
    copy a query worker forks (kg.web.forked) need not spend. Warm it before forking."""
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def give_back_memory() -> None:
    """Return the C allocator's free pages to the system (glibc's malloc_trim).

    glibc keeps what a process freed for its next allocations, so a process that held much
    for a moment (the engine's write buffers, a query's hash table) keeps it resident for
    the rest of its life. Elsewhere than glibc this does nothing."""
    trim = getattr(libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)
