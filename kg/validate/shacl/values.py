"""The constraints on each value of a focus node, as tests that are true on failure.

sh:class, sh:datatype, sh:nodeKind, sh:pattern, sh:in, sh:hasValue (at a node shape, on the
focus node itself), the lengths and ranges, sh:languageIn, and sh:or of these.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.store import node
from kg.validate.shacl.shapes import Shape, Term, constant

ValueCheck = tuple[URIRef, Callable[[Term], bool]]  # (component, does this value fail?)
# The instances of a class in the data; the engine answers it, once per class.
Instances = Callable[[Node], frozenset[Term]]

NODE_KINDS = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
REGEX_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}


def value_checks(shape: Shape, instances: Instances) -> list[ValueCheck]:
    """Each per-value constraint of the shape as (component, test that is true on failure)."""
    checks: list[ValueCheck] = []
    for cls in shape.all(SH["class"]):
        checks.append((SH.ClassConstraintComponent, _not_instance(instances, cls)))
    for datatype in shape.all(SH.datatype):
        checks.append((SH.DatatypeConstraintComponent, _not_datatype(str(datatype))))
    for kind in shape.all(SH.nodeKind):
        checks.append((SH.NodeKindConstraintComponent, _not_kind(NODE_KINDS[URIRef(str(kind))])))
    for pattern in shape.all(SH.pattern):
        checks.append((SH.PatternConstraintComponent, _not_matching(shape, str(pattern))))
    members = shape.items(SH["in"])
    if members:
        allowed = {constant(m) for m in members}
        checks.append((SH.InConstraintComponent, lambda v: v not in allowed))
    if shape.one(SH.path) is None:  # at a node shape, the focus node itself must be the value
        for value in shape.all(SH.hasValue):
            wanted = constant(value)
            checks.append((SH.HasValueConstraintComponent, wanted.__ne__))
    checks += _length_and_range_checks(shape)
    for languages in shape.all(SH.languageIn):
        tags = [str(t).lower() for t in Collection(shape.graph, languages)]
        checks.append((SH.LanguageInConstraintComponent, _not_language(tags)))
    alternatives = [Shape(m, shape.graph) for m in shape.items(SH["or"])]
    if alternatives:
        tests = [value_checks(alternative, instances) for alternative in alternatives]
        checks.append((SH.OrConstraintComponent, lambda v: all(_fails(t, v) for t in tests)))
    return checks


def _not_kind(kinds: tuple[type, ...]) -> Callable[[Term], bool]:
    return lambda value: not isinstance(value, kinds)


def _fails(checks: list[ValueCheck], value: Term) -> bool:
    return any(failed(value) for _, failed in checks)


def _length_and_range_checks(shape: Shape) -> list[ValueCheck]:
    """The shape's bounds on the length of a value's lexical form and on its value."""
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


def _not_instance(instances: Instances, cls: Node) -> Callable[[Term], bool]:
    def failed(value: Term) -> bool:
        return value not in instances(cls)

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
