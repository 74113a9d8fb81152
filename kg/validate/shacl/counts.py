"""The constraints on all the values of a focus node together, as counts of failures.

sh:minCount, sh:maxCount, sh:hasValue and sh:uniqueLang: each yields as many results as it
counts failures (sh:uniqueLang one per repeated language).
"""

from collections import Counter
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import SH

from kg.validate.shacl.shapes import Shape, Term, constant, is_true

CountCheck = tuple[URIRef, Callable[[list[Term]], int]]  # (component, number of failures)


def count_checks(shape: Shape) -> list[CountCheck]:
    """Each constraint of a property shape on a focus node's values taken together."""
    checks: list[CountCheck] = []
    minimum, maximum = shape.one(SH.minCount), shape.one(SH.maxCount)
    if isinstance(minimum, Literal):
        least = int(minimum.toPython())
        checks.append((SH.MinCountConstraintComponent, lambda values: int(len(values) < least)))
    if isinstance(maximum, Literal):
        most = int(maximum.toPython())
        checks.append((SH.MaxCountConstraintComponent, lambda values: int(len(values) > most)))
    for value in shape.all(SH.hasValue):
        checks.append((SH.HasValueConstraintComponent, _lacks(constant(value))))
    if is_true(shape.one(SH.uniqueLang)):
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
