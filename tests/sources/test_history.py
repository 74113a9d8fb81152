"""kg diff --rdf: a renamed entry's earlier IRIs are replaced by the new ones, but an earlier
entity that the newer snapshot still lists (on another list) keeps standing for itself; a
renewed order's later entry renews the earlier."""

import csv
import gzip
import io
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from conftest import SHARED, run_kg
from kg.iris import DEFAULT_BASE, slug

SAMPLE = SHARED / "data" / "csl_watchman" / "csl_sample_2025-06.csv"
OLD_NAME = "Atlas Sanatgaran"
NEW_NAME = "Atlas Sanatgaran Holding"
ISN = "Nonproliferation Sanctions (ISN) - State Department"


def rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, found: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(found[0]))
        writer.writeheader()
        writer.writerows(found)
    return path


def renamed(tmp_path: Path, *, also_on_isn: bool) -> Graph:
    """kg diff of the sample and a copy where Atlas Sanatgaran (UVL) is renamed, its old
    name kept as an alias; with `also_on_isn`, the old name is on the ISN in both too."""
    old = rows()
    (atlas,) = [row for row in old if row["name"] == OLD_NAME]
    if also_on_isn:
        old.append({**atlas, "source": ISN, "_id": "isn-atlas"})
    new = [{**row, "name": NEW_NAME, "alt_names": OLD_NAME} if row is atlas else row for row in old]
    before = write(tmp_path / "old.csv", old)
    after = write(tmp_path / "new.csv", new)
    out = tmp_path / "changes.ttl"
    result = run_kg("-q", "diff", f"{before}@2025-06-25", f"{after}@2025-09-01", "--rdf", str(out))
    assert result.returncode == 0, result.stderr
    return Graph().parse(out, format="turtle")


def replaced(graph: Graph) -> set[tuple[str, str]]:
    prefix = f"{DEFAULT_BASE}id/"
    return {
        (str(old).removeprefix(prefix), str(new).removeprefix(prefix))
        for old, new in graph.subject_objects(DCTERMS.isReplacedBy)
    }


def test_a_renamed_entity_no_longer_listed_is_replaced(tmp_path: Path) -> None:
    found = replaced(renamed(tmp_path, also_on_isn=False))
    # Untyped rows get their kind from the name: "Sanatgaran" (manufacturers) and "Holding".
    assert (f"org/{slug(OLD_NAME)}", f"org/{slug(NEW_NAME)}") in found
    assert len(found) == 2  # and its listing


def test_a_renamed_entity_still_listed_elsewhere_is_not_replaced(tmp_path: Path) -> None:
    graph = renamed(tmp_path, also_on_isn=True)
    old_entity = URIRef(f"{DEFAULT_BASE}id/org/{slug(OLD_NAME)}")
    assert (old_entity, DCTERMS.isReplacedBy, None) not in graph
    assert replaced(graph) == {  # the earlier listing only: the renamed entry's
        (
            f"listing/unverified-list/{slug(OLD_NAME)}/undated",
            f"listing/unverified-list/{slug(NEW_NAME)}/undated",
        )
    }


def dpl_rows(snapshot: str, name: str) -> list[dict[str, str]]:
    """The rows of one party on the DPL in a snapshot of ../shared, as the list printed them."""
    path = SHARED / "data" / "csl_watchman" / snapshot
    text = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return [
        row
        for row in csv.DictReader(io.StringIO(text.decode("utf-8")))
        if row["name"] == name and row["source"].startswith("Denied Persons List")
    ]


def test_a_renewed_denial_order_is_said_to_renew_the_earlier_one(tmp_path: Path) -> None:
    """The DPL writes each renewal of AL NASER WINGS AIRLINES's temporary denial order as a
    new entry: read as a removal and an addition, the History said the party was taken off
    (trial 36). The removal stands, the later entry renews the earlier."""
    name = "AL NASER WINGS AIRLINES"
    before = write(tmp_path / "2019.csv", dpl_rows("csl_sample_2019-12.csv", name))
    after = write(tmp_path / "2022.csv", dpl_rows("consolidated_2022-05.csv.gz", name))
    out = tmp_path / "changes.ttl"
    result = run_kg("-q", "diff", f"{before}@2019-12-03", f"{after}@2022-05-06", "--rdf", str(out))
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out, format="turtle")
    listing = f"{DEFAULT_BASE}id/listing/denied-persons-list/al-naser-wings-airlines/"
    renews = URIRef("https://w3id.org/entitylist-kg/ontology#renews")
    assert set(graph.subject_objects(renews)) == {
        (URIRef(f"{listing}2021-11-17"), URIRef(f"{listing}2019-06-05"))
    }
    removal = URIRef(f"{listing}2019-06-05/removal-observed-csl-2022-05-06")
    assert (removal, None, None) in graph
    # An entry that cites none of the earlier one's rules is another order, not a renewal.
    other = write(
        tmp_path / "other.csv",
        [
            {**row, "federal_register_notice": "86 FR 66277"}
            for row in dpl_rows("consolidated_2022-05.csv.gz", name)
        ],
    )
    result = run_kg("-q", "diff", f"{before}@2019-12-03", f"{other}@2022-05-06", "--rdf", str(out))
    assert result.returncode == 0, result.stderr
    assert not set(Graph().parse(out, format="turtle").subject_objects(renews))


def test_a_removed_entrys_kind_is_stated_only_where_its_rows_give_it(tmp_path: Path) -> None:
    """AL NASER WINGS AIRLINES's DPL rows give no kind: its IRI's folder, org/, is our
    inference, which the removal stated as a type, so its page dropped "our inference"
    (trial 39)."""
    name, graphs = "AL NASER WINGS AIRLINES", []
    for kind in ("", "Entity"):
        rows = [{**row, "type": kind} for row in dpl_rows("csl_sample_2019-12.csv", name)]
        before = write(tmp_path / f"2019{kind}.csv", rows)
        after = write(tmp_path / f"2022{kind}.csv", [rows[0] | {"name": "Another Party"}])
        out = tmp_path / f"changes{kind}.ttl"
        done = run_kg(
            "-q", "diff", f"{before}@2019-12-03", f"{after}@2022-05-06", "--rdf", str(out)
        )
        assert done.returncode == 0, done.stderr
        graphs.append(Graph().parse(out, format="turtle"))
    entity = URIRef(f"{DEFAULT_BASE}id/org/al-naser-wings-airlines")
    untyped, typed = (set(graph.objects(entity, RDF.type)) for graph in graphs)
    assert untyped == set()
    assert URIRef("https://w3id.org/entitylist-kg/ontology#Organization") in typed
