"""SHACL validation of the assembled dataset, with each violation traced to its source file."""

import logging
from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import KgError, SourceError
from kg.graph.assemble import Assembly, Origin
from kg.sources.turtle import line_of
from kg.store import merged, node, term
from kg.validate import shacl
from kg.validate.literals import parsed
from kg.validate.report import Report, Violation, shape_key
from kg.validate.written import as_written, sources_graph

log = logging.getLogger(__name__)

# The ontology is validated with the data, as pyshacl's ont_graph is: its subclass axioms
# decide sh:class, and its own instances (such as the licence policies) meet the shapes.
ONTOLOGY_GRAPH = ox.NamedNode("urn:x-kg:validation:ontology")


def load_turtle(paths: Iterable[Path], base: str | None = None) -> Graph:
    """The ontology or shapes files as one graph, literals as written ("1"^^xsd:boolean is
    not true: SHACL turns a parameter on only with true); a missing or broken file is a
    SourceError."""
    graph = Graph()
    for path in paths:
        if not path.is_file():
            raise SourceError(
                "file not found",
                where=str(path),
                hint="point --ontology (KG_ONTOLOGY_DIR) at a folder with entitylist.ttl and "
                "shapes.ttl",
            )
        for triple in parsed(path, base):
            graph.add(as_written(triple))
    return graph


def validate(
    assembly: Assembly,
    store: ox.Store,
    ontology: Graph,
    shapes: Graph,
    engine: str = "oxigraph",
) -> Report:
    """Validate every named graph together, with the ontology, against the shapes.

    `store` holds the assembly (kg.store.from_assembly). The default engine (kg.validate.shacl) runs
    each shape as whole-graph queries on it, with the ontology added for the time of the
    validation; the reference engine, pyshacl, finds the same results (tests compare them)
    but takes minutes on the whole Consolidated Screening List. pyshacl reads the sources as
    written (kg.validate.written), so that it is independent of the store; our engine reads
    the store, whose literals kg.validate.literals has checked to be as written.
    """
    if engine == "pyshacl":
        # The sources as written, not the store, which keeps one form of each value.
        return _validate_with_pyshacl(assembly, sources_graph(assembly, store), ontology, shapes)
    if engine != "oxigraph":
        raise KgError(
            f"unknown SHACL engine {engine!r}",
            where="KG_SHACL_ENGINE or --shacl-engine",
            hint="use oxigraph (the default) or pyshacl",
        )
    store.extend(
        ox.Quad(term(s), term(p), term(o), ONTOLOGY_GRAPH)  # type: ignore[arg-type]
        for s, p, o in ontology
    )
    log.info("validating %d quads against %d shape triples", len(store), len(shapes))
    try:
        # Each triple once, whichever graphs state it: the engine reads the union of graphs
        # as distinct solutions, and the merge only for a constraint that counts (writing
        # it cost more than the validation: 11.7 s of CPU against 8.9 on the whole CSL).
        with merged(store) if shacl.needs_merge(shapes) else nullcontext(store):
            results = shacl.validate(store, shapes)
    finally:
        store.remove_graph(ONTOLOGY_GRAPH)
    violations = sorted(_located(result, assembly, shapes) for result in results)
    # Report.conforms is SHACL's (no result of any severity); the build fails on violated.
    return Report(tuple(violations), shapes)


def _located(result: shacl.Result, assembly: Assembly, shapes: Graph) -> Violation:
    focus, value = node(result.focus), node(result.value) if result.value else None
    path = result.path
    return Violation(
        location=locate(assembly, focus, path if isinstance(path, URIRef) else None, value),
        focus=str(focus),
        path="" if path is None else str(path) if isinstance(path, URIRef) else "(a complex path)",
        message=result.message or "(no message)",
        value=value.n3(assembly.dataset.namespace_manager) if value is not None else "",
        severity=result.severity.rsplit("#", 1)[-1],
        component=str(result.component),
        shape=shape_key(shapes, result.shape),
        focus_term=focus,
        path_term=path,
        value_term=value,
        shape_term=result.shape,
        constraint_term=result.constraint,
    )


def _validate_with_pyshacl(
    assembly: Assembly, data: Graph, ontology: Graph, shapes: Graph
) -> Report:
    log.info("validating %d triples against %d shape triples (pyshacl)", len(data), len(shapes))
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    violations = sorted(
        _violation(results, result, assembly, shapes)
        for result in results.subjects(RDF.type, SH.ValidationResult)
    )
    # pyshacl's own answer ignores warnings (allow_warnings=True): conforms is SHACL's here too.
    return Report(tuple(violations), shapes)


def _violation(results: Graph, result: Node, assembly: Assembly, shapes: Graph) -> Violation:
    def one(predicate: URIRef) -> str:
        value = results.value(result, predicate)
        if value is None or isinstance(value, BNode):
            return "" if value is None else "(a complex path)"
        return str(value)

    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    shape = results.value(result, SH.sourceShape)
    severity = one(SH.resultSeverity).rsplit("#", 1)[-1]
    return Violation(
        location=locate(assembly, focus, path if isinstance(path, URIRef) else None, value),
        focus=str(focus),
        path=one(SH.resultPath),
        message=one(SH.resultMessage) or "(no message)",
        # As written in Turtle, so that a missing or wrong datatype shows.
        value=value.n3(assembly.dataset.namespace_manager) if value is not None else "",
        severity=severity,
        component=one(SH.sourceConstraintComponent),
        shape="" if shape is None else shape_key(shapes, shape),
        focus_term=focus,
        path_term=path,
        value_term=value,
        shape_term=shape,
        constraint_term=results.value(result, SH.sourceConstraint),
    )


def locate(
    assembly: Assembly, node: Node | None, path: URIRef | None = None, value: Node | None = None
) -> str:
    """Where the statement that breaks the rule was read: file:line of the curated source
    holding (node, path, value), or the file and row of the ingested row that stated node."""
    if not isinstance(node, URIRef):
        return "(unknown source)"
    patterns = (
        [(node, path, value), (node, path, None), (node, None, None)]
        if path
        else [(node, None, None)]
    )
    for pattern in patterns:
        for graph_iri, origin in sorted(assembly.origins.items()):
            if pattern in assembly.dataset.graph(graph_iri):
                return _file_and_line(origin, node, pattern[1])
    if str(node) in assembly.rows:  # an ingested row: where the subject first appeared
        file, row = assembly.rows[str(node)]
        return f"{file}: row {row}"
    return "(generated provenance)"


def _file_and_line(origin: Origin, node: URIRef, path: Node | None) -> str:
    line = line_of(origin.path, node, origin.base, str(path) if path else None)
    return f"{origin.path}:{line}" if line else str(origin.path)
