"""The site's "as of" page: every list as it stood on a chosen day, by the rule of kg.in_force.

A static site runs no query, so the rule is applied at build time to each entry's dates (by
kg.graph.census, which also counts each list day by day for the graph), and what the browser
needs is written beside the page:

- `as-of/counts.json`: per list, the days its count changes and by how much (an entry adds
  one on the first day it is in force and takes it back on the first day it is not), so the
  count on any day is a sum;
- `as-of/<list>.json`: per list, its entries with their window (from, until, and whether
  "from" is a start date or the first observation), and the entries to review on the days
  they may have been in force beyond their dates, and why (kg.in_force.review_span), fetched
  only when the list is chosen. Each row names its party's page, by which the browser
  counts parties beside entries.

Without script the page shows each list's count on the release date, computed here.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.graph import census
from kg.graph.census import Entry
from kg.in_force import UNDATED
from kg.iris import local_name
from kg.site.render import site_path
from kg.store import text_rows
from kg.vocab import sparql_prefixes

FOLDER = "as-of/"

#: The list snapshots the build read, oldest first: what the counts can tell of each day.
SNAPSHOTS = (
    sparql_prefixes("elkg", "dcterms")
    + """SELECT ?snapshot ?issued ?complete WHERE {
  ?snapshot a elkg:ListSnapshot ; dcterms:issued ?issued .
  OPTIONAL { ?snapshot elkg:completeSnapshot ?complete }
} ORDER BY ?issued ?snapshot"""
)


@dataclass(frozen=True, kw_only=True)
class Read:
    """A snapshot the counts rest on: its IRI, date, and whether it holds the whole list."""

    iri: str
    issued: str
    complete: bool


def snapshots_read(store: ox.Store) -> list[Read]:
    return [
        Read(iri=row["snapshot"], issued=row["issued"], complete=row.get("complete") != "false")
        for row in text_rows(store, SNAPSHOTS)
    ]


@dataclass(frozen=True, kw_only=True)
class ListView:
    iri: str
    name: str
    slug: str
    entries: tuple[Entry, ...]
    listings: tuple[str, ...] = ()  # the entries' IRIs, in their order

    def count_on(self, day: str) -> int:
        return sum(entry.window.in_force(day) for entry in self.entries)

    def steps(self) -> list[tuple[str, int]]:
        """(day, change in the count) wherever the count changes, oldest first."""
        entries, _ = census.changes([entry.window for entry in self.entries])
        return sorted((day, n) for day, n in entries.items() if n)


def gather(store: ox.Store, label: Callable[[str], str]) -> list[ListView]:
    """Every list with the window of each of its entries, named by `label` (IRI -> name)."""
    return sorted(
        (
            ListView(
                iri=iri,
                name=label(iri),
                slug=local_name(iri),
                entries=tuple(entries[key] for key in sorted(entries)),
                listings=tuple(sorted(entries)),
            )
            for iri, entries in census.entries(store).items()
        ),
        key=lambda view: view.name,
    )


#: The days an entry not in force by its dates may have been, and why (Facts.review_spans).
Spans = Callable[[str], list[tuple[str, str, str]]]


def files(
    views: list[ListView], label: Callable[[str], str], base: str, spans: Spans
) -> dict[str, str]:
    """The page's data: counts.json, and one file of entries per list (relative names), each
    with the entries to review on the days they may have been in force (`spans`)."""
    counts = {
        "lists": [
            {"file": f"{view.slug}.json", "name": view.name, "steps": view.steps()}
            for view in views
        ],
        "undated": UNDATED,
    }
    found = {"counts.json": _json(counts)}
    for view in views:
        rows = sorted(
            (
                [
                    _page(entry, base),
                    label(entry.entity),
                    entry.window.since,
                    int(entry.window.observed_since),
                    entry.window.until or "",
                ]
                for entry in view.entries
                if entry.window.since is not None
            ),
            key=lambda row: (str(row[1]).casefold(), row),
        )
        review = sorted(
            (
                # The entry's page, which says its renewals with links (trial 50c), and the
                # party's, by which the page counts parties (one order printed twice: 50c).
                [site_path(listing, base) or "", label(entry.entity), *span, _page(entry, base)]
                for listing, entry in zip(view.listings, view.entries, strict=True)
                for span in spans(listing)
            ),
            key=lambda row: (str(row[1]).casefold(), row),
        )
        found[f"{view.slug}.json"] = _json({"name": view.name, "entries": rows, "review": review})
    return found


def _page(entry: Entry, base: str) -> str:
    return site_path(entry.entity, base) or ""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
