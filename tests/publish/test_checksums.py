"""SHA256SUMS and the digests remembered between starts (kg.publish.checksums)."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.publish import checksums


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    folder.mkdir()
    payload = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
    (folder / "data.nt").write_bytes(payload)
    checksums.write(folder, {"data.nt": hashlib.sha256(payload).hexdigest()})
    return folder


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose bytes are read for a digest from now on."""
    read: list[str] = []
    digest = hashlib.file_digest

    def counting(stream, name):  # type: ignore[no-untyped-def]
        read.append(stream.name)
        return digest(stream, name)

    monkeypatch.setattr(hashlib, "file_digest", counting)
    return read


def test_an_unchanged_file_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    reads = _reads(monkeypatch)
    with checksums.remembering(cache):
        checksums.verify(folder, ["data.nt"])
    with checksums.remembering(cache):  # a second start
        checksums.verify(folder, ["data.nt"])
    assert reads == [str(folder / "data.nt")]
    checksums.verify(folder, ["data.nt"])  # outside remembering(): read as always
    assert len(reads) == 2


def test_a_changed_file_is_read_again_and_refused(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    with checksums.remembering(cache):
        checksums.verify(folder, ["data.nt"])
    data = folder / "data.nt"
    before = data.stat()
    flipped = bytearray(data.read_bytes())
    flipped[1] ^= 1
    data.write_bytes(bytes(flipped))  # same size; the times put back as they were
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    with checksums.remembering(cache), pytest.raises(KgError, match="does not match"):
        checksums.verify(folder, ["data.nt"])


def test_a_copy_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    with checksums.remembering(cache):
        checksums.verify(folder, ["data.nt"])
    copy = shutil.copytree(folder, tmp_path / "copy", copy_function=shutil.copy2)
    reads = _reads(monkeypatch)
    with checksums.remembering(cache):
        checksums.verify(copy, ["data.nt"])
    assert reads == [str(copy / "data.nt")]


def test_a_cache_that_cannot_be_written_costs_only_a_reading(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    with checksums.remembering(blocked / "cache"):
        checksums.verify(folder, ["data.nt"])
    assert blocked.read_text(encoding="utf-8").startswith("a file")
