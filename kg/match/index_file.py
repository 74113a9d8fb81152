"""The screening index as a file (kg.match.stored): written by the build, opened by a server.

The file holds the tables `MatchIndex` builds in memory, each as a SQLite table read a row
at a time: postings and word weights, Chinese bigrams, one-letter deletions, the words by
length, the names (with their folded forms and weights) and the parties (as JSON). Opened,
it is a `MatchIndex` whose tables read the file, so its answers are the in-memory index's.
"""

import functools
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.match.index import IndexedName, MatchIndex
from kg.match.model import CandidateMatch, Entity, Listing, Release, Rule
from kg.match.normalise import Form, Variants
from kg.match.stored import Stored, positions_blob, positions_of, write

SCHEMA = """
CREATE TABLE postings (word TEXT PRIMARY KEY, weight REAL, positions BLOB) WITHOUT ROWID;
CREATE TABLE cjk (pair TEXT PRIMARY KEY, positions BLOB) WITHOUT ROWID;
CREATE TABLE acronyms (letters TEXT PRIMARY KEY, positions BLOB) WITHOUT ROWID;
CREATE TABLE deletions (shorter TEXT PRIMARY KEY, words TEXT) WITHOUT ROWID;
CREATE TABLE by_length (length INTEGER PRIMARY KEY, words TEXT);
CREATE TABLE names (position INTEGER PRIMARY KEY, entity INTEGER, text TEXT, kind TEXT,
                    form TEXT, weight REAL);
CREATE TABLE entities (position INTEGER PRIMARY KEY, iri TEXT UNIQUE, entity TEXT);
CREATE TABLE referents (iri TEXT PRIMARY KEY, position INTEGER) WITHOUT ROWID;
"""


def write_index(index: MatchIndex, path: Path) -> None:
    """The index's tables into a new file at path."""
    postings = sorted(index._postings.items())
    weights = index._name_weight.at(range(len(index.names)))
    tables: dict[str, Any] = {
        "postings": ((w, index.weights[w], positions_blob(p)) for w, p in postings),
        "cjk": ((pair, positions_blob(p)) for pair, p in sorted(index._cjk.items())),
        "acronyms": ((a, positions_blob(p)) for a, p in sorted(index._acronyms.items())),
        "deletions": ((k, _words(v)) for k, v in sorted(index._deletions.items())),
        "by_length": ((n, _words(v)) for n, v in sorted(index._by_length.items())),
        "names": (
            (p, n.entity, n.text, n.kind, _form_json(n.form), weights[p])
            for p, n in enumerate(index.names)
        ),
        "entities": ((p, e.iri, _entity_json(e)) for p, e in enumerate(index.entities)),
        "referents": sorted((r, p) for p, e in enumerate(index.entities) for r in e.referents),
    }
    meta = {
        "release": [
            index.release.iri,
            index.release.date,
            index.release.nquads_sha256,
            index.release.first_complete_snapshot,
            index.release.last_complete_snapshot,
            index.release.last_snapshot,
            index.release.first_snapshot,
        ],
        "lists": index.lists,
        "names": len(index.names),
        "entities": len(index.entities),
        "records": index.records,
        "acronyms": len(index._acronyms),
        "places": sorted(index.places),
    }
    write(path, SCHEMA, tables, meta)


def open_index(path: Path) -> MatchIndex:
    """The index of the file at path, reading its tables where they are."""
    stored = Stored(path)
    index = MatchIndex.__new__(MatchIndex)
    # An index written before the snapshots' days were recorded has three fields, and one
    # before the partial snapshots' days five.
    iri, date, sha256, *known = stored.meta("release")
    first, last, latest, earliest = (*known, "", "", "", "")[:4]
    index.release = Release(
        iri,
        date,
        sha256,
        first_complete_snapshot=first,
        last_complete_snapshot=last,
        last_snapshot=latest,
        first_snapshot=earliest,
    )
    index.lists = {
        key: (name, abbreviation) for key, (name, abbreviation) in stored.meta("lists").items()
    }
    index.variants = Variants()
    index.entities = _Entities(stored, stored.meta("entities"))
    index.records = stored.meta("records") if stored.has("records") else len(index.entities)
    index.names = _Names(stored, stored.meta("names"))
    # An index written before places were read has none: no word asked is read as one.
    index.places = frozenset(stored.meta("places") if stored.has("places") else ())
    index._postings = _Positions(stored, "SELECT positions FROM postings WHERE word = ?")
    index.weights = _Floats(stored, "SELECT weight FROM postings WHERE word = ?")
    index._cjk = _Positions(stored, "SELECT positions FROM cjk WHERE pair = ?")
    # An index written before acronyms were read has no table of them.
    index._acronyms = (
        _Positions(stored, "SELECT positions FROM acronyms WHERE letters = ?")
        if stored.has("acronyms")
        else {}
    )
    index._name_weight = _NameWeights(stored)
    index._deletions = _Words(stored, "SELECT words FROM deletions WHERE shorter = ?")
    index._by_length = _Words(stored, "SELECT words FROM by_length WHERE length = ?")
    index._vocabulary = _Vocabulary(stored)
    index._by_iri = index.entities
    return index


def _words(words: Sequence[str]) -> str:
    return json.dumps(list(words), ensure_ascii=False)


def _form_json(form: Form) -> str:
    fields = [form.tokens, form.legal, form.cjk, form.translated, form.spelt]
    return json.dumps(fields, ensure_ascii=False)


def _entity_json(entity: Entity) -> str:
    listings = [
        [
            listing.iri,
            listing.list_iri,
            listing.list_name,
            listing.abbreviation,
            listing.start,
            listing.end,
            [[rule.iri, rule.citation, rule.published] for rule in listing.rules],
            listing.removed,
            listing.observed,
            listing.entity,
            listing.renewed_by,
            [[rule.iri, rule.citation, rule.published] for rule in listing.renewal_rules],
            listing.seen_before_removal,
            listing.name,
            listing.renews,
            listing.number,
        ]
        for listing in entity.listings
    ]
    return json.dumps(
        [
            entity.iri,
            entity.caption,
            entity.schema,
            sorted(entity.countries),
            entity.birth_dates,
            sorted(entity.ids),
            listings,
            entity.referents,
            entity.kind_inferred,
            [
                [m.iri, m.other, m.caption, m.lists, m.score, m.evidence, m.entries, m.countries]
                for m in entity.candidate_matches
            ],
        ],
        ensure_ascii=False,
    )


def _entity_of(text: str) -> Entity:
    # An index written before kinds were marked inferred has no flag: none is; one written
    # before candidate matches were read has none.
    fields: list[Any] = json.loads(text)
    iri, caption, schema, countries, births, ids, listings, referents, *later = fields
    known: list[Any] = [*later, *(False, [])[len(later) :]]
    inferred, matches = known
    return Entity(
        iri,
        caption,
        schema,
        frozenset(countries),
        tuple(births),
        frozenset(ids),
        tuple(_listing_of(*listing) for listing in listings),
        tuple(referents),
        kind_inferred=bool(inferred),
        candidate_matches=tuple(_match_of(*m) for m in matches),
    )


def _match_of(
    iri: str,
    other: str,
    caption: str,
    lists: list[str],
    score: float | None,
    evidence: list[str],
    # An index written before the other party's entries or countries were named has none.
    entries: list[str] | None = None,
    countries: list[str] | None = None,
) -> CandidateMatch:
    return CandidateMatch(
        iri,
        other,
        caption,
        tuple(lists),
        score,
        tuple(evidence),
        tuple(entries or ()),
        tuple(countries or ()),
    )


def _listing_of(
    iri: str,
    list_iri: str,
    name: str,
    abbreviation: str,
    start: str | None,
    end: str | None,
    rules: list[list[str]],
    removed: list[str],
    observed: str | None,
    # An index written before listings named their record has none of these; one written
    # before renewals were read has no renewal, one before their rules none of those, and
    # one before removals were dated between snapshots no such day, one before entries
    # named their printed name none, nor whether they renew another, nor their number.
    *later: Any,
) -> Listing:
    found = (Rule(*rule) for rule in rules)
    known: list[Any] = [*later, *("", None, [], None, None, False, None)[len(later) :]]
    entity, renewed_by, between, seen_before, printed, renews, number = known
    return Listing(
        iri, list_iri, name, abbreviation, start, end, tuple(found), tuple(removed), observed,
        entity or "", renewed_by, tuple(Rule(*rule) for rule in between), seen_before, printed,
        renews, number,
    )  # fmt: skip


class _Lookup(Mapping[Any, Any]):
    """One column of a table by its key: what a dict of the in-memory index gives.

    The last CACHED values looked up are kept: one screening asks for a word's weight and
    postings many times, and common words come back in every query.
    """

    CACHED = 4096

    def __init__(self, stored: Stored, sql: str) -> None:
        self._stored, self._sql = stored, sql
        self._fetch = functools.lru_cache(maxsize=self.CACHED)(self._uncached)

    def _uncached(self, key: Any) -> Any:
        found = self._stored.one(self._sql, key)
        return _MISSING if found is None else self._decode(found[0])

    def _decode(self, value: Any) -> Any:
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        found = self._fetch(key)
        return default if found is _MISSING else found

    def __getitem__(self, key: Any) -> Any:
        found = self._fetch(key)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self._fetch(key) is not _MISSING

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError("an index file is looked up, not listed")

    def __len__(self) -> int:
        raise NotImplementedError("an index file is looked up, not counted")


_MISSING = object()


class _Positions(_Lookup):
    def _decode(self, value: bytes) -> Sequence[int]:
        return positions_of(value)


class _Floats(_Lookup):
    pass


class _Words(_Lookup):
    def _decode(self, value: str) -> list[str]:
        words: list[str] = json.loads(value)
        return words


class _Rows(Sequence[Any]):
    def __init__(self, stored: Stored, size: int) -> None:
        self._stored, self._size = stored, size

    def __len__(self) -> int:
        return self._size

    def _row(self, sql: str, position: int) -> Any:
        if not 0 <= position < self._size:
            raise IndexError(position)
        return self._stored.one(sql, position)


class _Names(_Rows):
    def __getitem__(self, position: int) -> IndexedName:  # type: ignore[override]
        entity, text, kind, form = self._row(
            "SELECT entity, text, kind, form FROM names WHERE position = ?", position
        )
        # A file written before the words as written were kept has four fields.
        tokens, legal, cjk, translated, *spelt = json.loads(form)
        read = Form(tuple(tokens), tuple(legal), cjk, translated, tuple(*spelt))
        return IndexedName(entity, text, kind, read)


class _NameWeights:
    def __init__(self, stored: Stored) -> None:
        self._stored = stored

    def at(self, positions: Sequence[int]) -> list[float]:
        """The weights of the names at positions, in one query (a word may be in thousands)."""
        rows = self._stored.rows(
            "SELECT n.weight FROM json_each(?) AS wanted JOIN names AS n"
            " ON n.position = wanted.value ORDER BY wanted.key",
            json.dumps(list(positions)),
        )
        return [weight for (weight,) in rows]


class _Entities(_Rows):
    def __getitem__(self, position: int) -> Entity:  # type: ignore[override]
        return _entity_of(self._row("SELECT entity FROM entities WHERE position = ?", position)[0])

    def get(self, iri: str, /) -> Entity | None:
        found = self._stored.one("SELECT entity FROM entities WHERE iri = ?", iri)
        if found is None:
            found = self._referent(iri)
        return None if found is None else _entity_of(found[0])

    def _referent(self, iri: str) -> Any:
        """The party a curator judged the IRI's to be; none in a file written before
        referents had a table."""
        try:
            return self._stored.one(
                "SELECT e.entity FROM referents r JOIN entities e ON e.position = r.position "
                "WHERE r.iri = ?",
                iri,
            )
        except sqlite3.OperationalError:
            return None


class _Vocabulary:
    def __init__(self, stored: Stored) -> None:
        self._stored = stored

    def starting(self, prefix: str, most: int) -> list[str]:
        # Code-point order is the order of UTF-8 bytes, which SQLite's BINARY collation keeps.
        rows = self._stored.rows(
            "SELECT word FROM postings WHERE word >= ? ORDER BY word LIMIT ?", prefix, most
        )
        found = []
        for (word,) in rows:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found
