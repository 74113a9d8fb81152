"""Curated sources: a Turtle file of facts, written by hand from one source document."""

import logging
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import SourceError
from kg.vocab import PREFIXES

log = logging.getLogger(__name__)


def read_turtle(
    path: Path,
    graph: Graph,
    base: str | None,
    missing: str = "create it, or set facts = ... in source.toml",
) -> None:
    """Parse the Turtle file at path into graph; relative IRIs resolve against `base`.

    A missing file or a syntax error is a SourceError naming the file (and line), with
    `missing` as what to do about a missing one.
    """
    try:
        # Parse from text: rdflib leaves a file it opened itself unclosed.
        graph.parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=base)
    except FileNotFoundError as error:
        raise SourceError("file not found", where=str(path), hint=missing) from error
    except BadSyntax as error:
        raise SourceError(
            f"Turtle syntax error: {error._why}",
            where=f"{path}:{error.lines + 1}",
            hint="fix the Turtle at that line (a missing '.', ';' or quote is usual)",
        ) from error
    log.debug("read %d triples from %s", len(graph), path)


def line_of(path: Path, node: URIRef, base: str, predicate: str | None = None) -> int | None:
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
