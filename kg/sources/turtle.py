"""Curated sources: a Turtle file of facts, written by hand from one source document."""

import logging
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import SourceError

log = logging.getLogger(__name__)


def read_turtle(path: Path, graph: Graph, base: str) -> None:
    """Parse the Turtle file at path into graph; relative IRIs resolve against `base`."""
    try:
        # Parse from text: rdflib leaves a file it opened itself unclosed.
        graph.parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=base)
    except FileNotFoundError as error:
        raise SourceError(
            "facts file not found",
            where=str(path),
            hint="create it, or set facts = ... in source.toml",
        ) from error
    except BadSyntax as error:
        raise SourceError(
            f"Turtle syntax error: {error.message}",
            where=f"{path}:{error.lines + 1}",
            hint="fix the Turtle at that line (a missing '.', ';' or quote is usual)",
        ) from error
    log.debug("read %d triples from %s", len(graph), path)


def line_of(path: Path, node: URIRef, base: str) -> int | None:
    """The line of a Turtle file that describes node, so that errors can point at it."""
    candidates = [f"<{node}>"]
    if node.startswith(base):
        candidates.append(f"<{node[len(base) :]}>")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    numbered = list(enumerate(lines, start=1))
    # Prefer the line where the node is the subject; else any line that mentions it.
    for number, line in numbered:
        if line.startswith(tuple(candidates)):
            return number
    for number, line in numbered:
        if any(candidate in line for candidate in candidates):
            return number
    return None
