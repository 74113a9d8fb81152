"""When each entry was first seen: the snapshot that first showed it, as our observation.

Most of the Consolidated Screening List gives no start date, so "was it on the list on day
D?" needs another time: the first snapshot read that showed the entry. That is not when it
was listed (it may be older: the first snapshot read is only where our record begins), so it
is kept apart from `elkg:startDate`, in a graph of its own whose provenance says how it was
made: `elkg:firstObservedIn` links a listing to the snapshot (`elkg:ListSnapshot`, with its
`dcterms:issued`). The as-of rule (kg.in_force) counts an undated entry from that day.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg import iris
from kg.sources import history
from kg.sources.csl_read import Row
from kg.sources.namesakes import Namesakes
from kg.vocab import ELKG, PROV, RDF, RDFS, named

OBSERVATIONS_GRAPH = "observations"
OBSERVATION_ACTIVITY = "id/activity/snapshot-observation"


def first_observed(
    subjects: Mapping[str, tuple[str, int]],
    rows: Iterable[Row],
    first: Mapping[history.Key, dt.date],
    base: str,
    namesakes: Namesakes | None = None,
) -> dict[str, dt.date]:
    """Listing IRI -> the date of the first snapshot that showed it, for the listings one
    snapshot's rows were mapped into (`subjects`: IRI -> the file and row that stated it;
    `namesakes`: as history keyed the entries, kg.sources.history.key_of)."""
    by_place = {(row.file, row.number): row for row in rows}
    found: dict[str, dt.date] = {}
    for subject, place in subjects.items():
        row = by_place.get(place)
        key = history.key_of(row, namesakes) if row is not None else None
        if key is not None and key in first and subject.startswith(f"{base}id/listing/"):
            found[subject] = first[key]
    return found


def gone(timeline: history.Timeline, base: str) -> dict[str, dt.date]:
    """The entries seen once and since removed (only their removal's listing is published).
    A renamed entry is not gone: its first date is its new listing's, and its earlier
    listing, replaced by that one, would count twice."""
    return {
        history.listing_iri(key, base): date
        for key, date in timeline.first.items()
        if key not in timeline.known and key not in timeline.renamed_away
    }


def observation_triples(
    first: Mapping[str, dt.date],
    last: Mapping[str, dt.date],
    snapshots: Mapping[dt.date, str],
    base: str,
) -> set[ox.Triple]:
    """`listing elkg:firstObservedIn snapshot` and `elkg:lastObservedIn` for each listing
    (`snapshots`: date -> id): which snapshots showed an entry could not be asked (trial 35)."""
    return {
        ox.Triple(
            ox.NamedNode(listing), named(link), ox.NamedNode(iris.source(snapshots[day], base))
        )
        for link, days in ((ELKG.firstObservedIn, first), (ELKG.lastObservedIn, last))
        for listing, day in days.items()
    }


def describe_observations(sources: Iterable[str], base: str) -> list[ox.Triple]:
    """The observations graph in the provenance graph: ours, made by comparing the snapshots
    `sources` (their ids), each of which it was derived from."""
    graph = ox.NamedNode(iris.graph(OBSERVATIONS_GRAPH, base))
    activity = ox.NamedNode(f"{base}{OBSERVATION_ACTIVITY}")
    label = (
        "When each entry was first and last seen in the list snapshots read (observed, not listed)"
    )
    method = (
        "Each entry (list, party, start date) is linked to the first snapshot read "
        "that showed it (kg.sources.observations). That is when it was observed, not "
        "when it was listed: an entry in the first snapshot read may be much older. An "
        "entry a snapshot shows under a new name in place of its earlier one (same list "
        "and start date, and in a complete snapshot the names or an address or identifier "
        "in common, in a partial one the same name's words in another order: "
        "kg.sources.history.renamed and reordered) keeps the snapshot that first showed its "
        "earlier name. Each is linked to the last snapshot read that showed it too "
        "(elkg:lastObservedIn), whose graph holds its facts: a later partial snapshot that "
        "does not show it says nothing of it."
    )
    stated: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (graph, RDF.type, named(ELKG.DerivedGraph)),
        (graph, RDFS.label, ox.Literal(label, language="en")),
        (graph, PROV.wasGeneratedBy, activity),
        (activity, RDF.type, named(PROV.Activity)),
        (activity, RDFS.label, ox.Literal("Reading list snapshots oldest first", language="en")),
        (activity, RDFS.comment, ox.Literal(method, language="en")),
    ]
    for source in sorted(sources):
        document = ox.NamedNode(iris.source(source, base))
        stated += [(graph, PROV.wasDerivedFrom, document), (activity, PROV.used, document)]
    return [ox.Triple(s, named(p), o) for s, p, o in stated]
