"""The indexes `kg serve` searches and screens with, written once by the build.

A server that built them at start-up from its query workers' answers took 16 s of a 28 s
start for the 2022 CSL, and time and memory that grow with the names. The build writes them
instead, from the persistent store it has just written (the store the server queries, so
the same answers), as files that open in no time whatever the size (kg.match.stored):
`names.sqlite` for `/search`, `screening.sqlite` for `/match`, `/reconcile`, `/screen` and
`kg screen`. `SHA256SUMS` lists both; a server checks them before it serves them (`verify`).
"""

import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.match.index import MatchIndex
from kg.match.index_file import open_index, write_index
from kg.match.labels import KINDS_BROADER, broader_of
from kg.match.name_index import (
    COUNTRIES,
    NAMES,
    NameIndex,
    from_rows,
    open_names,
    write_names,
)
from kg.match.rows import run_queries
from kg.publish import checksums
from kg.publish.files import CHECKSUMS, NAME_INDEX, NQUADS, SCREENING_INDEX
from kg.store import text_rows

log = logging.getLogger(__name__)

FILES = (NAME_INDEX, SCREENING_INDEX)


@dataclass(frozen=True, kw_only=True)
class Indexes:
    names: NameIndex
    screening: MatchIndex


def write(folder: Path, database: Path, dumps: Path) -> None:
    """The indexes of the store at `database` into folder (new), with their SHA256SUMS;
    the screening index is pinned to the N-Quads dump's SHA-256 in `dumps`."""
    folder.mkdir(parents=True, exist_ok=True)
    store = ox.Store.read_only(str(database))
    rows = text_rows(store, NAMES)
    broader = broader_of(text_rows(store, KINDS_BROADER))
    index = from_rows(rows, broader, text_rows(store, COUNTRIES))
    names = len(index)  # entries, as kg serve's /health counts them (a name per row of rows)
    write_names(index, folder / NAME_INDEX)
    del rows, index  # one index in memory at a time
    screening = MatchIndex.from_rows(run_queries(store), checksums.read(dumps)[NQUADS])
    write_index(screening, folder / SCREENING_INDEX)
    del store
    checksums.write(folder, {name: checksums.sha256_of(folder / name) for name in FILES})
    log.info("indexes: %d names to search, %d parties to screen", names, len(screening))


def present(folder: Path) -> bool:
    """Whether the build has indexes (builds before them do not: a server makes its own)."""
    return (folder / CHECKSUMS).is_file()


def verify(folder: Path) -> Indexes:
    """The indexes in folder, if each file matches SHA256SUMS; opened, not read."""
    checksums.verify(folder, FILES)
    return Indexes(
        names=open_names(folder / NAME_INDEX), screening=open_index(folder / SCREENING_INDEX)
    )
