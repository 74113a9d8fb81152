"""Name search over names and aliases, tolerant of how people type names.

Case, diacritics, punctuation and word order are folded away; Chinese script is matched
character by character; transliteration variants (Kashgar and Kashi, Urumqi and Wulumuqi)
are one word. How a name is read as words is `kg.match.words`, shared with the static
site's search index.

The index is built in memory from the rows of `NAMES` (`from_rows`), or opened from the
file the build wrote (`kg.match.stored`, `open_names`): one search over either's tables.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kg.iris import local_name
from kg.match import acronyms
from kg.match.countries import code as country_code
from kg.match.inferred import ONLY_INFERRED
from kg.match.labels import NAME, REPAIRED_NAME, Broader, best, found_by, name_order
from kg.match.score import JOINED_FROM
from kg.match.stored import Stored, positions_blob, positions_of, write
from kg.match.words import CJK as _CJK
from kg.match.words import Variants, fold, naming
from kg.vocab import sparql_prefixes

__all__ = ["NAMES", "Entry", "Hit", "NameIndex", "Variants", "fold", "from_rows"]

#: The names searched: every name, alias and transliteration of a party of any kind, with
#: the names it may be shown by (`?label`, of `?rank`: kg.match.labels) and each of our
#: classes it is of (`?ours`), with the class's label, as the site's pages show its kind.
NAMES = (
    sparql_prefixes("schema", "elkg", "rdfs")
    + f"""
SELECT DISTINCT ?entity ?label ?rank ?name ?type ?ours ?oursLabel ?transliteration ?inferred
WHERE {{
  VALUES ?type {{ schema:Organization schema:Person elkg:Party elkg:Vessel elkg:Aircraft }}
  VALUES (?shownBy ?rank) {{ (elkg:repairedName {REPAIRED_NAME}) (schema:name {NAME}) }}
  ?entity a ?type ; ?shownBy ?label .
  {{ ?entity schema:name|schema:alternateName|elkg:repairedName|elkg:formerName ?name }}
  UNION {{ ?entity elkg:transliteration ?name . BIND (true AS ?transliteration) }}
  OPTIONAL {{
    ?entity a ?ours . FILTER (STRSTARTS(STR(?ours), STR(elkg:)))
    OPTIONAL {{
      ?ours rdfs:label ?oursLabel .
      FILTER (LANG(?oursLabel) = "" || LANGMATCHES(LANG(?oursLabel), "en"))
    }}
  }}
  OPTIONAL {{ """
    + ONLY_INFERRED
    + """ BIND (true AS ?inferred) }
}"""
)


#: What states a party's countries, as the site's pages and filters read them: an address's
#: country, a vessel's flag, a person's nationality and citizenship (by code or name).
COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "vesselFlag")
#: Each party's countries as its own facts state them, read as codes (kg.match.countries).
COUNTRIES = sparql_prefixes("elkg") + (
    "SELECT DISTINCT ?entity ?country WHERE { VALUES ?property { "
    + " ".join(f"elkg:{name}" for name in COUNTRY_PROPERTIES)
    + " } ?entity ?property ?country }"
)


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str  # the name shown, as the site shows it (kg.match.labels)
    name: str
    kind: str  # the schema.org kind or ours: Organization, Person, Party, Vessel, Aircraft
    kind_inferred: bool = False  # the list does not state the kind: we inferred it
    # The kinds a kind filter finds it by, in words (kg.match.labels.found_by), the most
    # telling first: Public security bureau, Government body, Organisation
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO codes, as its own facts state them

    @property
    def kind_label(self) -> str:
        """The most telling kind in words, as the site shows it: Company."""
        return self.kinds[0] if self.kinds else ""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    kind: str
    score: float
    kind_inferred: bool = False
    kind_label: str = ""
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


class NameTables(Protocol):
    """What the search reads: in memory (`_InMemory`) or from the build's file (`_InFile`)."""

    def __len__(self) -> int: ...

    def canonical(self, word: str) -> str: ...

    def holding(self, word: str) -> Sequence[int]:
        """The positions of the entries holding the word, in order."""
        ...

    def beginning(self, prefix: str) -> Iterable[tuple[str, Sequence[int]]]:
        """Every word that begins with prefix (itself included), in order, with its entries."""
        ...

    def spellings(self, prefix: str) -> Iterable[tuple[str, str]]:
        """Every spelling read as another word that begins with prefix, in order, with the
        word it is read as ("mohammed", "muhammad")."""
        ...

    def entries(self, positions: Sequence[int]) -> list[tuple[Entry, list[str]]]:
        """The entries at positions, each with its words, in that order."""
        ...

    def abbreviated(self, letters: str) -> Sequence[int]:
        """The positions of the entries a run of whose words has these initials, in order
        (kg.match.acronyms: "psb" for public security bureau)."""
        ...

    def kinds(self) -> list[str]:
        """Every kind an entry is found by, in words, in order."""
        ...

    @property
    def knows_countries(self) -> bool:
        """Whether entries carry their countries (an index written before did not)."""
        ...


class NameIndex:
    def __init__(self, entries: Sequence[Entry], variants: Variants | None = None) -> None:
        self.tables: NameTables = _InMemory(entries, variants or Variants())

    @classmethod
    def of(cls, tables: NameTables) -> "NameIndex":
        index = cls.__new__(cls)
        index.tables = tables
        return index

    def __len__(self) -> int:
        return len(self.tables)

    def kinds(self) -> list[str]:
        """Every kind a kind filter may ask for, in words, in order."""
        return self.tables.kinds()

    @property
    def knows_countries(self) -> bool:
        return self.tables.knows_countries

    def _candidates(self, word: str, beside: bool) -> dict[int, float]:
        """Entries holding the word (1.0) or a word it begins (0.7, for words of 2+ letters);
        and, `beside` other words, a name it is an acronym of (0.7): "Xinjiang PSB" found
        nothing, where screening read it (an acronym alone is no name: "Tom" is not Tehran
        Oil Manufacturing)."""
        found = dict.fromkeys(self.tables.holding(word), 1.0)
        if beside and acronyms.FROM <= len(word) <= acronyms.UP_TO and word.isalpha():
            for position in self.tables.abbreviated(word):
                found.setdefault(position, 0.7)
        if len(word) >= 2 and not _CJK.match(word):
            for other, positions in self.tables.beginning(word):
                if other != word:
                    for position in positions:
                        found.setdefault(position, 0.7)
            # A spelling the word begins stands for its class: "moham" for mohammed, which
            # the index holds as muhammad.
            for read_as in dict.fromkeys(read_as for _, read_as in self.tables.spellings(word)):
                if read_as == word:  # found whole above
                    continue
                for position in self.tables.holding(read_as):
                    found.setdefault(position, 0.7)
        return found

    def _joined(self, words: list[str]) -> list[str]:
        """The words, with two neighbours joined where the index holds them as one word of
        JOINED_FROM letters or more: "hik vision" is hikvision, as screening reads it."""
        joined: list[str] = []
        for word in words:
            pair = joined[-1] + word if joined else ""
            if len(pair) >= JOINED_FROM and self.tables.holding(pair):
                joined[-1] = pair
            else:
                joined.append(word)
        return joined

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best hits of the words as written and, where two neighbours are one word of
        the index, as joined ("Hik-Vision" found nothing, where screening read it: trial 26),
        each party by its best."""
        # Once each, as the site's search.js reads them, before any two are joined.
        words = list(dict.fromkeys(self.tables.canonical(word) for word in fold(query)))
        best: dict[str, Hit] = {}
        for reading in dict.fromkeys((tuple(words), tuple(self._joined(words)))):
            for hit in self._hits(list(reading)):
                if hit.iri not in best or hit.score > best[hit.iri].score:
                    best[hit.iri] = hit
        ranked = sorted(
            best.values(), key=lambda hit: (-hit.score, *name_order(hit.label), hit.iri)
        )
        return ranked[:limit]

    def _hits(self, words: list[str]) -> Iterator[Hit]:
        """A hit for every name holding each word or a word it begins, scored."""
        if not words:
            return
        scores: dict[int, float] | None = None
        beside = len(set(words)) > 1
        for word in dict.fromkeys(words):
            candidates = self._candidates(word, beside)
            scores = (
                candidates
                if scores is None
                else {p: s + candidates[p] for p, s in scores.items() if p in candidates}
            )
        scores = scores or {}
        for (entry, held), total in zip(
            self.tables.entries(list(scores)), scores.values(), strict=True
        ):
            coverage = len(naming(words)) / max(1, len(naming(held)))
            score = (
                total / len(set(words)) + 0.3 * coverage + (0.1 if entry.name == entry.label else 0)
            )
            yield Hit(
                entry.iri,
                entry.label,
                entry.name,
                entry.kind,
                round(score, 4),
                entry.kind_inferred,
                entry.kind_label or entry.kind,
                entry.kinds,
                entry.countries,
            )


def from_rows(
    rows: Iterable[Mapping[str, str]],
    broader: Broader | None = None,
    countries: Iterable[Mapping[str, str]] = (),
) -> NameIndex:
    """The index of NAMES's rows (variable -> value; `transliteration` set on those): each
    party under the one name the site shows it by, its most telling kind in words, as
    KINDS_BROADER's classes (`broader`) tell it, and its countries (COUNTRIES's rows)."""
    coded: dict[str, set[str]] = defaultdict(set)
    for row in countries:
        if found := country_code(row["country"]):
            coded[row["entity"]].add(found)
    parties: dict[str, _Party] = defaultdict(_Party)
    for row in rows:
        party = parties[row["entity"]]
        party.labels.add((int(row["rank"]), row["label"]))
        party.names.add((row["name"], local_name(row["type"]), "inferred" in row))
        if "transliteration" in row:
            party.transliterations.add(row["name"])
        if "ours" in row:
            party.ours[row["ours"]] = row.get("oursLabel") or local_name(row["ours"])
    labels = {iri: best(party.labels) for iri, party in parties.items()}
    kinds = {iri: party.kinds(broader or {}) for iri, party in parties.items()}
    entries = {
        Entry(iri, labels[iri], name, kind, inferred, kinds[iri], tuple(sorted(coded.get(iri, ()))))
        for iri, party in parties.items()
        for name, kind, inferred in party.names
    }
    # Transliterations of the name shown, as the site's search learns them.
    variants = Variants.learnt(
        (labels[iri], name) for iri, party in parties.items() for name in party.transliterations
    )
    return NameIndex(sorted(entries, key=lambda e: (e.iri, e.name, e.label, e.kind)), variants)


@dataclass
class _Party:
    """What NAMES's rows say of one party."""

    labels: set[tuple[int, str]] = field(default_factory=set)
    names: set[tuple[str, str, bool]] = field(default_factory=set)
    transliterations: set[str] = field(default_factory=set)
    ours: dict[str, str] = field(default_factory=dict)  # our class -> its label

    def kinds(self, broader: Broader) -> tuple[str, ...]:
        """The kinds it is found by, in words, the most telling first."""
        return tuple(self.ours.get(x) or local_name(x) for x in found_by(self.ours, broader))


class _InMemory:
    def __init__(self, entries: Sequence[Entry], variants: Variants) -> None:
        self.variants = variants
        self._entries = list(entries)
        self._words = [[variants.canonical(w) for w in fold(e.name)] for e in self._entries]
        postings: dict[str, list[int]] = defaultdict(list)
        for position, words in enumerate(self._words):
            for word in dict.fromkeys(words):
                postings[word].append(position)
        self._postings = dict(postings)
        self._initials = _initials(e.name for e in self._entries)
        self._vocabulary = sorted(postings)
        self._spellings = sorted(variants.classes().items())
        # Read by every /search request (its menu and its 422): found once.
        self._every_kind = sorted({kind for entry in self._entries for kind in entry.kinds})

    def __len__(self) -> int:
        return len(self._entries)

    def canonical(self, word: str) -> str:
        return self.variants.canonical(word)

    def holding(self, word: str) -> Sequence[int]:
        return self._postings.get(word, ())

    def beginning(self, prefix: str) -> Iterator[tuple[str, Sequence[int]]]:
        return ((w, self._postings[w]) for w in self._vocabulary if w.startswith(prefix))

    def spellings(self, prefix: str) -> Iterator[tuple[str, str]]:
        return ((w, c) for w, c in self._spellings if w.startswith(prefix))

    def entries(self, positions: Sequence[int]) -> list[tuple[Entry, list[str]]]:
        return [(self._entries[p], self._words[p]) for p in positions]

    def abbreviated(self, letters: str) -> Sequence[int]:
        return self._initials.get(letters, ())

    def kinds(self) -> list[str]:
        return self._every_kind

    knows_countries = True


def _initials(names: Iterable[str]) -> dict[str, list[int]]:
    """Each acronym a name could be written as, with the positions of the names, in order;
    read from the words as written, as the site's index reads them (kg.site.search_index)."""
    found: dict[str, list[int]] = defaultdict(list)
    for position, name in enumerate(names):
        for letters in sorted(acronyms.initials(fold(name))):
            found[letters].append(position)
    return dict(sorted(found.items()))


SCHEMA = """
CREATE TABLE entries (position INTEGER PRIMARY KEY, iri TEXT, label TEXT, name TEXT,
                      kind TEXT, words TEXT, inferred INTEGER, kind_label TEXT, kinds TEXT,
                      countries TEXT);
CREATE TABLE postings (word TEXT PRIMARY KEY, positions BLOB) WITHOUT ROWID;
CREATE TABLE variants (word TEXT PRIMARY KEY, canonical TEXT) WITHOUT ROWID;
CREATE TABLE initials (letters TEXT PRIMARY KEY, positions BLOB) WITHOUT ROWID;
"""


def write_names(index: NameIndex, path: Path) -> None:
    """An in-memory index's tables into a new file at path."""
    tables = index.tables
    assert isinstance(tables, _InMemory), "an index is written from the one built in memory"
    write(
        path,
        SCHEMA,
        {
            "entries": (
                (
                    p,
                    e.iri,
                    e.label,
                    e.name,
                    e.kind,
                    json.dumps(tables._words[p], ensure_ascii=False),
                    int(e.kind_inferred),
                    e.kind_label,
                    json.dumps(e.kinds, ensure_ascii=False),
                    json.dumps(e.countries),
                )
                for p, e in enumerate(tables._entries)
            ),
            "postings": ((w, positions_blob(tables._postings[w])) for w in tables._vocabulary),
            "variants": sorted(tables.variants.classes().items()),
            "initials": ((a, positions_blob(p)) for a, p in tables._initials.items()),
        },
        {"entries": len(tables), "kinds": tables.kinds()},
    )


def open_names(path: Path) -> NameIndex:
    """The index of the file at path, reading its tables where they are."""
    return NameIndex.of(_InFile(Stored(path)))


class _InFile:
    def __init__(self, stored: Stored) -> None:
        self._stored = stored
        self._size: int = stored.meta("entries")
        # A file written before kinds were marked inferred has no such column: none is; one
        # written before kinds were labelled shows the kind itself.
        self._inferred = "e.inferred" if self._has("inferred") else "0"
        self._kind_label = "e.kind_label" if self._has("kind_label") else "''"
        # and one written before kinds were filtered by is found by its most telling alone.
        self._kinds = "e.kinds" if self._has("kinds") else f"json_array({self._kind_label})"
        self.knows_countries = self._has("countries")
        self._countries = "e.countries" if self.knows_countries else "'[]'"
        self._every_kind = self._read_kinds()  # read by every /search request: read once
        # and one written before acronyms were read finds none.
        table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'initials'"
        self._knows_initials = stored.one(table) is not None

    def _has(self, column: str) -> bool:
        found = "SELECT 1 FROM pragma_table_info('entries') WHERE name = ?"
        return self._stored.one(found, column) is not None

    def __len__(self) -> int:
        return self._size

    def canonical(self, word: str) -> str:
        found = self._stored.one("SELECT canonical FROM variants WHERE word = ?", word)
        return word if found is None else str(found[0])

    def holding(self, word: str) -> Sequence[int]:
        found = self._stored.one("SELECT positions FROM postings WHERE word = ?", word)
        return () if found is None else positions_of(found[0])

    def beginning(self, prefix: str) -> Iterator[tuple[str, Sequence[int]]]:
        # Code-point order is the order of UTF-8 bytes, which SQLite's BINARY collation keeps.
        rows = self._stored.rows(
            "SELECT word, positions FROM postings WHERE word >= ? AND word < ? ORDER BY word",
            prefix,
            prefix + "\U0010ffff",
        )
        return ((word, positions_of(blob)) for word, blob in rows)

    def spellings(self, prefix: str) -> Iterator[tuple[str, str]]:
        rows = self._stored.rows(
            "SELECT word, canonical FROM variants WHERE word >= ? AND word < ? ORDER BY word",
            prefix,
            prefix + "\U0010ffff",
        )
        return ((str(word), str(canonical)) for word, canonical in rows)

    def entries(self, positions: Sequence[int]) -> list[tuple[Entry, list[str]]]:
        rows = self._stored.rows(
            f"SELECT e.iri, e.label, e.name, e.kind, e.words, {self._inferred}, "
            f"{self._kinds}, {self._countries} FROM json_each(?) AS wanted "
            "JOIN entries AS e ON e.position = wanted.value ORDER BY wanted.key",
            json.dumps(list(positions)),
        )
        return [
            (
                Entry(iri, label, name, kind, bool(inferred), _words(kinds), _words(coded)),
                json.loads(words),
            )
            for iri, label, name, kind, words, inferred, kinds, coded in rows
        ]

    def abbreviated(self, letters: str) -> Sequence[int]:
        if not self._knows_initials:
            return ()
        found = self._stored.one("SELECT positions FROM initials WHERE letters = ?", letters)
        return () if found is None else positions_of(found[0])

    def kinds(self) -> list[str]:
        return self._every_kind

    def _read_kinds(self) -> list[str]:
        if self._stored.has("kinds"):
            return list(self._stored.meta("kinds"))
        rows = self._stored.rows(f"SELECT DISTINCT {self._kind_label} FROM entries AS e")
        return sorted(str(label) for (label,) in rows if label)


def _words(kinds: str) -> tuple[str, ...]:
    """A JSON array of words (kinds, countries), without the empty word of a file that
    had none."""
    return tuple(kind for kind in json.loads(kinds) if kind)
