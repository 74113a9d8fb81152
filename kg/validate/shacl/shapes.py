"""The shapes graph read into Shape records, refusing every SHACL feature the engine lacks.

A shapes graph using a shacl term outside SUPPORTED is refused by name rather than checked
less than pyshacl would.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import KgError
from kg.store import term

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# Shape properties read by this engine; any other sh: term on a shape is refused.
SUPPORTED_NAMES = """
    targetClass targetNode targetSubjectsOf targetObjectsOf property sparql path prefixes
    message severity deactivated name description order group defaultValue
    minCount maxCount hasValue uniqueLang class datatype nodeKind pattern flags in
    minLength maxLength languageIn minExclusive minInclusive maxExclusive maxInclusive or
"""
SUPPORTED = frozenset(SH[name] for name in SUPPORTED_NAMES.split())


class UnsupportedShapeError(KgError, ValueError):
    """The shapes graph uses a SHACL feature this engine does not implement."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"the SHACL engine does not implement {what}",
            hint="validate with --shacl-engine pyshacl, or keep to the features "
            "kg.validate.shacl.SUPPORTED_NAMES lists",
        )


def in_order(nodes: Iterable[Node]) -> list[Node]:
    """Nodes sorted, so that results and refusals come in the same order on every run."""
    return sorted(nodes, key=lambda n: n.n3())


def is_true(node: Node | None) -> bool:
    """Only "true"^^xsd:boolean turns a boolean parameter on ("1" does not, per the tests)."""
    return isinstance(node, Literal) and node.datatype == XSD.boolean and str(node) == "true"


@dataclass(frozen=True)
class Shape:
    node: Node
    graph: Graph

    def one(self, predicate: URIRef) -> Node | None:
        return self.graph.value(self.node, predicate)

    def all(self, predicate: URIRef) -> list[Node]:
        return in_order(self.graph.objects(self.node, predicate))

    def items(self, predicate: URIRef) -> list[Node]:
        head = self.one(predicate)
        return list(Collection(self.graph, head)) if head is not None else []

    @property
    def message(self) -> str:
        messages = self.all(SH.message)
        return str(messages[0]) if messages else ""

    @property
    def severity(self) -> URIRef:
        severity = self.one(SH.severity)
        return severity if isinstance(severity, URIRef) else SH.Violation

    @property
    def deactivated(self) -> bool:
        return is_true(self.one(SH.deactivated))


def node_shapes(shapes: Graph) -> list[Shape]:
    """Shapes with targets, and every shape checked for features this engine lacks."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    nodes = {s for t in targets for s in shapes.subjects(t, None)}
    typed = set(shapes.subjects(RDF.type, SH.NodeShape))
    typed |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    components = (SH.parameter, SH.validator, SH.nodeValidator, SH.propertyValidator)
    if (None, RDF.type, SH.ConstraintComponent) in shapes or any(
        (None, p, None) in shapes for p in components
    ):
        raise UnsupportedShapeError("SHACL-SPARQL constraint components")
    for shape in in_order(typed | nodes | set(shapes.objects(None, SH.property))):
        _refuse_unsupported(Shape(shape, shapes))
    return [Shape(shape, shapes) for shape in in_order(nodes | (typed & classes(shapes)))]


def classes(shapes: Graph) -> set[Node]:
    """The shapes that are also classes, and so target their instances implicitly."""
    return set(shapes.subjects(RDF.type, RDFS.Class)) | set(shapes.subjects(RDF.type, OWL.Class))


def _refuse_unsupported(shape: Shape) -> None:
    for predicate in shape.graph.predicates(shape.node, None):
        if str(predicate).startswith(str(SH)) and predicate not in SUPPORTED:
            raise UnsupportedShapeError(f"shape {shape.node.n3()} uses {predicate.n3()}")
    if shape.one(SH.path) is not None and shape.one(SH.property) is not None:
        raise UnsupportedShapeError(f"property shape {shape.node.n3()} has sh:property of its own")
    for member in shape.items(SH["or"]):
        inner = Shape(member, shape.graph)
        _refuse_unsupported(inner)
        if any(inner.one(p) is not None for p in (SH.property, SH.path, SH.sparql, SH.minCount)):
            raise UnsupportedShapeError(f"sh:or member {member.n3()} is more than a value check")


def sparql_term(node: Node) -> str:
    """The node written in a query; a blank node of the shapes graph cannot be."""
    if isinstance(node, BNode):
        raise UnsupportedShapeError(f"a blank node {node.n3()} where a term is needed")
    return node.n3()


def constant(value: Node) -> Term:
    """A constraint's value (sh:hasValue, sh:in) as the data store's term, to compare with."""
    if isinstance(value, BNode):
        raise UnsupportedShapeError(f"a blank node {value.n3()} as a constraint value")
    return term(value)
