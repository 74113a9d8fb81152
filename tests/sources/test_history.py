"""kg diff --rdf: a renamed entry's earlier IRIs are replaced by the new ones, but an earlier
entity that the newer snapshot still lists (on another list) keeps standing for itself."""

import csv
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

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
