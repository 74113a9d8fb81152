"""IRIs that earlier releases published and this one replaced: each recorded with its new IRI.

Before parties' kinds were inferred from evidence (kg.sources.kinds), every CSL row without a
type, or with a type we did not know, was minted `id/org/<slug of its name>`, with the same
slug rule as today (`kg.iris.entity`; checked against the code of that time, commit ff56da5^:
`KINDS[""] = ("org", ...)` and no date-of-birth suffix outside `person/`). Such a row's party
is now either an organisation (the same IRI), a person or a party of unknown kind. So the old
IRI of a party follows from what this build records about it:

- a party typed `elkg:Party`, or the `elkg:classifiedParty` of an `elkg:KindInference` (the
  two ways an untyped row's party is recorded), under `id/person/` or `id/party/`,
- had `id/org/<slug of its published name>` (the date-of-birth suffix that keeps two persons
  of one name apart is not part of the published name, so both map to the old IRI their rows
  shared).

An old IRI is recorded only where it is no longer a party of this build, and only where it
leads to one party: an old IRI that two parties shared (one name, two dates of birth, or a
person and a party of unknown kind) is recorded as replaced by each, and the Linked Data
server answers it with the first of them (sorted) and the site's page links them all.

Later, the name rules changed: three parties whose names earlier releases read as persons'
(`EARLIER_PERSONS`, typed so from the kind inference's first release until commit 3a9e402)
are an organisation or of unknown kind; each had `id/person/<slug of its published name>`.

The record is `<old> dcterms:isReplacedBy <new>` in `graph/iri-redirects`, our inference with
PROV. Dublin Core's term says what happened to the IRI (it was superseded) without stating
that two resources are one: `owl:sameAs` is kept for identity, and in this dataset only a
curator's judgement states it (kg.graph.identity).
"""

import logging
from collections import defaultdict

import pyoxigraph as ox

from kg import iris
from kg.graph import generated
from kg.graph.identity import source_documents
from kg.store import select, value
from kg.vocab import DCTERMS, named, sparql_prefixes

log = logging.getLogger(__name__)

REDIRECTS_GRAPH = "iri-redirects"
ACTIVITY = "id/activity/iri-redirects"
RULE = (
    "Until parties' kinds were inferred from evidence, a CSL row without a type was minted "
    "id/org/<slug of its name>. A party this build records as of unknown kind (elkg:Party) "
    "or whose kind it inferred (elkg:KindInference), under id/person/ or id/party/, had "
    "that IRI in earlier releases; it is recorded as replaced (dcterms:isReplacedBy) where "
    "it names no party of this build. The parties named in EARLIER_PERSONS, which earlier "
    "releases inferred to be persons and this one does not, had id/person/<slug of its name>."
)
#: Published names of untyped parties that earlier releases inferred to be persons, wrongly:
#: an acronym in capitals on the Entity List, and two companies' names (kg.sources.kinds).
EARLIER_PERSONS = frozenset({"MPI VOLNA", "Sahab Phase", "Nouvelle Option"})

UNTYPED_PARTIES = (
    sparql_prefixes("elkg")
    + """
SELECT DISTINCT ?party ?name WHERE {
  { ?party a elkg:Party } UNION { ?inference elkg:classifiedParty ?party }
  ?party elkg:publishedName ?name .
}"""
)
TYPED = """
SELECT DISTINCT ?s WHERE { ?s a ?type . FILTER (STRSTARTS(STR(?s), PREFIX)) }"""


def replaced(store: ox.Store, base: str) -> dict[str, list[str]]:
    """Old IRI -> the IRIs of this build that replace it, sorted."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in select(store, UNTYPED_PARTIES):
        party, name = value(row["party"]), value(row["name"])
        if party.startswith((f"{base}id/person/", f"{base}id/party/")):
            found[iris.entity("org", name, base)].add(party)
        if name in EARLIER_PERSONS and not party.startswith(f"{base}id/person/"):
            found[iris.entity("person", name, base)].add(party)
    prefix = str(ox.Literal(f"{base}id/"))
    live = {value(row["s"]) for row in select(store, TYPED.replace("PREFIX", prefix))}
    return {old: sorted(new) for old, new in sorted(found.items()) if old not in live}


def add_redirects(store: ox.Store, base: str) -> dict[str, list[str]]:
    """Record every replaced IRI in graph/iri-redirects, described in the provenance graph."""
    found = replaced(store, base)
    graph = ox.NamedNode(iris.graph(REDIRECTS_GRAPH, base))
    store.bulk_extend(
        ox.Quad(ox.NamedNode(old), named(DCTERMS.isReplacedBy), ox.NamedNode(new), graph)
        for old, news in found.items()
        for new in news
    )
    if not found:
        return found  # nothing replaced (a build without the CSL): no graph to describe
    store.bulk_extend(
        generated.described(
            {graph: "IRIs of earlier releases, and what replaced them"},
            activity=ox.NamedNode(f"{base}{ACTIVITY}"),
            label="Recording replaced IRIs",
            method=RULE,
            used=source_documents(store),
            base=base,
        )
    )
    shared = sum(1 for news in found.values() if len(news) > 1)
    log.info("%d replaced IRIs recorded (%d replaced by more than one party)", len(found), shared)
    return found
