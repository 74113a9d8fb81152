"""What the pages show, filled from the store by named SPARQL queries (one per section).

Each query runs once for the whole site and its rows are grouped by resource, so that a
build with tens of thousands of pages still makes only a handful of queries.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pyoxigraph as ox

from kg.site import codes
from kg.store import select
from kg.vocab import PREFIXES as NAMESPACES
from kg.vocab import sparql_prefixes

PREFIXES = sparql_prefixes("elkg", "schema", "dcterms", "rdfs", "skos", "prov", "owl")
ELKG = NAMESPACES["elkg"]

TRIPLES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (?g != ENTAILED)
}"""

LABELS = (
    PREFIXES
    + """
SELECT ?s ?label ?rank WHERE {
  # A repaired name before the damaged one it repairs ("People's" for "People?s").
  VALUES (?p ?rank) { (elkg:repairedName 1) (schema:name 2) (skos:prefLabel 3) (rdfs:label 4)
                      (dcterms:title 5) (dcterms:bibliographicCitation 0) }
  ?s ?p ?label .
  FILTER (!isLiteral(?label) || LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}"""
)

LISTINGS = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?listing ?list ?start ?observed ?end ?requirement ?policy ?policyText
WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:onList ?list .
  OPTIONAL { ?listing elkg:startDate ?start }
  OPTIONAL { ?listing elkg:firstObservedIn/dcterms:issued ?observed }
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

LISTING_PROGRAMMES = (
    PREFIXES
    + """
SELECT DISTINCT ?listing ?programme WHERE {
  ?listing elkg:onList ?list ; elkg:programme ?programme
}"""
)

# The rules an entry cites, and those recorded as creating or amending it.
LISTING_RULES = (
    PREFIXES
    + """
SELECT DISTINCT ?listing ?rule WHERE {
  ?listing elkg:onList ?list .
  { ?listing elkg:citesInstrument ?rule } UNION { ?listing elkg:createdBy ?rule }
  UNION { ?listing elkg:amendedBy ?rule }
}"""
)

# Actions made by a rule, and actions observed between two snapshots (which no rule made).
ACTIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?action ?kind ?listing ?rule ?effective ?published ?announced ?year ?snapshot
                ?observed ?since WHERE {
  VALUES ?kind { elkg:Addition elkg:Amendment elkg:Removal }
  ?action a ?kind ; elkg:affectsListing ?listing .
  OPTIONAL { ?action elkg:madeBy ?rule . OPTIONAL { ?rule elkg:frYear ?year } }
  OPTIONAL { ?action elkg:effectiveDate ?effective }
  OPTIONAL { ?action elkg:publicationDate ?published }
  OPTIONAL { ?action elkg:announcementDate ?announced }
  OPTIONAL { ?action elkg:observedIn ?snapshot . OPTIONAL { ?snapshot dcterms:issued ?observed } }
  OPTIONAL { ?action elkg:notObservedIn ?since }
}"""
)

ACTION_FIELDS = (
    PREFIXES
    + """
SELECT DISTINCT ?action ?field WHERE { ?action elkg:changedProperty ?field }"""
)

# Entries on each list and the distinct entities they list: the same figures SPARQL gives.
LIST_COUNTS = (
    PREFIXES
    + """
SELECT ?list (COUNT(DISTINCT ?listing) AS ?entries) (COUNT(DISTINCT ?entity) AS ?entities)
WHERE { ?listing elkg:onList ?list ; elkg:listedEntity ?entity }
GROUP BY ?list"""
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
  # dcterms:source: the document's own graph, not a graph we derived from several documents
  ?graph a elkg:SourceGraph ; prov:wasDerivedFrom ?document ; dcterms:source ?document
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


#: One list action, as the ACTIONS query gives it (text or None), with `fields`: the
#: properties an amendment observed between snapshots changed, and `when`/`when_kind`.
Action = dict[str, Any]

#: What tells namesakes apart, in the order an entity page shows it.
FACTS = [
    *(ELKG + local for local in ("dateOfBirth", "placeOfBirth", "nationality", "citizenship")),
    ELKG + "country",
    "https://schema.org/jobTitle",
    *(ELKG + local for local in ("identifierText", "callSign", "vesselType", "vesselFlag")),
    *(ELKG + local for local in ("vesselOwner", "grossTonnage", "grossRegisteredTonnage")),
    ELKG + "remarks",
]
COUNTRY_FACTS = {ELKG + local for local in ("nationality", "citizenship", "country", "vesselFlag")}

KINDS = {ELKG + kind: kind for kind in ("Addition", "Amendment", "Removal")}


def when(action: Action) -> tuple[str | None, str]:
    """The date an action is known by, and what that date is: the day it took effect, else
    the day its rule was published, else the snapshot that first showed it, else the year of
    its rule's Federal Register volume. Never the entry's own start date.

    >>> when({"effective": None, "published": None, "observed": "2022-05-06", "year": None})
    ('2022-05-06', 'observed')
    """
    for key, meaning in (
        ("effective", "effective"),
        ("published", "published"),
        ("observed", "observed"),
        ("year", "year of the rule"),
    ):
        if action.get(key):
            return str(action[key]), meaning
    return None, "date not recorded"


@dataclass(kw_only=True)
class Listing:
    iri: str
    entity: str
    screening_list: str
    start: str | None
    #: The date of the first snapshot that showed it: an observation, not a start (kg.in_force)
    observed: str | None
    end: str | None
    requirement: str | None
    policy: str | None
    policy_text: str | None
    rationales: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def removal(self) -> Action | None:
        """The removal of this entry observed in a snapshot, if one was."""
        return next((a for a in self.actions if a["kind"] == ELKG + "Removal"), None)

    @property
    def since(self) -> str:
        """Since when it counts, in words: its start date, or the day it was first seen."""
        if self.start:
            return self.start
        return f"no start date; first observed {self.observed}" if self.observed else "not given"

    def status(self, day: str) -> str:
        """Whether the entry stood on `day` (the release date), by the README's as-of rule."""
        removal = self.removal
        if removal and (removal["observed"] or "") <= day:
            return "removed"
        if self.end and self.end <= day:
            return "ended"
        if self.start and self.start > day:
            return "not yet in force"
        return "in force"


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
    #: list IRI -> (entries, distinct entities), as LIST_COUNTS answers over SPARQL
    list_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Indexes, so that each page finds its rows without scanning every listing or statement.
        self._listings_of: dict[str, list[Listing]] = defaultdict(list)
        self._on_list: dict[str, list[Listing]] = defaultdict(list)
        self._citing: dict[str, list[Listing]] = defaultdict(list)
        self._citing_rule: dict[str, list[Listing]] = defaultdict(list)
        self.actions: dict[str, Action] = {}
        self._affected: dict[str, list[Listing]] = defaultdict(list)
        for listing in sorted(self.listings.values(), key=lambda x: (x.start or "", x.iri)):
            self._listings_of[listing.entity].append(listing)
            self._on_list[listing.screening_list].append(listing)
            for rationale in listing.rationales:
                self._citing[rationale].append(listing)
            for rule in listing.rules:
                self._citing_rule[rule].append(listing)
            for action in listing.actions:
                self.actions.setdefault(str(action["action"]), action)
                self._affected[str(action["action"])].append(listing)
        for members in self._on_list.values():
            members.sort(key=lambda x: (self.label(x.entity).casefold(), x.iri))
        self._name_listings_and_actions()
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
        # A namespace ("…/ontology#") is named as the document it ends ("…/ontology").
        known = self.labels.get(iri) or self.labels.get(iri.rstrip("#")) or codes.licence(iri)
        if known != iri:
            return known
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri

    def listings_of(self, entity: str) -> list[Listing]:
        return self._listings_of.get(entity, [])

    def listings_on(self, screening_list: str) -> list[Listing]:
        """The entries of a list, by their entity's name."""
        return self._on_list.get(screening_list, [])

    def listings_citing_rule(self, rule: str) -> list[Listing]:
        return self._citing_rule.get(rule, [])

    def affected_by(self, action: str) -> list[Listing]:
        return self._affected.get(action, [])

    def history_of(self, entity: str) -> list[tuple[Listing, Action]]:
        """Every action on the entity's entries, oldest first; undated ones last."""
        rows = [(x, a) for x in self.listings_of(entity) for a in x.actions]
        return sorted(rows, key=lambda r: (r[1]["when"] or "9999", str(r[1]["action"])))

    def history_of_listing(self, iri: str) -> list[tuple[Listing, Action]]:
        listing = self.listings[iri]
        return [(listing, action) for action in listing.actions]

    def first(self, iri: str, predicate: str) -> str | None:
        return next((v.text for p, v in self.out.get(iri, ()) if p == predicate), None)

    def facts_of(self, iri: str) -> list[tuple[str, list[Value], bool]]:
        """The entity's facts in FACTS order: (property, values, whether they are countries)."""
        found: dict[str, list[Value]] = defaultdict(list)
        for predicate, value in self.out.get(iri, ()):
            if predicate in FACTS:
                found[predicate].append(value)
        return [(p, found[p], p in COUNTRY_FACTS) for p in FACTS if p in found]

    def abbreviation(self, screening_list: str) -> str:
        return self.first(screening_list, ELKG + "abbreviation") or self.label(screening_list)

    def _name_listings_and_actions(self) -> None:
        """An entry or an action on one entry is named by its entity, where no source names
        it: "Hikvision on the Entity List", not a date or an IRI."""
        for listing in self.listings.values():
            if listing.iri not in self.labels:
                since = f", from {listing.start}" if listing.start else ""
                self.labels[listing.iri] = (
                    f"{self.label(listing.entity)} on the {self.label(listing.screening_list)}"
                    f"{since}"
                )
        for iri, action in self.actions.items():
            affected = self._affected[iri]
            if len(affected) == 1 and (action["snapshot"] or iri not in self.labels):
                listing = affected[0]
                self.labels[iri] = (
                    f"{KINDS[str(action['kind'])]} of {self.label(listing.entity)} "
                    f"({self.abbreviation(listing.screening_list)})"
                )

    def kind_of(self, iri: str) -> str:
        """The most telling type of a resource: one of ours where it has one."""
        types = self.types(iri)
        ours = [t for t in types if t.startswith(ELKG)]
        return ours[0] if ours else (types or [""])[0]

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
        list_counts=_list_counts(store),
    )


def _labels(store: ox.Store) -> dict[str, str]:
    best: dict[str, tuple[int, bool, int, str]] = {}
    for row in select(store, LABELS):
        subject, label, rank = row["s"], row["label"], row["rank"]
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            # Mixed case before capitals (the CMIC list's "HANGZHOU HIKVISION …" is no title),
            # then the shorter ("Military End User List", not "… (MEU) List - Bureau of …").
            key = (int(_text(rank) or 9), label.value.isupper(), len(label.value), label.value)
            if subject.value not in best or key < best[subject.value]:
                best[subject.value] = key
    return {iri: label for iri, (*_, label) in best.items()}


def _listings(store: ox.Store) -> dict[str, Listing]:
    listings: dict[str, Listing] = {}
    for r in _rows(store, LISTINGS):
        iri = str(r["listing"])
        if iri not in listings:
            listings[iri] = Listing(
                iri=iri,
                entity=str(r["entity"]),
                screening_list=str(r["list"]),
                start=r["start"],
                observed=r["observed"],
                end=r["end"],
                requirement=r["requirement"],
                policy=r["policy"],
                policy_text=r["policyText"],
            )
    for query, attribute, key in (
        (LISTING_RATIONALES, "rationales", "rationale"),
        (LISTING_PROGRAMMES, "programmes", "programme"),
        (LISTING_RULES, "rules", "rule"),
    ):
        for r in _rows(store, query):
            if str(r["listing"]) in listings:
                getattr(listings[str(r["listing"])], attribute).append(str(r[key]))
    fields: dict[str, list[str]] = defaultdict(list)
    for r in _rows(store, ACTION_FIELDS):
        fields[str(r["action"])].append(str(r["field"]))
    for r in _rows(store, ACTIONS):
        if str(r["listing"]) in listings:
            action: Action = r  # a defaultdict: an unbound variable reads as None
            action["fields"] = sorted(fields.get(str(r["action"]), ()))
            action["when"], action["when_kind"] = when(action)
            listings[str(r["listing"])].actions.append(action)
    for listing in listings.values():
        listing.rationales.sort()
        listing.programmes.sort()
        listing.rules.sort()
        # Dated actions in order; actions known by no date come last.
        listing.actions.sort(key=lambda a: (a["when"] or "9999", str(a["action"])))
    return listings


def _list_counts(store: ox.Store) -> dict[str, tuple[int, int]]:
    return {
        str(r["list"]): (int(str(r["entries"])), int(str(r["entities"])))
        for r in _rows(store, LIST_COUNTS)
    }


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
