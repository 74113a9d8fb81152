"""Federal Register documents whose page and day cannot both be right, in a graph of ours.

The Federal Register numbers its pages in the order it prints them through the year, so a
later page is never of an earlier day. The lists print "84 F.R. 437789 8/22/2019", a page
after every page of that autumn, and "86 F.R. 29540 5/27/2021", after 86 FR 29236 of
2021-06-01: a reader following such a citation opens another document. The build records,
in graph/citation-order, each document the lists date out of order with those it disagrees
with (`elkg:outOfOrderWith`), and the document of its day one digit from its page that its
citation likely misprints (`elkg:likelyMisprintOf`), with the method in the provenance
graph (kg.citations.out_of_order says how the one to blame is chosen).
"""

import logging
from collections import defaultdict

import pyoxigraph as ox

from kg import iris
from kg.citations import Dated, misprint_of, out_of_order
from kg.graph import generated
from kg.graph.identity import source_documents
from kg.store import select, value
from kg.vocab import ELKG, named, sparql_prefixes

log = logging.getLogger(__name__)

CITATION_ORDER_GRAPH = "citation-order"
ACTIVITY = "id/activity/citation-order"
METHOD = (
    "The Federal Register numbers its pages in the order it prints them through the year, "
    "so a later page of a volume is never of an earlier day. Of the documents of a volume "
    "whose page and day of publication the sources state, the one whose page and day "
    "disagree with the most others is taken out, then the next, until the rest agree; of "
    "those that disagree alike, one whose page is one digit from a page of its own day is "
    "taken first, and two that disagree only with each other are both taken. Each taken "
    "document is elkg:outOfOrderWith those it disagrees with, and elkg:likelyMisprintOf the "
    "document of its day one digit from its page, where there is one. No Federal Register "
    "volume reaches a six-digit page."
)
#: The documents whose graphs date a Federal Register document: what the check read (the
#: curation and the article were named too: trial 53a).
DATING_DOCUMENTS = (
    sparql_prefixes("elkg", "prov")
    + """
SELECT DISTINCT ?document WHERE {
  { GRAPH ?graph { ?dated elkg:frPage ?page } }
  UNION { GRAPH ?graph { ?dated elkg:publicationDate ?day } ?dated elkg:frPage ?paged }
  ?graph a elkg:SourceGraph ; prov:wasDerivedFrom ?document .
}"""
)
DATED_PAGES = (
    sparql_prefixes("elkg")
    + """
SELECT DISTINCT ?document ?volume ?page ?day WHERE {
  ?document elkg:frVolume ?volume ; elkg:frPage ?page ; elkg:publicationDate ?day .
}"""
)


def dated_pages(store: ox.Store) -> dict[str, list[Dated]]:
    """Volume -> its documents with a page and a day, sorted."""
    volumes: dict[str, list[Dated]] = defaultdict(list)
    for row in select(store, DATED_PAGES):
        page = value(row["page"])
        if page.isdigit():
            volumes[value(row["volume"])].append(
                (int(page), value(row["day"]), value(row["document"]))
            )
    return {volume: sorted(documents) for volume, documents in sorted(volumes.items())}


def out_of_order_quads(volumes: dict[str, list[Dated]], graph: ox.NamedNode) -> list[ox.Quad]:
    """Each document dated out of order, with those it disagrees with and what it likely
    misprints."""
    quads = []
    for documents in volumes.values():
        by_iri = {one[2]: one for one in documents}
        for iri, others in sorted(out_of_order(documents).items()):
            document = ox.NamedNode(iri)
            quads += [
                ox.Quad(document, named(ELKG.outOfOrderWith), ox.NamedNode(other[2]), graph)
                for other in others
            ]
            if meant := misprint_of(by_iri[iri], documents):
                quads.append(
                    ox.Quad(document, named(ELKG.likelyMisprintOf), ox.NamedNode(meant[2]), graph)
                )
    return quads


def add_citation_order(store: ox.Store, base: str) -> int:
    """Record the documents dated out of order in graph/citation-order, described in the
    provenance graph; return how many."""
    graph = ox.NamedNode(iris.graph(CITATION_ORDER_GRAPH, base))
    quads = out_of_order_quads(dated_pages(store), graph)
    if not quads:
        return 0  # every page agrees with its day: no graph to describe
    store.bulk_extend(quads)
    store.bulk_extend(
        generated.described(
            {graph: "Federal Register documents the lists date out of order, found by us"},
            activity=ox.NamedNode(f"{base}{ACTIVITY}"),
            label="Checking the Federal Register's page order against the days the lists print",
            method=METHOD,
            used=source_documents(store, DATING_DOCUMENTS),
            base=base,
        )
    )
    found = len({quad.subject for quad in quads})
    log.info("%d Federal Register documents dated out of order", found)
    return found
