"""Pages at the addresses of IRIs an earlier release published and this one replaced.

Each replaced IRI (`dcterms:isReplacedBy`, see kg.graph.redirects) gets, at its old path, a
page that refreshes to its replacement at once, names it as canonical, and links it (and any
other replacement), so that old links and bookmarks keep working on a static host with no
server-side redirects. The Linked Data server answers the same IRIs with a 301.
"""

from dataclasses import dataclass

import pyoxigraph as ox

from kg.site.render import site_path
from kg.store import select, value
from kg.vocab import sparql_prefixes

REPLACED = (
    sparql_prefixes("dcterms")
    + """
SELECT ?old ?new WHERE { ?old dcterms:isReplacedBy ?new }"""
)


@dataclass(frozen=True)
class Target:
    iri: str
    path: str
    label: str


def replaced(store: ox.Store) -> dict[str, list[str]]:
    """Old IRI -> its replacements, sorted (the first is where the page refreshes to)."""
    found: dict[str, set[str]] = {}
    for row in select(store, REPLACED):
        found.setdefault(value(row["old"]), set()).add(value(row["new"]))
    return {old: sorted(news) for old, news in sorted(found.items())}


def targets(news: list[str], base: str, label: dict[str, str]) -> list[Target]:
    return [Target(new, site_path(new, base) or "", label.get(new, new)) for new in news]
