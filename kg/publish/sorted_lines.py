"""Each graph of a store as files of sorted lines, the one order every dump is made in.

Oxigraph writes a graph as N-Triples and `sort` (GNU coreutils, with LC_ALL=C: bytes
compared as bytes) sorts it and merges sorted files, in a bounded buffer, spilling to disk
past it: the external sort every Unix has, rather than one of our own. A graph's quad lines
are its triple lines with the graph's name before the " .", which keeps their order (no
line of a graph is the start of another: each ends in a term, then " ."), so the sorted
N-Quads dump is a merge of the graphs' quad files.
"""

import itertools
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.publish.disk_errors import with_errno

#: Memory `sort` may use before it spills to files of its own in the scratch folder.
SORT_BUFFER = "256M"

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


@dataclass(frozen=True)
class Graph:
    name: GraphName
    #: its triples as N-Triples lines, sorted
    triples: Path
    #: the same lines as N-Quads lines (the default graph's are its triple lines)
    quads: Path


class Graphs(list[Graph]):
    """The store's non-empty graphs, the default graph first, then by name; and the scratch
    folder their files are in."""

    def __init__(self, graphs: list[Graph], scratch: Path) -> None:
        super().__init__(graphs)
        self.scratch = scratch

    def by_graph(self) -> Iterator[ox.Quad]:
        """Every quad, graph after graph, each graph's in its sorted order."""
        parsed = (ox.parse(path=str(g.quads), format=ox.RdfFormat.N_QUADS) for g in self)
        return itertools.chain.from_iterable(parsed)


def graphs(store: ox.Store, scratch: Path) -> Graphs:
    """Write each graph's sorted files into `scratch`."""
    names: list[GraphName] = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]
    found = []
    for number, name in enumerate(names):
        raw, triples = scratch / f"{number:06d}.raw.nt", scratch / f"{number:06d}.nt"
        store.dump(output=str(raw), format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        if raw.stat().st_size:
            sort([raw], triples, scratch)
            found.append(Graph(name, triples, _as_quads(name, triples)))
        raw.unlink()
    return Graphs(found, scratch)


def sort(
    sources: list[Path], target: Path, scratch: Path, *, merge: bool = False, unique: bool = False
) -> None:
    """Sort (or merge, if each is sorted already) the lines of `sources` into `target`."""
    options = ["--merge"] * merge + ["--unique"] * unique
    command = [
        "sort",
        *options,
        f"--buffer-size={SORT_BUFFER}",
        f"--temporary-directory={scratch}",
        f"--output={target}",
        "--",
        *map(str, sources),
    ]
    try:
        subprocess.run(
            command, env={**os.environ, "LC_ALL": "C"}, check=True, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise KgError("the `sort` command was not found", hint="install GNU coreutils") from error
    except subprocess.CalledProcessError as error:
        # A full disk is said as for any file the build writes (kg.publish.staging).
        disk = with_errno(OSError(error.stderr), target)
        if disk.errno is not None:
            raise disk from error
        raise KgError(
            f"`sort` failed: {error.stderr.strip()}",
            where=str(target),
            hint="this is a fault of ours or of the system's `sort`; please report it",
        ) from error


def _as_quads(name: GraphName, triples: Path) -> Path:
    """The graph's sorted N-Triples lines as N-Quads lines."""
    if isinstance(name, ox.DefaultGraph):
        return triples
    quads = triples.with_suffix(".nq")
    suffix = str(name).encode() + b" .\n"
    with triples.open("rb") as lines, quads.open("wb") as out:
        out.writelines(line[:-3] + b" " + suffix for line in lines)
    return quads
