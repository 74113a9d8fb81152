"""What the pages show, filled from the store by named SPARQL queries (one per section).

Each query runs once for the whole site and its rows are grouped by resource, so that a
build with tens of thousands of pages still makes only a handful of queries.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import pyoxigraph as ox

from kg.store import select
from kg.vocab import sparql_prefixes

PREFIXES = sparql_prefixes("elkg", "schema", "dcterms", "rdfs", "skos", "prov", "owl")

TRIPLES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (?g != ENTAILED)
}"""

LABELS = (
    PREFIXES
    + """
SELECT ?s ?label ?rank WHERE {
  VALUES (?p ?rank) { (schema:name 1) (skos:prefLabel 2) (rdfs:label 3) (dcterms:title 4)
                      (dcterms:bibliographicCitation 0) }
  ?s ?p ?label .
  FILTER (!isLiteral(?label) || LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}"""
)

LISTINGS = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?listing ?list ?start ?end ?requirement ?policy ?policyText WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:onList ?list ; elkg:startDate ?start .
  OPTIONAL { ?listing elkg:endDate ?end }
  OPTIONAL { ?listing elkg:licenceRequirement ?requirement }
  OPTIONAL { ?listing elkg:licenceReviewPolicy/rdfs:label ?policy }
  OPTIONAL { ?listing elkg:licenceReviewPolicyText ?policyText }
}"""
)

LISTING_RATIONALES = (
    PREFIXES
    + """
SELECT DISTINCT ?listing ?rationale WHERE { ?listing a elkg:Listing ; elkg:rationale ?rationale }"""
)

ACTIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?action ?kind ?listing ?rule ?effective ?published ?announced WHERE {
  VALUES ?kind { elkg:Addition elkg:Amendment elkg:Removal }
  ?action a ?kind ; elkg:affectsListing ?listing ; elkg:madeBy ?rule .
  OPTIONAL { ?action elkg:effectiveDate ?effective }
  OPTIONAL { ?action elkg:publicationDate ?published }
  OPTIONAL { ?action elkg:announcementDate ?announced }
}"""
)

STATEMENTS = (
    PREFIXES
    + """
SELECT DISTINCT ?statement ?speaker ?role ?behalf ?date ?venue ?text ?verbatim ?stance ?source
                ?quotedBy ?original WHERE {
  ?statement a elkg:Statement ; elkg:speaker ?speaker ; elkg:text ?text ;
             elkg:verbatim ?verbatim ; elkg:stance/rdfs:label ?stance ; dcterms:source ?source .
  OPTIONAL { ?statement elkg:speakerRole ?role }
  OPTIONAL { ?statement elkg:onBehalfOf ?behalf }
  OPTIONAL { ?statement elkg:date ?date }
  OPTIONAL { ?statement elkg:venue/rdfs:label ?venue }
  OPTIONAL { ?statement elkg:quotedBy ?quotedBy }
  OPTIONAL { ?statement elkg:originalDocument ?original }
}"""
)

CONCERNS = (
    PREFIXES
    + """
SELECT DISTINCT ?statement ?target WHERE { ?statement a elkg:Statement ; elkg:concerns ?target }"""
)

VALUATIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?valuation ?entity ?kind ?amount ?minimum ?currency ?asOf ?estimatedBy ?market
                ?source WHERE {
  VALUES ?kind { elkg:Valuation elkg:PlannedOffering }
  ?valuation a ?kind ; elkg:valuedEntity ?entity ; dcterms:source ?source .
  OPTIONAL { ?valuation elkg:amount ?amount }
  OPTIONAL { ?valuation elkg:minimumAmount ?minimum }
  OPTIONAL { ?valuation elkg:currency ?currency }
  OPTIONAL { ?valuation elkg:asOf ?asOf }
  OPTIONAL { ?valuation elkg:estimatedBy ?estimatedBy }
  OPTIONAL { ?valuation elkg:market ?market }
}"""
)

SOURCE_GRAPHS = (
    PREFIXES
    + """
SELECT DISTINCT ?graph ?document WHERE {
  ?graph a elkg:SourceGraph ; prov:wasDerivedFrom ?document
}"""
)

DESCRIBE = (
    PREFIXES
    + """
CONSTRUCT { ?r ?p ?o . ?s ?q ?r . ?x ?lp ?label . ?part ?pp ?po }
WHERE {
  VALUES ?r { RESOURCE }
  { ?r ?p ?o }
  UNION { ?s ?q ?r }
  # Hash IRIs in the resource's document (its addresses) are described with it.
  UNION { ?r ?p3 ?part . ?part ?pp ?po .
          FILTER (isIRI(?part) && STRSTARTS(STR(?part), CONCAT(STR(?r), "#"))) }
  # FILTER IN, not VALUES ?lp: with VALUES, Oxigraph joined every label in the store first,
  # 0.2 s a resource on the whole CSL graph against 0.3 ms now.
  UNION { ?r ?p2 ?x . ?x ?lp ?label . FILTER (?lp IN (schema:name, rdfs:label, skos:prefLabel)) }
  UNION { ?x ?q2 ?r . ?x ?lp ?label . FILTER (?lp IN (schema:name, rdfs:label, skos:prefLabel)) }
}"""
)


def describe_query(iri: str) -> str:
    """The description query of one resource: its triples, incoming links, neighbours' labels,
    and the triples of the hash IRIs in its document.

    The IRI enters through VALUES, written by Oxigraph, which refuses an invalid IRI.
    """
    return DESCRIBE.replace("RESOURCE", str(ox.NamedNode(iri)))


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Value(NamedTuple):
    """One value on a page: an IRI to link (with its label) or a literal to show.

    A named tuple: the whole CSL makes a third of a million of them, and a frozen dataclass
    takes several times as long to create."""

    text: str
    iri: str | None = None
    language: str | None = None
    datatype: str | None = None


@dataclass(kw_only=True)
class Listing:
    iri: str
    entity: str
    screening_list: str
    start: str
    end: str | None
    requirement: str | None
    policy: str | None
    policy_text: str | None
    rationales: list[str] = field(default_factory=list)
    actions: list[dict[str, str | None]] = field(default_factory=list)


@dataclass(kw_only=True)
class Statement:
    iri: str
    speaker: str
    text: str
    language: str | None
    verbatim: bool
    stance: str
    source: str
    role: str | None
    behalf: str | None
    date: str | None
    venue: str | None
    quoted_by: str | None
    original: str | None
    concerns: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Facts:
    """Everything the site shows, gathered from the store in a few whole-site queries."""

    labels: dict[str, str]
    out: dict[str, list[tuple[str, Value]]]
    incoming: dict[str, list[tuple[str, str]]]
    listings: dict[str, Listing]
    statements: dict[str, Statement]
    valuations: list[dict[str, str | None]]
    graphs: dict[str, str]

    def __post_init__(self) -> None:
        # Indexes, so that each page finds its rows without scanning every listing or statement.
        self._listings_of: dict[str, list[Listing]] = defaultdict(list)
        self._citing: dict[str, list[Listing]] = defaultdict(list)
        for listing in sorted(self.listings.values(), key=lambda x: (x.start, x.iri)):
            self._listings_of[listing.entity].append(listing)
            for rationale in listing.rationales:
                self._citing[rationale].append(listing)
        self._about: dict[str, list[Statement]] = defaultdict(list)
        self._by: dict[str, list[Statement]] = defaultdict(list)
        for statement in sorted(self.statements.values(), key=lambda s: s.iri):
            for target in statement.concerns:
                self._about[target].append(statement)
            for agent in {statement.speaker, statement.behalf} - {None}:
                self._by[str(agent)].append(statement)
        self._valuations: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        for valuation in self.valuations:
            self._valuations[str(valuation["entity"])].append(valuation)

    def statements_about(self, targets: Iterable[str]) -> list[Statement]:
        found = {s.iri: s for target in targets for s in self._about.get(target, ())}
        return [found[iri] for iri in sorted(found)]

    def statements_by(self, agent: str) -> list[Statement]:
        return self._by.get(agent, [])

    def valuations_of(self, entity: str) -> list[dict[str, str | None]]:
        return self._valuations.get(entity, [])

    def listings_citing(self, rationale: str) -> list[Listing]:
        return sorted(self._citing.get(rationale, ()), key=lambda x: (x.entity, x.iri))

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def listings_of(self, entity: str) -> list[Listing]:
        return self._listings_of.get(entity, [])

    def types(self, iri: str) -> list[str]:
        return sorted(v.iri or "" for p, v in self.out.get(iri, ()) if p == RDF_TYPE)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _text(term: Term | None) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _value(term: Term) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(term.value, iri=term.value)
    if isinstance(term, ox.Literal):
        return Value(term.value, language=term.language, datatype=term.datatype.value)
    return Value(str(term))


def _by_property_and_value(item: tuple[str, Value]) -> tuple[str, ...]:
    predicate, value = item
    return (predicate, value.text, value.iri or "", value.language or "", value.datatype or "")


def _rows(store: ox.Store, query: str) -> Iterable[dict[str, str | None]]:
    """Rows as text; an unbound variable reads as None."""
    for row in select(store, query):
        yield defaultdict(lambda: None, {name: _text(term) for name, term in row.items()})


def gather(store: ox.Store, base: str) -> Facts:
    entailed = str(ox.NamedNode(f"{base}graph/entailed"))
    out: dict[str, list[tuple[str, Value]]] = defaultdict(list)
    incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in select(store, TRIPLES.replace("ENTAILED", entailed), union=False):
        subject, predicate, obj = row["s"], row["p"], row["o"]
        if not isinstance(subject, ox.NamedNode) or not isinstance(predicate, ox.NamedNode):
            continue
        out[subject.value].append((predicate.value, _value(obj)))
        if isinstance(obj, ox.NamedNode):
            incoming[obj.value].append((predicate.value, subject.value))
    for described in out.values():
        described.sort(key=_by_property_and_value)
    for links in incoming.values():
        links.sort()
    return Facts(
        labels=_labels(store),
        out=dict(out),
        incoming=dict(incoming),
        listings=_listings(store),
        statements=_statements(store),
        valuations=sorted(_rows(store, VALUATIONS), key=lambda r: str(r["valuation"])),
        graphs={str(r["document"]): str(r["graph"]) for r in _rows(store, SOURCE_GRAPHS)},
    )


def _labels(store: ox.Store) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for row in select(store, LABELS):
        subject, label, rank = row["s"], row["label"], row["rank"]
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            key = (int(_text(rank) or 9), label.value)
            if subject.value not in best or key < best[subject.value]:
                best[subject.value] = key
    return {iri: label for iri, (_, label) in best.items()}


def _listings(store: ox.Store) -> dict[str, Listing]:
    listings: dict[str, Listing] = {}
    for r in _rows(store, LISTINGS):
        iri = str(r["listing"])
        if iri not in listings:
            listings[iri] = Listing(
                iri=iri,
                entity=str(r["entity"]),
                screening_list=str(r["list"]),
                start=str(r["start"]),
                end=r["end"],
                requirement=r["requirement"],
                policy=r["policy"],
                policy_text=r["policyText"],
            )
    for r in _rows(store, LISTING_RATIONALES):
        if str(r["listing"]) in listings:
            listings[str(r["listing"])].rationales.append(str(r["rationale"]))
    for r in _rows(store, ACTIONS):
        if str(r["listing"]) in listings:
            listings[str(r["listing"])].actions.append(r)
    for listing in listings.values():
        listing.rationales.sort()
        # Dated actions in order; actions known only by their citation come last.
        listing.actions.sort(
            key=lambda a: (a["effective"] or a["published"] or "9999", str(a["action"]))
        )
    return listings


def _statements(store: ox.Store) -> dict[str, Statement]:
    statements: dict[str, Statement] = {}
    for row in select(store, STATEMENTS):
        r: dict[str, str | None] = defaultdict(lambda: None, {k: _text(v) for k, v in row.items()})
        text = row["text"]
        language = text.language if isinstance(text, ox.Literal) else None
        statements[str(r["statement"])] = Statement(
            iri=str(r["statement"]),
            speaker=str(r["speaker"]),
            text=str(r["text"]),
            language=language,
            verbatim=r["verbatim"] == "true",
            stance=str(r["stance"]),
            source=str(r["source"]),
            role=r["role"],
            behalf=r["behalf"],
            date=r["date"],
            venue=r["venue"],
            quoted_by=r["quotedBy"],
            original=r["original"],
        )
    for r in _rows(store, CONCERNS):
        if str(r["statement"]) in statements:
            statements[str(r["statement"])].concerns.append(str(r["target"]))
    for statement in statements.values():
        statement.concerns.sort()
    return statements
