"""Fast SHACL validation: each shape runs as a few whole-graph SPARQL queries in Oxigraph.

pyshacl checks one focus node at a time over rdflib, which takes minutes on the whole
Consolidated Screening List. Here a property shape costs one query returning every
(focus node, value) pair, whose constraints are then checked in Python, and a SPARQL
constraint runs once with its target joined in instead of once per focus node.

Only the SHACL features listed in SUPPORTED are implemented. A shapes graph using any other
shacl term is refused by name (UnsupportedShapeError) rather than checked less than pyshacl
would: tests run this engine and pyshacl side by side, and on the W3C SHACL test suite.

The modules, in the order a validation uses them:

- `shapes`: the shapes graph read into Shape records, unsupported features refused;
- `engine`: targets and paths as queries on the store, yielding Results;
- `counts`, `values`: the core constraints checked on what those queries found;
- `sparql_constraints`: sh:sparql constraints as one query for all focus nodes.
"""

import pyoxigraph as ox
from rdflib import Graph

from kg.validate.shacl.engine import Engine, Result
from kg.validate.shacl.shapes import (
    SUPPORTED,
    SUPPORTED_NAMES,
    UnsupportedShapeError,
    node_shapes,
)
from kg.validate.shacl.sparql_constraints import needs_merge

__all__ = [
    "SUPPORTED",
    "SUPPORTED_NAMES",
    "Result",
    "UnsupportedShapeError",
    "needs_merge",
    "validate",
]


def validate(store: ox.Store, shapes: Graph) -> list[Result]:
    """Every SHACL result of the store's union graph against the shapes graph."""
    engine = Engine(store)
    return [result for shape in node_shapes(shapes) for result in engine.node_shape(shape)]
