"""Consolidated Screening List snapshots into the dataset, with an ingest report.

`kg build --csl SPEC` (repeatable) names a snapshot: a folder with a source.toml (kind = "csl",
its file or URL, its date, whether it is complete, and expected row counts per list), or
PATH_OR_URL@YYYY-MM-DD. Either may end in qualifiers: `:partial` (a sample or a subset),
`:complete` (the whole list; the default) and `:accept-shrink`.

Snapshots are read oldest first. Each entry is taken as the last snapshot that showed it
showed it; a complete snapshot also drops every entry it does not hold (a removal). The
graph is that state, each entry in the graph of the snapshot it comes from, and each
snapshot after the first adds the list actions it showed (see kg.sources.history): a partial
snapshot adds observations, never removals.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg import iris
from kg.errors import SourceError
from kg.graph.assemble import Assembly, describe_source
from kg.graph.ingest_report import IngestReport
from kg.sources import history, observations
from kg.sources.catalog import (
    QUALIFIER_HINT,
    DatedSpec,
    Expectations,
    SourceSpec,
    load_toml,
    parse_dated,
)
from kg.sources.csl import (
    INFERRED_KINDS_GRAPH,
    LISTS,
    describe_inferred_kinds,
    list_name,
    list_title,
    map_groups,
)
from kg.sources.csl_read import Reading, Row, fetch, read_csl
from kg.vocab import ELKG

log = logging.getLogger(__name__)

#: A complete snapshot may remove at most this share of a list's entries known before it ...
MAX_SHRINK = 0.2
#: ... once it removes this many: a list of three that loses one has not been cut short.
MIN_SHRINK = 5


@dataclass(frozen=True)
class Snapshot:
    spec: SourceSpec
    location: str  # path or URL as given
    date: dt.date
    expected_rows: dict[str, int]
    complete: bool = True  # the whole list that day: what it lacks was removed
    accept_shrink: bool = False  # a complete snapshot that drops much of a list is meant


def snapshot(spec: str, cache: Path, today: dt.date | None = None) -> Snapshot:
    """A snapshot from a config folder, or from PATH_OR_URL@YYYY-MM-DD, with its qualifiers."""
    dated = parse_dated(spec)
    folder = Path(dated.location)
    if folder.is_dir() and dated.date is None:
        found = _configured(folder, cache)
    else:
        found = _dated(dated, spec, today)
    return _qualified(found, list(dated.qualifiers), spec)


def _qualified(found: Snapshot, qualifiers: list[str], spec: str) -> Snapshot:
    if {"partial", "complete"} <= set(qualifiers):
        raise SourceError(
            "a snapshot cannot be both partial and complete", where=spec, hint=QUALIFIER_HINT
        )
    complete = found.complete
    if "partial" in qualifiers or "complete" in qualifiers:
        complete = "complete" in qualifiers
    return replace(
        found, complete=complete, accept_shrink=found.accept_shrink or "accept-shrink" in qualifiers
    )


def _dated(dated: DatedSpec, spec: str, today: dt.date | None) -> Snapshot:
    location, date = dated.location, dated.date
    if date is None and not Path(location).exists() and "://" not in location:
        raise SourceError(
            "no such file or folder",
            where=spec,
            hint="give a snapshot folder with a source.toml, or FILE_OR_URL@YYYY-MM-DD",
        )
    if date is None:
        raise SourceError(
            "no snapshot date",
            where=spec,
            hint="give the day the list was downloaded: PATH_OR_URL@YYYY-MM-DD",
        )
    name = f"csl-{date.isoformat()}"
    document = SourceSpec(
        id=name,
        folder=Path(location).parent,
        kind="csl",
        facts=Path(location),
        document_type="ListSnapshot",
        title=f"Consolidated Screening List, snapshot of {date.isoformat()}",
        document_iri=None,
        issued=date,
        retrieved=today if location.startswith(("http://", "https://")) else None,
        url=location if "://" in location else None,
        publisher=None,
        licence="https://creativecommons.org/publicdomain/mark/1.0/",
        local_copy=None,
        note=None,
        expect=Expectations(),
    )
    return Snapshot(document, location, date, {})


def _configured(folder: Path, cache: Path) -> Snapshot:
    path = folder / "source.toml"
    table = load_toml(path, 'a CSL snapshot folder needs a source.toml with kind = "csl"')
    if table.get("kind") != "csl" or "file" not in table or "date" not in table.get("document", {}):
        raise SourceError(
            'not a CSL snapshot: kind = "csl", file and document.date are needed',
            where=str(path),
            hint="see data/csl/ for an example",
        )
    document = table["document"]
    location = str(table["file"])
    if "://" not in location:
        location = str((folder / location).resolve())
    spec = SourceSpec(
        id=folder.name,
        folder=folder,
        kind="csl",
        facts=Path(location),
        document_type="ListSnapshot",
        title=document["title"],
        document_iri=None,
        issued=document["date"],
        retrieved=document.get("retrieved"),
        url=document.get("url"),
        publisher=None,
        licence=document.get("licence"),
        local_copy=document.get("local_copy"),
        note=document.get("note"),
        expect=Expectations(),
    )
    return Snapshot(
        spec,
        location,
        document["date"],
        dict(table.get("expect", {}).get("lists", {})),
        complete=_flag(table, "complete", True, path),
        accept_shrink=_flag(table, "accept_shrink", False, path),
    )


def _flag(table: dict[str, Any], key: str, default: bool, path: Path) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise SourceError(
            f"{key} must be true or false, not {value!r}", where=str(path), hint=f"{key} = true"
        )
    return value


@dataclass
class _State:
    """What the snapshots read so far give: the entries, and which snapshot's rows hold each."""

    timeline: history.Timeline
    readings: list[list[Row]]  # every snapshot's rows, oldest first
    latest: dict[history.Key, int]  # entry -> the position of the last snapshot showing it


def add_snapshots(
    assembly: Assembly,
    snapshots: list[Snapshot],
    base: str,
    cache: Path,
    strict: bool,
    today: dt.date,
    max_shrink: float = MAX_SHRINK,
) -> IngestReport:
    """Every snapshot's list actions, and the list as it stands, into the assembly.

    A complete snapshot that would remove more than `max_shrink` of a list's entries (and at
    least MIN_SHRINK of them) fails, unless it accepts the shrink.
    """
    report = IngestReport()
    ordered = sorted(snapshots, key=lambda s: s.date)
    state = _State(history.Timeline(), [], {})
    for end in range(1, len(ordered) + 1):
        _take(assembly, report, state, ordered[:end], cache, today, base, max_shrink)
    _map_state(assembly, report, ordered, state, base)
    log.info("%d removals observed, all in complete snapshots", report.removals)
    if strict and report.problems:
        raise SourceError(
            f"{len(report.problems)} problem(s) in the snapshots, for example: "
            f"{sorted(report.problems)[0].describe()}",
            where="--strict",
            hint="fix the rows, or build without --strict to ingest the rest",
        )
    return report


def _take(
    assembly: Assembly,
    report: IngestReport,
    state: _State,
    so_far: list[Snapshot],
    cache: Path,
    today: dt.date,
    base: str,
    max_shrink: float,
) -> None:
    """The newest of `so_far`: read, checked, compared with what the earlier ones showed."""
    snap, position = so_far[-1], len(so_far) - 1
    reading = _read(snap, cache, today)
    _count_rows(report, snap, reading)
    entries = history.entries(reading.rows)
    changes = state.timeline.compare(entries, snap.complete)
    _check_shrink(snap, state.timeline.entries_by_list(), changes, max_shrink)
    state.timeline.apply(entries, snap.date, snap.complete)
    _keep(state, position, reading.rows, entries, snap.complete)
    _describe(assembly.dataset, snap, base)
    if position:
        _history(assembly, report, so_far[:-1], snap, changes, base)
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


def _check_shrink(
    snap: Snapshot, known: Counter[str], changes: list[history.Change], max_shrink: float
) -> None:
    """A complete snapshot that drops much of a list is more likely cut short than true."""
    if not snap.complete or snap.accept_shrink:
        return
    removed = Counter(change.key.list for change in changes if change.kind == "Removal")
    over = [
        f"{count} of the {known[abbreviation]} entries of the {list_title(list_name(abbreviation))}"
        f" ({abbreviation}, {count / known[abbreviation]:.0%})"
        for abbreviation, count in sorted(removed.items())
        if count >= MIN_SHRINK and count > max_shrink * known[abbreviation]
    ]
    if over:
        raise SourceError(
            f"{snap.spec.id} is read as complete but would remove {'; '.join(over)}: more than "
            f"{max_shrink:.0%} of a list",
            where=snap.location,
            hint="if the file is a sample or a subset, mark it partial (PATH@DATE:partial, or "
            "complete = false in its source.toml); if the list really shrank, accept it "
            "(:accept-shrink, or accept_shrink = true)",
        )


def _keep(
    state: _State,
    position: int,
    rows: list[Row],
    entries: dict[history.Key, history.Entry],
    complete: bool,
) -> None:
    state.readings.append(rows)
    if complete:
        state.latest = {key: seen for key, seen in state.latest.items() if key in entries}
    state.latest.update(dict.fromkeys(entries, position))


def _map_state(
    assembly: Assembly, report: IngestReport, ordered: list[Snapshot], state: _State, base: str
) -> None:
    """The list as it stands: each entry from the rows of the last snapshot that showed it,
    into that snapshot's graph. Rows on no list are mapped (and reported) where they are."""
    groups = [
        [row for row in rows if _stands(row, position, state.latest)]
        for position, rows in enumerate(state.readings)
    ]
    mapped_groups = map_groups(groups, base, _known_first_pages(assembly.dataset))
    inferred = URIRef(iris.graph(INFERRED_KINDS_GRAPH, base))
    first = observations.gone(state.timeline, base)
    for snap, mapped, rows in zip(ordered, mapped_groups, groups, strict=True):
        first.update(observations.first_observed(mapped.rows, rows, state.timeline.first, base))
        if mapped.triples:
            assembly.ingested[URIRef(iris.graph(snap.spec.id, base))] = mapped.triples
        if mapped.inferred:
            assembly.ingested.setdefault(inferred, set()).update(mapped.inferred)
            describe_inferred_kinds(
                assembly.dataset.graph(URIRef(iris.graph("provenance", base))),
                URIRef(iris.source(snap.spec.id, base)),
                base,
            )
        for subject, row in mapped.rows.items():
            assembly.rows.setdefault(subject, row)
        report.problems += mapped.problems
    _observed(assembly, ordered, first, base)


def _observed(
    assembly: Assembly, ordered: list[Snapshot], first: dict[str, dt.date], base: str
) -> None:
    """Each listing's first snapshot (kg.sources.observations), in a graph of our own."""
    snapshots = {snap.date: snap.spec.id for snap in ordered}
    graph = URIRef(iris.graph(observations.OBSERVATIONS_GRAPH, base))
    assembly.ingested[graph] = observations.observation_triples(first, snapshots, base)
    observations.describe_observations(
        assembly.dataset.graph(URIRef(iris.graph("provenance", base))),
        {snapshots[date] for date in first.values()},
        base,
    )


def _stands(row: Row, position: int, latest: dict[history.Key, int]) -> bool:
    """Whether the row is part of the list as it stands, from the snapshot at `position`."""
    key = history.key_of(row)
    return key is None or latest.get(key) == position


def _known_first_pages(dataset: Dataset) -> dict[int, list[int]]:
    """First pages of the rules the curated sources identify by document number: certain, so
    a page cited a little after one of them is a page of that rule (84 FR 54004 of 54002)."""
    pages: dict[int, list[int]] = {}
    for rule, _, _, _ in dataset.quads((None, ELKG.documentNumber, None, None)):
        volumes = {str(o) for _, _, o, _ in dataset.quads((rule, ELKG.frVolume, None, None))}
        firsts = {str(o) for _, _, o, _ in dataset.quads((rule, ELKG.frPage, None, None))}
        if len(volumes) == 1 and len(firsts) == 1:  # more than one: SHACL reports it
            pages.setdefault(int(volumes.pop()), []).append(int(firsts.pop()))
    return pages


def _describe(dataset: Dataset, snap: Snapshot, base: str) -> None:
    provenance = dataset.graph(URIRef(iris.graph("provenance", base)))
    describe_source(provenance, snap.spec, URIRef(iris.graph(snap.spec.id, base)), base)
    provenance.add(
        (URIRef(iris.source(snap.spec.id, base)), ELKG.completeSnapshot, Literal(snap.complete))
    )


def _history(
    assembly: Assembly,
    report: IngestReport,
    earlier: list[Snapshot],
    snap: Snapshot,
    changes: list[history.Change],
    base: str,
) -> None:
    old = earlier[-1]
    document = URIRef(iris.source(snap.spec.id, base))
    graph_iri = URIRef(iris.graph(f"history-{snap.spec.id}", base))
    assembly.dataset.graph(graph_iri).__iadd__(
        history.changes_graph(changes, old.date, document, base)
    )
    provenance = assembly.dataset.graph(URIRef(iris.graph("provenance", base)))
    provenance.add((graph_iri, RDF.type, ELKG.SourceGraph))
    provenance.add(
        (
            graph_iri,
            RDFS.label,
            Literal(
                f"List actions observed in {snap.spec.id}, against the snapshots before it",
                lang="en",
            ),
        )
    )
    for source in _compared(earlier, changes, snap):
        provenance.add((graph_iri, PROV.wasDerivedFrom, URIRef(iris.source(source.spec.id, base))))
    report.changes[f"{old.spec.id} -> {snap.spec.id}"] = dict(
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
