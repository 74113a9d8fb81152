"""The one reader of source.toml: what a source is, dispatched on its `kind`.

A curated source (`kind = "turtle"`, the default) is a facts file and the document it was
drawn from. A list snapshot (`kind = "csl"`) is a Consolidated Screening List download, its
date, whether it is the whole list, and the rows it must hold per list.
"""

import datetime as dt
import tomllib
from collections.abc import Callable
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
class Snapshot:
    """A list snapshot: the source it is, where its file is, and what it stands for."""

    spec: SourceSpec
    location: str  # path or URL as given
    date: dt.date
    expected_rows: dict[str, int] = field(default_factory=dict)
    complete: bool = True  # the whole list that day: what it lacks was removed
    accept_shrink: bool = False  # a complete snapshot that drops much of a list is meant


def load_toml(path: Path, hint: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise SourceError("file not found", where=str(path), hint=hint) from error
    except tomllib.TOMLDecodeError as error:
        raise SourceError(
            f"not valid TOML: {error}",
            where=str(path),
            hint="fix the TOML syntax at the line given",
        ) from error


def require(table: dict[str, Any], key: str, path: Path) -> Any:
    if key not in table:
        raise SourceError(
            f"missing required key {key!r}", where=str(path), hint=f"add {key} = ... to the file"
        )
    return table[key]


def load_source(folder: Path) -> SourceSpec | Snapshot:
    """The source a folder's source.toml describes, read by the reader of its kind."""
    path = folder / "source.toml"
    table = load_toml(path, "a source folder needs a source.toml; see data/ for examples")
    kind = table.get("kind", "turtle")
    reader = READERS.get(kind)
    if reader is None:
        raise SourceError(
            f"unknown kind {kind!r}",
            where=str(path),
            hint=f"use one of {', '.join(sorted(READERS))}",
        )
    return reader(folder, path, table)


def _turtle(folder: Path, path: Path, table: dict[str, Any]) -> SourceSpec:
    document = require(table, "document", path)
    document_type = require(document, "type", path)
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
        kind="turtle",
        facts=folder / table.get("facts", "facts.ttl"),
        document_type=document_type,
        title=require(document, "title", path),
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


def _csl(folder: Path, path: Path, table: dict[str, Any]) -> Snapshot:
    if "file" not in table or "date" not in table.get("document", {}):
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
        title=require(document, "title", path),
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
        spec=spec,
        location=location,
        date=document["date"],
        expected_rows=dict(table.get("expect", {}).get("lists", {})),
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


READERS: dict[str, Callable[[Path, Path, dict[str, Any]], SourceSpec | Snapshot]] = {
    "turtle": _turtle,
    "csl": _csl,
}
