"""An index as a file: SQLite tables that the build writes once and a server reads in place.

Built from query rows at start-up, the name and screening indexes cost a server time and
memory that grow with the names (16 s and hundreds of MB of Python objects for the 2022
CSL, eight times that at eight times the rows). Written once by the build as SQLite files,
they open in no time whatever their size: a lookup reads the few pages it needs, which the
page cache shares between every process that reads the file (replicas on one machine).
SQLite is in the standard library, its file format is stable and documented, and a file
opened read-only with `immutable=1` takes no lock and writes nothing.

Lists of positions are stored as little-endian 32-bit integers (a blob), lists of words as
JSON: both decode in one call, without a Python object per row of the file.
"""

import errno
import json
import os
import sqlite3
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg.errors import KgError

#: Written into every index file; a file of another format is refused, not misread.
FORMAT = 1


def positions_blob(positions: Iterable[int]) -> bytes:
    """Positions as little-endian 32-bit integers.

    >>> positions_of(positions_blob([3, 70000]))
    array('i', [3, 70000])
    """
    packed = array("i", positions)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def positions_of(blob: bytes) -> array:  # type: ignore[type-arg]
    packed = array("i")
    packed.frombytes(blob)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def write(
    path: Path,
    schema: str,
    tables: dict[str, Iterable[Sequence[object]]],
    meta: dict[str, object],
) -> None:
    """A new index file at path: the schema's tables, each filled with its rows, and `meta`
    (key -> JSON value, with the format)."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;" + schema
        )
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                (key, json.dumps(value, sort_keys=True))
                for key, value in (meta | {"format": FORMAT}).items()
            ],
        )
        for table, rows in tables.items():
            columns = connection.execute(f"SELECT * FROM {table} LIMIT 0").description
            marks = ", ".join("?" * len(columns))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        connection.commit()
        connection.execute("VACUUM")  # pages in key order, nothing free: the same file each time
    except sqlite3.OperationalError as error:
        # SQLite says "database or disk is full" for a full disk: the error a build reports
        # as such (and so keeps the previous output), not a traceback.
        if error.sqlite_errorcode == sqlite3.SQLITE_FULL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from error
        raise
    finally:
        connection.close()


class Stored:
    """An index file opened read-only, with one connection per thread (routes answer in
    threads; a connection is not shared between them)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        try:
            found = self.one("SELECT value FROM meta WHERE key = 'format'")
        except sqlite3.Error as error:
            raise KgError(
                f"cannot read the index: {error}",
                where=str(path),
                hint="rebuild with `kg build`, or copy the build folder again",
            ) from error
        if found is None or json.loads(found[0]) != FORMAT:
            raise KgError(
                f"the index is not of format {FORMAT}",
                where=str(path),
                hint="rebuild with the `kg build` of this version",
            )

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            uri = f"file:{quote(str(self.path))}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.connection = connection
        return connection

    def one(self, sql: str, *parameters: object) -> Any:
        """The first row of a query, or None."""
        return self._connection().execute(sql, parameters).fetchone()

    def rows(self, sql: str, *parameters: object) -> Iterator[Any]:
        return iter(self._connection().execute(sql, parameters).fetchall())

    def has(self, key: str) -> bool:
        """Whether the index records `key` (an older one may not)."""
        return self.one("SELECT 1 FROM meta WHERE key = ?", key) is not None

    def meta(self, key: str) -> Any:
        found = self.one("SELECT value FROM meta WHERE key = ?", key)
        if found is None:
            raise KgError(f"the index has no {key!r}", where=str(self.path), hint="rebuild it")
        return json.loads(found[0])
