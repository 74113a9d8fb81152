"""Curated Turtle is read as Oxigraph terms; a broken or missing file names where and why."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import SourceError
from kg.sources.turtle import parse_turtle

BASE = "https://example.org/id/"


def test_relative_iris_resolve_against_the_base(tmp_path: Path) -> None:
    path = tmp_path / "facts.ttl"
    path.write_text(
        '@prefix schema: <https://schema.org/> .\n<org/acme> schema:name "Acme"@en, "Acme" .\n',
        encoding="utf-8",
    )
    acme, name = ox.NamedNode(f"{BASE}org/acme"), ox.NamedNode("https://schema.org/name")
    assert parse_turtle(path, BASE) == {
        ox.Triple(acme, name, ox.Literal("Acme", language="en")),
        ox.Triple(acme, name, ox.Literal("Acme")),
    }


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "facts.ttl"
    path.write_text('<a> <b> "c" .\n\n<d> .\n<e> <f> "g" .\n', encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        parse_turtle(path, BASE)
    assert raised.value.where == f"{path}:3"
    assert "Turtle syntax error" in str(raised.value)


def test_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as raised:
        parse_turtle(tmp_path / "nowhere.ttl", BASE, missing="create it")
    assert raised.value.where == str(tmp_path / "nowhere.ttl")
    assert raised.value.hint == "create it"
