"""Each list's counts day by day (kg.graph.census): what a count covers, and what it says of
itself. That the counts agree with the entries' dates on the whole list is held by
tests/graph/test_ingest.py (four real snapshots)."""

import pyoxigraph as ox

from kg.graph.census import Count, add_counts, counts
from kg.in_force import window
from kg.iris import DEFAULT_BASE
from kg.store import text_rows

ELKG = "https://w3id.org/entitylist-kg/ontology#"
PROV = "http://www.w3.org/ns/prov#"


def test_a_count_holds_until_the_next_change_and_none_covers_an_empty_list() -> None:
    windows = [
        window(start="2019-01-01", observed=None, end="2019-03-01", removals=()),
        window(start=None, observed="2019-02-01", end=None, removals=["2019-03-01"]),
        window(start="2020-01-01", observed=None, end=None, removals=()),
        window(start=None, observed=None, end=None, removals=()),  # never counted
        window(start="2021-01-01", observed=None, end="2020-06-01", removals=()),  # ended first
    ]
    assert counts(windows) == [
        Count(since="2019-01-01", until="2019-02-01", entries=1, undated=0),
        Count(since="2019-02-01", until="2019-03-01", entries=2, undated=1),
        # 2019-03-01 to 2020-01-01: none in force, no count
        Count(since="2020-01-01", until=None, entries=1, undated=0),
    ]


def test_a_list_whose_entries_never_held_has_no_count() -> None:
    ended_first = window(start="2019-05-01", observed=None, end="2019-01-01", removals=())
    assert counts([]) == counts([ended_first]) == []


def test_a_change_only_in_undated_entries_is_a_count_of_its_own() -> None:
    windows = [
        window(start="2019-01-01", observed=None, end="2019-05-01", removals=()),
        window(start=None, observed="2019-05-01", end=None, removals=()),
    ]
    assert counts(windows) == [
        Count(since="2019-01-01", until="2019-05-01", entries=1, undated=0),
        Count(since="2019-05-01", until=None, entries=1, undated=1),
    ]


def test_the_counts_are_ours_with_their_method(store: ox.Store) -> None:
    """On the bundled build: the Entity List's counts, in a graph our activity generated."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    graph = ox.NamedNode(f"{DEFAULT_BASE}graph/list-counts")
    copy.remove_graph(graph)
    assert add_counts(copy, DEFAULT_BASE) == 2
    query = f"""PREFIX elkg: <{ELKG}> PREFIX prov: <{PROV}>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?since ?until ?entries ?method WHERE {{
      GRAPH <{graph.value}> {{
        ?count a elkg:ListCount ; elkg:countedList <{DEFAULT_BASE}id/list/entity-list> ;
               elkg:countSince ?since ; elkg:entriesInForce ?entries ;
               prov:wasGeneratedBy ?activity .
        OPTIONAL {{ ?count elkg:countUntil ?until }} }}
      ?activity rdfs:comment ?method .
      ?graph prov:wasGeneratedBy ?activity .
      FILTER (?graph = <{graph.value}>)
    }} ORDER BY ?since"""
    rows = text_rows(copy, query)
    # Huawei from 2019-05-21, the 28 of the mission from 2019-10-09
    assert [(r["since"], r.get("until"), r["entries"]) for r in rows] == [
        ("2019-05-21", "2019-10-09", "1"),
        ("2019-10-09", None, "29"),
    ]
    assert all("as-of rule" in r["method"] for r in rows)


def test_the_counts_say_they_read_what_gives_entries_their_days(store: ox.Store) -> None:
    """The counts were said to be derived from every source, the news article of 2019
    among them, which gives no entry (trial 28): only from the documents of entries' dates
    and the snapshots that show them."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    graph = ox.NamedNode(f"{DEFAULT_BASE}graph/list-counts")
    copy.remove_graph(graph)
    for quad in list(copy.quads_for_pattern(graph, None, None, None)):
        copy.remove(quad)  # the provenance of the counts made by the build
    add_counts(copy, DEFAULT_BASE)
    query = f"""PREFIX prov: <{PROV}>
    SELECT ?document WHERE {{ <{graph.value}> prov:wasDerivedFrom ?document }}"""
    used = {row["document"].removeprefix(f"{DEFAULT_BASE}id/") for row in text_rows(copy, query)}
    # The snapshot, and the rule whose entries' start dates the Federal Register gives.
    assert used == {"source/csl-2022-05", "rule/84-fr-54002"}, used
