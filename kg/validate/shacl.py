"""Fast SHACL validation: each shape runs as a few whole-graph SPARQL queries in Oxigraph.

pyshacl checks one focus node at a time over rdflib, which takes minutes on the whole
Consolidated Screening List. Here a property shape costs one query returning every
(focus node, value) pair, whose constraints are then checked in Python, and a SPARQL
constraint runs once with its target joined in instead of once per focus node.

Only the SHACL features listed in SUPPORTED are implemented. A shapes graph using any other
shacl term is refused by name (UnsupportedShape) rather than checked less than pyshacl
would: tests run this engine and pyshacl side by side, and on the W3C SHACL test suite.
"""

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import KgError
from kg.store import node, term

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# Shape properties read by this engine; any other sh: term on a shape is refused.
SUPPORTED_NAMES = """
    targetClass targetNode targetSubjectsOf targetObjectsOf property sparql path prefixes
    message severity deactivated name description order group defaultValue
    minCount maxCount hasValue uniqueLang class datatype nodeKind pattern flags in
    minLength maxLength languageIn minExclusive minInclusive maxExclusive maxInclusive or
"""
SUPPORTED = frozenset(SH[name] for name in SUPPORTED_NAMES.split())
NODE_KINDS = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
REGEX_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}
PATH_OPERATORS = {
    SH.inversePath: "^{}",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}
# Variables SHACL-SPARQL pre-binds besides $this; queries using them are refused.
PRE_BOUND = re.compile(r"[?$](shapesGraph|currentShape|PATH)\b")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
UNSUPPORTED_SPARQL = [  # SHACL-SPARQL 5.2.1: queries using these are ill-formed
    (re.compile(r"\bMINUS\b", re.IGNORECASE), "MINUS is not allowed"),
    (re.compile(r"\bVALUES\b", re.IGNORECASE), "VALUES is not allowed"),
    (re.compile(r"\bSERVICE\b", re.IGNORECASE), "SERVICE is not allowed"),
    (re.compile(r"\bAS\s+[?$]this\b", re.IGNORECASE), "$this cannot be bound by AS"),
]
SUBSELECT = re.compile(r"\{\s*SELECT\b(.*?)\bWHERE\b", re.IGNORECASE | re.DOTALL)
TOKENS = re.compile(
    r"(?P<kind>(?:NOT\s+)?EXISTS\s*|OPTIONAL\s*)?\{|\}|\bFILTER\b|[?$]this\b", re.IGNORECASE
)


class UnsupportedShapeError(KgError, ValueError):
    """The shapes graph uses a SHACL feature this engine does not implement."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"the SHACL engine does not implement {what}",
            hint="validate with --shacl-engine pyshacl, or keep to the features "
            "kg.validate.shacl.SUPPORTED_NAMES lists",
        )


@dataclass(frozen=True)
class Result:
    focus: Term
    path: Node | None  # the shape's sh:path as written (an IRI or a path node)
    value: Term | None
    component: URIRef
    severity: URIRef
    message: str
    shape: Node


def _in_order(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: n.n3())


def _is_true(node: Node | None) -> bool:
    """Only "true"^^xsd:boolean turns a boolean parameter on ("1" does not, per the tests)."""
    return isinstance(node, Literal) and node.datatype == XSD.boolean and str(node) == "true"


@dataclass(frozen=True)
class Shape:
    node: Node
    graph: Graph

    def one(self, predicate: URIRef) -> Node | None:
        return self.graph.value(self.node, predicate)

    def all(self, predicate: URIRef) -> list[Node]:
        return _in_order(self.graph.objects(self.node, predicate))

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
        return _is_true(self.one(SH.deactivated))


def validate(store: ox.Store, shapes: Graph) -> list[Result]:
    """Every SHACL result of the store's union graph against the shapes graph."""
    engine = _Engine(store)
    return [result for shape in _node_shapes(shapes) for result in engine.node_shape(shape)]


def _node_shapes(shapes: Graph) -> list[Shape]:
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
    for shape in _in_order(typed | nodes | set(shapes.objects(None, SH.property))):
        _refuse_unsupported(Shape(shape, shapes))
    return [Shape(shape, shapes) for shape in _in_order(nodes | (typed & _classes(shapes)))]


def _classes(shapes: Graph) -> set[Node]:
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


class _Engine:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._instances: dict[Node, frozenset[Term]] = {}

    def rows(self, query: str) -> Iterator[ox.QuerySolution]:
        solutions = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        return iter(solutions)

    def instances(self, cls: Node) -> frozenset[Term]:
        if cls not in self._instances:
            query = f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS.subClassOf}>* {_sparql(cls)} }}"
            self._instances[cls] = frozenset(row["x"] for row in self.rows(query))
        return self._instances[cls]

    def node_shape(self, shape: Shape) -> Iterator[Result]:
        if shape.deactivated:
            return
        target = _target_pattern(shape)
        if shape.one(SH.path) is not None:
            yield from self.property_shape(shape, target)
            return
        focus_nodes = [row["this"] for row in self.rows(f"SELECT DISTINCT ?this WHERE {target}")]
        checks = _value_checks(shape, self)
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
        checks = _value_checks(shape, self)
        counts = _count_checks(shape)

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
        query = _prefixes(constraint) + _checked_select(constraint)
        message = constraint.message or shape.message
        path = shape.one(SH.path)
        for focus, row in self.sparql_rows(query, target):
            value = row["value"] if _bound(row, "value") else None
            bound_path = row["path"] if _bound(row, "path") else None
            yield Result(
                focus,
                URIRef(bound_path.value) if isinstance(bound_path, ox.NamedNode) else path,
                value if value is not None else (focus if path is None else None),
                SH.SPARQLConstraintComponent,
                shape.severity,
                _fill(message, row),
                shape.node,
            )

    def sparql_rows(self, query: str, target: str) -> Iterator[tuple[Term, ox.QuerySolution]]:
        """The query's solutions for every focus node, $this pre-bound as SHACL defines it."""
        where = WHERE.search(query)
        assert where is not None, f"no WHERE clause in {query}"
        if not _this_only_at_top(query[where.end() :]):
            raise UnsupportedShapeError(f"$this inside nested groups is not supported: {query}")
        # Joining the target first into the outer group binds $this wherever it occurs, as
        # pre-binding would: one query for all focus nodes.
        joined = f"{query[: where.end()]} {target} {query[where.end() :]}"
        yield from ((row["this"], row) for row in self.rows(joined))


def _checked_select(constraint: Shape) -> str:
    """The constraint's SELECT query, refused where SHACL-SPARQL does not allow it."""
    query = str(constraint.one(SH.select))
    if PRE_BOUND.search(query):
        raise UnsupportedShapeError(
            f"{constraint.node.n3()} uses a pre-bound variable other than $this"
        )
    for pattern, reason in UNSUPPORTED_SPARQL:
        if pattern.search(query):
            raise UnsupportedShapeError(f"{constraint.node.n3()}: {reason}")
    for inner in SUBSELECT.finditer(query):
        if not re.search(r"[?$]this\b", inner.group(1)):
            raise UnsupportedShapeError(f"{constraint.node.n3()}: a sub-SELECT without $this")
    return query


def _this_only_at_top(body: str) -> bool:
    """Whether $this occurs only in the outer group, in FILTER (NOT) EXISTS blocks, or in
    OPTIONAL blocks without filters of their own: places where a join binds it as
    pre-binding would."""
    stack: list[str] = []
    for token in TOKENS.finditer(body):
        text = token.group(0)
        if text.endswith("{"):
            kind = token.group("kind") or ""
            stack.append(kind.split()[-1].upper() if kind else "GROUP")
        elif text == "}":
            if stack:
                stack.pop()
        elif (text.upper() == "FILTER" and stack and stack[-1] == "OPTIONAL") or (
            text.lower() in ("?this", "$this") and not _joined_there(stack)
        ):
            return False
    return True


def _joined_there(blocks: list[str]) -> bool:
    """Whether a join with the outer group binds $this inside these nested blocks."""
    return not blocks or blocks[0] == "EXISTS" or blocks == ["OPTIONAL"]


def _bound(row: ox.QuerySolution, name: str) -> bool:
    try:
        return row[name] is not None
    except (KeyError, IndexError):
        return False


def _fill(message: str, row: ox.QuerySolution) -> str:
    """Substitute {?var} and {$var} by the lexical form of the variable's binding."""

    def binding(match: re.Match[str]) -> str:
        name = match.group(1)
        return row[name].value if _bound(row, name) else match.group(0)

    return re.sub(r"\{[?$](\w+)\}", binding, message)


def _prefixes(constraint: Shape) -> str:
    """PREFIX lines from the sh:declare of sh:prefixes and of what those owl:import."""
    graph, lines = constraint.graph, []
    seen: set[Node] = set()
    pending = constraint.all(SH.prefixes)
    while pending:
        ontology = pending.pop()
        if ontology in seen:
            continue
        seen.add(ontology)
        pending += _in_order(graph.objects(ontology, OWL.imports))
        for declaration in _in_order(graph.objects(ontology, SH.declare)):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def _target_pattern(shape: Shape) -> str:
    classes = shape.all(SH.targetClass)
    if shape.node in _classes(shape.graph):  # an implicit class target
        classes.append(shape.node)
    groups = [f"{{ ?this a/<{RDFS.subClassOf}>* {_sparql(c)} }}" for c in classes]
    nodes = shape.all(SH.targetNode)
    if nodes:
        groups.append(f"{{ VALUES ?this {{ {' '.join(_sparql(n) for n in nodes)} }} }}")
    groups += [f"{{ ?this {_sparql(p)} [] }}" for p in shape.all(SH.targetSubjectsOf)]
    groups += [f"{{ [] {_sparql(p)} ?this }}" for p in shape.all(SH.targetObjectsOf)]
    return "{ " + " UNION ".join(groups) + " }" if groups else "{ FILTER(false) }"


def _sparql(node: Node) -> str:
    if isinstance(node, BNode):
        raise UnsupportedShapeError(f"a blank node {node.n3()} where a term is needed")
    return node.n3()


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


ValueCheck = tuple[URIRef, Callable[[Term], bool]]  # (component, does this value fail?)
CountCheck = tuple[URIRef, Callable[[list[Term]], int]]  # (component, number of failures)


def _count_checks(shape: Shape) -> list[CountCheck]:
    checks: list[CountCheck] = []
    minimum, maximum = shape.one(SH.minCount), shape.one(SH.maxCount)
    if isinstance(minimum, Literal):
        least = int(minimum.toPython())
        checks.append((SH.MinCountConstraintComponent, lambda values: int(len(values) < least)))
    if isinstance(maximum, Literal):
        most = int(maximum.toPython())
        checks.append((SH.MaxCountConstraintComponent, lambda values: int(len(values) > most)))
    for value in shape.all(SH.hasValue):
        checks.append((SH.HasValueConstraintComponent, _lacks(_term(value))))
    if _is_true(shape.one(SH.uniqueLang)):
        checks.append((SH.UniqueLangConstraintComponent, _repeats_language))
    return checks


def _lacks(wanted: Term) -> Callable[[list[Term]], int]:
    return lambda values: int(wanted not in values)


def _repeats_language(values: list[Term]) -> int:
    """How many language tags are used by more than one value (one result each)."""
    languages = Counter(
        v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language
    )
    return sum(1 for count in languages.values() if count > 1)


def _value_checks(shape: Shape, engine: _Engine) -> list[ValueCheck]:
    """Each per-value constraint of the shape as (component, test that is true on failure)."""
    checks: list[ValueCheck] = []
    for cls in shape.all(SH["class"]):
        checks.append((SH.ClassConstraintComponent, _not_instance(engine, cls)))
    for datatype in shape.all(SH.datatype):
        checks.append((SH.DatatypeConstraintComponent, _not_datatype(str(datatype))))
    for kind in shape.all(SH.nodeKind):
        checks.append((SH.NodeKindConstraintComponent, _not_kind(NODE_KINDS[URIRef(str(kind))])))
    for pattern in shape.all(SH.pattern):
        checks.append((SH.PatternConstraintComponent, _not_matching(shape, str(pattern))))
    members = shape.items(SH["in"])
    if members:
        allowed = {_term(m) for m in members}
        checks.append((SH.InConstraintComponent, lambda v: v not in allowed))
    if shape.one(SH.path) is None:  # at a node shape, the focus node itself must be the value
        for value in shape.all(SH.hasValue):
            wanted = _term(value)
            checks.append((SH.HasValueConstraintComponent, wanted.__ne__))
    checks += _length_and_range_checks(shape)
    for languages in shape.all(SH.languageIn):
        tags = [str(t).lower() for t in Collection(shape.graph, languages)]
        checks.append((SH.LanguageInConstraintComponent, _not_language(tags)))
    alternatives = [Shape(m, shape.graph) for m in shape.items(SH["or"])]
    if alternatives:
        tests = [_value_checks(alternative, engine) for alternative in alternatives]
        checks.append((SH.OrConstraintComponent, lambda v: all(_fails(t, v) for t in tests)))
    return checks


def _not_kind(kinds: tuple[type, ...]) -> Callable[[Term], bool]:
    return lambda value: not isinstance(value, kinds)


def _fails(checks: list[ValueCheck], value: Term) -> bool:
    return any(failed(value) for _, failed in checks)


def _length_and_range_checks(shape: Shape) -> list[ValueCheck]:
    checks: list[ValueCheck] = []
    for bound in shape.all(SH.minLength):
        checks.append((SH.MinLengthConstraintComponent, _bad_length(int(str(bound)), True)))
    for bound in shape.all(SH.maxLength):
        checks.append((SH.MaxLengthConstraintComponent, _bad_length(int(str(bound)), False)))
    comparisons = {
        SH.minExclusive: (SH.MinExclusiveConstraintComponent, lambda v, m: v > m),
        SH.minInclusive: (SH.MinInclusiveConstraintComponent, lambda v, m: v >= m),
        SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, lambda v, m: v < m),
        SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, lambda v, m: v <= m),
    }
    for parameter, (component, holds) in comparisons.items():
        for bound in shape.all(parameter):
            checks.append((component, _out_of_range(bound, holds)))
    return checks


def _bad_length(bound: int, is_minimum: bool) -> Callable[[Term], bool]:
    def failed(value: Term) -> bool:
        if isinstance(value, ox.BlankNode):
            return True
        length = len(value.value)
        return length < bound if is_minimum else length > bound

    return failed


def _out_of_range(bound: Node, holds: Callable[[Any, Any], bool]) -> Callable[[Term], bool]:
    limit = bound.toPython() if isinstance(bound, Literal) else None

    def failed(value: Term) -> bool:
        if not isinstance(value, ox.Literal) or limit is None:
            return True
        actual = node(value).toPython()
        if _kind(actual) is None or _kind(actual) != _kind(limit):
            return True  # values that cannot be compared do not satisfy the bound
        try:
            return not holds(actual, limit)
        except TypeError:  # such as a date-time with a time zone and one without
            return True

    return failed


def _kind(value: object) -> type | None:
    """The family of values that compare with one another."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal
    for family in (dt.datetime, dt.date, dt.time, str):
        if isinstance(value, family):
            return family
    return None


def _not_instance(engine: _Engine, cls: Node) -> Callable[[Term], bool]:
    def failed(value: Term) -> bool:
        return value not in engine.instances(cls)

    return failed


def _not_datatype(datatype: str) -> Callable[[Term], bool]:
    def failed(value: Term) -> bool:
        if not isinstance(value, ox.Literal):
            return True
        if datatype == str(RDFS.Literal):
            return False
        if datatype == str(RDF.langString):
            return value.language is None
        if value.language is not None or value.datatype.value != datatype:
            return True
        # A literal of the right datatype whose lexical form is not a value of it fails too.
        literal = node(value)
        assert isinstance(literal, Literal)
        return datatype != str(XSD.string) and bool(literal.ill_typed)

    return failed


def _not_matching(shape: Shape, pattern: str) -> Callable[[Term], bool]:
    flags = 0
    for letter in str(shape.one(SH.flags) or ""):
        flags |= REGEX_FLAGS.get(letter, 0)
    compiled = re.compile(pattern, flags)
    return lambda v: isinstance(v, ox.BlankNode) or compiled.search(v.value) is None


def _not_language(tags: list[str]) -> Callable[[Term], bool]:
    def failed(value: Term) -> bool:
        if not isinstance(value, ox.Literal) or not value.language:
            return True
        language = value.language.lower()
        return not any(language == t or language.startswith(t + "-") for t in tags)

    return failed


def _term(value: Node) -> Term:
    if isinstance(value, BNode):
        raise UnsupportedShapeError(f"a blank node {value.n3()} as a constraint value")
    return term(value)
