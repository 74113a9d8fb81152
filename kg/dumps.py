"""Dump files of the whole dataset, each also gzip-compressed, written deterministically."""

import gzip
import hashlib
import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.store import sorted_quads
from kg.vocab import PREFIXES, prefixes

log = logging.getLogger(__name__)

STEM = "entitylist-kg"


@dataclass(frozen=True)
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
    """Write every dump format and its .gz twin; return what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    quads = list(sorted_quads(store))
    triples = sorted(
        {q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    written: list[DumpFile] = []
    for dump in FORMATS:
        payload = _serialise(dump.suffix, quads, triples, base)
        name = f"{STEM}.{dump.suffix}"
        written.append(write_file(folder / name, payload, dump.media_type, dump.title))
        written.append(
            write_file(
                folder / f"{name}.gz",
                gzip_bytes(payload),
                dump.media_type,
                f"{dump.title}, gzip-compressed",
                compressed=True,
            )
        )
        log.info("dump %s: %d bytes", name, len(payload))
    context_bytes = _json_bytes(context(base))
    written.append(
        write_file(
            folder / "context.jsonld",
            context_bytes,
            "application/ld+json",
            "JSON-LD context of the dumps",
        )
    )
    return written


def _serialise(suffix: str, quads: list[ox.Quad], triples: list[ox.Triple], base: str) -> bytes:
    """One dump: quads keep their graphs; triples are all graphs merged, sorted once."""
    if suffix == "nq":
        return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    if suffix == "trig":
        return _bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
    if suffix == "nt":
        return _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    if suffix == "ttl":
        return _bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    return _jsonld(quads, base)


def _bytes(payload: bytes | None) -> bytes:
    """serialize() returns bytes when it is given no output file."""
    assert payload is not None
    return payload


def _sorted_lines(payload: bytes | None) -> bytes:
    lines = sorted(set((payload or b"").splitlines()))
    return b"".join(line + b"\n" for line in lines)


def _jsonld(quads: list[ox.Quad], base: str) -> bytes:
    """JSON-LD with named graphs and our context inline: Oxigraph writes the sorted quads
    (rdflib's writer took 20 s and a gigabyte on the whole CSL), then IRIs are shortened to
    the context's prefixes, the only compaction the context allows."""
    ctx = context(base)["@context"]
    expanded = json.loads(_bytes(ox.serialize(quads, format=ox.RdfFormat.JSON_LD)))
    shorten = _Shortener(ctx)
    return _json_bytes({"@context": ctx, "@graph": [shorten.node(item) for item in expanded]})


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
    return DumpFile(
        path.name, media_type, title, len(payload), hashlib.sha256(payload).hexdigest(), compressed
    )


def write_checksums(folder: Path, files: Iterable[DumpFile]) -> None:
    """A SHA256SUMS file that `sha256sum -c` reads."""
    lines = sorted(f"{dump.sha256}  {dump.name}\n" for dump in files)
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def stable_turtle(graph: Graph) -> bytes:
    """Turtle with triples in a fixed order, for small generated graphs (descriptions, reports)."""
    triples = ox.parse(
        graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
    )
    ordered = sorted(
        (q.triple for q in triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    return _bytes(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
