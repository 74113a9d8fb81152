"""Literals as their sources wrote them, or a refusal that says where and what to write.

An Oxigraph store keeps one canonical form of each typed value: "84"^^xsd:nonNegativeInteger
becomes "84"^^xsd:integer, "4.0" becomes "4", "1"^^xsd:boolean becomes (and merges with)
true, the ill-typed "300"^^xsd:byte becomes an xsd:integer. The dumps, the site and the
endpoint all come from the store, so a source literal that the store would rewrite cannot be
published as written. It is refused here, on the terms as parsed and before the store, with
the file and line (or the CSV file and row), the form the store would give it and the
datatype the shapes expect; otherwise SHACL would check the rewritten form, and a
sh:datatype or sh:maxCount violation in the source would go unreported.

What the store makes of a literal is asked of a real Oxigraph store (a round trip), not of a
table of our own: the answer is then the store's, for every datatype and every release of it.
Curated literals make one more step on their way (the assembly reads them with rdflib, which
normalises some lexical forms), and the round trip takes that step too.
"""

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH, XSD

from kg.errors import SourceError
from kg.graph.assemble import Assembly
from kg.sources.turtle import line_of, parse_turtle
from kg.store import as_stored, typed, value

log = logging.getLogger(__name__)

SHOWN = 20  # refused literals listed in the message; the rest are counted


@dataclass(frozen=True, kw_only=True)
class Rewritten:
    """A source literal the store would not keep as written."""

    where: str
    subject: str
    predicate: str
    written: ox.Literal
    stored: ox.Literal

    def describe(self, expected: dict[str, set[str]]) -> str:
        wanted = sorted(expected.get(self.predicate, ()))
        shapes = f"; the shapes expect {' or '.join(wanted)}" if wanted else ""
        return (
            f"{self.where}: <{self.subject}> <{self.predicate}> {shown(self.written)} would "
            f"be published as {shown(self.stored)}{shapes}"
        )


def check_literals(assembly: Assembly, shapes: Graph, ontology: Path | None = None) -> None:
    """Refuse (SourceError) every literal of the sources that the store would rewrite.

    The ingested snapshots' literals were asked of a store as their graphs were written
    (kg.graph.streamed); the rest are asked here, before the store is loaded.
    """
    found = sorted(rewritten(assembly, ontology), key=lambda r: (r.where, r.subject, r.predicate))
    if not found:
        return
    expected = datatypes(shapes)
    lines = [r.describe(expected) for r in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"... and {len(found) - SHOWN} more")
    raise SourceError(
        f"{len(found)} literal(s) cannot be published as their source wrote them:\n"
        + "\n".join(lines),
        where=found[0].where,
        hint="write each value in the form and datatype given after 'published as' (the "
        "store keeps one canonical form of each value), or fix an ill-typed value; nothing "
        "was published",
    )


def rewritten(assembly: Assembly, ontology: Path | None = None) -> list[Rewritten]:
    """Every literal of the curated files, the ontology and the ingested snapshots that the
    store would not keep as written."""
    candidates = list(_curated(assembly)) + list(_described(assembly))
    if ontology is not None:
        candidates += _from_file(ontology, None)
    stored = as_stored(after for *_, after in candidates)
    return [
        Rewritten(where=where(), subject=s, predicate=p, written=written, stored=stored[after])
        for where, s, p, written, after in candidates
        if stored[after] != written
    ] + _ingested(assembly)


#: where (found only for a refused literal), s, p, the literal as written, as loaded
Candidate = tuple[Callable[[], str], str, str, ox.Literal, ox.Literal]


def _curated(assembly: Assembly) -> Iterator[Candidate]:
    for origin in sorted(assembly.origins.values(), key=lambda o: str(o.path)):
        yield from _from_file(origin.path, origin.base)


def parsed(path: Path, base: str | None) -> list[ox.Triple]:
    """A Turtle file's statements as written: Oxigraph's parser keeps lexical forms and
    datatypes (only the store canonicalises), in a stable order."""
    return sorted(parse_turtle(path, base), key=str)


def _from_file(path: Path, base: str | None) -> Iterator[Candidate]:
    """The typed literals of a Turtle file as written (the terms the store is given)."""
    for triple in parsed(path, base):
        literal = triple.object
        if not typed(literal):
            continue
        assert isinstance(literal, ox.Literal)
        subject, predicate = value(triple.subject), triple.predicate.value
        where = functools.partial(_where, path, base, subject, predicate, literal)
        yield where, subject, predicate, literal, literal


def _where(path: Path, base: str | None, subject: str, predicate: str, literal: ox.Literal) -> str:
    """file:line of the statement; else of the literal's text, where the subject is written
    with a prefix of the file's own."""
    line = line_of(path, URIRef(subject), base or "", predicate)
    if line is None:
        quoted = str(ox.Literal(literal.value))
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, start=1) if quoted in text), None)
    return f"{path}:{line}" if line else str(path)


def _ingested(assembly: Assembly) -> list[Rewritten]:
    """The snapshots' literals the store rewrote as the ingest wrote them, at their rows."""
    ingested = assembly.ingested
    if ingested is None:
        return []
    found = []
    for triple, stored in ingested.rewritten:
        assert isinstance(triple.object, ox.Literal)
        subject = value(triple.subject)
        file, row = ingested.rows.get(subject, ("(the ingested snapshots)", 0))
        where = f"{file}: row {row}" if row else file
        written, predicate = triple.object, triple.predicate.value
        found.append(
            Rewritten(
                where=where, subject=subject, predicate=predicate, written=written, stored=stored
            )
        )
    return found


def _described(assembly: Assembly) -> Iterator[Candidate]:
    """The typed literals of the snapshots' provenance and history (made by the ingest)."""
    if assembly.ingested is None:
        return
    for triples in assembly.ingested.described.values():
        for triple in triples:
            made = triple.object
            if typed(made):
                assert isinstance(made, ox.Literal)
                provenance = functools.partial(str, "(the snapshots' provenance)")
                yield provenance, value(triple.subject), triple.predicate.value, made, made


def datatypes(shapes: Graph) -> dict[str, set[str]]:
    """Predicate IRI -> the datatypes that property shapes with it as sh:path expect."""
    expected: dict[str, set[str]] = {}
    for shape, datatype in shapes.subject_objects(SH.datatype):
        path = shapes.value(shape, SH.path)
        if isinstance(path, URIRef):
            expected.setdefault(str(path), set()).add(_short(str(datatype)))
    return expected


def shown(literal: ox.Literal) -> str:
    """A typed literal as Turtle writes it with the xsd: prefix."""
    return f"{ox.Literal(literal.value)}^^{_short(literal.datatype.value)}"


def _short(iri: str) -> str:
    return f"xsd:{iri[len(str(XSD)) :]}" if iri.startswith(str(XSD)) else f"<{iri}>"
