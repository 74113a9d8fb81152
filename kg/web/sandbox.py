"""Cut a query worker off from the network, so that no query can make the server fetch.

The engine evaluates SERVICE by opening an HTTP connection, and no text check of a query
can be sure to read it as the engine's parser does. So the safety does not rest on reading
the query: a worker gives up its network before it loads any data. In order of preference:

1. a network namespace of its own (root, or an unprivileged user namespace), holding only a
   loopback interface that is down: every address, 127.0.0.1 included, is unreachable;
2. a seccomp filter (libseccomp through pyseccomp) that refuses every socket but a Unix one,
   and io_uring, whose socket operations seccomp cannot see.

The worker then checks that a connection to the loopback really fails before it answers any
query; if it can do neither, it does not start.
"""

import contextlib
import ctypes
import ctypes.util
import errno
import os
import socket
from collections.abc import Callable, Sequence

from kg.errors import KgError

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000

# What a connection attempt from an isolated worker meets: no route, or the filter's refusal.
ISOLATED_ERRNOS = frozenset({errno.ENETUNREACH, errno.EACCES, errno.EPERM, errno.EADDRNOTAVAIL})


class SandboxError(KgError):
    """A query worker could not be cut off from the network, so it refuses to serve."""


def isolate(means: Sequence[str] | None = None) -> str:
    """Cut this process off from the network by the first of `means` (default MEANS) that
    works; the name of the one used.

    Call it while the process has one thread: unshare() of a user namespace needs that.
    """
    for name in MEANS if means is None else means:
        if _MEANS[name]():
            verify()
            return name
    raise SandboxError(
        "a query worker could not be cut off from the network: no network namespace "
        "(needs root or unprivileged user namespaces) and no seccomp (needs libseccomp)",
        hint="run `kg serve` as root or in a container, enable user namespaces "
        "(sysctl kernel.unprivileged_userns_clone=1), or install libseccomp2",
    )


def verify() -> None:
    """Raise SandboxError unless a TCP connection to the loopback fails as isolation makes it."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except OSError as error:
        if error.errno in ISOLATED_ERRNOS:
            return
        raise
    with probe:
        probe.settimeout(1)
        code = probe.connect_ex(("127.0.0.1", 9))
    if code not in ISOLATED_ERRNOS:
        raise SandboxError(
            f"a query worker still reaches the network after isolation ({os.strerror(code)})",
            hint="report this with your kernel version (uname -r)",
        )


def _network_namespace() -> bool:
    return _unshare(CLONE_NEWNET)


def _user_and_network_namespace() -> bool:
    return _unshare(CLONE_NEWUSER | CLONE_NEWNET)


def _unshare(flags: int) -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    return bool(libc.unshare(flags) == 0)


def _seccomp() -> bool:
    try:
        import pyseccomp
    except (ImportError, OSError):  # no package, or no libseccomp.so for it to load
        return False
    rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    rules.add_rule(
        pyseccomp.ERRNO(errno.EACCES), "socket", pyseccomp.Arg(0, pyseccomp.NE, socket.AF_UNIX)
    )
    with contextlib.suppress(RuntimeError, ValueError):  # a kernel without io_uring
        rules.add_rule(pyseccomp.ERRNO(errno.EPERM), "io_uring_setup")
    try:
        rules.load()
    except (OSError, RuntimeError, ValueError):
        return False
    return True


_MEANS: dict[str, Callable[[], bool]] = {
    "network namespace": _network_namespace,
    "user and network namespace": _user_and_network_namespace,
    "seccomp filter": _seccomp,
}
#: The means of isolation, in order of preference.
MEANS = tuple(_MEANS)
