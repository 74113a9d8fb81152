"""The catalogue of sources: dataset.toml, the curated sources' folders, and the list
snapshots named on the command line (a folder, or PATH_OR_URL@DATE with qualifiers)."""

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import SourceError
from kg.sources.source_toml import (
    Expectations,
    Snapshot,
    SourceSpec,
    load_source,
    load_toml,
    require,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class DatasetSpec:
    """What the dataset says about itself in its VoID and DCAT description."""

    title: str
    description: str
    version: str
    issued: dt.date
    licence: str
    publisher: str
    homepage: str
    keywords: tuple[str, ...]


def load_dataset(data_dir: Path) -> DatasetSpec:
    path = data_dir / "dataset.toml"
    table = load_toml(path, "point --data at a folder holding dataset.toml and sources/")
    return DatasetSpec(
        title=require(table, "title", path),
        description=require(table, "description", path),
        version=require(table, "version", path),
        issued=require(table, "issued", path),
        licence=require(table, "licence", path),
        publisher=require(table, "publisher", path),
        homepage=require(table, "homepage", path),
        keywords=tuple(table.get("keywords", ())),
    )


def load_catalog(data_dir: Path, extra: Sequence[Path] = ()) -> list[SourceSpec]:
    """Every source under data_dir/sources, in a fixed order (by folder name), then each
    folder of `extra` (kg build --source) in the order given."""
    sources_dir = data_dir / "sources"
    if not sources_dir.is_dir():
        raise SourceError(
            "no sources folder",
            where=str(sources_dir),
            hint="point --data at a folder holding dataset.toml and sources/",
        )
    folders = sorted(path for path in sources_dir.iterdir() if path.is_dir())
    for folder in extra:
        if not (folder / "source.toml").is_file():
            raise SourceError(
                "not a source folder",
                where=str(folder),
                hint="give --source a folder holding a source.toml and the files it names "
                "(see data/sources/ for examples)",
            )
    sources = [_curated(load_source(folder)) for folder in (*folders, *extra)]
    _distinct(sources)
    return sources


def _distinct(sources: list[SourceSpec]) -> None:
    seen: dict[str, Path] = {}
    for source in sources:
        if source.id in seen:
            raise SourceError(
                f"two sources are both called {source.id!r}",
                where=f"{seen[source.id]} and {source.folder}",
                hint="give each source.toml an id of its own",
            )
        seen[source.id] = source.folder


def _curated(source: SourceSpec | Snapshot) -> SourceSpec:
    if isinstance(source, Snapshot):
        raise SourceError(
            "a list snapshot among the curated sources",
            where=str(source.spec.folder / "source.toml"),
            hint="give list snapshots to kg build --csl, and keep them out of sources/",
        )
    return source


#: What may follow PATH@DATE: a sample or subset, the whole list, a shrink that is expected.
QUALIFIERS = ("partial", "complete", "accept-shrink")
QUALIFIER_HINT = "qualifiers are :partial, :complete and :accept-shrink"


@dataclass(frozen=True, kw_only=True)
class DatedSpec:
    """A file or URL as the command line names it: PATH_OR_URL[@YYYY-MM-DD][:QUALIFIER...]."""

    location: str
    date: dt.date | None
    qualifiers: tuple[str, ...] = ()


def parse_dated(spec: str) -> DatedSpec:
    """The one reading of PATH@DATE (kg build --csl, kg diff).

    >>> parse_dated("x.csv@2019-12-03:partial")
    DatedSpec(location='x.csv', date=datetime.date(2019, 12, 3), qualifiers=('partial',))
    >>> parse_dated("https://example.org/a@b/list.csv").date is None
    True
    """
    text, qualifiers = spec, list[str]()
    while ":" in text and (tail := text.rpartition(":")[2]) in QUALIFIERS:
        qualifiers.insert(0, tail)
        text = text.rpartition(":")[0]
    location, _, date_text = text.rpartition("@")
    if not location or "/" in date_text:  # no date: an @ inside a URL or a path
        return DatedSpec(location=text, date=None, qualifiers=tuple(qualifiers))
    date_text, colon, unknown = date_text.partition(":")
    if colon:
        raise SourceError(
            f"unknown qualifier {unknown!r}",
            where=spec,
            hint=QUALIFIER_HINT,
        )
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError as error:
        raise SourceError(
            f"{date_text!r} is not a date", where=spec, hint="write it YYYY-MM-DD"
        ) from error
    return DatedSpec(location=location, date=date, qualifiers=tuple(qualifiers))


def snapshot(spec: str, today: dt.date | None = None) -> Snapshot:
    """A list snapshot as `kg build --csl` names it: a folder with a source.toml of kind
    "csl", or PATH_OR_URL@YYYY-MM-DD; either with qualifiers, which win over the file's."""
    dated = parse_dated(spec)
    folder = Path(dated.location)
    if folder.is_dir() and dated.date is None:
        found = load_source(folder)
        if not isinstance(found, Snapshot):
            raise SourceError(
                f"not a list snapshot: its source.toml has kind = {found.kind!r}",
                where=str(folder / "source.toml"),
                hint='a CSL snapshot folder says kind = "csl"; see data/csl/ for an example',
            )
    else:
        found = _dated(dated, spec, today)
    return _qualified(found, dated.qualifiers, spec)


def _qualified(found: Snapshot, qualifiers: tuple[str, ...], spec: str) -> Snapshot:
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
    document = SourceSpec(
        id=f"csl-{date.isoformat()}",
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
    return Snapshot(spec=document, location=location, date=date)


def as_curated(snap: Snapshot, sources: Sequence[SourceSpec], project: Path) -> Snapshot:
    """The snapshot, named as the curated list snapshot whose local copy (a path relative to
    `project`) is its file, of the same day: one download is one source. FILE@DATE made
    another (`csl-DATE`), and the entries the curated source transcribes cited both; the
    folder form (data/csl/csl-2022-05) already shares the curated source's name."""
    for source in sources:
        if (
            source.document_type == "ListSnapshot"
            and source.local_copy
            and source.issued == snap.date
            and source.id != snap.spec.id
            and _same_file(project / source.local_copy, snap.location)
        ):
            log.info(
                "%s is the local copy of the curated source %s of %s: read as that source",
                snap.location,
                source.id,
                snap.date,
            )
            named = replace(
                snap.spec, id=source.id, title=source.title, url=source.url, licence=source.licence
            )
            return replace(snap, spec=named)
    return snap


def _same_file(copy: Path, location: str) -> bool:
    if "://" in location:
        return False
    try:
        return copy.samefile(location)
    except OSError:  # either is missing: nothing to compare, and nothing to rename
        return False


def given_once(snapshots: Sequence[Snapshot]) -> list[Snapshot]:
    """The snapshots, a file given twice for one day read once: as the first given.

    A folder and its file named again (`--csl data/csl/csl-2022-05 --csl FILE@2022-05-06`)
    made two sources of one download, and every entry cited both. Two snapshots of one name
    are refused (their graphs would be one), and two different whole lists of one day are
    warned of: the second is read as the list after the first.
    """
    kept: dict[tuple[str, dt.date], Snapshot] = {}
    for snap in snapshots:
        key = (_content(snap.location), snap.date)
        first = kept.get(key)
        if first is not None:
            log.warning(
                "snapshots %s and %s are the same file (%s) for %s: read once, as %s",
                first.spec.id,
                snap.spec.id,
                snap.location,
                snap.date,
                first.spec.id,
            )
            continue
        _one_name(snap, kept.values())
        _one_whole_list(snap, kept.values())
        kept[key] = snap
    return list(kept.values())


def _content(location: str) -> str:
    """What a snapshot's file holds (its SHA-256), or its address where it cannot be read
    here: a URL, fetched later; a missing file, reported where it is read."""
    if "://" in location:
        return location
    try:
        with Path(location).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return location


def _one_name(snap: Snapshot, kept: Iterable[Snapshot]) -> None:
    for other in kept:
        if other.spec.id == snap.spec.id:
            raise SourceError(
                f"two different snapshots are both called {snap.spec.id!r}",
                where=f"{other.location} and {snap.location}",
                hint="FILE@DATE names a snapshot csl-DATE: check the dates; if both are "
                "right, give one of them a folder with a source.toml (the folder's name is the "
                "snapshot's), or leave one out",
            )


def _one_whole_list(snap: Snapshot, kept: Iterable[Snapshot]) -> None:
    for other in kept:
        if snap.complete and other.complete and other.date == snap.date:
            log.warning(
                "%s and %s are both read as the whole list on %s, and differ: %s is compared "
                "with %s, and what it lacks is removed that day; if one of them is a sample "
                "or a subset, mark it partial (FILE@DATE:partial, or complete = false)",
                other.spec.id,
                snap.spec.id,
                snap.date,
                snap.spec.id,
                other.spec.id,
            )
