"""Atomic replacement of the build folder: readers see the old output or the new, never half.

A build replaces its whole output folder, so it writes only where nothing can be lost: a path
that does not exist yet, an empty folder, or an earlier build (the marker file says so) that
holds nothing a build did not write at its top.
"""

import contextlib
import ctypes
import ctypes.util
import fcntl
import glob
import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import OutputError
from kg.publish.disk_errors import CANNOT_WRITE, with_errno
from kg.publish.files import DUMPS, INDEXES, MARKER, SITE, STORE

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

#: Written into every build (and every staging folder, first thing): what a later build may replace.
TOOL = "entitylist-kg"
#: No date or version of the tool in it: two builds of the same sources stay byte-identical.
MARKER_TEXT = json.dumps({"tool": TOOL, "format": 1}) + "\n"
#: A folder holding one of these is a project checkout, never a build folder.
PROJECT_FILES = (".git", "pyproject.toml")
_CHOOSE = "choose a new or an empty folder with --out (e.g. --out build); nothing was removed"


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside out_dir; on success it replaces out_dir in one step.

    out_dir is checked before anything is written and again just before the swap. On any
    error (or interruption) the staging folder is removed and out_dir is untouched.
    """
    out_dir = check_target(out_dir)
    _remove_abandoned_stages(out_dir)
    stage: Path | None = None
    lock: int | None = None
    try:
        # A Ctrl-C held here is raised as the block ends: inside this try, with stage known.
        with _interrupts_deferred():
            stage, lock = _new_stage(out_dir)
        yield stage
        refused = _refusal(out_dir)  # the folder may have changed while we built
        if refused is not None:
            raise OutputError(refused[0], where=str(out_dir), hint=refused[1])
        replaced = _replace(stage, out_dir)
    except OSError as raised:
        if stage is not None:
            with _interrupts_deferred():
                shutil.rmtree(stage, ignore_errors=True)
        # The engine's I/O errors (a store's flush in any stage) carry no errno: read it.
        error = with_errno(raised, out_dir)
        if error.errno not in CANNOT_WRITE:
            raise
        raise OutputError(
            f"cannot write the build: {error.strerror}",
            where=error.filename or str(out_dir),
            hint=f"free space on the disk that holds {out_dir.parent}, or build elsewhere "
            "with --out; the previous output is untouched",
        ) from raised
    except BaseException:
        if stage is not None:
            with _interrupts_deferred():  # so that a Ctrl-C cannot stop the removal half-way
                shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            os.close(lock)
    if replaced:  # stage now holds the previous output
        with _interrupts_deferred():  # a Ctrl-C here would leave it under its staging name
            discard(stage, out_dir)


def check_target(out_dir: Path) -> Path:
    """out_dir resolved, if a build may replace it; otherwise an OutputError that says why.

    A symlink is judged by what it points to: that is the folder a build would replace. The
    message gives the path as typed and, if that differs, the folder it stands for.
    """
    try:
        target = out_dir.resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        raise OutputError(
            f"cannot resolve the path: {error}", where=str(out_dir), hint=_CHOOSE
        ) from error
    refused = _refusal(target)
    if refused is not None:
        shown = str(out_dir) if str(out_dir) == str(target) else f"{out_dir} ({target})"
        raise OutputError(refused[0], where=shown, hint=refused[1])
    return target


def is_build(folder: Path) -> bool:
    """True if folder holds our marker: a build (or a staging folder) of ours."""
    try:
        return _names_us((folder / MARKER).read_bytes())
    except OSError:
        return False


def _refusal(target: Path) -> tuple[str, str] | None:
    """What is wrong with replacing target (an absolute path, taken as it is), and what to do."""
    return _protected(target) or _occupied(target)


def _protected(target: Path) -> tuple[str, str] | None:
    """Folders no build may replace, even empty or marked: the cost of a mistake is too high."""
    if target == Path(target.anchor):
        return "is the root of the file system, which a build would replace", _CHOOSE
    home = _resolved_or_none(Path.home)
    if home is not None and (target == home or target in home.parents):
        return "is your home folder or contains it, which a build would replace", _CHOOSE
    here = _resolved_or_none(Path.cwd)
    if here is not None and (target == here or target in here.parents):
        return "is the current folder or contains it, which a build would replace", _CHOOSE
    for name in PROJECT_FILES:
        if os.path.lexists(target / name):  # .git may be a file (a worktree) or a symlink
            return f"holds {name}: a project checkout, which a build would replace", _CHOOSE
    return None


def _occupied(target: Path) -> tuple[str, str] | None:
    """None for a path that does not exist, an empty folder, or one of our builds."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be inspected: {error}", _CHOOSE
    if not stat.S_ISDIR(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "a file"
        return f"is {kind}, not a folder; a build would replace it", _CHOOSE
    try:
        entries = sorted(entry.name for entry in target.iterdir())
    except OSError as error:
        return f"cannot be read: {error}", _CHOOSE
    if is_build(target):
        return _added(entries)
    empty = not entries
    if empty:
        return None
    return (
        f"is a folder with files that no build wrote (there is no {MARKER} in it); a build "
        "replaces its whole output folder, so they would be lost",
        "choose a new or an empty folder with --out; if you do mean to replace this one, "
        "remove it yourself first. Nothing was removed",
    )


#: What a build writes at the top of its folder; anything else there was put by someone.
BUILD_ENTRIES = frozenset((MARKER, DUMPS, SITE, STORE, INDEXES))


def _added(entries: list[str]) -> tuple[str, str] | None:
    """None if an earlier build holds only what builds write at its top; else what to do."""
    added = [name for name in entries if name not in BUILD_ENTRIES]
    if not added:
        return None
    shown = ", ".join(added[:5]) + (f" and {len(added) - 5} more" if len(added) > 5 else "")
    return (
        f"is an earlier build that also holds what no build wrote: {shown}; a build replaces "
        "its whole output folder, so they would be lost",
        "move them out of the build folder, or choose another --out. Nothing was removed",
    )


def _resolved_or_none(where: Callable[[], Path]) -> Path | None:
    """where(), resolved; None when there is none (HOME unset, the current folder removed)."""
    try:
        return where().resolve()
    except (OSError, RuntimeError, KeyError):
        return None


def _names_us(payload: bytes) -> bool:
    """True if payload is a marker of ours, of any format version."""
    try:
        content = json.loads(payload)
    except ValueError:  # also a half-written marker, and bytes that are not UTF-8
        return False
    return isinstance(content, dict) and content.get("tool") == TOOL


def _new_stage(out_dir: Path) -> tuple[Path, int]:
    """A marked staging folder beside out_dir, and the open, locked marker.

    The lock is held until the build ends (a killed process loses it at once), so that the
    next build can tell an abandoned staging folder from one a running build is filling.
    """
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    except OSError as error:
        raise _unwritable(out_dir, error) from error
    try:
        # mkdtemp makes the folder private (0700); the published folder follows the umask.
        umask = os.umask(0)
        os.umask(umask)
        stage.chmod(0o777 & ~umask)
        return stage, _mark(stage)
    except OSError as error:
        shutil.rmtree(stage, ignore_errors=True)
        raise _unwritable(out_dir, error) from error


def _unwritable(out_dir: Path, error: OSError) -> OutputError:
    return OutputError(
        f"cannot create a staging folder: {error}",
        where=str(out_dir.parent),
        hint="check that the folder is writable, or choose another with --out",
    )


def _mark(folder: Path) -> int:
    """Write the marker into folder, holding a lock on it; the open marker is returned.

    The lock is taken before the content is written: a marker that names us and is not
    locked belongs to a build that is over.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    handle = os.open(folder / MARKER, flags, 0o666)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(handle, MARKER_TEXT.encode())
    except OSError:
        os.close(handle)
        raise
    return handle


def _remove_abandoned_stages(out_dir: Path) -> None:
    """Remove staging folders that killed builds into out_dir left behind.

    Only folders named as ours, holding our marker, that no running build holds locked.
    """
    for candidate in out_dir.parent.glob(f".{glob.escape(out_dir.name)}.staging-*"):
        if not candidate.is_symlink() and candidate.is_dir() and _ours_and_unheld(candidate):
            log.info("removing the staging folder of an interrupted build: %s", candidate)
            shutil.rmtree(candidate, ignore_errors=True)


def _ours_and_unheld(folder: Path) -> bool:
    """True if folder's marker names us and no process holds its lock.

    A running build holds its staging folder's marker; a running `kg serve` holds the marker
    of the build it serves (kg.publish.readers), so that a rebuild does not remove the files
    it is still serving.
    """
    try:
        handle = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False  # no marker: not ours
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return False  # a running build or server holds it
    try:
        return _names_us(os.read(handle, 4096))
    finally:
        os.close(handle)


def discard(folder: Path, out_dir: Path) -> None:
    """Remove a previous output without waiting for it.

    Removing a whole-CSL output (over 100,000 files) took 17 s of a 75 s rebuild;
    the folder is renamed out of the way at once, then removed by a detached `rm`, which
    also takes any earlier leftovers a stopped removal left behind. A folder that a running
    `kg serve` still serves is left where it is, for a later build to remove.
    """
    trash = folder.with_name(f".{out_dir.name}.discarded-{folder.name.rsplit('-', 1)[-1]}")
    try:
        folder.rename(trash)
        pattern = f".{glob.escape(out_dir.name)}.discarded-*"
        candidates = sorted(out_dir.parent.glob(pattern))
        leftovers = [str(p) for p in candidates if _ours_and_unheld(p)]
        for kept in sorted(set(map(str, candidates)) - set(leftovers)):
            log.info("kept %s: a server still serves it; a later build removes it", kept)
        if not leftovers:
            return
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
    """Hold SIGINT and SIGTERM until the block is done; one sent in it is raised just
    after."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _replace(stage: Path, out_dir: Path) -> bool:
    """Put stage in out_dir's place; True when stage then holds the previous output."""
    try:
        if not out_dir.exists():
            stage.rename(out_dir)  # fails, rather than replaces, if a folder with files appeared
            return False
        if _exchange(stage, out_dir):
            return True
        _replace_in_two_steps(stage, out_dir)
    except OSError as error:
        raise OutputError(
            f"cannot put the new build in place: {error}",
            where=str(out_dir),
            hint="the previous output is untouched; check the folder, then build again",
        ) from error
    return False


def _replace_in_two_steps(stage: Path, out_dir: Path) -> None:
    """No atomic exchange on this system: two renames, with the old copy kept until the end."""
    previous = out_dir.with_name(f".{out_dir.name}.previous")
    if _occupied(previous) is not None:
        raise OutputError(
            "is in the way of the build's previous output, and no build wrote it",
            where=str(previous),
            hint="move it away, then build again; nothing was removed",
        )
    shutil.rmtree(previous, ignore_errors=True)
    out_dir.rename(previous)
    stage.rename(out_dir)
    shutil.rmtree(previous, ignore_errors=True)


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
