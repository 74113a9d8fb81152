"""The timeline: list actions by the date they took effect or were observed, as the graph
states it, and charts of them by year and by month.

Two kinds of event, kept apart because their dates mean different things:

- actions of Federal Register rules, dated by the action's effective date, else its
  publication date, else the rule's, else only the year of the rule's Federal Register volume
  (`elkg:frYear`); an action the graph gives no date is "not recorded", never the start date
  of a listing it amends;
- changes observed between two snapshots of the list (`elkg:observedIn`), one event per
  snapshot and kind, dated by the snapshot (and the last date they were not yet seen).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.iris import local_name
from kg.site.queries import PREFIXES
from kg.store import text_rows

KINDS = ("Addition", "Amendment", "Removal")

RULE_ACTIONS = (
    PREFIXES
    + """
SELECT ?action ?kind ?rule ?effective ?published ?ruleEffective ?rulePublished ?year
       (COUNT(DISTINCT ?listing) AS ?entries) WHERE {
  VALUES ?kind { elkg:Addition elkg:Amendment elkg:Removal }
  ?action a ?kind ; elkg:madeBy ?rule .
  OPTIONAL { ?action elkg:affectsListing ?listing }
  OPTIONAL { ?action elkg:effectiveDate ?effective }
  OPTIONAL { ?action elkg:publicationDate ?published }
  OPTIONAL { ?rule elkg:effectiveDate ?ruleEffective }
  OPTIONAL { ?rule elkg:publicationDate ?rulePublished }
  OPTIONAL { ?rule elkg:frYear ?year }
}
GROUP BY ?action ?kind ?rule ?effective ?published ?ruleEffective ?rulePublished ?year"""
)

OBSERVATIONS = (
    PREFIXES
    + """
# The earliest day not yet seen: after a partial snapshot, a change to an entry it lacked
# may be older than it, and "after the earliest" is true of every change of the row.
SELECT ?snapshot ?kind (MIN(?issued) AS ?seen) (MIN(?before) AS ?notSeen)
       (COUNT(DISTINCT ?action) AS ?entries) (COUNT(DISTINCT ?renewed) AS ?renewals) WHERE {
  VALUES ?kind { elkg:Addition elkg:Amendment elkg:Removal }
  ?action a ?kind ; elkg:observedIn ?snapshot .
  ?snapshot dcterms:issued ?issued .
  OPTIONAL { ?action elkg:notObservedIn ?before }
  # A removal or an addition of a renewed order's entry (kg.sources.history.renewals).
  OPTIONAL {
    ?action elkg:affectsListing/(elkg:renews|^elkg:renews) ?other
    FILTER (?kind != elkg:Amendment)
    BIND (?action AS ?renewed)
  }
}
GROUP BY ?snapshot ?kind"""
)

#: Rules the entries cite that the graph states no action of, by the year of their Federal
#: Register volume: the lists give an entry's citations, not what each rule did to it.
CITED_RULES = (
    PREFIXES
    + """
SELECT ?year (COUNT(DISTINCT ?rule) AS ?rules) (COUNT(DISTINCT ?entry) AS ?entries) WHERE {
  ?entry elkg:citesInstrument ?rule .
  OPTIONAL { ?rule elkg:frYear ?year }
  FILTER NOT EXISTS { ?action elkg:madeBy ?rule }
}
GROUP BY ?year"""
)

#: What a date on the timeline is, in words.
BASES = {
    "effective": "effective",
    "published": "published",
    "year": "year of the Federal Register volume",
    "observed": "observed in a snapshot",
    "none": "date not recorded",
}


@dataclass(frozen=True, order=True, kw_only=True)
class Event:
    date: str  # a day, a year only ("2020", basis "year"), or "" (not recorded)
    kind: str  # Addition, Amendment or Removal
    iri: str  # the action, or the snapshot that showed the changes
    basis: str  # a key of BASES
    rule: str = ""  # the rule that made the action; "" for observed changes
    listings: int = 0  # entries affected
    not_seen: str = ""  # observed changes: the last date they were not yet seen
    #: Observed removals and additions of a renewed order's entries, among `listings`.
    renewals: int = 0

    @property
    def observed(self) -> bool:
        return self.basis == "observed"

    @property
    def says(self) -> str:
        return BASES[self.basis]


def events(store: ox.Store) -> list[Event]:
    """Every dated or undated rule action and every snapshot's observed changes, oldest first;
    undated actions first of all (they are not the latest); an action dated only by its year
    after the dated ones of that year, as entity histories place it (kg.site.pages)."""
    return sorted([*rule_actions(store), *observations(store)], key=_in_time)


LATEST_START = (
    PREFIXES
    + """
SELECT ?start ?list WHERE { ?listing elkg:startDate ?start ; elkg:onList ?list }
ORDER BY DESC(?start) ?list LIMIT 1"""
)


def latest_start(store: ox.Store) -> tuple[str, str] | None:
    """The latest start date any entry has, and its list: a start date alone is no action
    (actions come from rules and snapshots), so the latest actions may stop before it."""
    found = text_rows(store, LATEST_START)
    return (found[0]["start"], found[0]["list"]) if found else None


def _in_time(event: Event) -> tuple[str, bool, Event]:
    return (event.date[:4], len(event.date) == 4, event)


def rule_actions(store: ox.Store) -> list[Event]:
    found: dict[str, Event] = {}
    for v in text_rows(store, RULE_ACTIONS):
        date, basis = _dating(v)
        event = Event(
            date=date,
            kind=local_name(v["kind"]),
            iri=v["action"],
            basis=basis,
            rule=v["rule"],
            listings=int(v.get("entries", "0")),
        )
        # Two dates stated for one action: the earlier, so the page does not depend on order.
        if event.iri not in found or _when(event) < _when(found[event.iri]):
            found[event.iri] = event
    return list(found.values())


def _dating(v: dict[str, str]) -> tuple[str, str]:
    for name, basis in (
        ("effective", "effective"),
        ("published", "published"),
        ("ruleEffective", "effective"),
        ("rulePublished", "published"),
        ("year", "year"),
    ):
        if name in v:
            return v[name], basis
    return "", "none"


def _when(event: Event) -> tuple[str, str]:
    return (event.date or "9999", event.basis)


def observations(store: ox.Store) -> list[Event]:
    return [
        Event(
            date=v["seen"],
            kind=local_name(v["kind"]),
            iri=v["snapshot"],
            basis="observed",
            listings=int(v["entries"]),
            not_seen=v.get("notSeen", ""),
            renewals=int(v.get("renewals", "0")),
        )
        for v in text_rows(store, OBSERVATIONS)
    ]


@dataclass(frozen=True, kw_only=True)
class Period:
    """One bar of a chart: a year ("2020") or a month ("2020-07"), entries by kind."""

    label: str
    counts: tuple[int, ...]  # in the order of KINDS
    #: In the order of KINDS, where a kind of change is not counted in the period (a partial
    #: snapshot shows no removal), why; and whether the period had no snapshot at all.
    uncounted: tuple[str, ...] = ()
    unobserved: bool = False
    #: In the order of KINDS, how many of the counts are a renewed order's removal or
    #: addition (`Event.renewals`): the list took an entry off and a later one on.
    renewals: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts)


def periods(events: Iterable[Event], width: int, observed: bool) -> list[Period]:
    """Entries per year (width 4) or month (width 7), every period between the first and the
    last shown, empty ones too, so that the chart's spacing is time."""
    counts: dict[str, list[int]] = {}
    renewals: dict[str, list[int]] = {}
    for event in events:
        if event.observed != observed or len(event.date) < width:
            continue
        label, kind = event.date[:width], KINDS.index(event.kind)
        counts.setdefault(label, [0] * len(KINDS))[kind] += event.listings
        renewals.setdefault(label, [0] * len(KINDS))[kind] += event.renewals
    if not counts:
        return []
    none = [0] * len(KINDS)
    return [
        Period(
            label=label,
            counts=tuple(counts.get(label, none)),
            renewals=tuple(renewals.get(label, none)),
        )
        for label in _span(min(counts), max(counts))
    ]


def _span(first: str, last: str) -> list[str]:
    """Every year or month from first to last.

    >>> _span("2019-11", "2020-02")
    ['2019-11', '2019-12', '2020-01', '2020-02']
    >>> _span("2019", "2021")
    ['2019', '2020', '2021']
    """
    if len(first) == 4:
        return [str(year) for year in range(int(first), int(last) + 1)]
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True, order=True, kw_only=True)
class CitedYear:
    year: str  # "" where the rule's year is not recorded
    rules: int
    entries: int


def cited_rules(store: ox.Store) -> list[CitedYear]:
    """The rules cited without a recorded action, per year: a table on the timeline, never
    bars of additions, which would say what the sources do not."""
    return sorted(
        CitedYear(year=v.get("year", ""), rules=int(v["rules"]), entries=int(v["entries"]))
        for v in text_rows(store, CITED_RULES)
    )
