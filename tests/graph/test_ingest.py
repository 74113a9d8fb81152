"""Snapshots say what they are (complete or partial), and citations are read in full.

Small CSV snapshots are written into tmp_path; the last tests run on the real files in
../shared/data (about 30 s).
"""

import csv
import datetime as dt
import json
import logging
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT, SHARED, run_kg, with_snapshots
from kg.citations import read_citations
from kg.errors import SourceError
from kg.graph.assemble import assemble
from kg.graph.census import add_counts
from kg.graph.ingest_report import IngestReport
from kg.graph.load import from_assembly
from kg.in_force import EVERY_ENTRY_PATTERN, PATTERN
from kg.iris import DEFAULT_BASE
from kg.match.rows import parties, run_queries
from kg.site.queries import KINDS_INFERRED
from kg.sources import history
from kg.sources.catalog import as_curated, given_once, load_catalog, snapshot
from kg.sources.csl import LISTS, map_rows, variant
from kg.sources.csl_read import COLUMNS, Row, read_csl
from kg.store import select
from kg.web.examples import EXAMPLES, as_of_query

EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
CSL = SHARED / "data" / "csl_watchman"
TODAY = dt.date(2026, 11, 24)
ELKG = "https://w3id.org/entitylist-kg/ontology#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
RULE = f"{DEFAULT_BASE}id/rule/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def row(name: str, source: str = EL, **fields: str) -> dict[str, str]:
    return {"source": source, "name": name, "start_date": "2020-01-01", **fields}


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def ten(prefix: str = "Acme") -> list[dict[str, str]]:
    return [row(f"{prefix} Trading {n}") for n in range(10)]


def ingest(tmp_path: Path, *specs: str, max_shrink: float = 0.2) -> tuple[IngestReport, ox.Store]:
    assembly = with_snapshots(
        assemble([], DEFAULT_BASE),
        [snapshot(spec) for spec in specs],
        tmp_path,
        max_shrink=max_shrink,
    )
    assert assembly.ingested
    return assembly.ingested.report, counted(from_assembly(assembly))


def counted(store: ox.Store) -> ox.Store:
    """The store with each list's counts day by day, as the build adds them."""
    add_counts(store, DEFAULT_BASE)
    return store


def kinds(store: ox.Store, kind: str) -> set[str]:
    """The names of the entries with a list action of this kind."""
    query = f"""PREFIX elkg: <{ELKG}>
    SELECT ?name WHERE {{ ?a a elkg:{kind} ; elkg:affectsListing/elkg:listedEntity ?e .
                          ?e elkg:publishedName ?name }}"""
    return {s["name"].value for s in store.query(query, use_default_graph_as_union=True)}  # type: ignore[index, union-attr]


def in_force(store: ox.Store, name: str, day: str) -> bool:
    return bool(
        store.query(
            as_of_query(day),
            use_default_graph_as_union=True,
            substitutions={ox.Variable("name"): ox.Literal(name)},
        )
    )


# Qualifiers and source.toml


def test_qualifiers_say_what_a_snapshot_is(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", ten())
    assert snapshot(f"{path}@2025-01-01").complete  # a download is the whole list
    partial = snapshot(f"{path}@2025-01-01:partial")
    assert not partial.complete and partial.date == dt.date(2025, 1, 1)
    assert snapshot(f"{path}@2025-01-01:complete:accept-shrink").accept_shrink
    with pytest.raises(SourceError, match="both partial and complete"):
        snapshot(f"{path}@2025-01-01:partial:complete")
    with pytest.raises(SourceError, match="unknown qualifier 'parital'"):
        snapshot(f"{path}@2025-01-01:parital")


def test_a_snapshot_folder_says_complete_or_not(tmp_path: Path) -> None:
    write(tmp_path / "a.csv", ten())
    config = (
        """kind = "csl"\nfile = "a.csv"\n{flag}\n[document]\ntitle = "A"\ndate = 2025-01-01\n"""
    )
    (tmp_path / "source.toml").write_text(config.format(flag="complete = false"))
    assert not snapshot(str(tmp_path)).complete
    assert snapshot(f"{tmp_path}:complete").complete  # the command line decides
    (tmp_path / "source.toml").write_text(config.format(flag=""))
    assert snapshot(str(tmp_path)).complete
    (tmp_path / "source.toml").write_text(config.format(flag='complete = "yes"'))
    with pytest.raises(SourceError, match="complete must be true or false"):
        snapshot(str(tmp_path))


def test_the_project_snapshot_is_declared_complete() -> None:
    folder = PROJECT / "data" / "csl" / "csl-2022-05"
    assert "complete = true" in (folder / "source.toml").read_text()
    assert snapshot(str(folder)).complete


def test_a_file_given_twice_for_one_day_is_read_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path / "a.csv", ten())
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "source.toml").write_text(
        'kind = "csl"\nfile = "../a.csv"\n[document]\ntitle = "A"\ndate = 2025-01-01\n'
    )
    specs = [str(tmp_path / "folder"), f"{copy}@2025-01-01", f"{path}@2025-02-01"]
    read = given_once([snapshot(spec) for spec in specs])
    assert [(s.spec.id, str(s.date)) for s in read] == [
        ("folder", "2025-01-01"),
        ("csl-2025-02-01", "2025-02-01"),  # the same file on another day is another snapshot
    ]
    assert (
        f"snapshots folder and csl-2025-01-01 are the same file ({copy}) for 2025-01-01: "
        "read once, as folder" in caplog.text
    )
    report, store = ingest(tmp_path, *specs)
    assert set(report.rows_by_list) == {"folder", "csl-2025-02-01"}
    described = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)}
    assert f"{DEFAULT_BASE}id/source/folder" in described
    assert f"{DEFAULT_BASE}id/source/csl-2025-01-01" not in described


def test_the_curated_sources_download_given_as_a_file_is_that_source() -> None:
    """data/sources/csl-2022-05 transcribes the 2022 download and names its local copy: the
    file given as FILE@DATE of that day is that source, as the folder data/csl/csl-2022-05
    is, not a second source of one download."""
    sources = load_catalog(PROJECT / "data")
    (curated,) = [s for s in sources if s.id == "csl-2022-05"]
    given = as_curated(snapshot(f"{CSL}/consolidated_2022-05.csv.gz@2022-05-06"), sources, PROJECT)
    assert given.spec.id == "csl-2022-05" and given.spec.title == curated.title
    assert (given.spec.url, given.date, given.complete) == (curated.url, curated.issued, True)
    # Another day, or another file, is another snapshot.
    later = as_curated(snapshot(f"{CSL}/consolidated_2022-05.csv.gz@2022-05-07"), sources, PROJECT)
    assert later.spec.id == "csl-2022-05-07"
    sample = as_curated(snapshot(f"{CSL}/csl_sample_2019-12.csv@2022-05-06"), sources, PROJECT)
    assert sample.spec.id == "csl-2022-05-06"
    # Given beside the folder, it is read once.
    folder = snapshot(str(PROJECT / "data" / "csl" / "csl-2022-05"))
    assert [s.spec.id for s in given_once([folder, given])] == ["csl-2022-05"]


def test_two_whole_lists_of_one_day_are_warned_of_and_one_name_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    one, other = write(tmp_path / "a.csv", ten()), write(tmp_path / "b.csv", ten("Other"))
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "source.toml").write_text(
        'kind = "csl"\nfile = "../a.csv"\n[document]\ntitle = "A"\ndate = 2025-01-01\n'
    )
    given_once([snapshot(str(tmp_path / "folder")), snapshot(f"{other}@2025-01-01")])
    assert "folder and csl-2025-01-01 are both read as the whole list on 2025-01-01" in (
        caplog.text
    )
    caplog.clear()
    given_once([snapshot(str(tmp_path / "folder")), snapshot(f"{other}@2025-01-01:partial")])
    assert not caplog.text  # a sample beside the whole list is what :partial is for
    with pytest.raises(SourceError, match="two different snapshots are both called") as raised:
        given_once([snapshot(f"{one}@2025-01-01"), snapshot(f"{other}@2025-01-01")])
    assert raised.value.where == f"{one} and {other}"


# Removals only from complete snapshots


def test_a_partial_snapshot_removes_nothing(tmp_path: Path) -> None:
    old = write(tmp_path / "old.csv", ten())
    sample = write(tmp_path / "sample.csv", [row("Acme Trading 3", addresses="1 Road, Town, CN")])
    report, store = ingest(tmp_path, f"{old}@2025-01-01", f"{sample}@2025-06-01:partial")
    assert report.removals == 0 and report.complete == {
        "csl-2025-01-01": True,
        "csl-2025-06-01": False,
    }
    assert kinds(store, "Amendment") == {"Acme Trading 3"}  # what it shows still counts
    assert all(in_force(store, f"Acme Trading {n}", "2025-07-01") for n in range(10))


def observed(store: ox.Store, link: str) -> dict[str, str]:
    """Each listing's slug -> the day of the snapshot `link` (elkg:firstObservedIn, ...)."""
    return {
        s["l"].value.split("/")[-2]: s["d"].value  # type: ignore[index, union-attr]
        for s in store.query(
            f"""PREFIX elkg: <{ELKG}> PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?l ?d WHERE {{ GRAPH <{DEFAULT_BASE}graph/observations> {{
              ?l elkg:{link} ?s }} ?s dcterms:issued ?d }}""",
            use_default_graph_as_union=True,
        )
    }


def test_each_entry_says_the_last_snapshot_that_showed_it(tmp_path: Path) -> None:
    """Which snapshots showed an entry could not be asked: only the first was said (trial
    35). A later partial snapshot that does not show an entry leaves its last one as it was."""
    old = write(tmp_path / "old.csv", ten())
    sample = write(tmp_path / "sample.csv", [row("Acme Trading 3", addresses="1 Road, Town, CN")])
    _, store = ingest(tmp_path, f"{old}@2025-01-01", f"{sample}@2025-06-01:partial")
    last = observed(store, "lastObservedIn")
    assert len(last) == 10 and last["acme-trading-3"] == "2025-06-01"
    assert {day for name, day in last.items() if name != "acme-trading-3"} == {"2025-01-01"}


def test_an_earlier_snapshots_graph_says_it_is_not_the_list_of_its_day(tmp_path: Path) -> None:
    """The 2022 graph of a history build held 10,194 listings where the 2022 build's held
    14,102, and its description did not say why (trial 57b). The last snapshot's graph is
    the list as it stands, and says nothing of it."""
    old = write(tmp_path / "old.csv", ten())
    sample = write(tmp_path / "sample.csv", [row("Acme Trading 3", addresses="1 Road, Town, CN")])
    _, store = ingest(tmp_path, f"{old}@2025-01-01", f"{sample}@2025-06-01:partial")
    query = f"""SELECT ?graph ?note WHERE {{
        GRAPH <{DEFAULT_BASE}graph/provenance> {{ ?graph rdfs:comment ?note }}
        FILTER (STRSTARTS(STR(?graph), "{DEFAULT_BASE}graph/"))
    }}"""
    found = {
        s["graph"].value.rsplit("/", 1)[-1]: s["note"].value  # type: ignore[index, union-attr]
        for s in store.query(query, prefixes={"rdfs": RDFS_NS})
    }
    assert list(found) == ["csl-2025-01-01"]
    assert found["csl-2025-01-01"].startswith("Holds the entries this snapshot was the last to")


def test_a_complete_snapshot_removes_what_was_seen_before(tmp_path: Path) -> None:
    sample = write(tmp_path / "sample.csv", [row("Gone Trading")])
    full = write(tmp_path / "full.csv", ten())
    report, store = ingest(tmp_path, f"{sample}@2025-01-01:partial", f"{full}@2025-06-01")
    assert kinds(store, "Removal") == {"Gone Trading"}
    assert kinds(store, "Addition") == set()  # a sample's silence does not make additions
    assert in_force(store, "Gone Trading", "2025-05-01")
    assert not in_force(store, "Gone Trading", "2025-07-01")
    assert report.removals == 1


def test_an_addition_is_claimed_against_the_last_complete_snapshot(tmp_path: Path) -> None:
    full = write(tmp_path / "full.csv", ten())
    sample = write(tmp_path / "sample.csv", [row("Acme Trading 1"), row("New Trading")])
    _, store = ingest(tmp_path, f"{full}@2025-01-01", f"{sample}@2025-06-01:partial")
    assert kinds(store, "Addition") == {"New Trading"}
    (since,) = store.query(
        f"PREFIX elkg: <{ELKG}> SELECT ?d WHERE {{ ?a a elkg:Addition ; elkg:notObservedIn ?d }}",
        use_default_graph_as_union=True,
    )
    assert since[0].value == "2025-01-01"  # type: ignore[index]


def test_an_entry_printed_as_two_listings_comes_and_goes_as_both(tmp_path: Path) -> None:
    """MAHMOUD AMINI's order of 2023-10-31, printed in rows of two end dates: one entry to
    the comparison, two listings; each is added and removed, and neither stands after."""
    terms = [row("Twin Trading", license_policy=policy) for policy in ("Case by case", "Denial")]
    before, during, after = (
        write(tmp_path / f"{n}.csv", rows) for n, rows in enumerate([ten(), ten() + terms, ten()])
    )
    _, store = ingest(
        tmp_path, f"{before}@2025-01-01", f"{during}@2025-06-01", f"{after}@2025-09-01"
    )
    actions = select(
        store,
        f"""PREFIX elkg: <{ELKG}> SELECT DISTINCT ?kind ?listing WHERE {{
        VALUES ?kind {{ elkg:Addition elkg:Removal elkg:Amendment }} ?a a ?kind ; elkg:affectsListing ?listing . ?listing elkg:listedEntity/elkg:publishedName
        "Twin Trading" }}""",
    )
    listings = {a["listing"].value for a in actions}
    assert len(listings) == 2
    assert sorted((a["kind"].value.rsplit("#")[1], a["listing"].value) for a in actions) == sorted(
        (kind, listing) for kind in ("Addition", "Removal") for listing in listings
    )
    assert in_force(store, "Twin Trading", "2025-07-01")
    assert not in_force(store, "Twin Trading", "2025-10-01")


def test_the_list_stands_as_each_entry_was_last_seen(tmp_path: Path) -> None:
    full = write(tmp_path / "full.csv", [*ten(), row("Moved Trading", addresses="1 Old Road, CN")])
    sample = write(tmp_path / "sample.csv", [row("Moved Trading", addresses="2 New Road, CN")])
    _, store = ingest(tmp_path, f"{full}@2025-01-01", f"{sample}@2025-06-01:partial")
    addresses = {
        (s["g"].value.rsplit("/", 1)[1], s["text"].value)  # type: ignore[index, union-attr]
        for s in store.query(
            f"""PREFIX elkg: <{ELKG}> SELECT ?g ?text WHERE {{ GRAPH ?g {{
            ?e elkg:publishedName "Moved Trading" ; elkg:address/elkg:fullAddress ?text }} }}"""
        )
    }
    assert addresses == {("csl-2025-06-01", "2 New Road, CN")}
    graphs = {s["g"].value for s in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")}  # type: ignore[index, union-attr]
    assert f"{DEFAULT_BASE}graph/csl-2025-01-01" in graphs  # the other ten are from there


def test_a_sample_holding_one_of_an_entrys_rows_removes_nothing(tmp_path: Path) -> None:
    """I-ASH: two rows (two addresses) in the whole list, one of them in a later sample. The
    other address vanished from its page and an amendment said it was no longer shown."""
    two = [row("Ash Trading", addresses=f"{n} Trail Road, US") for n in (605, 908)]
    full = write(tmp_path / "full.csv", [*ten(), *two])
    sample = write(tmp_path / "sample.csv", [two[0]])
    _, store = ingest(tmp_path, f"{full}@2025-01-01", f"{sample}@2025-06-01:partial")
    addresses = {
        s["text"].value  # type: ignore[index, union-attr]
        for s in store.query(
            f"""PREFIX elkg: <{ELKG}> SELECT DISTINCT ?text WHERE {{
            ?e elkg:publishedName "Ash Trading" ; elkg:address/elkg:fullAddress ?text }}""",
            use_default_graph_as_union=True,
        )
    }
    assert addresses == {"605 Trail Road, US", "908 Trail Road, US"}
    assert kinds(store, "Amendment") == set()
    # The address both print is the party's in both snapshots' graphs (the page cites both),
    # described once: the sample writes it in capitals, and an address has one text.
    shouted = write(tmp_path / "shouted.csv", [{**two[0], "addresses": "605 TRAIL ROAD, US"}])
    _, store = ingest(tmp_path, f"{full}@2025-01-01", f"{shouted}@2025-06-01:partial")
    found = {
        (s["g"].value.rsplit("/", 1)[1], s["text"].value)  # type: ignore[index, union-attr]
        for s in store.query(
            f"""PREFIX elkg: <{ELKG}> SELECT DISTINCT ?g ?text WHERE {{
            GRAPH ?g {{ ?e elkg:publishedName "Ash Trading" ; elkg:address ?node }}
            ?node elkg:fullAddress ?text . FILTER(CONTAINS(?text, "605")) }}""",
            use_default_graph_as_union=True,
        )
    }
    assert found == {
        ("csl-2025-01-01", "605 Trail Road, US"),
        ("csl-2025-06-01", "605 Trail Road, US"),
    }
    # What the sample adds to such an entry is an amendment; what it lacks stands.
    added = write(tmp_path / "added.csv", [row("Ash Trading", addresses="1 New Road, US")])
    _, store = ingest(tmp_path, f"{full}@2025-01-01", f"{added}@2025-06-01:partial")
    assert kinds(store, "Amendment") == {"Ash Trading"}
    said = {
        str(s["p"].value)  # type: ignore[index, union-attr]
        for s in store.query(
            f"""PREFIX elkg: <{ELKG}> SELECT DISTINCT ?p WHERE {{
            ?a a elkg:Amendment ; ?p ?o }}""",
            use_default_graph_as_union=True,
        )
    }
    assert not any("removed" in p.casefold() for p in said), said


def test_an_undated_entry_counts_from_the_first_snapshot_that_showed_it(tmp_path: Path) -> None:
    undated = {"source": SDN, "start_date": ""}
    first = write(
        tmp_path / "a.csv", [*ten(), row("Old Undated", **undated), row("Gone", **undated)]
    )
    second = write(
        tmp_path / "b.csv", [*ten(), row("Old Undated", **undated), row("New", **undated)]
    )
    _, store = ingest(tmp_path, f"{first}@2021-01-01", f"{second}@2022-01-01")
    assert not in_force(store, "Old Undated", "2020-12-31")  # listed earlier? nothing says
    assert in_force(store, "Old Undated", "2021-01-01") and in_force(store, "Gone", "2021-06-01")
    assert not in_force(store, "Gone", "2022-01-01")  # its removal observed then
    assert not in_force(store, "New", "2021-12-31") and in_force(store, "New", "2022-01-01")
    assert in_force(store, "Acme Trading 1", "2020-01-01")  # a start date is the list's word
    seen = observed(store, "firstObservedIn")
    assert seen["old-undated"] == seen["gone"] == seen["acme-trading-1"] == "2021-01-01"
    assert seen["new"] == "2022-01-01"


# Renames


def renamed_rows(name: str, **fields: str) -> list[dict[str, str]]:
    return [*ten(), row(name, start_date="2019-05-21", **fields)]


def replaced(store: ox.Store) -> set[tuple[str, str]]:
    query = "SELECT ?o ?n WHERE { ?o <http://purl.org/dc/terms/isReplacedBy> ?n }"
    return {
        (
            s["o"].value.removeprefix(f"{DEFAULT_BASE}id/"),
            s["n"].value.removeprefix(f"{DEFAULT_BASE}id/"),
        )  # type: ignore[index, union-attr]
        for s in store.query(query, use_default_graph_as_union=True)
    }


def test_a_removed_entry_keeps_what_the_last_snapshot_showing_it_said(tmp_path: Path) -> None:
    """The 2019 sample ended Adrian Manuel Hernandez's denial on 2020-10-13; the 2022 list no
    longer shows him. His end date still stands: not in force on 2021-01-01."""
    dpl = "Denied Persons List (DPL) - Bureau of Industry and Security"
    ended = row("Adrian HERNANDEZ", source=dpl, start_date="2019-10-13", end_date="2020-10-13")
    before = write(tmp_path / "a.csv", [ended, *ten()])
    after = write(tmp_path / "b.csv", ten())
    _, store = ingest(tmp_path, f"{before}@2019-12-03:partial", f"{after}@2022-05-06")
    assert kinds(store, "Removal") == {"Adrian HERNANDEZ"}
    assert in_force(store, "Adrian HERNANDEZ", "2020-01-01")
    assert not in_force(store, "Adrian HERNANDEZ", "2021-01-01")  # ended, not just unseen


def test_most_of_a_list_added_questions_the_snapshot_before(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A sample read as complete, then the whole list: nine of its ten entries 'added'."""
    sample = write(tmp_path / "sample.csv", ten()[3:4])
    whole = write(tmp_path / "whole.csv", ten())
    with caplog.at_level(logging.WARNING, logger="kg.sources.history"):
        ingest(tmp_path, f"{sample}@2019-12-03", f"{whole}@2022-05-06")
    assert "adds 9 of the 10 entries of the Entity List" in caplog.text
    assert "mark it partial" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kg.sources.history"):
        ingest(tmp_path, f"{sample}@2019-12-03:partial", f"{whole}@2022-05-06")
    assert "adds" not in caplog.text


def test_a_renamed_entry_is_an_amendment_of_its_name(tmp_path: Path) -> None:
    old = "Gui'an New District Huawei Investment Co., Ltd., Guiyang, Guizhou"
    new = "Guiyan New District Huawei Investment Co., Ltd., Guiyang, Guizhou"
    before = write(tmp_path / "a.csv", renamed_rows(old, addresses="Guiyang, CN"))
    after = write(tmp_path / "b.csv", renamed_rows(new, addresses="Guiyang, CN"))
    report, store = ingest(tmp_path, f"{before}@2025-01-01", f"{after}@2025-06-01")
    assert report.removals == 0 and kinds(store, "Removal") == set()
    assert kinds(store, "Amendment") == {new}
    (found,) = store.query(
        f"PREFIX elkg: <{ELKG}> SELECT ?was ?p WHERE {{ ?a elkg:previousName ?was ; "
        "elkg:changedProperty ?p }",
        use_default_graph_as_union=True,
    )
    assert found["was"].value == old and found["p"].value == f"{ELKG}publishedName"  # type: ignore[index, union-attr]
    assert in_force(store, new, "2025-07-01")
    slug = "gui-an-new-district-huawei-investment-co-ltd-guiyang-guizhou"
    new_slug = "guiyan-new-district-huawei-investment-co-ltd-guiyang-guizhou"
    assert replaced(store) == {
        (f"org/{slug}", f"org/{new_slug}"),
        (f"listing/entity-list/{slug}/2019-05-21", f"listing/entity-list/{new_slug}/2019-05-21"),
    }


def test_a_rename_by_an_alias_keeps_a_still_listed_entity(tmp_path: Path) -> None:
    before = [*renamed_rows("Gazprombank OAO"), row("Gazprombank OAO", SDN, type="Entity")]
    after = [
        *renamed_rows("Gazprombank Joint Stock Company", alt_names="Gazprombank OAO; GPB"),
        row("Gazprombank OAO", SDN, type="Entity"),
    ]
    a, b = write(tmp_path / "a.csv", before), write(tmp_path / "b.csv", after)
    report, store = ingest(tmp_path, f"{a}@2025-01-01", f"{b}@2025-06-01")
    assert report.removals == 0 and kinds(store, "Amendment") == {"Gazprombank Joint Stock Company"}
    assert {old for old, _ in replaced(store)} == {  # the SDN's party keeps its IRI
        "listing/entity-list/gazprombank-oao/2019-05-21"
    }


def test_no_rename_without_the_same_start_or_with_two_candidates(tmp_path: Path) -> None:
    old = write(tmp_path / "a.csv", renamed_rows("Acme Optics Bureau", addresses="Town, CN"))
    moved = [*ten(), row("Acme Optics Bureau No 2", start_date="2020-02-02", addresses="Town, CN")]
    two = [
        *ten(),
        *(
            row(f"Acme Optics Bureau {n}", start_date="2019-05-21", addresses="Town, CN")
            for n in "AB"
        ),
    ]
    for name, rows in (("moved", moved), ("two", two)):
        new = write(tmp_path / f"{name}.csv", rows)
        report, _ = ingest(tmp_path / name, f"{old}@2025-01-01", f"{new}@2025-06-01")
        assert report.removals == 1, name
        assert report.changes["csl-2025-01-01 -> csl-2025-06-01"]["Addition"] == len(rows) - 10


PLC = "Palestinian Legislative Council List (PLC) - Treasury Department"


def listings_in_force(store: ox.Store, day: str) -> int:
    """How many listings the lists-on example counts on `day`, over every list."""
    (query,) = (example.query for example in EXAMPLES if example.id == "lists-on")
    query = query.replace('"2023-01-01"', f'"{day}"')
    found = store.query(query, use_default_graph_as_union=True)
    return sum(int(s["entries"].value) for s in found)  # type: ignore[index, union-attr]


@pytest.mark.parametrize("qualifier", ["", ":partial"])
def test_a_name_written_in_another_order_is_the_same_entry(tmp_path: Path, qualifier: str) -> None:
    """OFAC's lists wrote "HANIYA, Ismail Abdul Salah" in 2022, "Ismail Abdul Salah HANIYA"
    in 2023 (the 2023-11 subset): one person, whether the newer snapshot is whole or a part."""
    person = {"source": PLC, "type": "Individual", "start_date": ""}
    before = write(tmp_path / "a.csv", [*ten(), row("HANIYA, Ismail Abdul Salah", **person)])
    after = write(tmp_path / "b.csv", [*ten(), row("Ismail Abdul Salah HANIYA", **person)])
    report, store = ingest(tmp_path, f"{before}@2022-05-01", f"{after}@2023-11-30{qualifier}")
    assert report.removals == 0 and kinds(store, "Addition") == set()
    assert kinds(store, "Amendment") == {"Ismail Abdul Salah HANIYA"}
    assert listings_in_force(store, "2024-01-01") == 11  # not 12: the person counted once
    assert in_force(store, "Ismail Abdul Salah HANIYA", "2022-06-01")  # seen since 2022
    assert ("person/haniya-ismail-abdul-salah", "person/ismail-abdul-salah-haniya") in replaced(
        store
    )


def test_a_partial_snapshot_renames_only_by_the_same_words(tmp_path: Path) -> None:
    """A new name with other words, or an earlier entry the part still shows, is no rename:
    a partial snapshot's silence says nothing."""
    before = write(tmp_path / "a.csv", [*ten(), row("Acme Optics Bureau")])
    after = write(
        tmp_path / "b.csv",
        [row("Acme Trading 1"), row("Acme Trading 2"), row("Trading Acme 2"), row("Acme Optics")],
    )
    _, store = ingest(tmp_path, f"{before}@2025-01-01", f"{after}@2025-06-01:partial")
    assert kinds(store, "Addition") == {"Trading Acme 2", "Acme Optics"}
    assert replaced(store) == set()
    assert listings_in_force(store, "2025-07-01") == 13


DPL = "Denied Persons List (DPL) - Bureau of Industry and Security"


@pytest.mark.parametrize("qualifier", ["", ":partial"])
def test_a_corrected_start_date_is_the_same_entry(tmp_path: Path, qualifier: str) -> None:
    """The Entity List wrote VNIIEF's start "0097-06-30" in 2022 and "1997-06-30" in 2023:
    one entry, its start date amended. A renewed denial order, which starts after the
    earlier one ended, stays an entry of its own."""
    cited = {"federal_register_notice": "62 FR 35334 (6/30/97)"}
    order = {"source": DPL, "federal_register_notice": "76 F.R. 54198 8/31/11"}
    before = [
        *ten(),
        row("Vniief Institute", start_date="0097-06-30", **cited),
        row("Kerman Aviation", start_date="2021-11-17", end_date="2022-05-16", **order),
    ]
    after = [
        *ten(),
        row("Vniief Institute", start_date="1997-06-30", federal_register_notice="62 FR 35334"),
        row("Kerman Aviation", start_date="2023-10-31", end_date="2024-10-30", **order),
    ]
    report, store = ingest(
        tmp_path,
        f"{write(tmp_path / 'a.csv', before)}@2022-05-06",
        f"{write(tmp_path / 'b.csv', after)}@2023-11-30{qualifier}",
    )
    assert kinds(store, "Addition") == {"Kerman Aviation"}
    assert kinds(store, "Amendment") == {"Vniief Institute"}
    assert report.removals == (1 if not qualifier else 0)  # the ended order, if the whole list
    listing = "listing/entity-list/vniief-institute/"
    # The IRI the earlier entry was published under: a start that is no date is none.
    assert (f"{listing}undated", f"{listing}1997-06-30") in replaced(store)
    assert listings_in_force(store, "2024-01-01") == 12  # ten, VNIIEF once, the new order
    query = f"""PREFIX elkg: <{ELKG}> SELECT ?p ?was WHERE {{
        ?a a elkg:Amendment ; elkg:changedProperty ?p . OPTIONAL {{ ?a elkg:previousName ?was }} }}"""
    found = store.query(query, use_default_graph_as_union=True)
    changed = {(s["p"].value, s["was"]) for s in found}  # type: ignore[index, union-attr]
    assert (f"{ELKG}startDate", None) in changed  # and no earlier name: it is not renamed


def test_a_renewal_printed_as_two_listings_renews_in_both(tmp_path: Path) -> None:
    """MAHMOUD AMINI's order of 2023-10-31, printed with two end dates (two listings),
    renews his of 2021-11-17: only the listing of the first end date said so, the other
    read as a party listed anew beside it (trial 41)."""
    order = {"source": DPL, "federal_register_notice": "76 F.R. 54198 8/31/11"}
    before = [
        *ten(),
        row("Kerman Aviation", start_date="2021-11-17", end_date="2022-05-16", **order),
    ]
    after = [
        *ten(),
        *(
            row("Kerman Aviation", start_date="2023-10-31", end_date=end, **order)
            for end in ("2024-10-20", "2024-10-30")
        ),
    ]
    _, store = ingest(
        tmp_path,
        f"{write(tmp_path / 'a.csv', before)}@2022-05-06",
        f"{write(tmp_path / 'b.csv', after)}@2023-11-30",
    )
    renewals = select(
        store,
        f"PREFIX elkg: <{ELKG}> SELECT DISTINCT ?later ?earlier WHERE {{ ?later elkg:renews ?earlier }}",
    )
    base = f"{DEFAULT_BASE}id/listing/denied-persons-list/kerman-aviation/"
    later = f"{base}2023-10-31"
    assert sorted((r["later"].value, r["earlier"].value) for r in renewals) == [
        (later, f"{base}2021-11-17"),
        (variant(later, ("", "", "2024-10-30")), f"{base}2021-11-17"),
    ]


# A party's kind, stated once

ORGANISATION = {"Organization", "https://schema.org/Organization"}


def types_of(store: ox.Store, name: str) -> set[str]:
    """Every type of the entities published under this name, over all graphs."""
    query = f"""PREFIX elkg: <{ELKG}>
    SELECT DISTINCT ?t WHERE {{ ?e elkg:publishedName "{name}" ; a ?t }}"""
    found = store.query(query, use_default_graph_as_union=True)
    return {s["t"].value.removeprefix(ELKG) for s in found}  # type: ignore[index, union-attr]


def rosneft(**fields: str) -> list[dict[str, str]]:
    """An untyped Entity List row whose kind only another list's typed row decides."""
    return [row("Rosneft", **fields), row("ROSNEFT", SDN, type="Entity", start_date="")]


def test_an_amended_party_keeps_the_kind_evidence_gave_it(tmp_path: Path) -> None:
    full = write(tmp_path / "full.csv", [*ten(), *rosneft()])
    sample = write(tmp_path / "sample.csv", rosneft(addresses="Moscow, RU"))
    _, store = ingest(tmp_path, f"{full}@2025-01-01", f"{sample}@2025-06-01:partial")
    assert kinds(store, "Amendment") == {"Rosneft"}
    assert types_of(store, "Rosneft") == ORGANISATION  # not elkg:Party beside it


def test_a_kind_another_row_of_the_party_states_is_not_called_our_inference(
    tmp_path: Path,
) -> None:
    # Fujian Torch's Entity List row gives no kind, its CMIC row states it: one party, of a
    # stated kind. The Entity List's "Rosneft" is a party of its own (the SDN's "ROSNEFT"
    # is typed), whose kind only our inference gives.
    torch = "Fujian Torch Electron Technology Co., Ltd."
    cmic = next(name for name, abbreviation in LISTS.items() if abbreviation == "CMIC")
    rows = [row(torch), row(torch, cmic, type="Entity"), *rosneft()]
    _, store = ingest(tmp_path, f"{write(tmp_path / 'a.csv', rows)}@2025-01-01")
    assert types_of(store, torch) == ORGANISATION
    inferred = {s["entity"].value for s in select(store, KINDS_INFERRED)}
    assert inferred == {f"{DEFAULT_BASE}id/party/rosneft"}


def test_a_removed_listing_of_a_party_still_listed_keeps_its_kind(tmp_path: Path) -> None:
    dpl = "Denied Persons List (DPL) - Bureau of Industry and Security"
    before = write(tmp_path / "a.csv", [*ten(), *rosneft(), row("Rosneft", dpl)])
    after = write(tmp_path / "b.csv", [*ten(), *rosneft()[1:], row("Rosneft", dpl)])
    report, store = ingest(tmp_path, f"{before}@2025-01-01", f"{after}@2025-06-01")
    assert report.removals == 1 and kinds(store, "Removal") == {"Rosneft"}
    assert types_of(store, "Rosneft") == ORGANISATION


def test_a_removed_party_of_unknown_kind_stays_so(tmp_path: Path) -> None:
    before = write(tmp_path / "a.csv", [*ten(), row("Zeta")])
    after = write(tmp_path / "b.csv", ten())
    _, store = ingest(tmp_path, f"{before}@2025-01-01", f"{after}@2025-06-01")
    assert types_of(store, "Zeta") == {"Party"}  # the removal states what the row showed


def test_a_complete_snapshot_that_drops_a_fifth_of_a_list_fails(tmp_path: Path) -> None:
    full = write(tmp_path / "full.csv", [*ten(), row("Sanctioned Person", source=SDN)])
    cut = write(tmp_path / "cut.csv", [*ten()[:2], row("Sanctioned Person", source=SDN)])
    with pytest.raises(SourceError) as caught:
        ingest(tmp_path, f"{full}@2025-01-01", f"{cut}@2025-06-01")
    message = str(caught.value)
    assert "would remove 8 of the 10 entries of the Entity List (EL, 80%)" in message
    assert "Specially" not in message and ":partial" in message and ":accept-shrink" in message
    report, _ = ingest(tmp_path, f"{full}@2025-01-01", f"{cut}@2025-06-01:accept-shrink")
    assert report.removals == 8
    report, _ = ingest(tmp_path, f"{full}@2025-01-01", f"{cut}@2025-06-01", max_shrink=0.9)
    assert report.removals == 8
    report, _ = ingest(tmp_path, f"{full}@2025-01-01", f"{cut}@2025-06-01:partial")
    assert report.removals == 0


def test_a_small_list_may_lose_a_few_entries(tmp_path: Path) -> None:
    full = write(tmp_path / "full.csv", [*ten(), *[row(f"P{n}", source=SDN) for n in range(3)]])
    later = write(tmp_path / "later.csv", [*ten(), row("P0", source=SDN)])
    report, _ = ingest(tmp_path, f"{full}@2025-01-01", f"{later}@2025-06-01")
    assert report.removals == 2  # 67% of three, but fewer than five: an ordinary update


# Files that are not a CSL


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"not": "a csl"}', "no JSON record with source and name"),
        ('{"results": []}', "no JSON record with source and name"),
        ("[1, 2, 3]", "no JSON record with source and name"),
        ("id,title\n1,hello\n", "the header line has no source or name column"),
        ("source,name\nSomething else,Acme\n", "none of its 1 rows names one of the 13 lists"),
        ("source,name\n", "the file has no rows"),
    ],
)
def test_a_file_that_is_not_a_csl_is_refused(tmp_path: Path, content: str, reason: str) -> None:
    full = write(tmp_path / "full.csv", ten())
    other = tmp_path / "other.json"
    other.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=reason):
        ingest(tmp_path, f"{full}@2025-01-01", f"{other}@2025-06-01")


def test_kg_build_refuses_json_that_is_not_a_csl_with_a_message(tmp_path: Path) -> None:
    other = tmp_path / "not-a-csl.json"
    other.write_text(json.dumps({"not": "a csl"}), encoding="utf-8")
    result = run_kg("build", "--csl", f"{other}@2025-06-01", "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "not a Consolidated Screening List" in result.stderr and str(other) in result.stderr
    assert not (tmp_path / "out").exists()


# Amendments and row numbers


def test_a_change_of_the_lists_own_pages_is_not_an_amendment(tmp_path: Path) -> None:
    old = [row("Acme", source_list_url="http://bit.ly/a", source_information_url="http://b/1")]
    links = [row("Acme", source_list_url="https://trade.gov/el", source_information_url="x")]
    moved = [{**links[0], "addresses": "1 Road, Town, CN"}]
    before = history.entries(read_csl(write(tmp_path / "a.csv", old)).rows)
    assert (
        history.diff(before, history.entries(read_csl(write(tmp_path / "b.csv", links)).rows)) == []
    )
    (change,) = history.diff(
        before, history.entries(read_csl(write(tmp_path / "c.csv", moved)).rows)
    )
    assert change.fields == ("addresses",)


def test_an_amendment_says_what_each_field_lost_and_gained(tmp_path: Path) -> None:
    old = row("Acme", addresses="1 Road, Town, CN; 2 Lane,  City, CN", remarks="Old note")
    new = row("Acme", addresses="2 Lane, City, CN; 3 Street, Village, CN", remarks="New note")
    before, after = write(tmp_path / "a.csv", [old]), write(tmp_path / "b.csv", [new])
    _, store = ingest(tmp_path, f"{before}@2025-01-01", f"{after}@2025-06-01")
    query = f"""PREFIX elkg: <{ELKG}>
        SELECT ?change ?of ?side ?value WHERE {{
          ?amendment a elkg:Amendment ; elkg:valueChange ?change .
          ?change a elkg:ValueChange ; elkg:changedValueOf ?of .
          {{ ?change elkg:valueRemoved ?value BIND ("removed" AS ?side) }}
          UNION {{ ?change elkg:valueAdded ?value BIND ("added" AS ?side) }}
          FILTER (STRSTARTS(STR(?change), CONCAT(STR(?amendment), "#")))
        }}"""
    found = {
        (s["of"].value.removeprefix(str(ELKG)), s["side"].value, s["value"].value)  # type: ignore[index, union-attr]
        for s in store.query(query, use_default_graph_as_union=True)
    }
    # The lane kept (its spaces apart) is no change; the road gone and the street new are.
    assert found == {
        ("address", "removed", "1 Road, Town, CN"),
        ("address", "added", "3 Street, Village, CN"),
        ("remarks", "removed", "Old note"),
        ("remarks", "added", "New note"),
    }


def test_an_identifier_gained_is_published_as_the_list_writes_it(tmp_path: Path) -> None:
    """Identifiers are compared by their fields, sorted; what an amendment publishes is the
    source's text: 1,562 SDN entries showed "Additional Sanctions Information -, Subject to
    Secondary Sanctions" for the list's "Subject to Secondary Sanctions, Additional
    Sanctions Information -"."""
    note = "Subject to Secondary Sanctions, Additional Sanctions Information -"
    old, new = (
        row("Acme", ids="ZW, ZL042663, Passport"),
        row("Acme", ids=f"{note}; ZW, ZL042663, Passport"),
    )
    before, after = write(tmp_path / "a.csv", [old]), write(tmp_path / "b.csv", [new])
    _, store = ingest(tmp_path, f"{before}@2025-01-01", f"{after}@2025-06-01")
    query = f"""PREFIX elkg: <{ELKG}>
        SELECT ?value WHERE {{ ?change elkg:changedValueOf elkg:identifierText ;
                                       elkg:valueAdded ?value }}"""
    found = [s["value"].value for s in store.query(query, use_default_graph_as_union=True)]  # type: ignore[index, union-attr]
    assert found == [note]


def changed_fields(
    tmp_path: Path, old: dict[str, str], new: dict[str, str]
) -> list[tuple[str, ...]]:
    before = history.entries(read_csl(write(tmp_path / "old.csv", [old])).rows)
    after = history.entries(read_csl(write(tmp_path / "new.csv", [new])).rows)
    return [change.fields for change in history.diff(before, after)]


def test_multi_valued_columns_in_a_new_order_are_no_amendment(tmp_path: Path) -> None:
    old = row(
        "Acme",
        ids="ZW, ZL042663, Passport; 03 Jun 2021, Listing Date (CMIC); 600372 CN, Equity Ticker",
        addresses="1 Road, Town, CN; 2 Street, City, CN",
        alt_names="Acme Co; Acme Ltd",
    )
    reordered = row(
        "Acme",
        ids="600372  CN, Equity Ticker; Passport, ZL042663, ZW; Listing Date (CMIC), 2021-06-03",
        addresses="2 Street, City, CN; 1 Road, Town, CN",
        alt_names="Acme Ltd; Acme Co",
    )
    assert changed_fields(tmp_path, old, reordered) == []
    changed = {**reordered, "ids": reordered["ids"].replace("ZL042663", "ZL042664")}
    assert changed_fields(tmp_path, old, changed) == [("ids",)]
    fewer = {**reordered, "addresses": "2 Street, City, CN"}
    assert changed_fields(tmp_path, old, fewer) == [("addresses",)]
    moved = {**reordered, "addresses": "1 Town, Road, CN; 2 Street, City, CN"}
    assert changed_fields(tmp_path, old, moved) == [("addresses",)]  # only ids' fields are sets


def test_an_address_printed_with_its_countrys_name_is_no_amendment(tmp_path: Path) -> None:
    """The 2023 CSL prints "..., Xian, China, CN" for 2022's "..., Xian, CN": every one of
    the Military End User List's 71 entries was an amendment (trial 57b)."""
    old = row("Acme", addresses="1 Road, Xian, CN; 2 Lane, Dubai, AE")
    printed = row("Acme", addresses="1 Road, Xian, China, CN; 2 Lane, Dubai, , AE")
    assert changed_fields(tmp_path, old, printed) == []
    # Another country's name, or a part moved past the code, is a change.
    moved = {**printed, "addresses": "1 Road, Xian, Japan, CN; 2 Lane, Dubai, AE"}
    assert changed_fields(tmp_path, old, moved) == [("addresses",)]
    # A code printed where there was none is not ("al-Beireh" -> "al-Beireh, PS": 58b); a
    # code changed is ("Goma, CD" -> "Goma, CG").
    bare = row("Acme", addresses="P.O. Box 3753, al-Beireh; Goma, CD")
    coded = row("Acme", addresses="P.O. Box 3753, al-Beireh, PS; Goma, CD")
    assert changed_fields(tmp_path, bare, coded) == []
    recoded = {**coded, "addresses": "P.O. Box 3753, al-Beireh, PS; Goma, CG"}
    assert changed_fields(tmp_path, bare, recoded) == [("addresses",)]


def test_an_identifier_printed_with_its_country_is_no_amendment(tmp_path: Path) -> None:
    """The 2023 CSL prints "Registration ID, 1117746521452, RU" for 2022's "1117746521452,
    Registration ID": ROSOBORONEKSPORT OAO's three identifiers were an amendment (56b)."""
    old = row("Acme", ids="1117746521452, Registration ID; ZW, ZL042663, Passport")
    printed = row("Acme", ids="Registration ID, 1117746521452, RU; Passport, ZL042663, ZW")
    assert changed_fields(tmp_path, old, printed) == []
    # A country changed, or a number, is a change.
    moved = {**printed, "ids": printed["ids"].replace("ZW", "ZA")}
    assert changed_fields(tmp_path, old, moved) == [("ids",)]
    renumbered = {**printed, "ids": printed["ids"].replace("1117746521452", "1117746521453")}
    assert changed_fields(tmp_path, old, renumbered) == [("ids",)]


def test_a_list_written_in_a_new_style_is_no_amendment(tmp_path: Path) -> None:
    """The 2023 CSL wrote CMIC names in title case, moved "(Head Office)" to the front of
    addresses, put given names first and programmes in another order: no entry changed."""
    old = row(
        "AEROSUN CORPORATION",
        addresses="9 Dongzhimen North Street, (Head Office), Beijing, 100007, CN",
        alt_names="ATTOUN, Ahmad Mohammad; AEROSUN CORP.",
        programs="IFSR; NPWMD",
        federal_register_notice="84 FR 22961, 85 FR 29852",
    )
    restyled = row(
        "Aerosun Corporation",
        addresses="(Head Office), 9 Dongzhimen North Street, Beijing, 100007, CN",
        alt_names="Aerosun Corp.; Ahmad Mohammad ATTOUN",
        programs="NPWMD; IFSR",
        federal_register_notice="85 FR 29852; 84 FR 22961",
    )
    assert changed_fields(tmp_path, old, restyled) == []
    dropped = {**restyled, "programs": "NPWMD", "federal_register_notice": "84 FR 22961"}
    assert changed_fields(tmp_path, old, dropped) == [("federal_register_notice", "programs")]


def test_rows_are_record_numbers_not_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(
        tmp_path / "multi.csv",
        [
            row("Acme", remarks="first line\nsecond line\nthird"),
            row("Bad", start_date="2020-13-45"),
        ],
    )
    assert path.read_text().count("\n") == 5  # header, a row over three lines, a row
    report, store = ingest(tmp_path, f"{path}@2025-01-01")
    (problem,) = report.problems
    assert (problem.row, problem.reason) == (
        3,
        "start_date '2020-13-45' is no date (YYYY-MM-DD); kept as unparsed text",
    )
    # Kept as printed, where a page can show it (trial 33: "0017-05-26" read "no start date").
    kept = store.query(
        f"SELECT ?text ?start WHERE {{ ?entry <{ELKG}unparsedStartDate> ?text "
        f"OPTIONAL {{ ?entry <{ELKG}startDate> ?start }} }}",
        use_default_graph_as_union=True,
    )
    assert [(row["text"].value, row["start"]) for row in kept] == [("2020-13-45", None)]
    assert json.loads(report.to_json())["problems"][0]["row"] == 3
    # Said in the build's log too, not only in the report's file.
    assert "1 problem(s) in the snapshots' rows" in caplog.text
    assert "every one is in dumps/ingest-report.json" in caplog.text


# Citations


def test_a_damaged_part_keeps_the_other_citations() -> None:
    reading = read_citations(
        "80 F.R. 30435 5/28/15, F.R. 30823 7/3/2017, 86 F.R. 66277 11/222/2021"
    )
    # "F.R. 30823 7/3/2017" lacks its volume, which its day gives: read by us (82, 2017).
    assert [(c.key, bool(c.repair)) for c in reading.citations] == [
        ("80 FR 30435", False),
        ("82 FR 30823", True),
        ("86 FR 66277", False),
    ]
    assert reading.damaged == ["11/222/2021"]


def mapped_triples(
    first_pages: dict[int, list[int]] | None = None, **fields: str
) -> set[tuple[str, str, str]]:
    values = {column: "" for column in COLUMNS}
    values.update({"source": EL, "name": "Acme", "start_date": "2020-01-01", **fields})
    mapped = map_rows([Row("a.csv", 2, values)], DEFAULT_BASE, first_pages)
    return {(t.subject.value, t.predicate.value, t.object.value) for t in mapped.triples}


def cited(triples: set[tuple[str, str, str]]) -> set[str]:
    return {o.removeprefix(RULE) for _, p, o in triples if p == ELKG + "citesInstrument"}


def test_a_damaged_part_is_the_only_problem() -> None:
    values = {column: "" for column in COLUMNS}
    values.update(source=EL, name="Acme", federal_register_notice="84 FR 54002; 77 FR; 85 FR 44159")
    mapped = map_rows([Row("a.csv", 7, values)], DEFAULT_BASE)
    (problem,) = mapped.problems
    assert problem.row == 7 and "'77 FR'" in problem.reason
    triples = {(t.predicate.value, t.object.value) for t in mapped.triples}
    assert (ELKG + "unparsedCitation", "77 FR") in triples
    assert {o for p, o in triples if p == ELKG + "citesInstrument"} == {
        RULE + "84-fr-54002",
        RULE + "85-fr-44159",
    }


def test_a_damaged_citation_is_read_only_as_a_document_cited_whole_on_its_day() -> None:
    """MAHAN AIRWAYS's "87 30173 5/18/2022" is 87 FR 30173, which another row prints whole
    with that day: read by us, in our graph. SHAMMOUT's "88 39978 5/10/2023" would be a
    document no row cites, three weeks before its page's day (trial 52b): left unread."""

    def row(number: int, name: str, cited: str) -> Row:
        values = {column: "" for column in COLUMNS}
        values.update(source=EL, name=name, federal_register_notice=cited)
        return Row("a.csv", number, values)

    rows = [
        row(2, "Mahan", "86 FR 66276; 87 30173 5/18/2022"),
        row(3, "Shammout", "88 39978 5/10/2023"),
        row(4, "Other", "87 F.R. 30173 5/18/2022"),
    ]
    mapped = map_rows(rows, DEFAULT_BASE)
    problems = {problem.row: problem.reason for problem in mapped.problems}
    assert problems[2].endswith(
        "'87 30173 5/18/2022' read as 87 FR 30173: printed without 'F.R.', by volume, page and a day of 2022 (our reading)"
    )
    assert "(it would be 88 FR 39978, which no row cites whole with that day)" in problems[3]
    ours = {(t.subject.value, t.object.value) for t in mapped.derived["repaired-citations"]}
    assert any(o == RULE + "87-fr-30173" for _, o in ours)
    assert not any(o == RULE + "88-fr-39978" for _, o in ours)
    assert not any(t.object.value == RULE + "88-fr-39978" for t in mapped.triples)
    unread = {
        t.object.value for t in mapped.triples if t.predicate.value == ELKG + "unparsedCitation"
    }
    assert unread == {"87 30173 5/18/2022", "88 39978 5/10/2023"}
    # The printed text joins the entry's unparsed citation to our reading of it (52c: a
    # join on the entry alone crossed every text with every document it cites).
    read_from = {
        (t.subject.value, t.object.value)
        for t in mapped.derived["repaired-citations"]
        if t.predicate.value == ELKG + "readFromCitation"
    }
    assert read_from == {(RULE + "87-fr-30173", "87 30173 5/18/2022")}


def test_an_unread_date_is_kept_as_the_list_prints_it_and_the_reason_told_apart() -> None:
    """The 2023 subset's "86 F.R. 66277 11/22/201": the party's page quoted “11/22/201 is not
    a day of 2021, the year of volume 86”, our reason, as the list's words (trial 51a)."""
    values = {column: "" for column in COLUMNS}
    values.update(source=EL, name="Acme", federal_register_notice="86 F.R. 66277 11/22/201")
    mapped = map_rows([Row("a.csv", 7, values)], DEFAULT_BASE)
    (problem,) = mapped.problems
    assert "'11/22/201' as a Federal Register citation (not a day of 2021" in problem.reason
    triples = {(t.predicate.value, t.object.value) for t in mapped.triples}
    assert {o for p, o in triples if p == ELKG + "unparsedCitation"} == {"11/22/201"}


def test_a_pin_cite_is_a_page_of_its_rule_not_a_rule() -> None:
    triples = mapped_triples({84: [54002]}, federal_register_notice="84 FR 54004; 85 FR 44159")
    assert cited(triples) == {"84-fr-54002", "85-fr-44159"}
    assert {o for _, p, o in triples if p == ELKG + "citedPage"} == {"84 FR 54004"}
    assert not any(s.endswith("84-fr-54004") for s, _, _ in triples)
    pages = {(s, o) for s, p, o in triples if p == ELKG + "frPage"}
    assert (RULE + "84-fr-54002", "54002") in pages
    # Too far from a known first page, or none known: the page is read as a rule.
    assert cited(mapped_triples({84: [53000]}, federal_register_notice="84 FR 54004")) == {
        "84-fr-54004"
    }


def test_a_cited_document_is_not_said_to_be_a_rule() -> None:
    """The lists print a citation, not whether it is a rule, a notice or an order: the page
    of 82 FR 61745 credited "type: Federal Register rule" to the lists (trial 47a)."""
    triples = mapped_triples(
        federal_register_notice="82 FR 61745 12/29/2017; Vol. 85, No. 193, 10/05/2020"
    )
    types = {
        (s.removeprefix(RULE), o.removeprefix(ELKG))
        for s, p, o in triples
        if p == TYPE and s.startswith(RULE)
    }
    assert types == {
        ("82-fr-61745", "FederalRegisterDocument"),
        ("85-fr-no-193", "LegalInstrument"),
    }


def test_a_page_range_is_a_page_of_the_rule_it_follows() -> None:
    triples = mapped_triples(federal_register_notice="82 F.R. 16788, 16789 4/6/2017")
    assert cited(triples) == {"82-fr-16788"}
    assert {o for _, p, o in triples if p == ELKG + "citedPage"} == {"82 FR 16789"}
    assert (RULE + "82-fr-16788", ELKG + "publicationDate", "2017-04-06") in triples


def test_a_rule_is_dated_by_its_volume() -> None:
    triples = mapped_triples(
        federal_register_notice="87 F.R. 22406 4/13/2023", start_date="2023-10-06"
    )
    rule = RULE + "87-fr-22406"
    assert (rule, ELKG + "frYear", "2022") in triples
    assert not any(p == ELKG + "publicationDate" for _, p, _ in triples)  # 2023 is not 87's


# The real snapshots


# The as-of rule (kg.in_force, quoted in the README), for one listing.
README_AS_OF = f"""PREFIX elkg: <{ELKG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
ASK {{
?listing elkg:listedEntity ?entity ; elkg:onList ?list .
{PATTERN}
}}"""


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, ox.Store]:
    """The four real snapshots, the samples and the subset marked partial, on the curated data."""
    cache = tmp_path_factory.mktemp("cache")
    assembly = assemble(load_catalog(PROJECT / "data"), DEFAULT_BASE)
    specs = [
        f"{CSL / 'csl_sample_2019-12.csv'}@2019-12-03:partial",
        str(PROJECT / "data" / "csl" / "csl-2022-05"),
        f"{CSL / 'csl_subset_2023-11.csv.gz'}@2023-11-30:partial",
        f"{CSL / 'csl_sample_2025-06.csv'}@2025-06-25:partial",
    ]
    assembly = with_snapshots(assembly, [snapshot(s) for s in specs], cache)
    assert assembly.ingested
    return assembly.ingested.report, counted(from_assembly(assembly))


def test_a_part_of_the_list_showing_one_of_two_namesakes_keeps_both(
    four: tuple[IngestReport, ox.Store],
) -> None:
    # The 2022 SDN lists two "MOHAMMAD, Haji Baz", born 1958 and 1964-03-12; the 2023 subset
    # shows only the first, which is no amendment of one merged entry into the other.
    _, store = four
    query = f"""PREFIX elkg: <{ELKG}> SELECT ?person ?birth WHERE {{
      ?listing elkg:listedEntity ?person . ?person elkg:publishedName "MOHAMMAD, Haji Baz" ;
        elkg:dateOfBirth ?birth }}"""
    found = {
        (s["person"].value.rsplit("/", 1)[1], s["birth"].value)  # type: ignore[index, union-attr]
        for s in store.query(query, use_default_graph_as_union=True)
    }
    assert found == {
        ("mohammad-haji-baz", "1958"),
        ("mohammad-haji-baz-1964-03-12", "1964-03-12"),
    }


def test_entries_a_list_numbers_apart_stay_apart(four: tuple[IngestReport, ox.Store]) -> None:
    # The SDN's MINISTRY OF STATE SECURITY 20129 (North Korea) and 25437 (Luhansk): two
    # parties, each with its own entry and country, and a candidate match between them.
    _, store = four
    query = f"""PREFIX elkg: <{ELKG}> SELECT ?party ?number ?country WHERE {{
      ?listing elkg:listedEntity ?party ; elkg:entityNumber ?number .
      ?party elkg:publishedName "MINISTRY OF STATE SECURITY" ; elkg:country ?country }}"""
    found = {
        (s["party"].value.rsplit("/", 1)[1], s["number"].value, s["country"].value)  # type: ignore[index, union-attr]
        for s in store.query(query, use_default_graph_as_union=True)
    }
    assert found == {
        ("ministry-of-state-security", "20129", "KP"),
        ("ministry-of-state-security-25437", "25437", "UA"),
    }
    candidate = f"""PREFIX elkg: <{ELKG}> ASK {{ ?match elkg:candidate ?a, ?b .
      FILTER (STRENDS(STR(?a), "/ministry-of-state-security")
              && STRENDS(STR(?b), "/ministry-of-state-security-25437")) }}"""
    assert store.query(candidate, use_default_graph_as_union=True)


def test_four_snapshots_give_no_false_removals(four: tuple[IngestReport, ox.Store]) -> None:
    report, store = four
    # The 2019 sample's entries gone by 2022, and nothing else; five more were renamed.
    assert report.removals == 8
    assert report.changes["csl-2019-12-03 -> csl-2022-05"] == {"Amendment": 34, "Removal": 8}
    renamed = f"""PREFIX elkg: <{ELKG}> SELECT ?was ?new ?snapshot WHERE {{
      ?a elkg:previousName ?was ; elkg:observedIn ?snapshot ;
         elkg:affectsListing/elkg:listedEntity/elkg:publishedName ?new }}"""
    renames = {
        (s["was"].value, s["new"].value, s["snapshot"].value.rsplit("/", 1)[1])  # type: ignore[index, union-attr]
        for s in store.query(renamed, use_default_graph_as_union=True)
    }
    assert {was for was, _, seen in renames if seen == "csl-2022-05"} == {
        "AK TRANSNEFT OAO",
        "GAZPROMBANK OAO",
        "AKTSIONERNOE OBSHCHESTVO NAUCHNO-PROIZVODSTVENNY KONTSERN TEKHNOLOGII MASHINOSTROENIYA",
        "Gui\x92an New District Huawei Investment Co., Ltd., Guiyang, Guizhou",
        # The address moved out of the name into the address column.
        "Gucheng Xian Fengxin Titanium Alloy, Xiyuan Industrial District, Gucheng County, "
        "Hebei Province, Hengshui City, China 253800",
    }
    # The 2023 subset writes 82 names in another order ("Evren KAYAKIRAN", "Ramon Jr.
    # Andrade", the 78 of the PLC list): the same entries, not 82 new ones.
    reordered = {(was, new) for was, new, seen in renames if seen == "csl-2023-11-30"}
    assert len(reordered) == 82
    assert ("KAYAKIRAN, Evren", "Evren KAYAKIRAN") in reordered
    assert all(
        sorted(was.replace(",", "").split()) == sorted(new.split()) for was, new in reordered
    )
    # 534 before letter case, the order of an address's parts and of a name's words, and
    # programmes and citations in another order were no change (82 renames among them).
    # VNIIEF, VNIITF and BUAA: their start dates corrected, not three entries added. The SDN
    # lists Hassan Dahir Aweys (and two others) twice, two entries of their own (uid 7006,
    # 11744): the subset's one of them amends neither.
    # NBC Navegan Bar, printed in two rows of other licence terms in 2022 (two entries), is
    # one row in the subset: the other entry is not "no longer shown" (476 before).
    # An address printed with its country's name or code is no change (475 before: 57b, 58b).
    assert report.changes["csl-2022-05 -> csl-2023-11-30"] == {"Addition": 269, "Amendment": 391}
    october = f"{DEFAULT_BASE}id/rule/84-fr-54002"
    huawei = f"{DEFAULT_BASE}id/listing/entity-list/huawei-technologies-co-ltd-huawei/2019-05-21"
    listings = {
        s["l"].value  # type: ignore[index, union-attr]
        for s in store.query(
            f"PREFIX elkg: <{ELKG}> SELECT DISTINCT ?l WHERE {{ ?l elkg:createdBy <{october}> }}",
            use_default_graph_as_union=True,
        )
    } | {huawei}
    assert len(listings) == 29
    for listing in listings:
        assert store.query(
            README_AS_OF.replace("?day", '"2025-07-01"^^xsd:date'),
            use_default_graph_as_union=True,
            substitutions={ox.Variable("listing"): ox.NamedNode(listing)},
        ), listing


#: How many entries each list held on ?day, read from the entries themselves by the rule.
FROM_ENTRIES = f"""PREFIX elkg: <{ELKG}> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?list (COUNT(DISTINCT ?listing) AS ?entries)
       (COUNT(DISTINCT IF(BOUND(?start), ?none, ?listing)) AS ?undated) WHERE {{
  BIND ("2023-01-01"^^xsd:date AS ?day)
  ?listing elkg:onList ?list .
  {EVERY_ENTRY_PATTERN}
}} GROUP BY ?list"""


def per_list(store: ox.Store, query: str, day: str) -> dict[str, tuple[int, int]]:
    """List IRI -> (entries, undated) that `query`, asked of 2023-01-01, gives for `day`."""
    answer = store.query(query.replace('"2023-01-01"', f'"{day}"'), use_default_graph_as_union=True)
    return {
        row["list"].value: (int(row["entries"].value), int(row["undated"].value))  # type: ignore[index, union-attr]
        for row in answer
    }


def test_the_counts_the_entries_and_the_matcher_agree_on_every_day(
    four: tuple[IngestReport, ox.Store],
) -> None:
    """One rule: the build's counts (the query page's lists-on), the same count read from the
    entries' dates, and the matcher's windows agree on days a count changes, the day before
    each, and days between."""
    _, store = four
    listings = {
        listing for entity in parties(run_queries(store)).entities for listing in entity.listings
    }
    lists_on = next(example.query for example in EXAMPLES if example.id == "lists-on")
    changed = f"PREFIX elkg: <{ELKG}> SELECT DISTINCT ?day WHERE {{ ?c elkg:countSince ?day }}"
    changes = sorted(
        row["day"].value  # type: ignore[index, union-attr]
        for row in store.query(changed, use_default_graph_as_union=True)
    )
    assert len(changes) > 600
    days = set(changes[::25])  # the entries' count costs 0.15 s a day: a sample of them
    days |= {str(dt.date.fromisoformat(day) - dt.timedelta(days=1)) for day in days}
    days |= {"1970-01-01", "2019-06-01", "2020-01-01", "2023-12-01", "2025-07-01", "2030-01-01"}
    for day in sorted(days):
        counts = per_list(store, lists_on, day)
        assert counts == per_list(store, FROM_ENTRIES, day), day
        matcher = Counter(
            listing.list_iri for listing in listings if listing.in_force(dt.date.fromisoformat(day))
        )
        assert {iri: entries for iri, (entries, _) in counts.items()} == dict(matcher), day
    on_2024 = per_list(store, lists_on, "2024-01-01")
    sdn = f"{DEFAULT_BASE}id/list/specially-designated-nationals"
    assert on_2024[sdn][0] == on_2024[sdn][1] > 5000  # the SDN gives no start date
    assert 1900 < on_2024[f"{DEFAULT_BASE}id/list/entity-list"][0] < 2100


def test_four_snapshots_type_no_party_twice(four: tuple[IngestReport, ox.Store]) -> None:
    _, store = four
    both = f"""PREFIX elkg: <{ELKG}> SELECT DISTINCT ?e WHERE {{
        ?e a elkg:Party . {{ ?e a elkg:Person }} UNION {{ ?e a elkg:Organization }} }}"""
    assert [s["e"].value for s in store.query(both, use_default_graph_as_union=True)] == []  # type: ignore[index, union-attr]
    shammout = "MUHAMMAD ISAM MUHAMMAD ANWAR NUR SHAMMOUT"  # a person by his DPL rows' evidence
    assert types_of(store, shammout) == {"Person", "https://schema.org/Person"}


def test_pin_cites_on_the_real_snapshot(four: tuple[IngestReport, ox.Store]) -> None:
    _, store = four
    rules = {
        s["r"].value.removeprefix(RULE)  # type: ignore[index, union-attr]
        for s in store.query(
            f"PREFIX elkg: <{ELKG}> SELECT DISTINCT ?r WHERE {{ ?l elkg:citesInstrument ?r }}",
            use_default_graph_as_union=True,
        )
    }
    assert "84-fr-54002" in rules and "84-fr-22961" in rules
    assert "84-fr-54004" not in rules and "84-fr-22963" not in rules
    pages = {
        (s["l"].value.split("/")[-2], s["p"].value)  # type: ignore[index, union-attr]
        for s in store.query(
            f"PREFIX elkg: <{ELKG}> SELECT ?l ?p WHERE {{ ?l elkg:citedPage ?p }}",
            use_default_graph_as_union=True,
        )
    }
    assert ("shihezi-municipality-public-security-bureau", "84 FR 54004") in pages
    assert ("huawei-technologies-co-ltd-huawei", "84 FR 22963") in pages


def test_the_whole_2022_snapshot_read_as_complete_after_the_subset_fails(tmp_path: Path) -> None:
    # 1065, not 1068: VNIIEF, VNIITF and BUAA are there under corrected start dates.
    with pytest.raises(SourceError, match=r"1065 of the 1965 entries of the Entity List"):
        with_snapshots(
            assemble([], DEFAULT_BASE),
            [
                snapshot(str(PROJECT / "data" / "csl" / "csl-2022-05")),
                snapshot(f"{CSL / 'csl_subset_2023-11.csv.gz'}@2023-11-30"),
            ],
            tmp_path,
        )
