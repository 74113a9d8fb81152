"""Dump files of the whole dataset, each also gzip-compressed, written deterministically."""

import gzip
import hashlib
import heapq
import io
import json
import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.publish import checksums
from kg.publish.files import CONTEXT, STEM
from kg.vocab import PREFIXES, prefixes

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class DumpFile:
    """A file written to the dumps folder, as the dataset description lists it."""

    name: str
    media_type: str
    title: str
    size: int
    sha256: str
    compressed: bool = False


@dataclass(frozen=True)
class DumpFormat:
    suffix: str
    media_type: str
    title: str


FORMATS = (
    DumpFormat("nq", "application/n-quads", "N-Quads (named graphs kept)"),
    DumpFormat("trig", "application/trig", "TriG (named graphs kept)"),
    DumpFormat("nt", "application/n-triples", "N-Triples (all graphs merged, sorted lines)"),
    DumpFormat("ttl", "text/turtle", "Turtle (all graphs merged)"),
    DumpFormat("jsonld", "application/ld+json", "JSON-LD (named graphs kept)"),
)


def context(base: str) -> dict[str, Any]:
    """The JSON-LD @context we publish: our prefixes, and `id:` for the IRIs we mint."""
    return {"@context": prefixes(base)}


def write_dumps(store: ox.Store, folder: Path, base: str) -> list[DumpFile]:
    """Write every dump format and its .gz twin; return what was written.

    Oxigraph writes each graph as N-Triples and the lines are sorted as bytes, which fixes
    one order for every format; each payload is compressed and written by a thread while
    the next format is made (zlib and file writes release the GIL).
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[DumpFile] = []
    with ThreadPoolExecutor(max_workers=1) as writer:
        previous: Future[list[DumpFile]] | None = None
        # The generator holds the graphs' lines alone, so that it can let them go early.
        for dump, payload in zip(FORMATS, _payloads(_graph_lines(store), base), strict=True):
            if previous is not None:  # at most two payloads alive: this one and the last
                written += previous.result()
            previous = writer.submit(_write_with_gzip, folder, dump, payload)
            del payload
        assert previous is not None
        written += previous.result()
    context_bytes = _json_bytes(context(base))
    written.append(
        write_file(
            folder / CONTEXT,
            context_bytes,
            "application/ld+json",
            "JSON-LD context of the dumps",
        )
    )
    return written


GraphLines = list[tuple[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[bytes]]]


def _graph_lines(store: ox.Store) -> GraphLines:
    """Each non-empty graph (the default graph first, then by name) and its sorted lines."""
    names = sorted(store.named_graphs(), key=str)
    graphs: GraphLines = []
    for name in [ox.DefaultGraph(), *names]:
        lines = _bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)).splitlines()
        if lines:
            graphs.append((name, sorted(lines)))
    return graphs


def _payloads(graphs: GraphLines, base: str) -> Iterator[bytes]:
    """The dumps in the order of FORMATS, each made when the writer asks for it.

    The data is held as few big byte strings, not as a Python object per quad or per
    JSON value: those cost ten times the bytes (4x the 2022 CSL: 5.3 GB at the peak of
    this stage), and the formats are parsed again, a quad at a time, where they are needed.
    The sorted dumps are merges of the graphs' sorted lines (heapq.merge), not sorts of a
    copy of them: a quad line is its triple's line with the graph's name before the " .",
    and that keeps a graph's order, since no line of a graph is the start of another.
    """
    yield b"".join(heapq.merge(*(_quad_lines(name, lines) for name, lines in graphs)))
    # N-Quads, sorted lines (for sort, comm and diff); then each graph's lines together
    by_graph = b"".join(line for name, lines in graphs for line in _quad_lines(name, lines))
    yield _bytes(ox.serialize(_parsed(by_graph), format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
    triples = _joined(list(_once(heapq.merge(*(lines for _, lines in graphs)))))
    graphs.clear()
    yield triples
    merged = ox.parse(triples, format=ox.RdfFormat.N_TRIPLES)
    del triples
    yield _bytes(ox.serialize(merged, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    yield _jsonld(by_graph, base)


def _quad_lines(
    name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, lines: list[bytes]
) -> Iterator[bytes]:
    """A graph's N-Triples lines as N-Quads lines, each ending in a newline."""
    if isinstance(name, ox.DefaultGraph):
        return (line + b"\n" for line in lines)
    suffix = str(name).encode() + b" .\n"
    return (line[:-1] + suffix for line in lines)


def _once(lines: Iterator[bytes]) -> Iterator[bytes]:
    """Sorted lines without repeats: a triple stated by several graphs is one line."""
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


def _parsed(nquads: bytes) -> Iterator[ox.Quad]:
    return ox.parse(nquads, format=ox.RdfFormat.N_QUADS)


def _joined(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def _write_with_gzip(folder: Path, dump: DumpFormat, payload: bytes) -> list[DumpFile]:
    name = f"{STEM}.{dump.suffix}"
    log.info("dump %s: %d bytes", name, len(payload))
    return [
        write_file(folder / name, payload, dump.media_type, dump.title),
        write_file(
            folder / f"{name}.gz",
            gzip_bytes(payload),
            dump.media_type,
            f"{dump.title}, gzip-compressed",
            compressed=True,
        ),
    ]


def _bytes(payload: bytes | None) -> bytes:
    """serialize() and dump() return bytes when they are given no output file."""
    assert payload is not None
    return payload


#: Quads Oxigraph writes as JSON-LD at a time: the document is read back by json, whose
#: objects cost ten times its bytes, so it is read a slice at a time.
JSONLD_SLICE = 20_000


def _jsonld(nquads: bytes, base: str) -> bytes:
    """JSON-LD with named graphs and our context inline, one node object per line.

    Oxigraph writes the quads (rdflib's writer took 20 s and a gigabyte on the whole CSL),
    then IRIs are shortened to the context's prefixes, the only compaction the context
    allows. Lines rather than indentation: json's C encoder writes them, grep and diff
    read them. `nquads` holds each graph's quads together and each subject's together in
    its graph, so that slices cut where a subject ends give the same node objects as the
    whole document would.
    """
    ctx = context(base)["@context"]
    shorten = _Shortener(ctx)
    items: list[str] = []  # the default graph's node objects, and each named graph's
    graph: str | None = None  # the named graph whose node objects `nodes` collects
    nodes: list[str] = []
    for piece in _slices(_parsed(nquads)):
        for item in json.loads(_bytes(ox.serialize(piece, format=ox.RdfFormat.JSON_LD))):
            if "@graph" not in item:  # a node of the default graph
                items.append(_line(shorten.node(item)))
                continue
            if item["@id"] != graph:
                _close_graph(items, graph, nodes, shorten)
                graph, nodes = item["@id"], []
            nodes += (_line(shorten.node(node)) for node in item["@graph"])
    _close_graph(items, graph, nodes, shorten)
    body = ",\n".join(items)
    return f'{{"@context": {_line(ctx)},\n"@graph": [\n{body}\n]}}\n'.encode()


def _slices(quads: Iterator[ox.Quad]) -> Iterator[list[ox.Quad]]:
    """The quads in lists of about JSONLD_SLICE, each cut where a subject or graph ends."""
    piece: list[ox.Quad] = []
    for quad in quads:
        if len(piece) >= JSONLD_SLICE and (
            quad.subject != piece[-1].subject or quad.graph_name != piece[-1].graph_name
        ):
            yield piece
            piece = []
        piece.append(quad)
    if piece:
        yield piece


def _close_graph(
    items: list[str], graph: str | None, nodes: list[str], shorten: "_Shortener"
) -> None:
    if graph is not None:
        joined = ",\n".join(nodes)
        items.append(f'{{"@id": {_line(shorten.iri(graph))}, "@graph": [\n{joined}\n]}}')


def _line(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Shortener:
    """Compact IRIs (prefix:rest) for keys, @id and @type; values are left as they are."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        # Longest namespace first, so that id: wins over a shorter namespace it extends.
        self.namespaces = sorted(namespaces.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        if iri not in self.cache:
            self.cache[iri] = next(
                (
                    f"{prefix}:{iri[len(namespace) :]}"
                    for prefix, namespace in self.namespaces
                    if iri.startswith(namespace)
                    and len(iri) > len(namespace)
                    and not iri[len(namespace) :].startswith("//")
                ),
                iri,
            )
        return self.cache[iri]

    def node(self, item: Any) -> Any:
        if isinstance(item, list):
            return [self.node(member) for member in item]
        if not isinstance(item, dict):
            return item
        shortened: dict[str, Any] = {}
        for key, value in item.items():
            if key in ("@id", "@type"):
                shortened[key] = (
                    [self.iri(v) for v in value] if isinstance(value, list) else self.iri(value)
                )
            elif key.startswith("@"):
                shortened[key] = self.node(value) if key == "@graph" else value
            else:
                shortened[self.iri(key)] = self.node(value)
        return shortened


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


def gzip_bytes(payload: bytes) -> bytes:
    """gzip with no file name and no time stamp in the header, so the bytes are stable."""
    buffer = io.BytesIO()
    # Level 6, not 9: a third of the time on the whole CSL for files 3% larger.
    with gzip.GzipFile(fileobj=buffer, mode="wb", filename="", mtime=0, compresslevel=6) as handle:
        handle.write(payload)
    return buffer.getvalue()


def write_file(
    path: Path, payload: bytes, media_type: str, title: str, *, compressed: bool = False
) -> DumpFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    digest = hashlib.sha256(payload).hexdigest()
    checksums.hashed(path, digest)
    return DumpFile(
        name=path.name,
        media_type=media_type,
        title=title,
        size=len(payload),
        sha256=digest,
        compressed=compressed,
    )


def published(files: Iterable[DumpFile]) -> list[DumpFile]:
    """What the description names as distributions and the static site carries: each dump
    compressed, and each file that has no compressed twin (the description, the ontology...).

    One distribution per format, as open-data publishers offer bulk RDF: the gzip file is 10
    to 20 times smaller, every RDF tool reads it, and a static host serves it as it is. The
    uncompressed twins stay in the build folder, where the persistent store is read from them
    and `kg serve` serves them.

    >>> files = [DumpFile(name=n, media_type="text/turtle", title="", size=1, sha256="")
    ...          for n in ("a.ttl", "a.ttl.gz", "entitylist.ttl")]
    >>> [f.name for f in published(files)]
    ['a.ttl.gz', 'entitylist.ttl']
    """
    files = list(files)
    names = {f.name for f in files}
    return [f for f in files if f.name.endswith(".gz") or f"{f.name}.gz" not in names]


def write_checksums(folder: Path, files: Iterable[DumpFile]) -> None:
    """A SHA256SUMS file that `sha256sum -c` reads."""
    checksums.write(folder, {dump.name: dump.sha256 for dump in files})


def stable_turtle(graph: Graph | Iterable[ox.Triple]) -> bytes:
    """Turtle with triples in a fixed order, for small generated graphs (descriptions, reports,
    changes). An rdflib graph (kg.publish.describe and release, kg.validate.report make
    theirs with rdflib) is read through N-Triples."""
    if isinstance(graph, Graph):
        nt = graph.serialize(format="nt", encoding="utf-8")
        graph = [quad.triple for quad in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
    ordered = sorted(graph, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return _bytes(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
