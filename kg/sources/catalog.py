"""The catalogue of sources: dataset.toml and one folder with a source.toml per source."""

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import SourceError

DOCUMENT_TYPES = (
    "NewsArticle",
    "PressRelease",
    "ListSnapshot",
    "EditorialCuration",
    "FederalRegisterRule",
)


@dataclass(frozen=True, kw_only=True)
class Expectations:
    """Counts a source must meet, so that a truncated or damaged file is caught."""

    min_triples: int = 0
    max_triples: int | None = None
    instances: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SourceSpec:
    """One source: where its facts are, what document they come from, what to expect."""

    id: str
    folder: Path
    kind: str
    facts: Path
    document_type: str
    title: str
    document_iri: str | None
    issued: dt.date | None
    retrieved: dt.date | None
    url: str | None
    publisher: str | None
    licence: str | None
    local_copy: str | None
    note: str | None
    expect: Expectations


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


def load_toml(path: Path, hint: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise SourceError(
            "file not found",
            where=str(path),
            hint=hint,
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise SourceError(
            f"not valid TOML: {error}",
            where=str(path),
            hint="fix the TOML syntax at the line given",
        ) from error


def _require(table: dict[str, Any], key: str, path: Path) -> Any:
    if key not in table:
        raise SourceError(
            f"missing required key {key!r}", where=str(path), hint=f"add {key} = ... to the file"
        )
    return table[key]


def load_dataset(data_dir: Path) -> DatasetSpec:
    path = data_dir / "dataset.toml"
    table = load_toml(path, "point --data at a folder holding dataset.toml and sources/")
    return DatasetSpec(
        title=_require(table, "title", path),
        description=_require(table, "description", path),
        version=_require(table, "version", path),
        issued=_require(table, "issued", path),
        licence=_require(table, "licence", path),
        publisher=_require(table, "publisher", path),
        homepage=_require(table, "homepage", path),
        keywords=tuple(table.get("keywords", ())),
    )


def load_source(folder: Path) -> SourceSpec:
    path = folder / "source.toml"
    table = load_toml(path, "each folder under sources/ needs a source.toml")
    document = _require(table, "document", path)
    document_type = _require(document, "type", path)
    if document_type not in DOCUMENT_TYPES:
        raise SourceError(
            f"unknown document type {document_type!r}",
            where=str(path),
            hint=f"use one of {', '.join(DOCUMENT_TYPES)}",
        )
    expect = table.get("expect", {})
    return SourceSpec(
        id=folder.name,
        folder=folder,
        kind=table.get("kind", "turtle"),
        facts=folder / table.get("facts", "facts.ttl"),
        document_type=document_type,
        title=_require(document, "title", path),
        document_iri=document.get("iri"),
        issued=document.get("issued"),
        retrieved=document.get("retrieved"),
        url=document.get("url"),
        publisher=document.get("publisher"),
        licence=document.get("licence"),
        local_copy=document.get("local_copy"),
        note=document.get("note"),
        expect=Expectations(
            min_triples=expect.get("min_triples", 0),
            max_triples=expect.get("max_triples"),
            instances=dict(expect.get("instances", {})),
        ),
    )


def load_catalog(data_dir: Path) -> list[SourceSpec]:
    """Every source under data_dir/sources, in a fixed order (by folder name)."""
    sources_dir = data_dir / "sources"
    if not sources_dir.is_dir():
        raise SourceError(
            "no sources folder",
            where=str(sources_dir),
            hint="point --data at a folder holding dataset.toml and sources/",
        )
    folders = sorted(path for path in sources_dir.iterdir() if path.is_dir())
    return [load_source(folder) for folder in folders]


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
