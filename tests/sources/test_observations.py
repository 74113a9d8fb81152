"""When each entry was first seen: kept through later snapshots, after a removal too, and
described as our observation (PROV), not as a start date."""

import datetime as dt

import pyoxigraph as ox

from kg.iris import DEFAULT_BASE
from kg.sources import history, observations
from kg.sources.csl_read import COLUMNS, Row
from kg.vocab import PROV, RDFS

SDN = "Specially Designated Nationals (SDN) - Treasury Department"
JAN, JUN = dt.date(2021, 1, 1), dt.date(2021, 6, 1)


def rows(file: str, *names: str) -> list[Row]:
    blank = dict.fromkeys(COLUMNS, "")
    return [
        Row(file, number, {**blank, "source": SDN, "name": name, "type": "Entity"})
        for number, name in enumerate(names, start=2)
    ]


def test_the_first_snapshot_stays_and_a_removed_entry_keeps_its_date() -> None:
    timeline = history.Timeline()
    first, second = rows("a.csv", "Kept Co", "Gone Co"), rows("b.csv", "Kept Co", "New Co")
    for snapshot, date in ((first, JAN), (second, JUN)):
        timeline.apply(history.entries(snapshot), date, complete=True)
    listing = f"{DEFAULT_BASE}id/listing/specially-designated-nationals/"
    subjects = {f"{listing}kept-co/undated": ("b.csv", 2), f"{listing}new-co/undated": ("b.csv", 3)}
    found = observations.first_observed(subjects, second, timeline.first, DEFAULT_BASE)
    assert found == {f"{listing}kept-co/undated": JAN, f"{listing}new-co/undated": JUN}
    assert observations.gone(timeline, DEFAULT_BASE) == {f"{listing}gone-co/undated": JAN}
    last = {f"{listing}kept-co/undated": JUN, f"{listing}new-co/undated": JUN}
    snapshots = {JAN: "csl-a", JUN: "csl-b"}
    triples = observations.observation_triples(found, last, snapshots, DEFAULT_BASE)
    said = {(t.predicate.value.rsplit("#")[1], t.object.value.rsplit("/", 1)[1]) for t in triples}
    assert said == {
        ("firstObservedIn", "csl-a"),
        ("firstObservedIn", "csl-b"),
        ("lastObservedIn", "csl-b"),
    }


def test_a_renamed_entry_keeps_the_snapshot_that_first_showed_its_earlier_name() -> None:
    timeline = history.Timeline()
    renamed = rows("b.csv", "Gazprombank Joint Stock Company", "New Co")
    renamed[0].fields["alt_names"] = "Gazprombank OAO"  # the earlier name, now an alias
    for snapshot, date in ((rows("a.csv", "Gazprombank OAO"), JAN), (renamed, JUN)):
        entries = history.entries(snapshot)
        changes = timeline.compare(entries, complete=True)
        timeline.apply(
            entries, date, complete=True, renamed={c.key: c.renamed for c in changes if c.renamed}
        )
    assert sorted(c.kind for c in changes) == ["Addition", "Amendment"]  # renamed, not removed
    listing = f"{DEFAULT_BASE}id/listing/specially-designated-nationals/"
    subjects = {
        f"{listing}gazprombank-joint-stock-company/undated": ("b.csv", 2),
        f"{listing}new-co/undated": ("b.csv", 3),
    }
    found = observations.first_observed(subjects, renamed, timeline.first, DEFAULT_BASE)
    assert found == {
        f"{listing}gazprombank-joint-stock-company/undated": JAN,
        f"{listing}new-co/undated": JUN,
    }
    assert observations.gone(timeline, DEFAULT_BASE) == {}  # renamed, not gone: counted once


def test_the_graph_says_it_is_our_observation() -> None:
    provenance = observations.describe_observations(["csl-b", "csl-a"], DEFAULT_BASE)

    def objects(subject: ox.NamedNode, predicate: str) -> list[str]:
        return [
            t.object.value
            for t in provenance
            if (t.subject, t.predicate.value) == (subject, str(predicate))
        ]  # type: ignore[union-attr]

    graph = ox.NamedNode(f"{DEFAULT_BASE}graph/observations")
    (activity,) = objects(graph, PROV.wasGeneratedBy)
    (comment,) = objects(ox.NamedNode(activity), RDFS.comment)
    assert "not when it was listed" in comment
    derived = {iri.rsplit("/", 1)[1] for iri in objects(graph, PROV.wasDerivedFrom)}
    assert derived == {"csl-a", "csl-b"}
