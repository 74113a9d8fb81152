"""The indexes the build writes for the server: listed in their SHA256SUMS, checked when
opened, and made from the build's own store."""

import hashlib
from pathlib import Path

import pytest

from conftest import copy_tree
from kg.errors import KgError
from kg.publish import indexes


def test_the_build_writes_both_indexes_with_their_checksums(built: Path) -> None:
    folder = built / "indexes"
    listed = dict(
        reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert sorted(listed) == ["names.sqlite", "screening.sqlite"]
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    opened = indexes.verify(folder)
    assert opened.names.search("hikvision")[0].label.startswith("Hangzhou Hikvision")
    assert len(opened.screening) > 20


def test_a_changed_index_is_refused(built: Path, tmp_path: Path) -> None:
    folder = copy_tree(built / "indexes", tmp_path / "indexes")
    with (folder / "names.sqlite").open("r+b") as stream:
        stream.seek(5000)
        stream.write(b"damaged!")
    with pytest.raises(KgError, match=r"names\.sqlite does not match its checksum"):
        indexes.verify(folder)


def test_a_build_before_the_indexes_has_none(built: Path, tmp_path: Path) -> None:
    assert indexes.present(built / "indexes")
    assert not indexes.present(tmp_path / "indexes")
