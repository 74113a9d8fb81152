"""Consolidated Screening List snapshots into the dataset, with an ingest report.

`kg build --csl SPEC` (repeatable) names a snapshot: a folder with a source.toml (kind = "csl",
its file or URL, its date and expected row counts per list), or PATH_OR_URL@YYYY-MM-DD. The
newest snapshot gives the list as it stands; each pair of consecutive snapshots gives the
list actions between them.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg import iris
from kg.errors import SourceError
from kg.graph.assemble import Assembly, describe_source
from kg.graph.ingest_report import IngestReport
from kg.sources import history
from kg.sources.catalog import Expectations, SourceSpec, load_toml
from kg.sources.csl import map_rows
from kg.sources.csl_read import fetch, read_csl
from kg.vocab import ELKG

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    spec: SourceSpec
    location: str  # path or URL as given
    date: dt.date
    expected_rows: dict[str, int]


def snapshot(spec: str, cache: Path, today: dt.date | None = None) -> Snapshot:
    """A snapshot from a config folder, or from PATH_OR_URL@YYYY-MM-DD."""
    folder = Path(spec)
    if folder.is_dir():
        return _configured(folder, cache)
    location, _, date_text = spec.rpartition("@")
    if not location and not folder.exists() and "://" not in spec:
        raise SourceError(
            "no such file or folder",
            where=spec,
            hint="give a snapshot folder with a source.toml, or FILE_OR_URL@YYYY-MM-DD",
        )
    if not location:
        raise SourceError(
            "no snapshot date",
            where=spec,
            hint="give the day the list was downloaded: PATH_OR_URL@YYYY-MM-DD",
        )
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError as error:
        raise SourceError(
            f"{date_text!r} is not a date", where=spec, hint="write it YYYY-MM-DD"
        ) from error
    name = f"csl-{date.isoformat()}"
    document = SourceSpec(
        name,
        folder.parent,
        "csl",
        Path(location),
        "ListSnapshot",
        f"Consolidated Screening List, snapshot of {date.isoformat()}",
        None,
        date,
        today if location.startswith(("http://", "https://")) else None,
        location if "://" in location else None,
        None,
        "https://creativecommons.org/publicdomain/mark/1.0/",
        None,
        None,
        Expectations(),
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
        folder.name,
        folder,
        "csl",
        Path(location),
        "ListSnapshot",
        document["title"],
        None,
        document["date"],
        document.get("retrieved"),
        document.get("url"),
        None,
        document.get("licence"),
        document.get("local_copy"),
        document.get("note"),
        Expectations(),
    )
    return Snapshot(
        spec, location, document["date"], dict(table.get("expect", {}).get("lists", {}))
    )


def add_snapshots(
    assembly: Assembly,
    snapshots: list[Snapshot],
    base: str,
    cache: Path,
    strict: bool,
    today: dt.date,
) -> IngestReport:
    report = IngestReport()
    ordered = sorted(snapshots, key=lambda s: s.date)
    previous: tuple[Snapshot, dict[history.Key, dict[str, frozenset[str]]]] | None = None
    for position, snap in enumerate(ordered):
        path = Path(snap.location)
        if "://" in snap.location:
            path, _ = fetch(snap.location, cache, today)
        reading = read_csl(path)
        report.snapshots.append(snap.spec.id)
        report.problems += reading.problems
        report.unknown_columns[snap.spec.id] = sorted(reading.unknown_columns)
        entries = history.entries(reading.rows)
        newest = position == len(ordered) - 1
        mapped = map_rows(reading.rows, base) if newest else None
        if mapped is not None:
            assembly.ingested[URIRef(iris.graph(snap.spec.id, base))] = mapped.triples
            for subject, row in mapped.rows.items():
                assembly.rows.setdefault(subject, row)
            report.problems += mapped.problems
            report.rows[snap.spec.id] = len(reading.rows)
            report.rows_by_list[snap.spec.id] = dict(sorted(mapped.rows_by_list.items()))
            _check_counts(snap, mapped.rows_by_list)
        describe_source(
            assembly.dataset.graph(URIRef(iris.graph("provenance", base))),
            snap.spec,
            URIRef(iris.graph(snap.spec.id, base)),
            base,
        )
        if previous is not None:
            _history(assembly, report, previous, snap, entries, base)
        previous = (snap, entries)
        log.info(
            "snapshot %s: %d rows, %d problems so far",
            snap.spec.id,
            len(reading.rows),
            len(report.problems),
        )
    if strict and report.problems:
        raise SourceError(
            f"{len(report.problems)} problem(s) in the snapshots, for example: "
            f"{sorted(report.problems)[0].describe()}",
            where="--strict",
            hint="fix the rows, or build without --strict to ingest the rest",
        )
    return report


def _history(
    assembly: Assembly,
    report: IngestReport,
    previous: tuple[Snapshot, dict[history.Key, dict[str, frozenset[str]]]],
    snap: Snapshot,
    entries: dict[history.Key, dict[str, frozenset[str]]],
    base: str,
) -> None:
    old, old_entries = previous
    changes = history.diff(old_entries, entries)
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
            Literal(f"List actions observed between {old.spec.id} and {snap.spec.id}", lang="en"),
        )
    )
    for source in (old, snap):
        provenance.add((graph_iri, PROV.wasDerivedFrom, URIRef(iris.source(source.spec.id, base))))
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    report.changes[f"{old.spec.id} -> {snap.spec.id}"] = counts


def _check_counts(snap: Snapshot, rows_by_list: dict[str, int]) -> None:
    for name, wanted in sorted(snap.expected_rows.items()):
        found = rows_by_list.get(name, 0)
        if found != wanted:
            raise SourceError(
                f"{found} rows of {name!r}; expected {wanted}",
                where=str(snap.spec.folder / "source.toml"),
                hint="the download may be truncated; fetch it again, or update "
                "[expect.lists] on purpose",
            )
