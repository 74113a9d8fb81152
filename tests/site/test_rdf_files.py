"""The RDF beside each page: the same triples as N-Triples, as Turtle (the same file) and as
JSON-LD compacted against the prefixes it uses."""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD}


def triples(path: Path, rdf_format: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(path=str(path), format=rdf_format)}


@pytest.fixture(scope="module")
def stems(built: Path) -> list[Path]:
    found = sorted((built / "site" / "id").rglob("*.nt"))
    assert len(found) > 100
    return [path.with_suffix("") for path in found]


def test_every_format_holds_the_same_triples(stems: list[Path]) -> None:
    for stem in stems:
        expected = triples(stem.with_suffix(".nt"), ox.RdfFormat.N_TRIPLES)
        assert expected, stem
        for suffix, rdf_format in FORMATS.items():
            assert triples(Path(f"{stem}{suffix}"), rdf_format) == expected, f"{stem}{suffix}"


def test_the_turtle_is_the_n_triples_written_once(stems: list[Path]) -> None:
    """N-Triples is Turtle: one file under both names (a hard link), read by either parser."""
    for stem in stems:
        turtle, n_triples = Path(f"{stem}.ttl").stat(), Path(f"{stem}.nt").stat()
        assert (turtle.st_ino, turtle.st_dev) == (n_triples.st_ino, n_triples.st_dev), stem


def test_json_ld_is_compact_with_our_prefixes(built: Path) -> None:
    path = built / "site" / "id" / "person" / "wilbur-ross.jsonld"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"]["schema"] == "https://schema.org/"
    assert document["@context"]["id"] == "https://w3id.org/entitylist-kg/id/"
    ross = next(node for node in document["@graph"] if node["@id"] == "id:person/wilbur-ross")
    assert ross["schema:name"] == "Wilbur Ross"
