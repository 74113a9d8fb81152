"""SHACL-SPARQL constraints (sh:sparql) as one query each for all focus nodes.

SHACL-SPARQL runs a constraint's SELECT once per focus node with $this pre-bound. Here the
shape's target is joined into the query's outer group instead, which binds $this the same
way wherever a join reaches; queries where it would not are refused by name.
"""

import re

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from kg.validate.shacl.shapes import Shape, UnsupportedShapeError, in_order

# Variables SHACL-SPARQL pre-binds besides $this; queries using them are refused.
PRE_BOUND = re.compile(r"[?$](shapesGraph|currentShape|PATH)\b")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
UNSUPPORTED_SPARQL = [  # SHACL-SPARQL 5.2.1: queries using these are ill-formed
    (re.compile(r"\bMINUS\b", re.IGNORECASE), "MINUS is not allowed"),
    (re.compile(r"\bVALUES\b", re.IGNORECASE), "VALUES is not allowed"),
    (re.compile(r"\bSERVICE\b", re.IGNORECASE), "SERVICE is not allowed"),
    (re.compile(r"\bAS\s+[?$]this\b", re.IGNORECASE), "$this cannot be bound by AS"),
]
# Aggregates whose value depends on how often a solution occurs. Over the engine's union of
# graphs a triple two graphs state occurs twice; every other query has the same distinct
# solutions there as over the merge, so only a query using these needs the merge written.
REPEAT_SENSITIVE = re.compile(r"\b(COUNT|SUM|AVG|GROUP_CONCAT)\s*\(", re.IGNORECASE)
SUBSELECT = re.compile(r"\{\s*SELECT\b(.*?)\bWHERE\b", re.IGNORECASE | re.DOTALL)
TOKENS = re.compile(
    r"(?P<kind>(?:NOT\s+)?EXISTS\s*|OPTIONAL\s*)?\{|\}|\bFILTER\b|[?$]this\b", re.IGNORECASE
)


def joined_query(constraint: Shape, target: str) -> str:
    """The constraint's query for every focus node of the target, $this bound as SHACL
    pre-binds it; each solution binds ?this to its focus node."""
    query = _prefixes(constraint) + _checked_select(constraint)
    where = WHERE.search(query)
    assert where is not None, f"no WHERE clause in {query}"
    if not _this_only_at_top(query[where.end() :]):
        raise UnsupportedShapeError(f"$this inside nested groups is not supported: {query}")
    # Joining the target first into the outer group binds $this wherever it occurs, as
    # pre-binding would: one query for all focus nodes.
    return f"{query[: where.end()]} {target} {query[where.end() :]}"


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
        pending += in_order(graph.objects(ontology, OWL.imports))
        for declaration in in_order(graph.objects(ontology, SH.declare)):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def needs_merge(shapes: Graph) -> bool:
    """Whether a SPARQL constraint of the shapes aggregates in a way that counts a triple
    once per graph stating it over the union of graphs (REPEAT_SENSITIVE)."""
    return any(REPEAT_SENSITIVE.search(str(query)) for query in shapes.objects(None, SH.select))


def bound(row: ox.QuerySolution, name: str) -> bool:
    """Whether the solution binds the variable (the query need not select it at all)."""
    try:
        return row[name] is not None
    except (KeyError, IndexError):
        return False


def fill(message: str, row: ox.QuerySolution) -> str:
    """Substitute {?var} and {$var} by the lexical form of the variable's binding."""

    def binding(match: re.Match[str]) -> str:
        name = match.group(1)
        return row[name].value if bound(row, name) else match.group(0)

    return re.sub(r"\{[?$](\w+)\}", binding, message)
