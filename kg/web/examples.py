"""Example queries that answer researchers' real questions; shown on the query page.

They are also the documented patterns for "as of" questions: a listing is in force on day D
when it started on or before D and has no end date, or ends after D.
"""

import datetime as dt
from dataclasses import dataclass

from kg import iris
from kg.vocab import sparql_prefixes

PREFIXES = sparql_prefixes("elkg", "schema", "dcterms", "skos", "xsd")


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    query: str


EXAMPLES = (
    Example(
        "added-by-rule",
        "Every entity added by a given rule (84 FR 54002)",
        PREFIXES
        + """
SELECT DISTINCT ?entity ?name ?effective WHERE {
  ?rule dcterms:bibliographicCitation "84 FR 54002" .
  ?action a elkg:Addition ; elkg:madeBy ?rule ; elkg:affectsListing ?listing .
  ?listing elkg:listedEntity ?entity .
  ?entity schema:name ?name .
  # OPTIONAL last: in the middle, Oxigraph joins every listing's name first (80 ms on the
  # whole CSL, against 0.5 ms).
  OPTIONAL { ?action elkg:effectiveDate ?effective }
}
ORDER BY ?name""",
    ),
    Example(
        "human-rights",
        "Everything listed for human-rights reasons",
        PREFIXES
        + """
SELECT DISTINCT ?entity ?name ?start ?rationale WHERE {
  ?concept skos:broader* ?top .
  ?top skos:notation "foreign-policy-interests" .
  ?concept skos:prefLabel ?rationale .
  FILTER (CONTAINS(LCASE(STR(?rationale)), "human-rights"))
  ?listing elkg:rationale ?concept ; elkg:listedEntity ?entity ; elkg:startDate ?start .
  ?entity schema:name ?name .
}
ORDER BY ?start ?name""",
    ),
    Example(
        "statements",
        "Statements about an action, with speaker and stance",
        PREFIXES
        + """
SELECT ?date ?speaker ?role ?stance ?text ?source WHERE {
  ?statement a elkg:Statement ;
             elkg:concerns <https://w3id.org/entitylist-kg/id/action/84-fr-54002/addition> ;
             elkg:speaker/schema:name ?speaker ;
             elkg:stance/<http://www.w3.org/2000/01/rdf-schema#label> ?stance ;
             elkg:text ?text ;
             dcterms:source ?source .
  OPTIONAL { ?statement elkg:date ?date }
  OPTIONAL { ?statement elkg:speakerRole/<http://www.w3.org/2000/01/rdf-schema#label> ?role }
}
ORDER BY ?date ?speaker""",
    ),
    Example(
        "in-force-on",
        "What the Entity List held on a given date (2019-10-10)",
        PREFIXES
        + """
SELECT DISTINCT ?entity ?name ?start WHERE {
  BIND ("2019-10-10"^^xsd:date AS ?day)
  ?listing elkg:onList <https://w3id.org/entitylist-kg/id/list/entity-list> ;
           elkg:listedEntity ?entity ;
           elkg:startDate ?start .
  OPTIONAL { ?listing elkg:endDate ?end }
  FILTER (?start <= ?day && (!BOUND(?end) || ?end > ?day))
  FILTER NOT EXISTS { ?removal a elkg:Removal ; elkg:affectsListing ?listing ;
                               elkg:observedIn/dcterms:issued ?seen . FILTER (?seen <= ?day) }
  ?entity schema:name ?name .
}
ORDER BY ?name""",
    ),
    Example(
        "on-list-on",
        "Was Huawei on the Entity List on 2019-05-01? (ASK)",
        PREFIXES
        + """
ASK {
  ?listing elkg:listedEntity ?huawei ;
           elkg:onList <https://w3id.org/entitylist-kg/id/list/entity-list> ;
           elkg:startDate ?start .
  OPTIONAL { ?listing elkg:endDate ?end }
  FILTER (?start <= "2019-05-01"^^xsd:date && (!BOUND(?end) || ?end > "2019-05-01"^^xsd:date))
  FILTER NOT EXISTS { ?removal a elkg:Removal ; elkg:affectsListing ?listing ;
                               elkg:observedIn/dcterms:issued ?seen .
                      FILTER (?seen <= "2019-05-01"^^xsd:date) }
  VALUES ?huawei { <https://w3id.org/entitylist-kg/id/org/huawei-technologies-co-ltd-huawei> }
}""",
    ),
    Example(
        "describe",
        "Everything about Hikvision (CONSTRUCT)",
        PREFIXES
        + """
CONSTRUCT { ?org ?p ?o } WHERE {
  ?org schema:alternateName "Hikvision" ; ?p ?o .
}""",
    ),
)


def as_of_query(day: str) -> str:
    """ASK: was the entity named ?name (bind it) on a screening list on `day` (YYYY-MM-DD)?

    In force on day D: started on or before D (or no start date is known), not ended by D,
    and not removed in a snapshot taken on or before D. The day enters as a typed literal.
    """
    date = f'"{dt.date.fromisoformat(day).isoformat()}"^^xsd:date'
    return (
        PREFIXES
        + f"""
ASK {{
  ?entity elkg:publishedName ?name .
  ?listing elkg:listedEntity ?entity .
  OPTIONAL {{ ?listing elkg:startDate ?start }}
  OPTIONAL {{ ?listing elkg:endDate ?end }}
  OPTIONAL {{ ?added a elkg:Addition ; elkg:affectsListing ?listing ;
                     elkg:observedIn/dcterms:issued ?addedSeen }}
  FILTER ((!BOUND(?start) || ?start <= {date}) && (!BOUND(?end) || ?end > {date}))
  FILTER (!BOUND(?addedSeen) || ?addedSeen <= {date})
  FILTER NOT EXISTS {{
    ?removal a elkg:Removal ; elkg:affectsListing ?listing ; elkg:observedIn/dcterms:issued ?seen .
    FILTER (?seen <= {date})
  }}
}}"""
    )


def examples(base: str) -> tuple[Example, ...]:
    """The examples for a dataset published under `base` (KG_BASE_IRI).

    >>> examples("https://example.org/kg/")[2].query.count("https://example.org/kg/id/")
    1
    """
    return tuple(Example(e.id, e.title, e.query.replace(iris.DEFAULT_BASE, base)) for e in EXAMPLES)
