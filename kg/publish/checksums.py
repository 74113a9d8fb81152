"""SHA256SUMS: written with every build, read back by `kg serve` before it serves a build.

The format is sha256sum's ("DIGEST  NAME" per line), so `sha256sum -c SHA256SUMS` checks a
download by hand.
"""

import hashlib
from collections.abc import Iterable, Mapping
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
            hint="serve a complete build folder, or rebuild with `kg build`",
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
    """The SHA-256 of a file, in hex."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as error:
        raise KgError(f"cannot read it: {error.strerror}", where=str(path), hint=REBUILD) from error
