"""Named graphs written into the build's store as they are made, a chunk at a time.

The CSL snapshots are most of the data (24 times the 2022 list: about 11 million triples).
Held as Python sets of `ox.Triple` until the store was loaded, they were alive beside the
store at the load. A `StreamedGraph` is the set the mapping writes into (`add`,
`discard`), but it keeps only a chunk of quads before the store takes them.

The store keeps one canonical form of each typed value (kg.validate.literals), so each
chunk's typed literals are asked of a store first (once per distinct literal, `Literals`);
a literal the store would rewrite is remembered with its triple as written, for the check
that refuses it before anything is published.
"""

from collections.abc import Iterable

import pyoxigraph as ox

from kg.store import as_stored, typed

#: Quads held before the store takes them (about 1.2 KB each as Python objects: 350 MiB).
#: Each bulk load writes new files into the store, and costs more the more the store holds
#: (the ingest grew faster than the data), so fewer, larger loads: at 4 times the CSL,
#: 100,000 took the ingest 77 s of CPU and 300,000 took 65 s (the mean of 4 and 3 runs), for
#: 236 MiB more, which stays under the later stages' peaks at every size.
CHUNK = 300_000


class Literals:
    """What a store makes of each typed literal seen so far, and every triple whose literal
    it would rewrite (with the form it would publish)."""

    def __init__(self) -> None:
        self.stored: dict[ox.Literal, ox.Literal] = {}
        self.rewritten: list[tuple[ox.Triple, ox.Literal]] = []

    def check(self, quads: list[ox.Quad]) -> None:
        found = [quad for quad in quads if typed(quad.object)]
        unknown = {quad.object for quad in found} - self.stored.keys()
        if unknown:
            self.stored.update(as_stored(unknown))  # type: ignore[arg-type]
        for quad in found:
            made = self.stored[quad.object]  # type: ignore[index]
            if made != quad.object:
                self.rewritten.append((quad.triple, made))


class StreamedGraph:
    """One named graph of `store`, written as its triples come (see the module's note)."""

    def __init__(
        self, store: ox.Store, name: ox.NamedNode, literals: Literals, *, chunk: int = CHUNK
    ) -> None:
        self.store, self.name, self.literals, self.chunk = store, name, literals, chunk
        self._chunk: list[ox.Quad] = []
        self._written = False

    def add(self, triple: ox.Triple) -> None:
        self._chunk.append(ox.Quad(triple.subject, triple.predicate, triple.object, self.name))
        self._written = True
        if len(self._chunk) >= self.chunk:
            self.flush()

    def update(self, triples: Iterable[ox.Triple]) -> None:
        for triple in triples:
            self.add(triple)

    def discard(self, triple: ox.Triple) -> None:
        """Take a triple out again (the store holds each once, as a set does)."""
        self.flush()
        self.store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, self.name))

    def flush(self) -> None:
        """Into the store with what is waiting, its literals checked first."""
        if self._chunk:
            self.literals.check(self._chunk)
            self.store.bulk_extend(self._chunk)
            self._chunk = []

    def __bool__(self) -> bool:
        """Whether anything was written (as an empty set is false)."""
        return self._written
