"""Reading Consolidated Screening List downloads: CSV or JSON, plain or gzipped, any layout.

Rows come out as the 29 fields of the CSV layout, numbered as the file numbers them, so that
every problem can name its row: a CSV row by its record number (the header is record 1, the
first row record 2, as a spreadsheet shows them; a quoted field may span several lines, so
this is not the line number), a JSON record by its position.

A file that is not a CSL download at all is refused with a message: read as a list with no
rows, it would say that every entry was removed.
"""

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import SourceError
from kg.sources.csl_columns import COLUMNS

log = logging.getLogger(__name__)

# The older layout (2019) has every column but _id; JSON downloads say "id".
ALIASES = {"id": "_id"}


@dataclass(frozen=True)
class Row:
    file: str
    number: int
    fields: dict[str, str]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    reason: str

    def describe(self) -> str:
        return f"{self.file}: row {self.row}: {self.reason}"


@dataclass
class Reading:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: set[str] = field(default_factory=set)


def _open_text(path: Path) -> io.TextIOBase:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8-sig"))


def read_csl(path: Path) -> Reading:
    """Every row of a CSL file; what cannot be read is a problem, never silently dropped."""
    try:
        text = _open_text(path)
    except EOFError as error:  # gzip's word for a file cut short
        raise SourceError(
            f"the file ends early: {error}",
            where=str(path),
            hint="download the file again; it is truncated",
        ) from error
    except (OSError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        raise SourceError(
            f"cannot read the file: {error}",
            where=str(path),
            hint="check the path, or download the file again",
        ) from error
    return _read_rows(text, path)


#: The columns without which a file is not a CSL: every layout since 2019 has them.
REQUIRED = ("source", "name")
_NOT_A_CSL = "give a Consolidated Screening List CSV or JSON download"


def _read_rows(text: io.TextIOBase, path: Path) -> Reading:
    first = text.read(1)
    if not first.strip():
        raise SourceError("the file is empty", where=str(path), hint=_NOT_A_CSL)
    text.seek(0)
    reading = Reading()
    read = _json_records if first in "[{" else _csv_records
    try:
        for number, record in read(text, path, reading):
            fields = {ALIASES.get(key, key): _flat(value) for key, value in record.items()}
            reading.unknown_columns |= set(fields) - set(COLUMNS)
            reading.rows.append(Row(str(path), number, {c: fields.get(c, "") for c in COLUMNS}))
    except csv.Error as error:  # a NUL byte, an endless quoted field: not a CSV we can read
        raise SourceError(
            f"not readable as CSV after row {len(reading.rows) + 1}: {error}",
            where=str(path),
            hint=_NOT_A_CSL,
        ) from error
    if not reading.rows:
        raise SourceError(
            "the file has no rows",
            where=str(path),
            hint="download the file again; a screening list is never empty",
        )
    return reading


def _csv_records(
    text: io.TextIOBase, path: Path, reading: Reading
) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise SourceError(
            f"not a Consolidated Screening List: the header line has no {' or '.join(missing)}"
            " column",
            where=str(path),
            hint=_NOT_A_CSL,
        )
    header = list(reader.fieldnames or ())
    # Record numbers, not reader.line_num: a quoted field over several lines would shift it.
    for number, record in enumerate(reader, start=2):
        if list(record.values()) == header:
            reading.problems.append(Problem(str(path), number, "repeated header line"))
            continue
        if None in record:
            reading.problems.append(
                Problem(
                    str(path), number, "more fields than the header names; extra fields ignored"
                )
            )
            record.pop(None)
        yield number, record


def _json_records(
    text: io.TextIOBase, path: Path, reading: Reading
) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        document = json.load(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"not valid JSON: {error}",
            where=str(path),
            hint="download the file again; it may be truncated",
        ) from error
    records = document.get("results") if isinstance(document, dict) else document
    if not isinstance(records, list) or not any(_is_record(r) for r in records):
        raise SourceError(
            "not a Consolidated Screening List: no JSON record with "
            f"{' and '.join(REQUIRED)} (a download is a list of records, or an object whose "
            '"results" is one)',
            where=str(path),
            hint=_NOT_A_CSL,
        )
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            yield number, record
        else:
            reading.problems.append(Problem(str(path), number, "not a JSON object; skipped"))


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and all(key in value for key in REQUIRED)


def _flat(value: Any) -> str:
    """A JSON value as the CSV layout writes it: lists joined with "; ", addresses as text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_flat(item) for item in value if _flat(item))
    if isinstance(value, dict):
        keys = (
            ("address", "city", "state", "postal_code", "country")
            if "address" in value
            else ("type", "number", "country")
        )
        parts = [str(value.get(key) or "") for key in keys]
        if "address" not in value:
            parts = [part for part in parts if part]
        return ", ".join(parts)
    return str(value)


def fetch(url: str, cache: Path, today: dt.date) -> tuple[Path, dt.date]:
    """A download of url, kept in cache; returns the file and the day it was retrieved."""
    cache.mkdir(parents=True, exist_ok=True)
    stem = hashlib.sha256(url.encode()).hexdigest()[:16]
    cached = next(iter(sorted(cache.glob(f"{stem}-*"))), None)
    if cached is not None:
        return cached, dt.date.fromisoformat(cached.name.split("-", 1)[1][:10])
    target = cache / f"{stem}-{today.isoformat()}{''.join(Path(url.split('?')[0]).suffixes)}"
    log.info("downloading %s", url)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # the user gave this URL
            payload = response.read()
    except OSError as error:
        raise SourceError(
            f"download failed: {error}",
            where=url,
            hint="check the URL and the network, or give a local file",
        ) from error
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(payload)
    partial.rename(target)
    return target, today
