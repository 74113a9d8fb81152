"""The pyshacl cross-check reads the sources as written, not the store."""

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from conftest import FIXTURES, PROJECT, SHARED, copy_tree, with_snapshots
from kg.graph.assemble import assemble
from kg.graph.identity import resolve
from kg.graph.load import from_assembly
from kg.graph.redirects import add_redirects
from kg.iris import DEFAULT_BASE
from kg.publish.files import ONTOLOGY_FILE, SHAPES_FILE
from kg.sources.catalog import load_catalog, snapshot
from kg.store import node
from kg.validate.run import load_turtle, validate
from kg.validate.written import sources_graph

CSL = SHARED / "data" / "csl_watchman"
STATEMENT = f"{DEFAULT_BASE}id/statement/s"


def test_pyshacl_sees_two_values_where_the_store_keeps_one(tmp_path: Path) -> None:
    data = copy_tree(FIXTURES / "minimal", tmp_path / "data")
    facts = data / "sources" / "test" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace("elkg:verbatim true .", 'elkg:verbatim true, "1"^^xsd:boolean .'),
        encoding="utf-8",
    )
    assembly = assemble(load_catalog(data), DEFAULT_BASE)
    store = from_assembly(assembly)
    ontology = load_turtle([PROJECT / "ontology" / ONTOLOGY_FILE])
    shapes = load_turtle([PROJECT / "ontology" / SHAPES_FILE])
    ours = validate(assembly, store, ontology, shapes, engine="oxigraph")
    theirs = validate(assembly, store, ontology, shapes, engine="pyshacl")
    # The store made the two one ("1" is true), so a check of the store finds nothing;
    # pyshacl reads the file and finds sh:maxCount 1 broken.
    assert ours.conforms, ours.describe()
    assert [
        (v.focus, v.path.rsplit("#")[-1], v.component.rsplit("#")[-1]) for v in theirs.violations
    ] == [(STATEMENT, "verbatim", "MaxCountConstraintComponent")]
    written = sources_graph(assembly, store)
    assert set(written.objects(None, None)) >= {
        Literal("1", datatype=XSD.boolean, normalize=False),
        Literal("true", datatype=XSD.boolean),
    }


def test_the_sources_as_written_are_every_triple_the_store_holds(tmp_path: Path) -> None:
    """Curated files, the ingested snapshot, provenance and the graphs made in the store."""
    assembly = assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE)
    csv = CSL / "csl_sample_2019-12.csv"
    assembly = with_snapshots(assembly, [snapshot(f"{csv}@2019-12-15")], tmp_path)
    store = from_assembly(assembly)
    resolve(store, DEFAULT_BASE)
    add_redirects(store, DEFAULT_BASE)
    written = sources_graph(assembly, store)
    in_store = Graph()
    for quad in store:
        in_store.add((node(quad.subject), node(quad.predicate), node(quad.object)))  # type: ignore[arg-type]
    assert len(written) > 4000
    assert set(written) == set(in_store)
