"""Literals are published as their sources wrote them, or the build refuses them, naming the
file and line (or CSV row), the form the store would give them and the datatype expected."""

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, PROJECT, SHARED, copy_tree, run_kg, with_snapshots
from kg.build import check
from kg.config import Settings
from kg.errors import SourceError
from kg.graph.assemble import assemble
from kg.graph.streamed import Literals, StreamedGraph
from kg.iris import DEFAULT_BASE
from kg.publish.files import DUMPS, NQUADS, SHAPES_FILE
from kg.sources.catalog import load_catalog, snapshot
from kg.validate.literals import as_stored, check_literals, rewritten
from kg.validate.run import load_turtle

XSD = "http://www.w3.org/2001/XMLSchema#"
SHAPES = load_turtle([PROJECT / "ontology" / SHAPES_FILE])
CSL = SHARED / "data" / "csl_watchman"
FR_VOLUME = "https://w3id.org/entitylist-kg/ontology#frVolume"
W3C = SHARED / "conformance" / "shacl" / "tests" / "core" / "property"


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def edited(tmp_path: Path, old: str, new: str) -> Path:
    data = copy_tree(FIXTURES / "minimal", tmp_path / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    assert text.count(old) == 1
    facts.write_text(text.replace(old, new), encoding="utf-8")
    return data


def line_of(data: Path, text: str) -> int:
    lines = (data / "sources" / "test" / "facts.ttl").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_the_round_trip_is_the_stores_own() -> None:
    stored = as_stored(
        [typed("84", "nonNegativeInteger"), typed("4.0", "decimal"), typed("1", "boolean")]
    )
    assert stored[typed("84", "nonNegativeInteger")] == typed("84", "integer")
    assert stored[typed("4.0", "decimal")] == typed("4", "decimal")
    assert stored[typed("1", "boolean")] == typed("true", "boolean")
    assert as_stored([typed("2019-10-09", "date")]) == {
        typed("2019-10-09", "date"): typed("2019-10-09", "date")
    }


def test_a_non_negative_integer_is_refused_with_its_line_and_the_expected_datatype(
    tmp_path: Path,
) -> None:
    data = edited(
        tmp_path,
        "elkg:frVolume 84 .",
        'elkg:frVolume "84"^^xsd:nonNegativeInteger .',
    )
    with pytest.raises(SourceError) as refused:
        check(Settings(data_dir=data))
    message = str(refused.value)
    where = f"{data / 'sources' / 'test' / 'facts.ttl'}:{line_of(data, 'elkg:frVolume')}"
    assert refused.value.where == where
    assert (
        '"84"^^xsd:nonNegativeInteger would be published as "84"^^xsd:integer; '
        "the shapes expect xsd:integer" in message
    )
    assert "1 literal(s)" in message


def test_the_cli_refuses_it_with_exit_1_and_no_traceback(tmp_path: Path) -> None:
    data = edited(tmp_path, "elkg:frVolume 84 .", 'elkg:frVolume "84"^^xsd:nonNegativeInteger .')
    result = run_kg("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert '"84"^^xsd:nonNegativeInteger would be published as "84"^^xsd:integer' in (result.stderr)
    assert not (tmp_path / "out").exists()


def test_a_value_written_as_the_store_keeps_it_is_published_as_written(tmp_path: Path) -> None:
    data = edited(tmp_path, "elkg:frVolume 84 .", 'elkg:frVolume "84"^^xsd:integer .')
    out = tmp_path / "out"
    assert run_kg("build", "--data", str(data), "--out", str(out)).returncode == 0
    dump = (out / DUMPS / NQUADS).read_text(encoding="utf-8")
    amount = f'<https://w3id.org/entitylist-kg/ontology#amount> "10"^^<{XSD}decimal>'
    assert f'<https://w3id.org/entitylist-kg/ontology#frVolume> "84"^^<{XSD}integer>' in dump
    assert amount in dump


def test_two_spellings_of_true_that_the_store_would_merge_are_refused(tmp_path: Path) -> None:
    """Else sh:maxCount 1 of elkg:verbatim would see one value where the source states two."""
    data = edited(
        tmp_path,
        "<statement/s> elkg:verbatim true .",
        '<statement/s> elkg:verbatim true, "1"^^xsd:boolean .',
    )
    assembly = assemble(load_catalog(data), DEFAULT_BASE)
    found = rewritten(assembly)
    assert [(r.written, r.stored) for r in found] == [
        (typed("1", "boolean"), typed("true", "boolean"))
    ]
    assert found[0].where.endswith(f"facts.ttl:{line_of(data, 'elkg:verbatim')}")


def test_the_bundled_sources_are_published_as_written() -> None:
    assembly = assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE)
    assert rewritten(assembly, PROJECT / "ontology" / "entitylist.ttl") == []


def test_an_ingested_literal_is_refused_with_its_csv_row(tmp_path: Path) -> None:
    assembly = assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE)
    csv = CSL / "csl_sample_2019-12.csv"
    assembly = with_snapshots(assembly, [snapshot(f"{csv}@2019-12-15")], tmp_path)
    assert assembly.ingested is not None
    check_literals(assembly, SHAPES)  # the ingest writes every value as the store keeps it
    store = assembly.ingested.store
    assert store is not None
    subject, (file, row) = min(assembly.ingested.rows.items())
    graph = StreamedGraph(store, min(store.named_graphs(), key=str), literals := Literals())
    added = ox.Triple(ox.NamedNode(subject), ox.NamedNode(FR_VOLUME), typed("007", "int"))
    graph.add(added)
    graph.flush()  # as the ingest writes a snapshot's graph
    assert literals.rewritten == [(added, typed("7", "integer"))]
    rewrites = tuple(literals.rewritten)
    broken = replace(assembly, ingested=replace(assembly.ingested, rewritten=rewrites))
    with pytest.raises(SourceError) as refused:
        check_literals(broken, SHAPES)
    assert refused.value.where == f"{file}: row {row}"
    assert (
        '"007"^^xsd:int would be published as "7"^^xsd:integer; the shapes expect xsd:integer'
        in str(refused.value)
    )


def test_the_w3c_ill_formed_byte_is_refused_before_the_store(tmp_path: Path) -> None:
    """The W3C test datatype-ill-formed cannot pass on a store that rewrites "300"^^xsd:byte;
    a build refuses that literal instead of validating what the store made of it."""
    data = copy_tree(FIXTURES / "minimal", tmp_path / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    facts.write_text((W3C / "datatype-ill-formed-data.ttl").read_text(encoding="utf-8"))
    found = rewritten(assemble(load_catalog(data), DEFAULT_BASE))
    assert [(r.where, r.written, r.stored) for r in found] == [
        (f"{facts}:4", typed("300", "byte"), typed("300", "integer"))
    ]
