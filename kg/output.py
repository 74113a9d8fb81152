"""Atomic replacement of the build folder: readers see the old output or the new, never half."""

import contextlib
import ctypes
import ctypes.util
import glob
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import OutputError

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside out_dir; on success it replaces out_dir in one step.

    On any error (or interruption) the staging folder is removed and out_dir is untouched.
    """
    out_dir = out_dir.resolve()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _interrupts_deferred():  # a Ctrl-C here would leave a folder nobody removes
            stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
        # mkdtemp makes the folder private (0700); the published folder follows the umask.
        umask = os.umask(0)
        os.umask(umask)
        stage.chmod(0o777 & ~umask)
    except OSError as error:
        raise OutputError(
            f"cannot create a staging folder: {error}",
            where=str(out_dir.parent),
            hint="check that the folder is writable, or choose another with --out",
        ) from error
    try:
        yield stage
        replaced = _replace(stage, out_dir)
    except BaseException:
        with _interrupts_deferred():  # so that a Ctrl-C cannot stop the removal half-way
            shutil.rmtree(stage, ignore_errors=True)
        raise
    if replaced:  # stage now holds the previous output
        with _interrupts_deferred():  # a Ctrl-C here would leave it under its staging name
            discard(stage, out_dir)


def discard(folder: Path, out_dir: Path) -> None:
    """Remove a previous output without waiting for it.

    Removing a whole-CSL output (over 100,000 files) took 17 s of a 75 s rebuild;
    the folder is renamed out of the way at once, then removed by a detached `rm`, which
    also takes any earlier leftovers a stopped removal left behind.
    """
    trash = folder.with_name(f".{out_dir.name}.discarded-{folder.name.rsplit('-', 1)[-1]}")
    try:
        folder.rename(trash)
        pattern = f".{glob.escape(out_dir.name)}.discarded-*"
        leftovers = sorted(str(p) for p in out_dir.parent.glob(pattern))
        # sh starts rm in the background and returns; rm outlives this process.
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$@" &', "sh", *leftovers],
            check=True,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        log.info("removing the previous output in the background: %s", trash)
    except (OSError, subprocess.CalledProcessError) as error:
        log.debug("no background removal (%s); removing %s now", error, folder)
        for path in (folder, trash):
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT until the block is done; a Ctrl-C in it is raised just after."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _replace(stage: Path, out_dir: Path) -> bool:
    """Put stage in out_dir's place; True when stage then holds the previous output."""
    if not out_dir.exists():
        stage.rename(out_dir)
        return False
    if _exchange(stage, out_dir):
        return True
    # No atomic exchange on this system: two renames, with the old copy kept until the end.
    previous = out_dir.with_name(f".{out_dir.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    out_dir.rename(previous)
    stage.rename(out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return False


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False if unavailable."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result != 0:
        log.debug("renameat2 failed (errno %d); falling back to two renames", ctypes.get_errno())
        return False
    return True


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace a file in one step: a reader sees the old content or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(payload)
    partial.replace(path)
