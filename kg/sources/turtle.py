"""Curated sources: a Turtle file of facts, written by hand from one source document."""

import logging
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import SourceError
from kg.store import rdflib_graph
from kg.vocab import PREFIXES, RDF

log = logging.getLogger(__name__)

#: What to do about a missing ontology or shapes file.
ONTOLOGY_MISSING = (
    "point --ontology (KG_ONTOLOGY_DIR) at a folder with entitylist.ttl and shapes.ttl"
)


def parse_turtle(
    path: Path,
    base: str | None,
    missing: str = "create it, or set facts = ... in source.toml",
) -> set[ox.Triple]:
    """The triples of the Turtle file at path, as Oxigraph terms; relative IRIs resolve
    against `base`.

    A missing file or a syntax error is a SourceError naming the file (and line), with
    `missing` as what to do about a missing one.
    """
    try:
        text = path.read_bytes()
        triples = {quad.triple for quad in ox.parse(text, ox.RdfFormat.TURTLE, base_iri=base)}
    except FileNotFoundError as error:
        raise SourceError("file not found", where=str(path), hint=missing) from error
    except SyntaxError as error:
        raise SourceError(
            f"Turtle syntax error: {error.msg}",
            where=f"{path}:{error.lineno}",
            hint="fix the Turtle at that line (a missing '.', ';' or quote is usual)",
        ) from error
    log.debug("read %d triples from %s", len(triples), path)
    return triples


def read_turtle(
    path: Path,
    graph: Graph,
    base: str | None,
    missing: str = "create it, or set facts = ... in source.toml",
) -> None:
    """Parse the Turtle file at path into an rdflib graph, as parse_turtle reads it.

    The edge where rdflib is needed: kg.validate reads the shapes as an rdflib graph (its
    engine and pyshacl walk them with rdflib). Everything else reads parse_turtle's terms.
    """
    rdflib_graph(parse_turtle(path, base, missing), graph)


def line_of(path: Path, node: str, base: str, predicate: str | None = None) -> int | None:
    """The line of a Turtle file that states node's `predicate` (or describes node at all).

    The search starts at each line where the node is the subject and runs to the end of that
    statement, so that an error points at the offending property, not at the first mention.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    names = [f"<{node}>"] + ([f"<{node[len(base) :]}>"] if node.startswith(base) else [])
    spellings = _spellings(predicate) if predicate else []
    starts = [n for n, line in enumerate(lines) if line.startswith(tuple(names))]
    for start in starts:
        for number in range(start, len(lines)):
            if any(spelling in lines[number] for spelling in spellings):
                return number + 1
            if lines[number].rstrip().endswith(" ."):
                break
    if starts:
        return starts[0] + 1
    mentions = [n for n, line in enumerate(lines) if any(name in line for name in names)]
    return mentions[0] + 1 if mentions else None


def _spellings(predicate: str) -> list[str]:
    """How a predicate IRI can be written: in full, or with one of our prefixes."""
    found = [f"<{predicate}>"]
    for prefix, namespace in PREFIXES.items():
        if predicate.startswith(namespace):
            found.append(f"{prefix}:{predicate[len(namespace) :]} ")
    if predicate == str(RDF.type):
        found.append(" a ")
    return found
