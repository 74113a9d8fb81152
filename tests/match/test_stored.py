"""Index files: what is not one, or not of this format, is refused with what to do."""

import sqlite3
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.match.stored import Stored, write

SCHEMA = "CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;"


def test_an_index_is_read_where_it_is(tmp_path: Path) -> None:
    write(tmp_path / "x.sqlite", SCHEMA, {"words": [("b", 2), ("a", 1)]}, {"size": 2})
    stored = Stored(tmp_path / "x.sqlite")
    assert stored.meta("size") == 2
    assert stored.one("SELECT n FROM words WHERE word = ?", "b") == (2,)
    assert list(stored.rows("SELECT word FROM words ORDER BY word")) == [("a",), ("b",)]


def test_a_file_that_is_no_index_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.sqlite").write_text("not a database\n" * 100)
    with pytest.raises(KgError, match="cannot read the index") as error:
        Stored(tmp_path / "x.sqlite")
    assert error.value.where == str(tmp_path / "x.sqlite")
    assert "kg build" in (error.value.hint or "")


def test_an_index_of_another_format_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "x.sqlite", SCHEMA, {}, {})
    with sqlite3.connect(tmp_path / "x.sqlite") as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'format'")
    with pytest.raises(KgError, match="not of format 1"):
        Stored(tmp_path / "x.sqlite")
