"""What changed between snapshots of the list: additions, removals, amendments.

An entry is one (list, entity, start date), the same key the listing IRIs are minted from,
so an entry keeps its identity from one snapshot to the next although the CSL record ids do
not. Two kinds of time are kept apart: a change is observed in the newer snapshot and not in
the older one; the day a rule took legal effect is only known where the rule is.

A snapshot is complete (the whole list on that day) or partial (a sample, a subset). What an
entry's absence means depends on it: missing from a complete snapshot, the entry was removed;
missing from a partial one, nothing follows. So removals come only from complete snapshots,
and an addition is claimed only against a complete snapshot that did not hold the entry. An
entry renamed is one entry: in a complete snapshot by the rule of `renamed`, in a partial one
only where its name's words are the same in another order (`reordered`). So is an entry
whose start date the list corrected (`redated`), in either.
"""

import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import KW_ONLY, dataclass, field, replace

import pyoxigraph as ox

from kg import iris
from kg.citations import read_citations
from kg.errors import SourceError
from kg.match import countries
from kg.sources.csl import (
    KINDS,
    LISTS,
    SPLIT_TEXT,
    UNKNOWN_KIND,
    iso_date,
    list_iri,
    list_name,
    list_title,
    named_tail,
    read_snapshot,
)
from kg.sources.csl_columns import COLUMN_PROPERTIES
from kg.sources.csl_read import Row
from kg.sources.namesakes import Namesakes
from kg.vocab import DCTERMS, ELKG, RDF, RDFS, SCHEMA, XSD, named

log = logging.getLogger(__name__)

ENTITY_TYPES = {
    folder: tuple(t for t in types if t is not None)
    for folder, *types in [*KINDS.values(), UNKNOWN_KIND]
}

# Columns that are not facts about the entry: record ids change with every download, and
# the list's own pages (its URL and its information page) moved for whole lists at once
# (2,335 of the 3,810 "amendments" from 2022 to 2023 were only those links).
IGNORED = {"_id", "source_list_url", "source_information_url"}
#: Columns of several values separated by ";", published as one value each (kg.sources.csl).
MULTI_VALUED = {*SPLIT_TEXT, "alt_names", "addresses", "programs"}
#: Citations of the Federal Register, separated by "," or ";" (kg.citations).
CITATIONS = "federal_register_notice"
#: Columns of names, matched as their words in any order and any case.
NAMES = {"name", "alt_names"}
#: What strptime's "%d %b %Y" could read, and more (a month's name in any locale): a cheap
#: first test, so that only a part that may be a date is parsed.
_DAY = re.compile(r"\d{1,2}\s+\S+\s+\d{4}$")


@dataclass(frozen=True, order=True)
class Key:
    list: str
    entity: str
    start: str

    def describe(self) -> str:
        return f"{self.list}: {self.entity}{f' (from {self.start})' if self.start else ''}"


@dataclass(frozen=True)
class Difference:
    """One column of an amended entry: the values the older snapshot showed and the newer
    does not (`removed`), and those the newer shows instead (`added`), each sorted. Values
    as the snapshots are compared (`values`): a multi-valued column's parts one by one."""

    column: str
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    kind: str  # "Addition", "Removal", "Amendment"
    key: Key
    _: KW_ONLY
    differences: tuple[Difference, ...] = ()  # an amendment's, by column
    name: str = ""  # the published name, so that a removed entry is still named
    since: dt.date | None = None  # the last snapshot known not to show the change yet
    #: A rename or a corrected start date: the entry as keyed before.
    renamed: Key | None = None
    previous_name: str = ""  # a rename's earlier name
    #: The other entry of a renewal (`renewals`): a removal's, the later entry that renews
    #: it; an addition's, the earlier entry it renews.
    renewal: Key | None = None
    #: Whether the entry's rows gave its kind (the `type` column): a removed entry's kind is
    #: stated from its IRI's folder only then (`_removed_entity_types`).
    typed: bool = True

    @property
    def fields(self) -> tuple[str, ...]:
        """The columns an amendment changed."""
        return tuple(difference.column for difference in self.differences)


Entry = dict[str, frozenset[str]]
_NONE: frozenset[str] = frozenset()


def key_of(row: Row, namesakes: Namesakes | None = None) -> Key | None:
    """The entry a row belongs to; None for a row on no known list or without a name.
    `namesakes` has read the row's snapshot: an entity is told apart from another of the
    same name as the IRIs are (none: every entity is the first of its name)."""
    f = row.fields
    if f["source"] not in LISTS or not f["name"].strip():
        return None
    listed = LISTS[f["source"]]
    namesakes = Namesakes() if namesakes is None else namesakes  # none read: each the first
    entity = named_tail(f, namesakes)
    entity += namesakes.number_suffix(listed, entity, f["entity_number"].strip())
    # A start that is no date is none, as the listing's IRI has it ("undated").
    start = iso_date(f["start_date"].strip()) or ""
    return Key(listed, entity, start)


def entries(
    rows: list[Row], namesakes: Namesakes | None = None, counts: Counter[Key] | None = None
) -> dict[Key, Entry]:
    """Every entry of a snapshot, with the values of each column over the rows it merges.
    `namesakes` takes in the snapshot's persons first: one Namesakes is given every snapshot
    of a history, oldest first, and tells namesakes apart as the mapping will (none: the
    snapshot's own, as if it were the first).

    Equal sets of values are one object: of the whole 2022 CSL's 397,000, 250,000 are empty
    and most others repeat (a list, a programme, a country); held apart they took 149 MiB,
    for each snapshot an ingest compares.
    """
    namesakes = Namesakes() if namesakes is None else namesakes
    read_snapshot(namesakes, rows)
    merged: dict[Key, list[Row]] = defaultdict(list)
    for row in rows:
        key = key_of(row, namesakes)
        if key is not None:
            merged[key].append(row)
    if counts is not None:  # how many rows print each entry (`Timeline.partly_shown`)
        counts.update({key: len(rows_of) for key, rows_of in merged.items()})
    shared: dict[frozenset[str], frozenset[str]] = {}
    return {key: _entry(rows_of, shared) for key, rows_of in merged.items()}


def _entry(rows: list[Row], shared: dict[frozenset[str], frozenset[str]]) -> Entry:
    entry: Entry = {}
    for column in rows[0].fields:  # every row has every column (kg.sources.csl_read)
        if column not in IGNORED:
            found = frozenset().union(*(values(column, row.fields[column]) for row in rows))
            entry[column] = shared.setdefault(found, found)
    return entry


def values(column: str, text: str) -> set[str]:
    """The values a column's text holds, as the source writes them, spaces collapsed: a
    multi-valued column's parts as a set, so that the same parts in a new order are no
    change; any other column's whole text.

    >>> sorted(values("ids", "ZW, 1, Passport;  B, 2, Reg"))
    ['B, 2, Reg', 'ZW, 1, Passport']
    """
    text = " ".join(text.split())  # runs of spaces are no change ("600372  CN")
    if column not in MULTI_VALUED and column != CITATIONS:
        return {text} if text else set()
    separators = "[,;]" if column == CITATIONS else ";"
    return {part.strip() for part in re.split(separators, text) if part.strip()}


def _folded(column: str, value: str) -> str:
    """A value as two snapshots' values are matched: letter case is no change (the CMIC list
    went from capitals to title case), nor is the order of an address's comma-separated
    parts ("(Head Office), 9 Dongzhimen North Street, ..." for "9 Dongzhimen North Street,
    (Head Office), ..."), nor a name's words in another order, as renames are read (OFAC
    wrote "ATTOUN, Ahmad" in 2022 and "Ahmad ATTOUN" in 2023). An identifier is matched as
    its comma-separated fields, its dates read as days: the 2023 CSL writes "Passport,
    ZL042663, ZW" and "Listing Date (CMIC), 2021-06-03" for 2022's "ZW, ZL042663, Passport"
    and "03 Jun 2021, Listing Date (CMIC)" (1,169 "amendments" from 2022 to 2023 were only
    that). What is published stays as the source wrote it: this is only the comparison.

    >>> _folded("ids", "ZW, 1, Passport") == _folded("ids", "Passport, 1, ZW")
    True
    >>> _folded("ids", "03 Jun 2021, Listing Date") == _folded("ids", "Listing Date, 2021-06-03")
    True
    """
    if column in NAMES:
        return " ".join(_words(value))
    if column == "ids":
        return _identifier(value).casefold()
    folded = value.casefold()
    if column == "addresses":
        return _address(value)
    return folded


def _address(text: str) -> str:
    """An address's comma-separated parts, sorted, without empty ones and without the name
    of the country whose code ends it: the 2023 CSL writes "..., Xian, China, CN" for 2022's
    "..., Xian, CN", which made each of the Military End User List's 71 entries an amendment
    (trial 57b), and "..., Dubai, , AE" for "..., Dubai, AE".

    >>> _address("Road 1, Xian, China, CN") == _address("Road 1, Xian, CN")
    True
    >>> _address("Road 1, Xian, China, CN") == _address("Road 1, Xian, CN, China")
    False
    """
    parts = [part.strip() for part in text.split(",") if part.strip()]
    code = parts[-1] if parts and re.fullmatch(r"[A-Z]{2}", parts[-1]) else ""
    kept = [part for part in parts[:-1] if not code or countries.code(part) != code]
    kept += parts[-1:]
    return ", ".join(sorted(part.casefold() for part in kept))


def _identifier(text: str) -> str:
    """An identifier's fields, sorted, with "03 Jun 2021" written 2021-06-03."""
    return ", ".join(sorted(_day(part.strip()) for part in text.split(",")))


def _day(text: str) -> str:
    """ "03 Jun 2021" as 2021-06-03; any other text as written."""
    if not _DAY.match(text):  # most parts are no date: strptime's refusal costs 10 us each
        return text
    try:
        return dt.datetime.strptime(text, "%d %b %Y").date().isoformat()
    except ValueError:
        return text


def _country_printed(
    column: str, bare: list[str], printed: list[str]
) -> tuple[list[str], list[str]]:
    """`bare` and `printed` without the values one prints with a country code the other
    printed none for, as the column's `_WITHOUT_COUNTRY` reads it: the 2023 CSL prints
    "Registration ID, 1117746521452, RU" for 2022's "1117746521452, Registration ID"
    (ROSOBORONEKSPORT OAO's three identifiers were an amendment: trial 56b), and "P.O. Box
    3753, al-Beireh, PS" for "P.O. Box 3753, al-Beireh" (58b). A country changed (both
    print one) stays a change.

    >>> printed = ["Registration ID, 1, RU", "Passport, 2, RU"]
    >>> _country_printed("ids", ["1, Registration ID"], printed)
    ([], ['Passport, 2, RU'])
    >>> _country_printed("ids", ["ZW, 1, Passport"], ["Passport, 1, ZA"])
    (['ZW, 1, Passport'], ['Passport, 1, ZA'])
    >>> _country_printed("addresses", ["Box 3, al-Beireh"], ["Box 3, al-Beireh, PS"])
    ([], [])
    """
    without = _WITHOUT_COUNTRY[column]
    coded = {_folded(column, left): value for value in printed if (left := without(value))}
    same = {v for v in bare if not without(v) and _folded(column, v) in coded}
    dropped = {coded[_folded(column, v)] for v in same}
    return [v for v in bare if v not in same], [v for v in printed if v not in dropped]


def _without_country(text: str) -> str:
    """An identifier without the one country code among its fields; "" if it has none."""
    parts = [part.strip() for part in text.split(",")]
    codes = [part for part in parts if re.fullmatch(r"[A-Z]{2}", part)]
    return ", ".join(p for p in parts if p not in codes) if len(codes) == 1 else ""


def _without_code(text: str) -> str:
    """An address without the country code that ends it; "" if none ends it."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    coded = len(parts) > 1 and re.fullmatch(r"[A-Z]{2}", parts[-1])
    return ", ".join(parts[:-1]) if coded else ""


#: How each column that may print a country code reads a value without it.
_WITHOUT_COUNTRY: dict[str, Callable[[str], str]] = {
    "ids": _without_country,
    "addresses": _without_code,
}


def _name(entry: Entry) -> str:
    return min(entry.get("name", frozenset({""})))


def _changed(old: Entry, new: Entry, partly: bool = False) -> tuple[Difference, ...]:
    """Each column whose values differ but for what `_folded` ignores: the values of either
    snapshot that the other has in no form, as that snapshot wrote them. An entry a part of
    the list shows `partly` (fewer of its rows than before: I-ASH's 2025 sample has one of
    its two addresses) has values added, never values gone: the rows it lacks stand."""
    found = []
    for column in sorted(old.keys() | new.keys()):
        before, after = old.get(column, _NONE), new.get(column, _NONE)
        if before == after:
            continue
        was = {_folded(column, value) for value in before}
        now = {_folded(column, value) for value in after}
        if was != now:
            removed = sorted(v for v in before if _folded(column, v) not in now)
            added = sorted(v for v in after if _folded(column, v) not in was)
            if column in _WITHOUT_COUNTRY:
                removed, added = _country_printed(column, removed, added)
                added, removed = _country_printed(column, added, removed)
            if partly:
                removed = []
            if removed or added:
                found.append(Difference(column, tuple(removed), tuple(added)))
    return tuple(found)


def _merged(old: Entry, new: Entry) -> Entry:
    """Every value of either, by column."""
    return {column: old.get(column, _NONE) | new.get(column, _NONE) for column in old | new}


def _ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda change: (change.key, change.kind))


def diff(
    old: dict[Key, Entry],
    new: dict[Key, Entry],
    *,
    old_complete: bool = True,
    new_complete: bool = True,
    old_date: dt.date = dt.date.min,
    counts: tuple[Counter[Key], Counter[Key]] | None = None,
) -> list[Change]:
    """The changes from one snapshot to the next, by the rules a build reads a history by
    (`Timeline`): a partial newer snapshot removes nothing and renames only by word order; a
    partial older one is no baseline for additions. `counts`, the rows of each entry in
    each (`entries`), tell an entry a partial snapshot shows in part."""
    old_counts, new_counts = counts if counts is not None else (None, None)
    timeline = Timeline()
    timeline.apply(old, old_date, complete=old_complete, counts=old_counts)
    return timeline.compare(new, complete=new_complete, counts=new_counts)


@dataclass(frozen=True)
class Seen:
    """An entry as the last snapshot that showed it showed it."""

    date: dt.date
    entry: Entry


@dataclass
class Timeline:
    """What the snapshots read so far show: every entry not since removed, as last seen.

    Snapshots are read oldest first: `compare` gives what a snapshot shows that is new, and
    `apply` then takes the snapshot in.
    """

    known: dict[Key, Seen] = field(default_factory=dict)
    baseline: dt.date | None = None  # the last complete snapshot: what it lacked was absent
    #: The date of the first snapshot that showed each entry, kept after a removal.
    first: dict[Key, dt.date] = field(default_factory=dict)
    #: Entries a complete snapshot showed under a new name: not gone, but renamed.
    renamed_away: set[Key] = field(default_factory=set)
    #: How many rows printed each entry, where it was last shown whole.
    rows: dict[Key, int] = field(default_factory=dict)

    def compare(
        self, new: dict[Key, Entry], complete: bool, counts: Counter[Key] | None = None
    ) -> list[Change]:
        partly = self.partly_shown(complete, counts)
        changes = []
        for key, entry in new.items():
            seen = self.known.get(key)
            if seen is None and self.baseline is not None:
                changes.append(Change("Addition", key, name=_name(entry), since=self.baseline))
            elif seen is not None and (changed := _changed(seen.entry, entry, key in partly)):
                changes.append(
                    Change(
                        "Amendment", key, differences=changed, name=_name(entry), since=seen.date
                    )
                )
        # Only the whole list's silence says that an entry is gone; a part of the list shows
        # an entry renamed only where its name's words are the same, in another order.
        unseen = {key: seen for key, seen in self.known.items() if key not in new}
        fresh = {key: entry for key, entry in new.items() if key not in self.known}
        earlier = {key: seen.entry for key, seen in unseen.items()}
        renames = renamed(earlier, fresh) if complete else reordered(earlier, fresh)
        renames |= redated(
            {k: e for k, e in earlier.items() if k not in renames},
            {k: e for k, e in fresh.items() if k not in renames.values()},
        )
        changes = [c for c in changes if not (c.kind == "Addition" and c.key in renames.values())]
        changes += [
            _rename(was, unseen[was].entry, key, new[key], unseen[was].date)
            for was, key in renames.items()
        ]
        renewed = renewals(
            {k: e for k, e in earlier.items() if k not in renames},
            {k: e for k, e in fresh.items() if k not in renames.values()},
        )
        later = {key: was for was, key in renewed.items()}
        changes = [
            replace(c, renewal=later[c.key]) if c.kind == "Addition" and c.key in later else c
            for c in changes
        ]
        if complete:
            changes += [
                Change(
                    "Removal",
                    key,
                    name=_name(seen.entry),
                    since=seen.date,
                    renewal=renewed.get(key),
                    typed=bool(seen.entry.get("type")),
                )
                for key, seen in unseen.items()
                if key not in renames
            ]
        return _ordered(changes)

    def partly_shown(self, complete: bool, counts: Counter[Key] | None) -> set[Key]:
        """The entries a partial snapshot prints in fewer rows than the last one that showed
        them (`counts`: its rows of each entry): a sample of rows may hold one of an entry's
        rows, which says nothing of the others."""
        if complete or counts is None:
            return set()
        return {key for key, rows in counts.items() if key in self.known and rows < self.rows[key]}

    def apply(
        self,
        new: dict[Key, Entry],
        date: dt.date,
        complete: bool,
        renamed: Mapping[Key, Key] | None = None,
        counts: Counter[Key] | None = None,
    ) -> None:
        """Take the snapshot in. `renamed` (new key -> earlier key, from `compare`'s
        changes): a renamed entry was first seen when its earlier name was. An entry shown
        partly (`partly_shown`) keeps what was known of it, with what the snapshot adds."""
        partly = self.partly_shown(complete, counts)
        if complete:
            self.known = {key: seen for key, seen in self.known.items() if key in new}
            self.baseline = date
        renamed = renamed or {}
        for earlier in renamed.values():  # a part of the list does not drop what it lacks
            self.known.pop(earlier, None)
        for key, entry in new.items():
            if key in partly:
                self.known[key] = Seen(date, _merged(self.known[key].entry, entry))
            else:
                self.known[key] = Seen(date, entry)
                if counts is not None:
                    self.rows[key] = counts[key]
            was = renamed.get(key)
            self.first.setdefault(key, self.first.get(was, date) if was else date)
        self.renamed_away |= set(renamed.values())

    def entries_by_list(self) -> Counter[str]:
        return Counter(key.list for key in self.known)


#: A complete snapshot may remove at most this share of a list's entries known before it ...
MAX_SHRINK = 0.2
#: ... once it removes this many: a list of three that loses one has not been cut short.
MIN_SHRINK = 5
#: More additions than this share of a list's entries in the newer snapshot say that the
#: older one, read as complete, held only a part of the list (a warning: lists grow).
MAX_GROWTH = 0.5


def check_shrink(
    changes: list[Change], known: Counter[str], *, name: str, where: str, share: float = MAX_SHRINK
) -> None:
    """Refuse a snapshot read as complete whose changes remove more than `share` of a list it
    `known` (and at least MIN_SHRINK entries): it is more likely cut short, or a part of the
    list, than true (kg build and kg diff alike)."""
    over = _too_many("Removal", known, changes, share)
    if over:
        raise SourceError(
            f"{name} is read as complete but would remove {'; '.join(over)}: more than "
            f"{share:.0%} of a list",
            where=where,
            hint="if the file is a sample or a subset, mark it partial (PATH@DATE:partial, or "
            "complete = false in its source.toml): it then removes nothing; if the list really "
            "shrank, accept it (PATH@DATE:accept-shrink, or accept_shrink = true)",
        )


def warn_growth(changes: list[Change], shown: Counter[str], *, name: str) -> None:
    """Warn of a snapshot whose changes add more than MAX_GROWTH of a list it `shown`: the
    snapshot they are judged against, read as complete, likely held only a part of it. Not
    refused, since a list may also grow so over years."""
    grown = _too_many("Addition", shown, changes, MAX_GROWTH)
    if grown:
        log.warning(
            "%s adds %s: if an earlier snapshot read as complete is a sample or a subset, mark "
            "it partial: write it FILE@DATE:partial, or complete = false in its source.toml",
            name,
            "; ".join(grown),
        )


def _too_many(kind: str, known: Counter[str], changes: list[Change], share: float) -> list[str]:
    """The lists with more changes of `kind` than `share` of their `known` entries (and at
    least MIN_SHRINK), in words."""
    found = Counter(change.key.list for change in changes if change.kind == kind)
    return [
        f"{count} of the {known[abbreviation]} entries of the {list_title(list_name(abbreviation))}"
        f" ({abbreviation}, {count / known[abbreviation]:.0%})"
        for abbreviation, count in sorted(found.items())
        if count >= MIN_SHRINK and count > share * known[abbreviation]
    ]


def describe(changes: list[Change]) -> str:
    """The changes for people: one line each, grouped by kind; under an amendment, each
    value a column lost (-) and gained (+)."""
    lines = []
    for kind in ("Addition", "Removal", "Amendment"):
        these = [c for c in changes if c.kind == kind]
        lines.append(f"{len(these)} {kind.lower()}s")
        for c in these:
            lines.append(
                f"  {'+-~'[('Addition', 'Removal', 'Amendment').index(kind)]} {c.key.describe()}"
                + (f"  [{', '.join(c.fields)}]" if c.fields else "")
                + (f"  (renamed: was {c.previous_name})" if c.previous_name else "")
            )
            for d in c.differences:
                lines += [f"      {d.column} - {value}" for value in d.removed]
                lines += [f"      {d.column} + {value}" for value in d.added]
    return "\n".join(lines)


def listing_iri(key: Key, base: str) -> str:
    """The IRI of the listing an entry is (the one kg.sources.csl mints for its rows)."""
    return iris.listing(
        list_iri(key.list, base).rsplit("/", 1)[1],
        key.entity.rsplit("/", 1)[1],
        key.start or "undated",
        base,
    )


Stated = list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]]


def changes_graph(
    changes: list[Change],
    old_date: dt.date,
    new_snapshot: str,
    base: str,
    listed: Collection[str] = (),
) -> set[ox.Triple]:
    """The changes as list actions, each observed in the newer snapshot and not in the older
    (`old_date`, or the change's own `since`).

    `listed`: the entities (Key.entity) the newer snapshot lists. A renamed entry's earlier
    entity among them is still listed (on another list, or from another start date), so it
    is not replaced by the new one; its earlier listing is."""
    stated: Stated = []
    for change in changes:
        stated += _action(change, old_date, new_snapshot, base, listed)
    return {ox.Triple(s, named(p), o) for s, p, o in stated}


def _action(
    change: Change, old_date: dt.date, new_snapshot: str, base: str, listed: Collection[str]
) -> Stated:
    """One change as a list action, with the listing, entity and list it is about."""
    entity = ox.NamedNode(f"{base}id/{change.key.entity}")
    screening_list = ox.NamedNode(list_iri(change.key.list, base))
    listing = ox.NamedNode(listing_iri(change.key, base))
    action = ox.NamedNode(
        f"{listing.value}/{change.kind.lower()}-observed-{new_snapshot.rsplit('/', 1)[1]}"
    )
    # By the name the list gives, as feed readers show it: the key's slug read
    # "Removal observed: DPL: org/al-naser-wings-airlines (from 2019-06-05)" (trial 39).
    start = f", from {change.key.start}" if change.key.start else ""
    label = f"{change.kind} observed: {change.name or change.key.entity} ({change.key.list}{start})"
    since = change.since or old_date  # the snapshot before, unless the change says
    name = ox.Literal(change.name)
    stated: Stated = [
        (action, RDF.type, named(ELKG[change.kind])),
        (action, RDFS.label, ox.Literal(label, language="en")),
        (action, ELKG.affectsListing, listing),
        (action, ELKG.observedIn, ox.NamedNode(new_snapshot)),
        (action, ELKG.notObservedIn, _xsd_date(since.isoformat())),
        *((action, ELKG.changedProperty, named(COLUMN_PROPERTIES[c])) for c in change.fields),
    ]
    stated += _value_changes(action, change.differences)
    if change.renamed is not None:
        if change.previous_name:
            stated.append((action, ELKG.previousName, ox.Literal(change.previous_name)))
        still = change.renamed.entity in listed
        stated += _replaced(change.renamed, listing, None if still else entity, base)
    if change.kind == "Removal":
        stated += _removed_entity_types(change, entity)
    if change.renewal is not None:
        earlier, later = (change.key, change.renewal)[:: 1 if change.kind == "Removal" else -1]
        renewing = ox.NamedNode(listing_iri(later, base))
        stated.append((renewing, ELKG.renews, ox.NamedNode(listing_iri(earlier, base))))
    title = list_title(list_name(change.key.list))
    stated += [
        (entity, ELKG.publishedName, name),
        (entity, SCHEMA.name, name),
        (screening_list, RDF.type, named(ELKG.ScreeningList)),
        (screening_list, SCHEMA.name, ox.Literal(title)),
        (listing, RDF.type, named(ELKG.Listing)),
        (listing, ELKG.listedEntity, entity),
        (listing, ELKG.onList, screening_list),
    ]
    if change.key.start:
        stated.append((listing, ELKG.startDate, _xsd_date(change.key.start)))
    return stated


def _xsd_date(iso: str) -> ox.Literal:
    return ox.Literal(iso, datatype=named(XSD.date))


def _removed_entity_types(change: Change, entity: ox.NamedNode) -> Stated:
    """A removed entry is not in the newer snapshot: its kind is stated here, from its IRI's
    folder, where its rows gave it (their own evidence) or none could be told (`party/`).
    The folder of an untyped row's entity whose kind we inferred is our inference, stated
    with its evidence in the graph of inferred kinds: stated here too, as if a list said it,
    it hid the caveat of AL NASER WINGS AIRLINES's page (trial 39). An added or amended
    entry's entity stands in the state graph, which alone states its kind: the kind is
    decided once there, also where evidence from another list settled a `party/` entity as
    a person or an organisation."""
    folder = change.key.entity.split("/", 1)[0]
    if not change.typed and folder != UNKNOWN_KIND[0]:
        return []
    return [(entity, RDF.type, named(entity_type)) for entity_type in ENTITY_TYPES[folder]]


#: How much of their names' words two entries must share to be one entry renamed, where
#: they share no name but an address or an identifier (see `renamed`).
RENAME_WORDS = 0.5


def renamed(gone: dict[Key, Entry], fresh: dict[Key, Entry]) -> dict[Key, Key]:
    """Entries that a complete snapshot no longer shows, each with the entry it shows in its
    place under another name: the same entry renamed (old key -> new key).

    The rule: the two are on the same list with the same start date, and either one's name is
    a name or alias of the other (its words in any order), or the earlier name is the newer
    one followed by an address the newer entry gives, or they share an address or an
    identifier and at least half of their names' words ("Gui'an New District Huawei
    Investment" and "Guiyan New District Huawei Investment", both at Guiyang, listed
    2019-05-21). A removed entry that two new ones match, or a new one that two removed ones
    match, is no rename: its removal and addition stand.
    """
    matches = [
        (was, key)
        for was, old in gone.items()
        for key, entry in fresh.items()
        if (was.list, was.start) == (key.list, key.start) and _same_entry(old, entry)
    ]
    return _one_to_one(matches)


def reordered(unseen: dict[Key, Entry], fresh: dict[Key, Entry]) -> dict[Key, Key]:
    """Entries a partial snapshot does not show, each with the entry it shows in its place:
    on the same list with the same start date, and the same name with its words in another
    order (old key -> new key). OFAC's lists wrote "HANIYA, Ismail Abdul Salah" in 2022 and
    "Ismail Abdul Salah HANIYA" in 2023: the same entry, where a partial snapshot's silence
    says nothing of the earlier name. Indexed, as a partial snapshot leaves most of the list
    unseen."""

    def place(key: Key, entry: Entry) -> tuple[str, str, tuple[str, ...]]:
        return key.list, key.start, _words(_name(entry))

    earlier: dict[tuple[str, str, tuple[str, ...]], list[Key]] = defaultdict(list)
    for was, old in unseen.items():
        earlier[place(was, old)].append(was)
    matches = [
        (was, key) for key, entry in fresh.items() for was in earlier.get(place(key, entry), [])
    ]
    return _one_to_one(matches)


def redated(unseen: dict[Key, Entry], fresh: dict[Key, Entry]) -> dict[Key, Key]:
    """Entries a snapshot does not show, each with the entry it shows in its place under
    a corrected start date (old key -> new key): the same list and name (its words in any
    order), the earlier entry with no end date and every rule it cited still cited, and the
    new start date earlier, or the old one none (no start, or one that is no date). The
    Entity List wrote "0097-06-30" for VNIIEF and VNIITF in 2022 and "1997-06-30" in 2023,
    and moved BUAA's start from 2005-09-16 (its second rule) to 2001-05-14 (its first).
    A renewed denial order is no correction: the earlier order had ended, and the new one
    starts later.

    >>> rules = frozenset({"62 FR 35334"})
    >>> old = {Key("EL", "org/vniief", ""): {"name": frozenset({"VNIIEF"}),
    ...        "federal_register_notice": rules}}
    >>> new = {Key("EL", "org/vniief", "1997-06-30"): {"name": frozenset({"VNIIEF"}),
    ...        "federal_register_notice": rules | {"88 FR 1"}}}
    >>> list(redated(old, new).values())
    [Key(list='EL', entity='org/vniief', start='1997-06-30')]
    """
    return _in_place(unseen, fresh, lambda key, entry: _words(_name(entry)), False, _corrected)


def renewals(unseen: dict[Key, Entry], fresh: dict[Key, Entry]) -> dict[Key, Key]:
    """Entries a snapshot does not show, each with the later entry it shows of the same
    party on the same list that renews it (old key -> new key): the earlier entry had an
    end date, the new one starts after it began and cites every rule it cited. The DPL
    writes each renewal of a temporary denial order as a new entry, AL NASER WINGS
    AIRLINES's of 2019-06-05 "until 2019-12-03", then of 2021-11-17, then of 2023-10-31: read
    as a removal and an addition, the History said the party was taken off (trial 36).

    >>> rules = frozenset({"84 FR 27233"})
    >>> old = {Key("DPL", "org/al-naser", "2019-06-05"): {"end_date": frozenset({"2019-12-03"}),
    ...        "federal_register_notice": rules}}
    >>> new = {Key("DPL", "org/al-naser", "2021-11-17"): {"end_date": frozenset({"2022-05-16"}),
    ...        "federal_register_notice": rules | {"86 FR 66277"}}}
    >>> list(renewals(old, new).values())
    [Key(list='DPL', entity='org/al-naser', start='2021-11-17')]
    >>> renewals(new, old)  # not an earlier entry
    {}
    """
    return _in_place(unseen, fresh, lambda key, entry: key.entity, True, _later)


def _in_place(
    unseen: dict[Key, Entry],
    fresh: dict[Key, Entry],
    party: Callable[[Key, Entry], Hashable],
    ended: bool,
    follows: Callable[[str, str], bool],
) -> dict[Key, Key]:
    """Entries a snapshot does not show, each with the one entry it shows in its place (old
    key -> new key): on the same list, of the same `party`, the earlier entry with an end
    date or without (`ended`), the new one's start as `follows` the earlier's, and every rule
    the earlier cited still cited."""
    earlier: dict[tuple[str, Hashable], list[Key]] = defaultdict(list)
    for was, old in unseen.items():
        if bool(old.get("end_date")) == ended:
            earlier[was.list, party(was, old)].append(was)
    matches = [
        (was, key)
        for key, entry in fresh.items()
        for was in earlier.get((key.list, party(key, entry)), [])
        if follows(was.start, key.start) and _cited(unseen[was]) <= _cited(entry)
    ]
    return _one_to_one(matches)


def _later(old: str, new: str) -> bool:
    """Whether a start date follows another, both given: a renewal's."""
    return bool(old) and new > old


def _corrected(old: str, new: str) -> bool:
    """Whether a start date moved as a correction does: earlier, or from none (no start
    given, or one that is no date)."""
    return bool(new) and old != new and (not old or new < old)


def _cited(entry: Entry) -> frozenset[tuple[int, int | None] | str]:
    """The rules an entry cites, as volume and page, read as the build reads citations
    (kg.citations): "66 FR 24266 (5/14/01)" is "66 FR 24266"; a part that is no
    citation stands as its text."""
    found: set[tuple[int, int | None] | str] = set()
    for part in entry.get(CITATIONS, _NONE):
        reading = read_citations(part)
        found.update((citation.volume, citation.page) for citation in reading.citations)
        found.update(" ".join(damaged.casefold().split()) for damaged in reading.damaged)
    return frozenset(found)


def _one_to_one(matches: list[tuple[Key, Key]]) -> dict[Key, Key]:
    """The matches of one earlier entry and one new one: an earlier entry that two new ones
    match, or a new one that two earlier ones match, is no rename."""
    olds = Counter(was for was, _ in matches)
    news = Counter(key for _, key in matches)
    return {was: key for was, key in matches if olds[was] == 1 and news[key] == 1}


def _words(name: str) -> tuple[str, ...]:
    """A name's words in the alphabet's order: one name however its words are ordered."""
    return tuple(sorted(iris.slug(name).split("-")))


def _same_entry(old: Entry, new: Entry) -> bool:
    def names(entry: Entry) -> set[tuple[str, ...]]:
        return {_words(n) for n in entry.get("name", set()) | entry.get("alt_names", set())}

    if names(old) & names(new) or _address_moved_out(_name(old), new):
        return True
    addresses = old.get("addresses", _NONE) & new.get("addresses", _NONE)
    shared = bool(addresses) or bool(_identifiers(old) & _identifiers(new))
    return shared and _word_overlap(_name(old), _name(new)) >= RENAME_WORDS


def _identifiers(entry: Entry) -> set[str]:
    return {_folded("ids", value) for value in entry.get("ids", _NONE)}


def _address_moved_out(old_name: str, new: Entry) -> bool:
    """Whether the list moved an address out of the name: the earlier name is the newer one,
    a comma, and an address the newer entry gives ("Gucheng Xian Fengxin Titanium Alloy,
    Xiyuan Industrial District, ..., China 253800" in 2019; in 2022 that name without the
    address, which is now its address).

    >>> acme = {"name": frozenset({"Acme"}), "addresses": frozenset({"1 Road, Town, CN"})}
    >>> _address_moved_out("Acme, 1 Road, Town", acme), _address_moved_out("Acme, Beta", acme)
    (True, False)
    """
    new_name = _name(new)
    if not new_name or not old_name.startswith(f"{new_name},"):
        return False
    moved = " ".join(old_name[len(new_name) + 1 :].split())
    return bool(moved) and any(moved in address for address in new.get("addresses", ()))


def _word_overlap(first: str, second: str) -> float:
    a, b = set(iris.slug(first).split("-")), set(iris.slug(second).split("-"))
    return len(a & b) / len(a | b) if a | b else 0.0


def _rename(was: Key, old: Entry, key: Key, new: Entry, since: dt.date | None) -> Change:
    earlier, name = _name(old), _name(new)
    return Change(
        "Amendment",
        key,
        differences=_changed(old, new),
        name=name,
        since=since,
        renamed=was,
        # none where only the start date was corrected (`redated`)
        previous_name=earlier if earlier != name else "",
    )


def _value_changes(action: ox.NamedNode, differences: tuple[Difference, ...]) -> Stated:
    """What an amendment changed in each column, as a part of the action's document (a hash
    IRI per column): the values no longer shown, and those shown instead."""
    stated: Stated = []
    for difference in differences:  # each removes or adds a value (`_changed`)
        change = ox.NamedNode(f"{action.value}#{difference.column}")
        stated += [
            (action, ELKG.valueChange, change),
            (change, RDF.type, named(ELKG.ValueChange)),
            (change, ELKG.changedValueOf, named(COLUMN_PROPERTIES[difference.column])),
            *((change, ELKG.valueRemoved, ox.Literal(value)) for value in difference.removed),
            *((change, ELKG.valueAdded, ox.Literal(value)) for value in difference.added),
        ]
    return stated


def _replaced(was: Key, listing: ox.NamedNode, entity: ox.NamedNode | None, base: str) -> Stated:
    """A renamed entry's earlier IRIs, minted from its earlier name (its listing and, unless
    `entity` is None because the earlier entity is still listed, its entity), are replaced
    by the new ones (dcterms:isReplacedBy): the IRIs keep resolving. kg.graph.ingest also
    drops the entity's record where the earlier entity stands in another snapshot."""
    old_listing = iris.listing(
        list_iri(was.list, base).rsplit("/", 1)[1],
        was.entity.rsplit("/", 1)[1],
        was.start or "undated",
        base,
    )
    stated: Stated = [(ox.NamedNode(old_listing), DCTERMS.isReplacedBy, listing)]
    if entity is not None:
        stated.append((ox.NamedNode(f"{base}id/{was.entity}"), DCTERMS.isReplacedBy, entity))
    return stated
