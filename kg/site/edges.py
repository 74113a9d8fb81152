"""What the sources say of a resource, and what links to it: read from the store when a page
asks, not gathered for the whole site.

Gathered, every stated triple was two Python objects or more (the whole 2022 CSL: 220 MiB of
the 244 MiB the site's facts took, growing with the data), and each forked renderer copied
the memory pages it touched. A page reads its resource's triples from the store instead
(an in-memory store answers a subject's in 30 µs); the last few thousand answers are kept,
since a list or rationale page asks for the same entities again.

The store's merge (its default graph) and the entailed graphs are left out: a page shows
what the sources state, each triple once. A triple a source states is cited to the sources
alone, not to a derived graph of ours that repeats it: the history graphs' names of the
parties whose list actions they hold were cited as sources of those names (trial 54a).
"""

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Generic, NamedTuple, TypeVar

import pyoxigraph as ox

#: Answers kept per mapping: a page and the pages about the same entities after it.
CACHED = 4096

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Value(NamedTuple):
    """One value on a page: an IRI to link (with its label) or a literal to show.

    A named tuple: a page makes hundreds of them, and a frozen dataclass takes several
    times as long to create."""

    text: str
    iri: str | None = None
    language: str | None = None
    datatype: str | None = None
    #: The named graphs that state it, one per source, sorted: what a page cites for it.
    sources: tuple[str, ...] = ()


def value(term: Term, sources: tuple[str, ...] = ()) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(term.value, iri=term.value, sources=sources)
    if isinstance(term, ox.Literal):
        return Value(
            term.value, language=term.language, datatype=term.datatype.value, sources=sources
        )
    return Value(str(term), sources=sources)


Pattern = Callable[..., Iterator[ox.Quad]]
Edge = TypeVar("Edge", str, Value)


class _Edges(Mapping[str, list[tuple[str, Edge]]], Generic[Edge]):
    """A read-only mapping from an IRI to its edges, each read from the store on demand.

    `keys` are the IRIs that have edges, known up front (a site lists its resources by
    them); looking up any other IRI reads nothing."""

    def __init__(
        self,
        pattern: Pattern,
        keys: frozenset[str],
        ignored: frozenset[Term],
        derived: frozenset[str] = frozenset(),
    ) -> None:
        self._pattern, self._keys, self._ignored = pattern, keys, ignored
        self._derived = derived
        self._read: Callable[[str], list[tuple[str, Edge]]] = functools.lru_cache(maxsize=CACHED)(
            self._edges
        )

    def __getitem__(self, iri: str) -> list[tuple[str, Edge]]:
        if iri not in self._keys:
            raise KeyError(iri)
        return self._read(iri)

    def __contains__(self, iri: object) -> bool:
        return iri in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def _stated(self, quads: Iterator[ox.Quad]) -> dict[ox.Triple, tuple[str, ...]]:
        """The triples of the named graphs we show, each once, with the graphs stating it:
        the sources' where one states it, else our derived graphs'."""
        graphs: dict[ox.Triple, list[str]] = {}
        for quad in quads:
            if (
                not isinstance(quad.graph_name, ox.DefaultGraph)
                and quad.graph_name not in self._ignored
                and isinstance(quad.subject, ox.NamedNode)
            ):
                graphs.setdefault(quad.triple, []).append(quad.graph_name.value)
        return {triple: self._cited(names) for triple, names in graphs.items()}

    def _cited(self, names: list[str]) -> tuple[str, ...]:
        sources = [name for name in names if name not in self._derived]
        return tuple(sorted(sources or names))

    def _edges(self, iri: str) -> list[tuple[str, Edge]]:
        raise NotImplementedError


class Described(_Edges[Value]):
    """IRI -> what the sources say of it: (property, value), sorted by property, then value;
    each value names the graphs that state it."""

    def _edges(self, iri: str) -> list[tuple[str, Value]]:
        triples = self._stated(self._pattern(ox.NamedNode(iri), None, None, None))
        edges = [(t.predicate.value, value(t.object, graphs)) for t, graphs in triples.items()]
        return sorted(edges, key=_by_property_and_value)


class Linking(_Edges[str]):
    """IRI -> what links to it: (property, subject), sorted."""

    def _edges(self, iri: str) -> list[tuple[str, str]]:
        triples = self._stated(self._pattern(None, None, ox.NamedNode(iri), None))
        return sorted((t.predicate.value, t.subject.value) for t in triples)  # type: ignore[union-attr]


def _by_property_and_value(item: tuple[str, Value]) -> tuple[str, ...]:
    predicate, found = item
    return (predicate, found.text, found.iri or "", found.language or "", found.datatype or "")
