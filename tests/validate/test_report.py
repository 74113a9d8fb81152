"""The validation report: a complete SHACL report, with SHACL's conforms, and no blank node.

Compared with pyshacl's own report on a broken fixture that has results of every severity,
from a named shape, blank property shapes and a blank (sequence) property path.
"""

from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from conftest import FIXTURES, PROJECT, copy_tree
from kg.graph.assemble import assemble
from kg.graph.load import from_assembly
from kg.iris import DEFAULT_BASE
from kg.publish.files import ONTOLOGY_FILE, SHAPES_FILE
from kg.sources.catalog import load_catalog
from kg.validate.report import Report, Violation, shape_key
from kg.validate.run import load_turtle, validate
from kg.validate.written import sources_graph

REPORT_IRI = "https://w3id.org/entitylist-kg/dumps/validation-report"
ELKG = "https://w3id.org/entitylist-kg/ontology#"

# Shapes of lesser severity, added for these tests only: the project's shapes are all
# violations. The second property shape has a sequence path, a blank node in the shapes graph.
LESSER = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix elkg: <https://w3id.org/entitylist-kg/ontology#> .
<urn:test:LesserShape> a sh:NodeShape ;
    sh:targetClass elkg:Statement ;
    sh:property [
        sh:path elkg:venue ; sh:in ( elkg:Interview ) ; sh:severity sh:Info ;
        sh:message "test: the venue is not an interview" ;
    ], [
        sh:path ( elkg:speaker elkg:holdsPost ) ; sh:maxCount 0 ; sh:severity sh:Warning ;
        sh:message "test: the speaker holds a post" ;
    ] .
"""

BROKEN = (
    ('<org/acme> elkg:country "CN" .', '<org/acme> elkg:country "China" .'),
    ("elkg:stance elkg:Supports .", "elkg:stance elkg:Supports, elkg:Opposes ."),
    ("elkg:onList <list/entity-list> .", "elkg:onList <org/acme> ."),
    (  # a SPARQL constraint: published before it was announced
        '<action/addition> elkg:announcementDate "2019-10-07"^^xsd:date .',
        '<action/addition> elkg:announcementDate "2019-10-10"^^xsd:date .',
    ),
)

REQUIRED = (
    SH.focusNode,
    SH.sourceConstraintComponent,
    SH.sourceShape,
    SH.resultSeverity,
    SH.resultMessage,
)


def fixture(tmp_path: Path, edits: tuple[tuple[str, str], ...]) -> Path:
    data = copy_tree(FIXTURES / "minimal", tmp_path / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    facts.write_text(text, encoding="utf-8")
    return data


def shapes_graph(lesser: bool) -> Graph:
    shapes = load_turtle([PROJECT / "ontology" / SHAPES_FILE])
    if lesser:
        shapes.parse(data=LESSER, format="turtle")
    return shapes


def run(data: Path, shapes: Graph, engine: str) -> Report:
    ontology = load_turtle([PROJECT / "ontology" / ONTOLOGY_FILE])
    assembly = assemble(load_catalog(data), DEFAULT_BASE)
    return validate(assembly, from_assembly(assembly), ontology, shapes, engine=engine)


def triples(graph: Graph) -> set[tuple[Node, Node, Node]]:
    return set(graph)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    return fixture(tmp_path_factory.mktemp("broken"), BROKEN), shapes_graph(lesser=True)


def test_every_result_is_complete_and_there_is_no_blank_node(broken: tuple[Path, Graph]) -> None:
    report = run(*broken, engine="oxigraph")
    graph = report.to_graph(REPORT_IRI)
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    results = list(graph.objects(URIRef(REPORT_IRI), SH.result))
    assert len(results) == len(report.violations) >= 5
    for result in results:
        for predicate in REQUIRED:
            assert graph.value(result, predicate) is not None, (result, predicate)
    by_severity: dict[Node | None, list[Node]] = {}
    for result in results:
        by_severity.setdefault(graph.value(result, SH.resultSeverity), []).append(result)
    assert {k: len(v) for k, v in by_severity.items()} == {
        SH.Violation: 4,
        SH.Warning: 1,
        SH.Info: 1,
    }
    (info,), (warning,) = by_severity[SH.Info], by_severity[SH.Warning]
    assert graph.value(info, SH.sourceConstraintComponent) == SH.InConstraintComponent
    assert graph.value(info, SH.value) == URIRef(ELKG + "PressBriefing")
    # The blank property shapes are named in the report, their content copied, their parent kept.
    shape = graph.value(info, SH.sourceShape)
    assert isinstance(shape, URIRef) and shape.startswith(REPORT_IRI + "#genid-")
    assert (URIRef("urn:test:LesserShape"), SH.property, shape) in graph
    assert graph.value(shape, SH.severity) == SH.Info
    # A sequence path is a list of minted nodes: elkg:speaker then elkg:holdsPost.
    path = graph.value(warning, SH.resultPath)
    assert isinstance(path, URIRef) and graph.value(path, RDF.first) == URIRef(ELKG + "speaker")
    assert (warning, SH.value, None) not in graph  # a count has no value node
    pattern = next(
        r
        for r in results
        if graph.value(r, SH.sourceConstraintComponent) == SH.PatternConstraintComponent
    )
    assert graph.value(pattern, SH.value) == Literal("China")
    assert graph.value(pattern, SH.resultPath) == URIRef(ELKG + "country")
    sparql = next(
        r
        for r in results
        if graph.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    )
    constraint = graph.value(sparql, SH.sourceConstraint)  # the sh:sparql node, minted
    assert isinstance(constraint, URIRef) and constraint.startswith(REPORT_IRI + "#genid-")
    assert (graph.value(sparql, SH.sourceShape), SH.sparql, constraint) in graph
    assert "announced" in str(graph.value(constraint, SH.select))
    assert all(
        (r, SH.sourceConstraint, None) not in graph
        for r in results
        if graph.value(r, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent
    )
    organization = URIRef("https://w3id.org/entitylist-kg/shapes#Organization")
    assert (organization, SH.property, graph.value(pattern, SH.sourceShape)) in graph


def test_conforms_follows_shacl_and_the_build_fails_on_violations_only(tmp_path: Path) -> None:
    data = fixture(tmp_path, ())
    clean = run(data, shapes_graph(lesser=False), engine="oxigraph")
    assert clean.conforms and not clean.violated
    assert (None, SH.conforms, Literal(True)) in clean.to_graph(REPORT_IRI)
    warned = run(data, shapes_graph(lesser=True), engine="oxigraph")
    assert {v.severity for v in warned.violations} == {"Warning", "Info"}
    assert not warned.conforms  # SHACL 3.1: any result, whatever its severity
    assert not warned.violated  # a build may publish with warnings and infos
    graph = warned.to_graph(REPORT_IRI)
    assert (URIRef(REPORT_IRI), SH.conforms, Literal(False)) in graph
    assert "1 Warning, 1 Info" in warned.describe()


def test_both_engines_write_the_same_report(broken: tuple[Path, Graph]) -> None:
    fast, reference = (run(*broken, engine=engine) for engine in ("oxigraph", "pyshacl"))
    assert fast.violations == reference.violations
    assert triples(fast.to_graph(REPORT_IRI)) == triples(reference.to_graph(REPORT_IRI))


def as_stated(graph: Graph, shapes: Graph, result: Node) -> tuple[str, ...]:
    """A result's seven properties; a blank shape or path (pyshacl's) by its content digest,
    a minted one (ours: REPORT#genid-DIGEST) by the digest in its IRI."""

    def text(predicate: URIRef) -> str:
        value = graph.value(result, predicate)
        if value is None:
            return ""
        if isinstance(value, BNode):
            return shape_key(shapes, value)
        if isinstance(value, URIRef) and value.startswith(f"{REPORT_IRI}#genid-"):
            return "_:" + value.rsplit("-", 1)[1]
        return value.n3()

    return tuple(text(p) for p in (SH.resultPath, SH.value, SH.sourceConstraint, *REQUIRED))


def test_our_report_states_what_pyshacls_report_states(broken: tuple[Path, Graph]) -> None:
    data, shapes = broken
    ontology = load_turtle([PROJECT / "ontology" / ONTOLOGY_FILE])
    assembly = assemble(load_catalog(data), DEFAULT_BASE)
    conforms, theirs, _ = pyshacl.validate(
        sources_graph(assembly, from_assembly(assembly)),
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        abort_on_first=False,
    )
    ours = run(data, shapes, engine="oxigraph").to_graph(REPORT_IRI)
    assert conforms is False and (None, SH.conforms, Literal(False)) in ours
    expected = sorted(as_stated(theirs, shapes, r) for r in theirs.objects(None, SH.result))
    got = sorted(as_stated(ours, shapes, r) for r in ours.objects(None, SH.result))
    assert len(got) == 6 and got == expected


def test_the_report_is_the_same_run_to_run(broken: tuple[Path, Graph]) -> None:
    first = run(*broken, engine="oxigraph").to_graph(REPORT_IRI)
    again = run(broken[0], shapes_graph(lesser=True), engine="oxigraph").to_graph(REPORT_IRI)
    assert sorted(first.serialize(format="nt").splitlines()) == sorted(
        again.serialize(format="nt").splitlines()
    )


def test_a_violation_orders_and_compares_by_its_text_only() -> None:
    one = Violation(location="f:1", focus="x", path="", message="m", value="", severity="Warning")
    assert one == Violation(
        location="f:1",
        focus="x",
        path="",
        message="m",
        value="",
        severity="Warning",
        focus_term=URIRef("x"),
    )
    assert not Report((one,)).conforms and not Report((one,)).violated
