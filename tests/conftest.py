"""Shared fixtures: the project's folders, and one build of the bundled data per session."""

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.build import build
from kg.config import Settings

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = SHARED / "sources" / "article-2019-10-08-entity-list-additions.txt"
OCTOBER_ROWS = SHARED / "data" / "derived" / "el_84FR54002_2019-10-09_from_csl_2022-05.csv"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder of the bundled data (built once; tests must not modify it)."""
    out = tmp_path_factory.mktemp("build") / "build"
    build(Settings(out_dir=out))
    return out


@pytest.fixture(scope="session")
def store(built: Path) -> ox.Store:
    """A store loaded from the published N-Quads dump and the published ontology."""
    loaded = ox.Store()
    loaded.load(path=str(built / "dumps" / "entitylist-kg.nq"), format=ox.RdfFormat.N_QUADS)
    loaded.load(
        path=str(built / "dumps" / "entitylist.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://w3id.org/entitylist-kg/ontology"),
    )
    return loaded


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def built_terms(built: Path) -> set[URIRef]:
    """Every term of our namespace that the published data uses as a predicate or class."""
    ns = "https://w3id.org/entitylist-kg/ontology#"
    terms: set[URIRef] = set()
    for quad in ox.parse(path=str(built / "dumps" / "entitylist-kg.nq")):
        for node in (quad.predicate, quad.object):
            if isinstance(node, ox.NamedNode) and node.value.startswith(ns):
                terms.add(URIRef(node.value))
    return terms
