"""The SHACL report of a build: each result in terms a data editor can act on, and as RDF.

`Report.conforms` follows SHACL (section 3.1): a report conforms only if it has no result at
all, whatever the results' severity, so a sh:Warning or sh:Info result makes it false.
`Report.violated` says whether any result is a sh:Violation: that is what fails a build, so
that a build may publish with warnings while its report says sh:conforms false.

`Report.to_graph` writes a complete SHACL validation report with no blank node: every result
gets an IRI numbered in the report's sorted order; a shape or a property path that is a blank
node in the shapes graph (as `sh:property [ ... ]` writes it) gets an IRI minted from a digest
of its content (the same shape, the same IRI, in every run and from either engine), and its
triples are copied into the report under that IRI, linked from its parent shape, so that the
report names each source shape (and each SPARQL constraint, sh:sourceConstraint) without
blank nodes.
"""

import hashlib
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, order=True, kw_only=True)
class Violation:
    """One result of the SHACL report (of any severity), in terms a data editor can act on.

    The text fields order the results; the terms (not compared) are what the RDF report states.
    """

    location: str
    focus: str
    path: str
    message: str
    value: str
    severity: str
    component: str = ""
    shape: str = ""  # the source shape as written (N3 of an IRI, or a blank node's digest)
    focus_term: Node | None = field(default=None, compare=False)
    path_term: Node | None = field(default=None, compare=False)
    value_term: Node | None = field(default=None, compare=False)
    shape_term: Node | None = field(default=None, compare=False)
    #: the SPARQL constraint a SPARQL-based result comes from (sh:sourceConstraint)
    constraint_term: Node | None = field(default=None, compare=False)

    def describe(self) -> str:
        parts = [f"{self.location}: {self.severity}: {self.message}", f"  focus node: {self.focus}"]
        if self.path:
            parts.append(f"  path: {self.path}")
        if self.value:
            parts.append(f"  value: {self.value}")
        return "\n".join(parts)


@dataclass(frozen=True)
class Report:
    """The results of one validation. `violations` holds every result, of any severity."""

    violations: tuple[Violation, ...]
    #: the shapes graph the results come from: the content of blank-node shapes and paths
    shapes: Graph | None = field(default=None, compare=False, repr=False)

    @property
    def conforms(self) -> bool:
        """SHACL's sh:conforms: true only if there is no result of any severity."""
        return not self.violations

    @property
    def violated(self) -> bool:
        """Whether any result has severity sh:Violation: what fails a build."""
        return any(result.severity == "Violation" for result in self.violations)

    def describe(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes."
        counts = ", ".join(
            f"{sum(v.severity == s for v in self.violations)} {s}"
            for s in SEVERITIES
            if any(v.severity == s for v in self.violations)
        )
        lines = [f"{len(self.violations)} SHACL result(s) ({counts}):"]
        lines += [violation.describe() for violation in self.violations]
        return "\n".join(lines)

    def to_graph(self, report_iri: str) -> Graph:
        """The report as RDF with minted IRIs (no blank nodes), in a fixed order."""
        graph = Graph()
        graph.bind("sh", SH)
        report = URIRef(report_iri)
        minter = _Minter(self.shapes, report_iri, graph)
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for number, violation in enumerate(self.violations, start=1):
            result = URIRef(f"{report_iri}#result-{number}")
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            focus = violation.focus_term or URIRef(violation.focus)
            graph.add((result, SH.focusNode, minter.term(focus)))
            graph.add((result, SH.resultMessage, Literal(violation.message)))
            graph.add((result, SH.resultSeverity, SH[violation.severity]))
            if violation.path_term is not None:
                graph.add((result, SH.resultPath, minter.term(violation.path_term)))
            elif violation.path and not violation.path.startswith("("):
                graph.add((result, SH.resultPath, URIRef(violation.path)))
            if violation.value_term is not None:
                graph.add((result, SH.value, minter.term(violation.value_term)))
            if violation.component:
                graph.add((result, SH.sourceConstraintComponent, URIRef(violation.component)))
            if violation.shape_term is not None:
                graph.add((result, SH.sourceShape, minter.term(violation.shape_term)))
            if violation.constraint_term is not None:
                graph.add((result, SH.sourceConstraint, minter.term(violation.constraint_term)))
        return graph


def digest(graph: Graph | None, node: Node, depth: int = 0) -> str:
    """A text that stands for node's content: its IRI or literal, or for a blank node, its
    predicates and objects, sorted, nested blank nodes (RDF lists too) written out in place."""
    if not isinstance(node, BNode):
        return node.n3()
    if graph is None or depth > 32 or (node, None, None) not in graph:
        return f"_:{node}"  # no content to go by (a blank node of the data): its label
    pairs = sorted(
        f"{p.n3()} {digest(graph, o, depth + 1)}" for p, o in graph.predicate_objects(node)
    )
    return "[" + " ; ".join(pairs) + "]"


def shape_key(graph: Graph | None, node: Node) -> str:
    """How a source shape is compared and ordered: its IRI, or the digest of a blank one."""
    if not isinstance(node, BNode):
        return node.n3()
    return "_:" + hashlib.sha256(digest(graph, node).encode()).hexdigest()[:16]


class _Minter:
    """Blank nodes of the shapes graph (and any other) as IRIs of the report, content-named."""

    def __init__(self, shapes: Graph | None, report_iri: str, out: Graph) -> None:
        self.shapes, self.report_iri, self.out = shapes, report_iri, out
        self.done: dict[BNode, URIRef] = {}

    def term(self, node: Node) -> Node:
        if not isinstance(node, BNode):
            return node
        if node in self.done:
            return self.done[node]
        name = hashlib.sha256(digest(self.shapes, node).encode()).hexdigest()[:16]
        iri = URIRef(f"{self.report_iri}#genid-{name}")
        self.done[node] = iri
        if self.shapes is not None:
            for predicate, value in self.shapes.predicate_objects(node):
                self.out.add((iri, predicate, self.term(value)))
            for link in (SH.property, SH.sparql):
                for parent in self.shapes.subjects(link, node):
                    if not isinstance(parent, BNode):
                        self.out.add((parent, link, iri))
        return iri
