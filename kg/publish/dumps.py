"""Dump files of the whole dataset, each also gzip-compressed, written deterministically."""

import contextvars
import gzip
import hashlib
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import pyoxigraph as ox
from rdflib import Graph

from kg.publish import checksums, sorted_lines
from kg.publish.disk_errors import with_errno
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

    Each graph is written as N-Triples by Oxigraph and sorted as bytes by `sort` (GNU
    coreutils, LC_ALL=C), which fixes one order for every format; the dumps are made from
    those files a stream at a time (kg.publish.sorted_lines), never whole in memory: as
    byte strings they were the peak of the build (4x the 2022 CSL: 3.5 GB). Each dump is
    compressed by a thread while the next is made (zlib and file reads release the GIL).
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[DumpFile] = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix=".sorting-", dir=folder.parent) as scratch,
            ThreadPoolExecutor(max_workers=1) as compressor,
        ):
            jobs = _write_each(store, folder, Path(scratch), base, compressor)
            for job in jobs:
                written += job.result()
    except OSError as error:
        raise with_errno(error, folder) from error
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


def _write_each(
    store: ox.Store, folder: Path, scratch: Path, base: str, compressor: ThreadPoolExecutor
) -> list[Future[list[DumpFile]]]:
    """Write each format in turn, each compressed by `compressor` while the next is made."""
    graphs = sorted_lines.graphs(store, scratch)
    jobs = []
    for dump in FORMATS:
        path = folder / f"{STEM}.{dump.suffix}"
        _WRITERS[dump.suffix](graphs, path, base)
        log.info("dump %s: %d bytes", path.name, path.stat().st_size)
        # The thread sees the build's remembered digests (kg.publish.checksums).
        jobs.append(compressor.submit(contextvars.copy_context().run, _with_gzip, path, dump))
    return jobs


def _nquads(graphs: sorted_lines.Graphs, path: Path, base: str) -> None:
    """Every quad, its lines sorted (for sort, comm and diff): a merge of the graphs'."""
    sorted_lines.sort([graph.quads for graph in graphs], path, graphs.scratch, merge=True)


def _trig(graphs: sorted_lines.Graphs, path: Path, base: str) -> None:
    ox.serialize(graphs.by_graph(), output=str(path), format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def _ntriples(graphs: sorted_lines.Graphs, path: Path, base: str) -> None:
    """Every triple once, sorted: a triple stated by several graphs is one line."""
    sorted_lines.sort([g.triples for g in graphs], path, graphs.scratch, merge=True, unique=True)


def _turtle(graphs: sorted_lines.Graphs, path: Path, base: str) -> None:
    """The merged graph: the N-Triples dump (written before it), as Turtle."""
    triples = ox.parse(path=str(path.with_suffix(".nt")), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, output=str(path), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _jsonld(graphs: sorted_lines.Graphs, path: Path, base: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:  # "\n" on every system
        _write_jsonld(graphs.by_graph(), out, base)


_WRITERS = {"nq": _nquads, "trig": _trig, "nt": _ntriples, "ttl": _turtle, "jsonld": _jsonld}


BLOCK = 1 << 20  # bytes read at a time to digest and compress


def _with_gzip(path: Path, dump: DumpFormat) -> list[DumpFile]:
    """The file's entry and its gzip twin's; the twin is written as the file is read for
    its digest, one pass."""
    twin = path.with_name(f"{path.name}.gz")
    digest = hashlib.sha256()
    with path.open("rb") as source, twin.open("wb") as raw, _gzip(raw) as packed:
        while block := source.read(BLOCK):
            digest.update(block)
            packed.write(block)
    return [
        _entry(path, digest.hexdigest(), dump.media_type, dump.title),
        _entry(
            twin,
            checksums.sha256_of(twin),
            dump.media_type,
            f"{dump.title}, gzip-compressed",
            compressed=True,
        ),
    ]


#: Quads Oxigraph writes as JSON-LD at a time: the document is read back by json, whose
#: objects cost ten times its bytes, so it is read a slice at a time.
JSONLD_SLICE = 20_000


def _write_jsonld(quads: Iterator[ox.Quad], out: TextIO, base: str) -> None:
    """JSON-LD with named graphs and our context inline, one node object per line.

    Oxigraph writes the quads (rdflib's writer took 20 s and a gigabyte on the whole CSL),
    then IRIs are shortened to the context's prefixes, the only compaction the context
    allows. Lines rather than indentation: json's C encoder writes them, grep and diff
    read them. `quads` come graph after graph, a subject's together in its graph, so that
    slices cut where a subject ends give the same node objects as the whole document would.
    """
    ctx = context(base)["@context"]
    shorten = _Shortener(ctx)
    out.write(f'{{"@context": {_line(ctx)},\n"@graph": [\n')
    items = _Separated(out)  # the default graph's node objects, and each named graph
    graph: str | None = None  # the named graph being written
    nodes = _Separated(out)
    for piece in _slices(quads):
        for item in json.loads(_bytes(ox.serialize(piece, format=ox.RdfFormat.JSON_LD))):
            if "@graph" not in item:  # a node of the default graph, which comes first
                items.write(_line(shorten.node(item)))
                continue
            if item["@id"] != graph:
                if graph is not None:
                    out.write("\n]}")
                graph, nodes = item["@id"], _Separated(out)
                items.write(f'{{"@id": {_line(shorten.iri(graph))}, "@graph": [\n')
            for node in item["@graph"]:
                nodes.write(_line(shorten.node(node)))
    if graph is not None:
        out.write("\n]}")
    out.write("\n]}\n")


class _Separated:
    """Writes items to a stream with ",\n" between them."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.first = out, True

    def write(self, text: str) -> None:
        if not self.first:
            self.out.write(",\n")
        self.out.write(text)
        self.first = False


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


def _bytes(payload: bytes | None) -> bytes:
    """serialize() and dump() return bytes when they are given no output file."""
    assert payload is not None
    return payload


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


def _gzip(raw: BinaryIO) -> gzip.GzipFile:
    """gzip with no file name and no time stamp in the header, so the bytes are stable."""
    # Level 6, not 9: a third of the time on the whole CSL for files 3% larger.
    return gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0, compresslevel=6)


def write_file(
    path: Path, payload: bytes, media_type: str, title: str, *, compressed: bool = False
) -> DumpFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return _entry(path, hashlib.sha256(payload).hexdigest(), media_type, title, compressed)


def _entry(
    path: Path, digest: str, media_type: str, title: str, compressed: bool = False
) -> DumpFile:
    """A file just written, whose digest was taken from its bytes (and is remembered)."""
    checksums.hashed(path, digest)
    return DumpFile(
        name=path.name,
        media_type=media_type,
        title=title,
        size=path.stat().st_size,
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
