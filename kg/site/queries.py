"""The named SPARQL queries the pages are filled from, one per section of a page.

Each runs once for the whole site (kg.site.pages groups its rows by resource), so that a
build with tens of thousands of pages makes only a handful of queries; DESCRIBE runs once
per resource, for its RDF files and the server's Linked Data answers, and a resource's own
triples are read as its pages ask (kg.site.edges).
"""

import pyoxigraph as ox

from kg.match.inferred import ONLY_INFERRED
from kg.match.labels import NAME, REPAIRED_NAME
from kg.vocab import sparql_prefixes

PREFIXES = sparql_prefixes("elkg", "schema", "dcterms", "rdfs", "skos", "prov", "owl")

#: The IRIs the sources say something of (ENTAILED: the entailed graphs' IRIs, left out).
SUBJECTS = """
SELECT DISTINCT ?s WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (?g NOT IN (ENTAILED) && isIRI(?s))
}"""

#: The IRIs the sources link to from another IRI.
OBJECTS = """
SELECT DISTINCT ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (?g NOT IN (ENTAILED) && isIRI(?s) && isIRI(?o))
}"""

#: What names no source gives: our kind inferences and candidate matches, the curators'
#: identity judgements (kg.site.pages names them by the parties they are about).
#: The parties whose kind is our inference only (kg.match.inferred).
KINDS_INFERRED = PREFIXES + f"SELECT DISTINCT ?entity WHERE {{ {ONLY_INFERRED} }}"

INFERENCES = (
    PREFIXES
    + """
SELECT DISTINCT ?s WHERE {
  VALUES ?p { elkg:classifiedParty elkg:candidate elkg:judgedParty }
  GRAPH ?g { ?s ?p ?o }
  FILTER (?g NOT IN (ENTAILED) && isIRI(?s))
}"""
)

LABELS = (
    PREFIXES
    + f"""
SELECT ?s ?label ?rank WHERE {{
  # A repaired name before the damaged one it repairs ("People's" for "People?s"); an
  # address by its text, where an entry's page links it (elkg:entryAddress).
  VALUES (?p ?rank) {{ (elkg:repairedName {REPAIRED_NAME}) (schema:name {NAME}) (skos:prefLabel 3)
                      (rdfs:label 4) (dcterms:title 5) (dcterms:bibliographicCitation 0)
                      (elkg:fullAddress 6) }}
  ?s ?p ?label .
  FILTER (!isLiteral(?label) || LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}}"""
)

LISTINGS = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?listing ?list ?start ?observed ?end ?requirement ?policy ?policyText
       ?unparsedStart
WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:onList ?list .
  OPTIONAL { ?listing elkg:startDate ?start }
  OPTIONAL { ?listing elkg:unparsedStartDate ?unparsedStart }
  OPTIONAL { ?listing elkg:firstObservedIn/dcterms:issued ?observed }
  OPTIONAL { ?listing elkg:endDate ?end }
  OPTIONAL { ?listing elkg:licenceRequirement ?requirement }
  OPTIONAL { ?listing elkg:licenceReviewPolicy/rdfs:label ?policy }
  OPTIONAL { ?listing elkg:licenceReviewPolicyText ?policyText }
}"""
)

#: When a snapshot last showed each entry: its facts are in the graph of the last that did.
LISTINGS_SEEN = (
    PREFIXES
    + """
SELECT ?listing (MAX(?issued) AS ?seen) WHERE {
  GRAPH ?graph { ?listing elkg:onList ?list }
  ?graph dcterms:source ?snapshot . ?snapshot a elkg:ListSnapshot ; dcterms:issued ?issued .
} GROUP BY ?listing"""
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

# The pages inside a rule an entry cites ("84 FR 54004", in 84 FR 54002).
LISTING_CITED_PAGES = (
    PREFIXES
    + """
SELECT DISTINCT ?listing ?page WHERE {
  ?listing elkg:onList ?list ; elkg:citedPage ?page
}"""
)

# A renewed order's entries: the later one renews the earlier (kg.sources.history.renewals).
LISTING_RENEWALS = (
    PREFIXES
    + """
SELECT DISTINCT ?listing ?later WHERE { ?later elkg:renews ?listing }"""
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
                ?observed ?since ?previous WHERE {
  VALUES ?kind { elkg:Addition elkg:Amendment elkg:Removal }
  ?action a ?kind ; elkg:affectsListing ?listing .
  OPTIONAL { ?action elkg:madeBy ?rule . OPTIONAL { ?rule elkg:frYear ?year } }
  OPTIONAL { ?action elkg:effectiveDate ?effective }
  OPTIONAL { ?action elkg:publicationDate ?published }
  OPTIONAL { ?action elkg:announcementDate ?announced }
  OPTIONAL { ?action elkg:observedIn ?snapshot . OPTIONAL { ?snapshot dcterms:issued ?observed } }
  OPTIONAL { ?action elkg:notObservedIn ?since }
  OPTIONAL { ?action elkg:previousName ?previous }
}"""
)

ACTION_FIELDS = (
    PREFIXES
    + """
SELECT DISTINCT ?action ?field WHERE { ?action elkg:changedProperty ?field }"""
)

# What an amendment observed between snapshots removed and added, field by field.
ACTION_VALUES = (
    PREFIXES
    + """
SELECT DISTINCT ?action ?field ?side ?value WHERE {
  ?action elkg:valueChange ?change .
  ?change elkg:changedValueOf ?field .
  { ?change elkg:valueRemoved ?value BIND ("removed" AS ?side) }
  UNION { ?change elkg:valueAdded ?value BIND ("added" AS ?side) }
}"""
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
                ?reported ?quotedBy ?original WHERE {
  ?statement a elkg:Statement ; elkg:speaker ?speaker ; elkg:text ?text ;
             elkg:verbatim ?verbatim ; elkg:stance/rdfs:label ?stance ; dcterms:source ?source .
  OPTIONAL { ?statement elkg:speakerRole ?role }
  OPTIONAL { ?statement elkg:onBehalfOf ?behalf }
  OPTIONAL { ?statement elkg:date ?date }
  OPTIONAL { ?statement elkg:venue/rdfs:label ?venue }
  OPTIONAL { ?statement elkg:quotedBy ?quotedBy }
  OPTIONAL { ?statement elkg:originalDocument ?original }
  OPTIONAL { ?source dcterms:issued ?reported }
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

#: Our derived graphs, which a page cites for a triple only where no source states it.
DERIVED_GRAPHS = PREFIXES + "SELECT DISTINCT ?graph WHERE { ?graph a elkg:DerivedGraph }"
# The graphs of the editors' own documents: what they state is a reading, not a source's word.
EDITORIAL_GRAPHS = (
    PREFIXES
    + """
SELECT DISTINCT ?graph WHERE {
  ?graph a elkg:SourceGraph ; dcterms:source ?document . ?document a elkg:EditorialCuration
}"""
)

# What one named graph holds (GRAPH_IRI replaced): its subjects, each with its statements.
GRAPH_HOLDS = """SELECT ?subject (COUNT(*) AS ?statements) WHERE {
  GRAPH <GRAPH_IRI> { ?subject ?p ?o } FILTER (isIRI(?subject))
} GROUP BY ?subject ORDER BY ?subject"""

DESCRIBE = (
    PREFIXES
    + sparql_prefixes("rdf")
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
  # Not the labels of its classes: the ontology's, which every resource of a class would repeat.
  UNION { ?r ?p2 ?x . ?x ?lp ?label .
          FILTER (?p2 != rdf:type && ?lp IN (schema:name, rdfs:label, skos:prefLabel)) }
  UNION { ?x ?q2 ?r . ?x ?lp ?label . FILTER (?lp IN (schema:name, rdfs:label, skos:prefLabel)) }
}"""
)


#: The same triples as DESCRIBE, each with the graph that states it: a fact two graphs state
#: is two rows. The resource is written in place, not joined from VALUES, in every branch.
DESCRIBE_QUADS = (
    PREFIXES
    + sparql_prefixes("rdf")
    + """
SELECT DISTINCT ?g ?s ?p ?o
WHERE {
  { GRAPH ?g { RESOURCE ?p ?o } BIND (RESOURCE AS ?s) }
  UNION { GRAPH ?g { ?s ?p RESOURCE } BIND (RESOURCE AS ?o) }
  UNION { RESOURCE ?p3 ?s .
          FILTER (isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(RESOURCE), "#")))
          GRAPH ?g { ?s ?p ?o } }
  UNION { RESOURCE ?p2 ?s . FILTER (?p2 != rdf:type)
          GRAPH ?g { ?s ?p ?o FILTER (?p IN (schema:name, rdfs:label, skos:prefLabel)) } }
  UNION { ?s ?q2 RESOURCE .
          GRAPH ?g { ?s ?p ?o FILTER (?p IN (schema:name, rdfs:label, skos:prefLabel)) } }
}"""
)


def describe_quads_query(iri: str) -> str:
    """describe_query() as a SELECT of ?g ?s ?p ?o: which graph states each triple."""
    return DESCRIBE_QUADS.replace("RESOURCE", str(ox.NamedNode(iri)))


def describe_query(iri: str) -> str:
    """The description query of one resource: its triples, incoming links, neighbours' labels,
    and the triples of the hash IRIs in its document.

    The IRI enters through VALUES, written by Oxigraph, which refuses an invalid IRI.
    """
    return DESCRIBE.replace("RESOURCE", str(ox.NamedNode(iri)))
