"""Consolidated Screening List snapshots into the dataset, with an ingest report.

`kg build --csl SPEC` (repeatable) names a snapshot: a folder with a source.toml (kind = "csl",
its file or URL, its date, whether it is complete, and expected row counts per list), or
PATH_OR_URL@YYYY-MM-DD. Either may end in qualifiers: `:partial` (a sample or a subset),
`:complete` (the whole list; the default) and `:accept-shrink`.

Snapshots are read oldest first. Each entry is taken as the last snapshot that showed it
showed it; an entry a complete snapshot does not hold is removed (a list action) and keeps
what the last snapshot showing it said (its end date among it). The graph is that state,
each entry in the graph of the snapshot it comes from, and each snapshot after the first
adds the list actions it showed (see kg.sources.history): a partial snapshot adds
observations, never removals.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import iris
from kg.citations import REPAIR_METHOD as CITATION_REPAIR_METHOD
from kg.errors import SourceError
from kg.graph import generated, variants
from kg.graph.assemble import PROVENANCE_GRAPH, Graphs, Ingested, describe_source
from kg.graph.ingest_report import IngestReport
from kg.graph.streamed import Literals, StreamedGraph
from kg.sources import history, observations
from kg.sources.catalog import given_once
from kg.sources.csl import (
    INFERRED_KINDS_GRAPH,
    LISTS,
    describe_inferred_kinds,
    map_groups,
)
from kg.sources.csl_read import Reading, Row, fetch, read_csl
from kg.sources.licence import CLASSIFY_METHOD
from kg.sources.names import REPAIR_METHOD
from kg.sources.namesakes import NAMESAKES_METHOD, Namesakes
from kg.sources.source_toml import Snapshot
from kg.store import select, value
from kg.vocab import DCTERMS, ELKG, RDF, RDFS, XSD, named, sparql_prefixes

log = logging.getLogger(__name__)

MAX_SHRINK = history.MAX_SHRINK
REPAIRED_NAMES_GRAPH = iris.REPAIRED_NAMES_GRAPH


@dataclass(frozen=True)
class Derived:
    """A graph the ingest makes of the rows by a method of ours, beside the snapshots'."""

    label: str
    activity: str  # its IRI, under the base
    activity_label: str
    method: str


#: The ingest's derived graphs, by name (kg.sources.csl.Mapped.derived).
DERIVED = {
    REPAIRED_NAMES_GRAPH: Derived(
        "Names the lists damaged, repaired by us",
        "id/activity/name-repair",
        "Repairing names the lists damaged",
        REPAIR_METHOD,
    ),
    iris.NAMESAKES_GRAPH: Derived(
        "Namesakes the lists tell apart, recorded by us",
        "id/activity/namesake-recording",
        "Recording namesakes the lists tell apart",
        NAMESAKES_METHOD,
    ),
    iris.REPAIRED_CITATIONS_GRAPH: Derived(
        "Federal Register citations the lists damaged, read by us",
        "id/activity/citation-repair",
        "Reading citations the lists damaged",
        CITATION_REPAIR_METHOD,
    ),
    iris.CLASSIFIED_POLICIES_GRAPH: Derived(
        "Licence review policies, classified by us from the lists' words",
        "id/activity/policy-classification",
        "Classifying licence review policies",
        CLASSIFY_METHOD,
    ),
}
COMPARISON_ACTIVITY = "id/activity/snapshot-comparison"
COMPARISON_METHOD = (
    "An entry is one list, party and start date. Missing from a complete snapshot, an entry "
    "the snapshots before it held was removed; missing from a partial one (a sample, a "
    "subset), nothing follows. So a removal comes only from a complete snapshot, and an "
    "addition is claimed only against a complete snapshot that did not hold the entry; "
    "changed values are an amendment. Each action is observed in the newer snapshot and not "
    "in the older: the day a rule took effect is known only where the rule is. An entry "
    "renamed, or whose start date the list corrected, is one entry. An entry with an end date "
    "that a snapshot no longer shows is renewed (elkg:renews) by a new entry it shows of the "
    "same party on the same list, starting later and citing every Federal Register document "
    "the earlier cited (kg.sources.history)."
)


@dataclass(frozen=True, kw_only=True)
class IngestOptions:
    """How snapshots are read: the base IRI, where downloads are kept, today's date (a
    download's retrieval date), whether a problem row fails the build, the shrink guard."""

    base: str
    cache: Path
    today: dt.date
    strict: bool = False
    max_shrink: float = MAX_SHRINK


@dataclass(kw_only=True)
class _Run:
    """One ingest while it runs: what the snapshots read so far give, and what it made.

    `latest` maps an entry to the position of the last snapshot showing it; `readings` holds
    every snapshot's rows, oldest first. The snapshots' graphs go into `store` as they are
    mapped (`streamed`, their names); `graphs` holds the small graphs of our own (inferred
    kinds, observations) until the end."""

    options: IngestOptions
    report: IngestReport = field(default_factory=IngestReport)
    timeline: history.Timeline = field(default_factory=history.Timeline)
    readings: list[list[Row]] = field(default_factory=list)
    latest: dict[history.Key, int] = field(default_factory=dict)
    #: Entries a partial snapshot printed last in fewer rows than before, with the earlier
    #: snapshots whose rows stand too
    partly: dict[history.Key, frozenset[int]] = field(default_factory=dict)
    #: Parties of one name, told apart over every snapshot's rows (kg.sources.namesakes).
    namesakes: Namesakes = field(default_factory=Namesakes)
    described: Graphs = field(default_factory=dict)
    graphs: Graphs = field(default_factory=dict)
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)
    store: ox.Store
    literals: Literals = field(default_factory=Literals)
    streamed: list[ox.NamedNode] = field(default_factory=list)

    def graph(self, name: str) -> set[ox.Triple]:
        """One of the graphs that describe the snapshots (provenance, history), by name."""
        return self.described.setdefault(self.name(name), set())

    def name(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(iris.graph(name, self.options.base))


def ingest(
    snapshots: list[Snapshot],
    curated: Graphs,
    options: IngestOptions,
    store: ox.Store | None = None,
) -> Ingested:
    """Every snapshot's list actions, and the list as it stands; `curated` holds the rules
    the curated sources identify, which the snapshots' citations are read against. The
    snapshots' graphs are written into `store` (empty; a new in-memory one if none is given).

    A complete snapshot that would remove more than `options.max_shrink` of a list's entries
    (and at least history.MIN_SHRINK of them) fails, unless it accepts the shrink.
    """
    run = _Run(options=options, store=ox.Store() if store is None else store)
    ordered = sorted(given_once(snapshots), key=lambda s: s.date)
    for end in range(1, len(ordered) + 1):
        _take(run, ordered[:end])
    for earlier in ordered[:-1]:
        _say_what_it_holds(run, earlier)
    _map_state(run, ordered, _known_first_pages(curated))
    _settle_removed_kinds(run)
    _settle_renamed_entities(run)
    found = variants.variants(s for s in run.rows if s.startswith(f"{options.base}id/listing/"))
    for graph in _history_graphs(run):
        variants.on_each_variant(graph, found)
    for name, triples in sorted(run.graphs.items()):
        _write(run, name, triples)
    log.info("%d removals observed, all in complete snapshots", run.report.removals)
    if run.report.problems and not options.strict:
        log.warning(
            "%d problem(s) in the snapshots' rows, each read as far as it could be, for "
            "example: %s; every one is in dumps/ingest-report.json (--strict fails on them)",
            len(run.report.problems),
            sorted(run.report.problems)[0].describe(),
        )
    if options.strict and run.report.problems:
        raise SourceError(
            f"{len(run.report.problems)} problem(s) in the snapshots, for example: "
            f"{sorted(run.report.problems)[0].describe()}",
            where="--strict",
            hint="fix the rows, or build without --strict to ingest the rest",
        )
    return Ingested(
        report=run.report,
        described=run.described,
        store=run.store,
        rows=run.rows,
        rewritten=tuple(run.literals.rewritten),
    )


def _take(run: _Run, so_far: list[Snapshot]) -> None:
    """The newest of `so_far`: read, checked, compared with what the earlier ones showed."""
    snap, position = so_far[-1], len(so_far) - 1
    reading = _read(snap, run.options.cache, run.options.today)
    _count_rows(run.report, snap, reading)
    counts: Counter[history.Key] = Counter()
    entries = history.entries(reading.rows, run.namesakes, counts)
    partly = run.timeline.partly_shown(snap.complete, counts)
    changes = run.timeline.compare(entries, snap.complete, counts)
    if snap.complete and not snap.accept_shrink:
        known = run.timeline.entries_by_list()
        history.check_shrink(
            changes, known, name=snap.spec.id, where=snap.location, share=run.options.max_shrink
        )
    history.warn_growth(changes, Counter(key.list for key in entries), name=snap.spec.id)
    renames = {change.key: change.renamed for change in changes if change.renamed}
    run.timeline.apply(entries, snap.date, snap.complete, renames, counts)
    _keep(run, position, reading.rows, entries, set(renames.values()), partly)
    _describe(run, snap)
    if position:
        _history(run, so_far[:-1], snap, changes)
    log.info(
        "snapshot %s (%s): %d rows, %s",
        snap.spec.id,
        "complete" if snap.complete else "partial",
        len(reading.rows),
        _counted(changes) if position else "the first",
    )


def _read(snap: Snapshot, cache: Path, today: dt.date) -> Reading:
    path = Path(snap.location)
    if "://" in snap.location:
        path, _ = fetch(snap.location, cache, today)
    return read_csl(path)


def _count_rows(report: IngestReport, snap: Snapshot, reading: Reading) -> None:
    """Every row read, by list; a file with no row on any of the lists is not a CSL."""
    by_list = Counter(
        row.fields["source"]
        for row in reading.rows
        if row.fields["source"] in LISTS and row.fields["name"].strip()
    )
    if not by_list:
        raise SourceError(
            f"not a Consolidated Screening List: none of its {len(reading.rows)} rows names one "
            "of the 13 lists in its source column",
            where=snap.location,
            hint="give a Consolidated Screening List CSV or JSON download",
        )
    _check_counts(snap, by_list)
    report.snapshots.append(snap.spec.id)
    report.complete[snap.spec.id] = snap.complete
    report.problems += reading.problems
    report.unknown_columns[snap.spec.id] = sorted(reading.unknown_columns)
    report.rows[snap.spec.id] = len(reading.rows)
    report.rows_by_list[snap.spec.id] = dict(sorted(by_list.items()))


def _keep(
    run: _Run,
    position: int,
    rows: list[Row],
    entries: dict[history.Key, history.Entry],
    renamed_away: set[history.Key],
    partly: set[history.Key],
) -> None:
    """The snapshot's rows, and for each entry the last snapshot that showed it; an entry
    shown renamed stands only under its new name, also where the snapshot is partial. An
    entry a complete snapshot no longer shows keeps its record from the last one that did:
    its end date and what else that snapshot said of it (its removal is an action). An
    entry a partial snapshot prints in fewer rows than before (`partly`) keeps the earlier
    snapshots' rows too."""
    run.readings.append(rows)
    run.latest = {key: seen for key, seen in run.latest.items() if key not in renamed_away}
    run.partly = {key: seen for key, seen in run.partly.items() if key not in renamed_away}
    for key in entries:
        if key in partly and key in run.latest:
            run.partly[key] = run.partly.get(key, frozenset()) | {run.latest[key]}
        else:
            run.partly.pop(key, None)
    run.latest.update(dict.fromkeys(entries, position))


def _map_state(run: _Run, ordered: list[Snapshot], known_pages: dict[int, list[int]]) -> None:
    """The list as it stands: each entry from the rows of the last snapshot that showed it,
    into that snapshot's graph. Rows on no list are mapped (and reported) where they are."""
    keyed = [[(row, history.key_of(row, run.namesakes)) for row in rows] for rows in run.readings]
    standing = _standing_terms(run, keyed)
    groups = [
        [row for row, key in rows if _stands(row, key, position, run, standing)]
        for position, rows in enumerate(keyed)
    ]
    del keyed
    base = run.options.base
    inferred = run.name(INFERRED_KINDS_GRAPH)
    first = observations.gone(run.timeline, base)
    # Every snapshot is compared: the entries' values (the whole CSL's: about 90 MB a
    # multiple) need not stay alive while the store fills; only the first dates do.
    run.timeline.known.clear()
    into = [StreamedGraph(run.store, run.name(snap.spec.id), run.literals) for snap in ordered]
    mapped_groups = map_groups(groups, base, known_pages, into, run.namesakes)
    derived_from: dict[str, list[ox.NamedNode]] = {}
    last: dict[str, dt.date] = {}  # the snapshot an entry stands from is the last to show it
    for snap, mapped, rows, graph in zip(ordered, mapped_groups, groups, into, strict=True):
        first.update(
            observations.first_observed(mapped.rows, rows, run.timeline.first, base, run.namesakes)
        )
        graph.flush()
        if graph:
            run.streamed.append(graph.name)
        if mapped.inferred:
            run.graphs.setdefault(inferred, set()).update(mapped.inferred)
            run.graph(PROVENANCE_GRAPH).update(
                describe_inferred_kinds(iris.source(snap.spec.id, base), base)
            )
        for name, triples in mapped.derived.items():
            run.graphs.setdefault(run.name(name), set()).update(triples)
            derived_from.setdefault(name, []).append(ox.NamedNode(iris.source(snap.spec.id, base)))
        for subject, row in mapped.rows.items():
            run.rows.setdefault(subject, row)
            if subject.startswith(f"{base}id/listing/"):
                last[subject] = snap.date
        run.report.problems += mapped.problems
    _describe_derived(run, derived_from)
    _observed(run, ordered, first, last)


def _describe_derived(run: _Run, snapshots: dict[str, list[ox.NamedNode]]) -> None:
    """Each derived graph of the rows in the provenance graph: ours, by its method, made
    from the snapshots whose rows it read."""
    base = run.options.base
    for name, used in sorted(snapshots.items()):
        made = DERIVED[name]
        quads = generated.described(
            {run.name(name): made.label},
            activity=ox.NamedNode(f"{base}{made.activity}"),
            label=made.activity_label,
            method=made.method,
            used=used,
            base=base,
        )
        run.graph(PROVENANCE_GRAPH).update(quad.triple for quad in quads)


def _observed(
    run: _Run, ordered: list[Snapshot], first: dict[str, dt.date], last: dict[str, dt.date]
) -> None:
    """Each listing's first and last snapshots (kg.sources.observations), in a graph of our
    own."""
    base = run.options.base
    snapshots = {snap.date: snap.spec.id for snap in ordered}
    graph = run.name(observations.OBSERVATIONS_GRAPH)
    run.graphs[graph] = observations.observation_triples(first, last, snapshots, base)
    read = {snapshots[date] for date in (*first.values(), *last.values())}
    run.graph(PROVENANCE_GRAPH).update(observations.describe_observations(read, base))


def _settle_removed_kinds(run: _Run) -> None:
    """A removed entry's party that still stands on another list, with a kind inferred from
    evidence, is of that kind: the history graphs' "party of unknown kind" gives way."""
    rdf_type, party_type = named(RDF.type), named(ELKG.Party)
    inferred = {
        ox.Triple(triple.subject, rdf_type, party_type)
        for triple in run.graphs.get(run.name(INFERRED_KINDS_GRAPH), ())
        if triple.predicate == rdf_type
    }
    for graph in _history_graphs(run):
        graph -= inferred


def _settle_renamed_entities(run: _Run) -> None:
    """A renamed entry's earlier entity is replaced by the new one, unless it is still listed
    (on another list, or under another start date): then its IRI stands for itself."""
    replaced_by = named(DCTERMS.isReplacedBy)
    for graph in _history_graphs(run):
        graph -= {t for t in graph if t.predicate == replaced_by and _standing(run, t.subject)}


def _standing(run: _Run, subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> bool:
    """Whether a snapshot's graph (the lists' word, not our inferred kinds or observations)
    says anything of the subject."""
    assert isinstance(subject, ox.NamedNode)
    return any(
        next(iter(run.store.quads_for_pattern(subject, None, None, graph)), None) is not None
        for graph in run.streamed
    )


def _write(run: _Run, name: ox.NamedNode, triples: set[ox.Triple]) -> None:
    graph = StreamedGraph(run.store, name, run.literals)
    graph.update(triples)
    graph.flush()


def _history_graphs(run: _Run) -> list[set[ox.Triple]]:
    prefix = iris.graph("history-", run.options.base)
    return [graph for name, graph in run.described.items() if name.value.startswith(prefix)]


Terms = tuple[str, str, str]


def _terms(row: Row) -> Terms:
    """What makes rows of one entry entries apart (kg.sources.csl): licence terms, end."""
    f = row.fields
    return (f["license_requirement"].strip(), f["license_policy"].strip(), f["end_date"].strip())


def _standing_terms(
    run: _Run, keyed: list[list[tuple[Row, history.Key | None]]]
) -> dict[tuple[history.Key, int], set[Terms] | None]:
    """For each entry a partial snapshot showed last, and each snapshot whose rows of it may
    stand: the terms of the rows that do, None for all of them. The last snapshot's terms
    stand everywhere; an earlier snapshot that showed the entry as several entries (other
    licence terms: NBC Navegan Bar's two of 2022, one in the 2023 subset) keeps them all."""
    shown: dict[tuple[history.Key, int], set[Terms]] = defaultdict(set)
    for position, rows in enumerate(keyed):
        for row, key in rows:
            if key in run.partly:
                shown[(key, position)].add(_terms(row))
    standing: dict[tuple[history.Key, int], set[Terms] | None] = {}
    for key, earlier in run.partly.items():
        last = shown.get((key, run.latest[key]), set())
        for position in earlier:
            several = len(shown.get((key, position), ())) > 1
            standing[(key, position)] = None if several else last
    return standing


def _stands(
    row: Row,
    key: history.Key | None,
    position: int,
    run: _Run,
    standing: Mapping[tuple[history.Key, int], set[Terms] | None],
) -> bool:
    """Whether the row is part of the list as it stands, from the snapshot at `position`:
    a row of the last snapshot that showed its entry, or, where that snapshot is partial, a
    row of an earlier one (I-ASH's 2025 sample shows one of its two addresses: the other is
    not gone) unless its terms differ from the last snapshot's: the entry as it was."""
    if key is None or run.latest.get(key) == position:
        return True
    if (key, position) not in standing:
        return False
    terms = standing[(key, position)]
    return terms is None or _terms(row) in terms


FIRST_PAGES = (
    sparql_prefixes("elkg")
    + """
SELECT (SAMPLE(?volume) AS ?v) (SAMPLE(?page) AS ?p) WHERE {
  ?rule elkg:documentNumber ?number ; elkg:frVolume ?volume ; elkg:frPage ?page .
} GROUP BY ?rule HAVING (COUNT(DISTINCT ?volume) = 1 && COUNT(DISTINCT ?page) = 1)"""
)


def _known_first_pages(curated: Graphs) -> dict[int, list[int]]:
    """First pages of the rules the curated sources identify by document number: certain, so
    a page cited a little after one of them is a page of that rule (84 FR 54004 of 54002).
    A rule with more than one volume or first page has none here (SHACL reports it)."""
    store = ox.Store()
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, name)
        for name, triples in curated.items()
        for t in triples
    )
    pages: dict[int, list[int]] = {}
    for row in select(store, FIRST_PAGES):
        pages.setdefault(int(value(row["v"])), []).append(int(value(row["p"])))
    return pages


def _describe(run: _Run, snap: Snapshot) -> None:
    base = run.options.base
    provenance = run.graph(PROVENANCE_GRAPH)
    provenance.update(describe_source(snap.spec, iris.graph(snap.spec.id, base), base))
    complete = ox.Literal(str(snap.complete).lower(), datatype=named(XSD.boolean))
    provenance.add(
        ox.Triple(
            ox.NamedNode(iris.source(snap.spec.id, base)), named(ELKG.completeSnapshot), complete
        )
    )


#: What a snapshot's graph holds where a later snapshot follows it in the build.
HELD_BEFORE = (
    "Holds the entries this snapshot was the last to show, as it printed them; an entry a "
    "later snapshot shows too is in that snapshot's graph (with the rows of this one that "
    "a partial later snapshot did not print), and what changed between them is in the "
    "graphs of list actions (graph/history-...): this graph alone is not the list as of "
    "this snapshot."
)


def _say_what_it_holds(run: _Run, snap: Snapshot) -> None:
    """A note on the graph of a snapshot a later one follows: a researcher asked it for the
    list of 2022 on a history build and found a third fewer entries than the 2022 build's
    (trial 57b)."""
    graph = ox.NamedNode(iris.graph(snap.spec.id, run.options.base))
    note = ox.Literal(HELD_BEFORE, language="en")
    run.graph(PROVENANCE_GRAPH).add(ox.Triple(graph, named(RDFS.comment), note))


def _history(
    run: _Run, earlier: list[Snapshot], snap: Snapshot, changes: list[history.Change]
) -> None:
    base, old = run.options.base, earlier[-1]
    document = iris.source(snap.spec.id, base)
    name = f"history-{snap.spec.id}"
    run.graph(name).update(history.changes_graph(changes, old.date, document, base))
    # The snapshot's day, as every page names a snapshot: its id read as a raw label (trial 46b).
    label = f"List actions observed in the snapshot of {snap.date}, against the snapshots before it"
    quads = generated.described(
        {run.name(name): label},
        activity=ox.NamedNode(f"{base}{COMPARISON_ACTIVITY}"),
        label="Comparing each list snapshot with the snapshots before it",
        method=COMPARISON_METHOD,
        used=[
            ox.NamedNode(iris.source(source.spec.id, base))
            for source in _compared(earlier, changes, snap)
        ],
        base=base,
    )
    run.graph(PROVENANCE_GRAPH).update(quad.triple for quad in quads)
    run.report.changes[f"{old.spec.id} -> {snap.spec.id}"] = dict(
        sorted(Counter(change.kind for change in changes).items())
    )


def _compared(
    earlier: list[Snapshot], changes: list[history.Change], snap: Snapshot
) -> Iterable[Snapshot]:
    """The snapshot and the earlier ones its changes are measured against."""
    dates = {change.since for change in changes} | {earlier[-1].date}
    return [source for source in earlier if source.date in dates] + [snap]


def _counted(changes: list[history.Change]) -> str:
    counts = Counter(change.kind for change in changes)
    return ", ".join(
        f"{counts[kind]} {kind.lower()}s" for kind in ("Addition", "Removal", "Amendment")
    )


def _check_counts(snap: Snapshot, rows_by_list: Counter[str]) -> None:
    for name, wanted in sorted(snap.expected_rows.items()):
        found = rows_by_list.get(name, 0)
        if found != wanted:
            raise SourceError(
                f"{found} rows of {name!r}; expected {wanted}",
                where=str(snap.spec.folder / "source.toml"),
                hint="the download may be truncated; fetch it again, or update "
                "[expect.lists] on purpose",
            )
