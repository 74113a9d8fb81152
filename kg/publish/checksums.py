"""SHA256SUMS: written with every build, read back by `kg serve` before it serves a build.

The format is sha256sum's ("DIGEST  NAME" per line), so `sha256sum -c SHA256SUMS` checks a
download by hand.

Reading every byte of a large build at each start would make `kg serve` slower the larger
the data (8 s for the 1.4 GB of a build four times the 2022 CSL), so within `remembering()`
a digest is remembered with what identifies the file's bytes short of reading them: device,
inode, size, and modification and change times to the nanosecond. A copy (a new inode), a
file rewritten, cut short or touched (new times) is read again; only a fault of the disk
that leaves all of them alone is not, and `sha256sum -c` is there for that. The build
remembers what it hashed as it wrote, so even the first start reads nothing twice.
"""

import contextlib
import contextvars
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kg.errors import KgError
from kg.publish.files import CHECKSUMS


def write(folder: Path, digests: Mapping[str, str]) -> None:
    """SHA256SUMS for file name -> hex digest, sorted by digest as sha256sum -c reads it."""
    lines = sorted(f"{digest}  {name}\n" for name, digest in digests.items())
    (folder / CHECKSUMS).write_text("".join(lines), encoding="utf-8")


def read(folder: Path) -> dict[str, str]:
    """File name -> hex digest, from the folder's SHA256SUMS."""
    path = folder / CHECKSUMS
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KgError(
            f"cannot read the checksums: {error.strerror}",
            where=str(path),
            hint="give the folder `kg build --out` wrote (complete), or rebuild it with `kg build`",
        ) from error
    digests = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise KgError(f"line {number} is not 'DIGEST  NAME'", where=str(path), hint=REBUILD)
        digests[name] = digest
    return digests


def release_digest(folder: Path) -> str:
    """Which build this is, exactly: the start of the SHA-256 of its SHA256SUMS."""
    return sha256_of(folder / CHECKSUMS)[:16]


REBUILD = "the build is damaged or half copied: rebuild it with `kg build`, or copy it again"


def verify(folder: Path, names: Iterable[str]) -> None:
    """Raise KgError unless each named file matches its line in the folder's SHA256SUMS."""
    digests = read(folder)
    for name in names:
        if name not in digests:
            raise KgError(f"{name} has no line in {CHECKSUMS}", where=str(folder), hint=REBUILD)
        if sha256_of(folder / name) != digests[name]:
            raise KgError(
                f"{name} does not match its checksum in {CHECKSUMS}",
                where=str(folder / name),
                hint=REBUILD,
            )


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, in hex (remembered, within `remembering()`)."""
    memo = _MEMO.get()
    try:
        # The identity before reading: a file changed while it is read is read again later.
        key, identity = _identity(path) if memo is not None else ("", [])
        remembered = memo.pop(key, None) if memo is not None else None
        if remembered is not None and remembered[:-1] == identity:
            digest = str(remembered[-1])
        else:
            with path.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as error:
        raise KgError(f"cannot read it: {error.strerror}", where=str(path), hint=REBUILD) from error
    if memo is not None:
        memo[key] = [*identity, digest]  # the most recently used last: see _save
    return digest


def hashed(path: Path, digest: str) -> None:
    """Remember the digest of a file just written from bytes whose digest was taken."""
    memo = _MEMO.get()
    if memo is not None:
        key, identity = _identity(path)
        memo[key] = [*identity, digest]


log = logging.getLogger(__name__)

#: Remembered digests: "device:inode" -> [size, mtime_ns, ctime_ns, digest].
_MEMO: contextvars.ContextVar[dict[str, list[object]] | None] = contextvars.ContextVar(
    "checksums_memo", default=None
)
MEMO_FILE = "sha256-memo.json"


def _identity(path: Path) -> tuple[str, list[object]]:
    status = path.stat()
    return f"{status.st_dev}:{status.st_ino}", [
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    ]


@contextlib.contextmanager
def remembering(cache_dir: Path) -> Iterator[None]:
    """Digests taken within are remembered in cache_dir, and those remembered are trusted
    while their file's identity is unchanged (see the module's comment)."""
    path = cache_dir / MEMO_FILE
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
        memo = memo if isinstance(memo, dict) else {}
    except (OSError, ValueError):
        memo = {}
    token = _MEMO.set(memo)
    try:
        yield
    finally:
        _MEMO.reset(token)
        _save(path, memo)


def _save(path: Path, memo: dict[str, list[object]]) -> None:
    # Entries of files deleted since are dropped once there are more than this many, least
    # recently used first (a dict keeps its order; a digest used is moved to the end).
    kept = dict(list(memo.items())[-20_000:])
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(kept), encoding="utf-8")
        temporary.replace(path)  # several servers may start at once: the last one wins
    except OSError as error:  # a read-only cache costs the next start a reading, no more
        log.debug("digests not remembered in %s: %s", path, error)
