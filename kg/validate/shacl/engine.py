"""The engine: each shape's targets and paths as whole-graph queries on an Oxigraph store,
their answers checked by the constraints of kg.validate.shacl.counts and .values."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.store import has_merge
from kg.store import query as run_query
from kg.validate.shacl.counts import count_checks
from kg.validate.shacl.shapes import Shape, Term, UnsupportedShapeError, classes, sparql_term
from kg.validate.shacl.sparql_constraints import bound, fill, joined_query
from kg.validate.shacl.values import value_checks

PATH_OPERATORS = {
    SH.inversePath: "^{}",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}


@dataclass(frozen=True)
class Result:
    focus: Term
    path: Node | None  # the shape's sh:path as written (an IRI or a path node)
    value: Term | None
    component: URIRef
    severity: URIRef
    message: str
    shape: Node
    constraint: Node | None = None  # a SPARQL constraint's node (sh:sourceConstraint)


class Engine:
    """The queries of one validation on one store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        # sh:class asks of every value; the store is asked once per class.
        self._instances: dict[Node, frozenset[Term]] = {}

    def rows(self, query: str) -> Iterator[ox.QuerySolution]:
        # The data as one graph: the merge where the store holds one (kg.store.merge), else
        # the engine's union of graphs, where a triple two graphs state comes once per graph:
        # the targets' and paths' queries are DISTINCT, a SPARQL constraint's results are
        # made distinct below, and kg.validate.run writes the merge for one that aggregates.
        solutions = run_query(self.store, query)
        assert isinstance(solutions, ox.QuerySolutions)
        return iter(solutions)

    def instances(self, cls: Node) -> frozenset[Term]:
        if cls not in self._instances:
            query = f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS.subClassOf}>* {sparql_term(cls)} }}"
            self._instances[cls] = frozenset(row["x"] for row in self.rows(query))
        return self._instances[cls]

    def node_shape(self, shape: Shape) -> Iterator[Result]:
        """The results of a shape with targets, and of its property and SPARQL constraints."""
        if shape.deactivated:
            return
        target = _target_pattern(shape)
        if shape.one(SH.path) is not None:
            yield from self.property_shape(shape, target)
            return
        focus_nodes = [row["this"] for row in self.rows(f"SELECT DISTINCT ?this WHERE {target}")]
        checks = value_checks(shape, self.instances)
        for focus in focus_nodes:
            for component, failed in checks:
                if failed(focus):
                    value = None if component == SH.HasValueConstraintComponent else focus
                    yield Result(
                        focus, None, value, component, shape.severity, shape.message, shape.node
                    )
        for member in shape.all(SH.property):
            inner = Shape(member, shape.graph)
            if not inner.deactivated:
                yield from self.property_shape(inner, target)
        for constraint in shape.all(SH.sparql):
            yield from self.sparql_constraint(shape, Shape(constraint, shape.graph), target)

    def property_shape(self, shape: Shape, target: str) -> Iterator[Result]:
        """One query for every (focus node, value) pair; the constraints checked in Python."""
        path = shape.one(SH.path)
        assert path is not None, f"property shape {shape.node} has no sh:path"
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {target} "
            f"OPTIONAL {{ ?this {_path(shape.graph, path)} ?value }} }}"
        )
        values: dict[Term, list[Term]] = defaultdict(list)
        for row in self.rows(query):
            found = values[row["this"]]
            if row["value"] is not None:
                found.append(row["value"])
        checks = value_checks(shape, self.instances)
        counts = count_checks(shape)

        def result(focus: Term, value: Term | None, component: URIRef) -> Result:
            return Result(focus, path, value, component, shape.severity, shape.message, shape.node)

        for focus, found in values.items():
            for component, failures in counts:
                for _ in range(failures(found)):
                    yield result(focus, None, component)
            for value in found:
                for component, failed in checks:
                    if failed(value):
                        yield result(focus, value, component)
        for constraint in shape.all(SH.sparql):
            yield from self.sparql_constraint(shape, Shape(constraint, shape.graph), target)

    def sparql_constraint(self, shape: Shape, constraint: Shape, target: str) -> Iterator[Result]:
        if constraint.deactivated:
            return
        query = joined_query(constraint, target)
        message = constraint.message or shape.message
        path = shape.one(SH.path)
        union = not has_merge(self.store)
        seen: set[Result] = set()
        for row in self.rows(query):
            focus = row["this"]
            value = row["value"] if bound(row, "value") else None
            bound_path = row["path"] if bound(row, "path") else None
            result = Result(
                focus,
                URIRef(bound_path.value) if isinstance(bound_path, ox.NamedNode) else path,
                value if value is not None else (focus if path is None else None),
                SH.SPARQLConstraintComponent,
                shape.severity,
                fill(message, row),
                shape.node,
                constraint.node,
            )
            if union and result in seen:  # the same solution from another graph
                continue
            seen.add(result)
            yield result


def _target_pattern(shape: Shape) -> str:
    """A graph pattern binding ?this to each focus node of the shape's targets."""
    target_classes = shape.all(SH.targetClass)
    if shape.node in classes(shape.graph):  # an implicit class target
        target_classes.append(shape.node)
    groups = [f"{{ ?this a/<{RDFS.subClassOf}>* {sparql_term(c)} }}" for c in target_classes]
    nodes = shape.all(SH.targetNode)
    if nodes:
        groups.append(f"{{ VALUES ?this {{ {' '.join(sparql_term(n) for n in nodes)} }} }}")
    groups += [f"{{ ?this {sparql_term(p)} [] }}" for p in shape.all(SH.targetSubjectsOf)]
    groups += [f"{{ [] {sparql_term(p)} ?this }}" for p in shape.all(SH.targetObjectsOf)]
    return "{ " + " UNION ".join(groups) + " }" if groups else "{ FILTER(false) }"


def _path(graph: Graph, path: Node) -> str:
    """A SHACL property path written as a SPARQL property path."""
    if isinstance(path, URIRef):
        return path.n3()
    if graph.value(path, RDF.first) is not None:
        return "(" + "/".join(_path(graph, step) for step in Collection(graph, path)) + ")"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(graph, a) for a in Collection(graph, alternatives)) + ")"
    for operator, template in PATH_OPERATORS.items():
        inner = graph.value(path, operator)
        if inner is not None:
            return template.format("(" + _path(graph, inner) + ")")
    raise UnsupportedShapeError(f"path {path.n3()} is not a SHACL property path")
