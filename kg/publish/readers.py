"""A build folder that a server reads is held, so that a rebuild leaves it until released.

The server takes a shared lock on the folder's marker file for as long as it serves the
folder; a rebuild swaps the new output in, sees the lock on the old one, and leaves it in
place (kg.publish.staging.discard) instead of removing files the server still sends.
"""

import fcntl
import os
from pathlib import Path

from kg.errors import KgError
from kg.publish.files import MARKER


def hold(folder: Path) -> int:
    """Hold folder against removal by a rebuild; the descriptor to give to `release`."""
    try:
        handle = os.open(folder / MARKER, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as error:
        raise KgError(
            f"not a build folder: it has no {MARKER}",
            where=str(folder),
            hint="serve a folder that `kg build` wrote, or rebuild it",
        ) from error
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def release(handle: int) -> None:
    os.close(handle)  # closing the descriptor drops the lock
