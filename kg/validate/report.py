"""The SHACL report of a build: each result in terms a data editor can act on, and as RDF."""

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH


@dataclass(frozen=True, order=True, kw_only=True)
class Violation:
    """One result of the SHACL report, in terms a data editor can act on."""

    location: str
    focus: str
    path: str
    message: str
    value: str
    severity: str

    def describe(self) -> str:
        parts = [f"{self.location}: {self.severity}: {self.message}", f"  focus node: {self.focus}"]
        if self.path:
            parts.append(f"  path: {self.path}")
        if self.value:
            parts.append(f"  value: {self.value}")
        return "\n".join(parts)


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]

    def describe(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes."
        lines = [f"{len(self.violations)} SHACL result(s):"]
        lines += [violation.describe() for violation in self.violations]
        return "\n".join(lines)

    def to_graph(self, report_iri: str) -> Graph:
        """The report as RDF with minted IRIs (no blank nodes), in a fixed order."""
        graph = Graph()
        report = URIRef(report_iri)
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for number, violation in enumerate(self.violations, start=1):
            result = URIRef(f"{report_iri}#result-{number}")
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, URIRef(violation.focus)))
            graph.add((result, SH.resultMessage, Literal(violation.message)))
            graph.add((result, SH.resultSeverity, SH[violation.severity]))
            if violation.path:
                graph.add((result, SH.resultPath, URIRef(violation.path)))
        return graph
