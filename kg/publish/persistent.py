"""The build's persistent store: an on-disk Oxigraph store that `kg serve` opens read-only.

It is written from the files the build publishes, so that it answers what they say: the
N-Quads dump in its graphs, the ontology and the description each in its own graph, and the
default graph as the RDF merge of them all (what a query without GRAPH or FROM sees; the
engine's union of graphs would repeat a triple once per graph that states it).

Beside the database, `SHA256SUMS` (sha256sum's format, so `sha256sum -c` checks a copy by
hand) lists every file of it, and `store.json` the number of quads in their graphs. A server
checks both before it serves the store (`verify`).
"""

import itertools
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import iris
from kg.errors import KgError
from kg.publish import checksums
from kg.publish.disk_errors import with_errno
from kg.publish.files import (
    CHECKSUMS,
    DESCRIPTION,
    NQUADS,
    NTRIPLES,
    ONTOLOGY_FILE,
    STORE_DATABASE,
    STORE_INFO,
)
from kg.vocab import ONTOLOGY_IRI

log = logging.getLogger(__name__)

#: Files RocksDB writes beside its data while a store is open (its own log): not data, not
#: checksummed, and rewritten by every process that opens the store.
_LOGS = ("LOG",)


@dataclass(frozen=True, kw_only=True)
class Checked:
    """A store that passed `verify`: where its database is, and how many quads it holds."""

    database: Path
    quads: int
    #: The triples of its default graph, the merge (fewer than the quads: a triple stated in
    #: two graphs is in it once); None in a store of before it was recorded.
    triples: int | None = None


def write(folder: Path, dumps: Path, base: str) -> int:
    """Write the store of the dumps in `dumps` into folder (new or empty); the quads in
    their graphs.

    The bulk loader writes sorted files straight to disk, a slice of the file at a time
    (`_bulk_load`). The data's merge is the N-Triples dump (every graph's triples, once):
    exact, since the data has no blank nodes (minted IRIs only), and loaded by the engine,
    not by Python.
    """
    folder.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(folder / STORE_DATABASE))
        _bulk_load(store, dumps / NQUADS, ox.RdfFormat.N_QUADS)
        _bulk_load(store, dumps / NTRIPLES, ox.RdfFormat.N_TRIPLES)
        for name, graph in ((ONTOLOGY_FILE, ONTOLOGY_IRI), (DESCRIPTION, iris.dataset(base))):
            store.bulk_extend(_with_merge(dumps / name, ox.NamedNode(graph)))
        store.optimize()  # compacts what the loads wrote, so that a reader opens fewer files
        store.flush()
        triples = _default_graph_size(store)
        quads = len(store) - triples
        del store  # closes the database: its files are final from here
    except OSError as error:
        raise with_errno(error, folder) from error
    _write_info(folder, quads, triples)
    log.info("persistent store: %d quads in %s", quads, folder)
    return quads


#: Lines of a dump the bulk loader takes at a time. Given a whole file, it holds more of it
#: the bigger the file (N-Quads of 4 times the 2022 CSL, 1.9 million quads: 1,272 MiB at
#: the peak); by slices of this many lines, 601 MiB (30 s against 22 s, both timed while
#: another build ran).
SLICE = 500_000


def _bulk_load(store: ox.Store, path: Path, format: ox.RdfFormat) -> None:
    """Load a line-based dump (N-Quads, N-Triples) into the store, SLICE lines at a time."""
    with path.open("rb") as lines:
        while piece := b"".join(itertools.islice(lines, SLICE)):
            store.bulk_load(piece, format=format)


def _with_merge(path: Path, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """Each triple of a Turtle file in `graph`, and in the default graph.

    One parse, so that a blank node (the ontology has some) is one node in both places.
    """
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
        yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


def _default_graph_size(store: ox.Store) -> int:
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QuerySolutions)
    return int(next(iter(answer))["n"].value)


def _write_info(folder: Path, quads: int, triples: int) -> None:
    info = folder / STORE_INFO
    counts = {"format": 1, "quads": quads, "triples": triples}
    info.write_text(json.dumps(counts) + "\n", encoding="utf-8")
    digests = {name: checksums.sha256_of(folder / name) for name in _files(folder)}
    checksums.write(folder, digests)


def recorded_quads(folder: Path) -> int:
    """The quads a store folder's STORE_INFO records; 0 where it records none (no store, or
    an unreadable file): for a warning that compares builds, not a check."""
    try:
        return _info_quads(folder)
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _info_quads(folder: Path) -> int:
    return int(_info(folder)["quads"])


def _info(folder: Path) -> dict[str, int]:
    info = json.loads((folder / STORE_INFO).read_text(encoding="utf-8"))
    if not isinstance(info, dict):
        raise TypeError(f"{STORE_INFO} holds no JSON object")
    return info


def _files(folder: Path) -> list[str]:
    """The store's files, relative to folder, but RocksDB's own logs and the checksums."""
    names = [STORE_INFO]
    for here, _, files in os.walk(folder / STORE_DATABASE):
        for name in files:
            if not name.startswith(_LOGS):
                names.append(str(Path(here, name).relative_to(folder)))
    return sorted(names)


def verify(folder: Path) -> Checked:
    """The store in folder, if every file matches SHA256SUMS and none is missing or extra.

    Reads every byte once (the 2022 CSL's store: 80 MB); a copy cut short, a file changed or
    a file of another build left in the folder is refused with what to do.
    """
    digests = checksums.read(folder)
    present = set(_files(folder))
    missing, extra = sorted(set(digests) - present), sorted(present - set(digests))
    if missing or extra:
        what = f"missing {', '.join(missing[:3])}" if missing else f"extra {', '.join(extra[:3])}"
        raise KgError(
            f"the store's files do not match its {CHECKSUMS} ({what})",
            where=str(folder),
            hint=checksums.REBUILD,
        )
    checksums.verify(folder, sorted(digests))
    try:
        info = _info(folder)
        quads, triples = int(info["quads"]), info.get("triples")
        triples = None if triples is None else int(triples)
    except (ValueError, KeyError, TypeError) as error:
        raise KgError(
            f"{STORE_INFO} does not say how many quads the store holds",
            where=str(folder / STORE_INFO),
            hint=checksums.REBUILD,
        ) from error
    return Checked(database=folder / STORE_DATABASE, quads=quads, triples=triples)
