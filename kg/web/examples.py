"""Example queries that answer researchers' real questions; shown on the query page.

They are also the documented patterns for "as of" questions, all written with the one rule of
kg.in_force: a listing is in force on day D when it started on or before D (an entry without
a start date: when the first snapshot showing it was taken), has no end date on or before D,
and no removal of it was observed on or before D. A question about one entity uses the rule
as lookups (`PATTERN`); one about every entry of a list uses it as whole reads
(`EVERY_ENTRY_PATTERN`), which scale with the list.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from kg import iris
from kg.in_force import EVERY_ENTRY_PATTERN, PATTERN
from kg.vocab import sparql_prefixes
from kg.web.worker_process import folded

PREFIXES = sparql_prefixes("elkg", "schema", "dcterms", "skos", "xsd")


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    query: str


# The queries' comments are for their readers; why the patterns are in the order they are,
# engine by engine, is said here (the query page showed "80 ms on the whole CSL" and
# "refused by Virtuoso 7.2" to every reader, noise to them: trial 25).
EXAMPLES = (
    # added-by-rule: OPTIONAL last: in the middle, Oxigraph joins every listing's name first
    # (80 ms on the whole CSL, against 0.5 ms).
    Example(
        "added-by-rule",
        "Every entity added by a given rule (84 FR 54002)",
        PREFIXES
        + """
# One row per entity: a party on two lists may be spelt by each its own way (Hikvision by the
# Entity List and the CMIC list), and MIN takes one spelling, the same on any engine.
SELECT ?entity (MIN(?spelt) AS ?name) ?effective WHERE {
  ?rule dcterms:bibliographicCitation "84 FR 54002" .
  ?action a elkg:Addition ; elkg:madeBy ?rule ; elkg:affectsListing ?listing .
  ?listing elkg:listedEntity ?entity .
  ?entity schema:name ?spelt .
  OPTIONAL { ?action elkg:effectiveDate ?effective }
}
GROUP BY ?entity ?effective
ORDER BY ?name""",
    ),
    Example(
        "human-rights",
        "Everything listed for human-rights reasons",
        PREFIXES
        + """
# One row per entity and rationale, under one of its spellings (see added-by-rule).
SELECT ?entity (MIN(?spelt) AS ?name) ?start ?rationale WHERE {
  ?concept skos:broader* ?top .
  ?top skos:notation "foreign-policy-interests" .
  ?concept skos:prefLabel ?rationale .
  FILTER (CONTAINS(LCASE(STR(?rationale)), "human-rights"))
  ?listing elkg:rationale ?concept ; elkg:listedEntity ?entity ; elkg:startDate ?start .
  ?entity schema:name ?spelt .
}
GROUP BY ?entity ?start ?rationale
ORDER BY ?start ?name""",
    ),
    Example(
        "statements",
        "Statements about an action, with speaker and stance",
        PREFIXES
        + """
# ?date: the day the statement was made, where a source says (the article of 2019-10-08
# does not); ?reported: the day the source that reports it was issued.
SELECT ?date ?reported ?speaker ?role ?stance ?text ?source WHERE {
  ?statement a elkg:Statement ;
             elkg:concerns <https://w3id.org/entitylist-kg/id/action/84-fr-54002/addition> ;
             elkg:speaker/schema:name ?speaker ;
             elkg:stance/<http://www.w3.org/2000/01/rdf-schema#label> ?stance ;
             elkg:text ?text ;
             dcterms:source ?source .
  OPTIONAL { ?statement elkg:date ?date }
  OPTIONAL { ?source dcterms:issued ?reported }
  OPTIONAL { ?statement elkg:speakerRole/<http://www.w3.org/2000/01/rdf-schema#label> ?role }
}
ORDER BY ?date ?reported ?speaker""",
    ),
    Example(
        "in-force-on",
        "What the Entity List held on a given date (2019-10-10)",
        PREFIXES
        + """
# One row per entity, under one of its spellings (see added-by-rule), though it may hold
# several entries: ?entries in force; ?since, the earliest start date the list gives them;
# ?firstObserved, for entries without one, when the first snapshot showing them was taken
# (observed then, maybe listed earlier).
# A lower bound, by the dates the lists print: an entry removed before the first snapshot
# of the whole lists is known only if a partial snapshot showed it, and an entry that may
# have been in force beyond its dates is not counted (the site's "As of a day" counts
# entries, not entities, and lists those to review).
SELECT ?entity (MIN(?spelt) AS ?name) (COUNT(DISTINCT ?listing) AS ?entries)
       (MIN(?start) AS ?since) (MIN(?observed) AS ?firstObserved) WHERE {
  BIND ("2019-10-10"^^xsd:date AS ?day)
  ?listing elkg:onList <https://w3id.org/entitylist-kg/id/list/entity-list> ;
           elkg:listedEntity ?entity .
  """
        + EVERY_ENTRY_PATTERN
        + """
  ?entity schema:name ?spelt .
}
GROUP BY ?entity
ORDER BY ?name""",
    ),
    # on-list-on: Huawei named in the pattern, not by VALUES: VALUES last made Oxigraph test
    # every Entity List entry against the rule first (70 ms on the whole CSL, against 0.4 ms),
    # and VALUES first is refused by Virtuoso 7.2. Huawei's entries first, then the list:
    # Oxigraph joins the patterns as they are written, and the list first read every entry of
    # it (96 ms at 8 times the CSL, against 0.2 ms).
    Example(
        "on-list-on",
        "Was Huawei on the Entity List on 2019-05-01? (ASK)",
        PREFIXES
        + """
ASK {
  BIND ("2019-05-01"^^xsd:date AS ?day)
  ?listing elkg:listedEntity
             <https://w3id.org/entitylist-kg/id/org/huawei-technologies-co-ltd-huawei> ;
           elkg:onList <https://w3id.org/entitylist-kg/id/list/entity-list> .
  """
        + PATTERN
        + """
}""",
    ),
    # lists-on: the counts that hold on the day are found first, each date read whole (see
    # in-force-on), then their lists and figures. "Not after the day", not ?since <= ?day:
    # Virtuoso 7.2 answers that with nothing here.
    Example(
        "lists-on",
        "How many entries each list held on a given date (2023-01-01)",
        PREFIXES
        + """
# Counted by the build, by the rule of in-force-on, from every entry's dates (elkg:ListCount:
# our inference, not a figure of the lists; its prov:wasGeneratedBy says how). A count holds
# from ?since until the day it next changed. ?undated: how many entries have no start date
# and count from the first snapshot that showed them; ?count, the count itself, to follow to
# its method and its page. A list no count covers held none.
SELECT ?list ?entries ?undated ?count WHERE {
  { SELECT ?count WHERE {
      BIND ("2023-01-01"^^xsd:date AS ?day)
      ?count elkg:countSince ?since .
      OPTIONAL { SELECT ?count ?until WHERE { ?count elkg:countUntil ?until } }
      FILTER (!(?since > ?day) && (!BOUND(?until) || ?until > ?day)) } }
  ?count elkg:countedList ?list ; elkg:entriesInForce ?entries ;
         elkg:undatedEntriesInForce ?undated .
}
ORDER BY DESC(?entries)""",
    ),
    Example(
        "snapshot-entries",
        "How many entries each snapshot of the whole lists showed, per list",
        PREFIXES
        + """
# A snapshot's graph holds the facts of the entries it was the last to show, not of every
# entry it showed. An entry a snapshot of the whole lists showed was first observed in it or
# before and last observed in it or after (an entry such a snapshot no longer shows was
# removed). A partial snapshot (a sample, a subset) is left out: one taken between an
# entry's first and last observations may not have shown it. Shown is not in force: a list
# may still print an entry past the end date it gives, which the as-of examples leave out
# (the DPL of 2022-05-06 shows 437 entries, 435 of them in force). A build of the bundled
# sources alone reads no snapshot: it answers nothing (kg build --csl adds them).
SELECT ?snapshot ?issued ?list (COUNT(DISTINCT ?listing) AS ?entries) WHERE {
  ?snapshot a elkg:ListSnapshot ; dcterms:issued ?issued .
  FILTER NOT EXISTS { ?snapshot elkg:completeSnapshot false }
  ?listing elkg:firstObservedIn/dcterms:issued ?first ;
           elkg:lastObservedIn/dcterms:issued ?last ;
           elkg:onList ?list .
  FILTER (?first <= ?issued && ?issued <= ?last)
}
GROUP BY ?snapshot ?issued ?list
ORDER BY ?issued DESC(?entries) ?list""",
    ),
    Example(
        "describe",
        "Everything about Hikvision and its listings (CONSTRUCT)",
        PREFIXES
        + """
# A listing points to its entity, not the other way: its facts are asked for beside the
# entity's own.
CONSTRUCT { ?org ?p ?o . ?listing ?lp ?lo } WHERE {
  ?org schema:alternateName "Hikvision" .
  { ?org ?p ?o } UNION { ?listing elkg:listedEntity ?org ; ?lp ?lo }
}""",
    ),
)


def as_of_query(day: str) -> str:
    """ASK: was the entity named ?name (bind it) on a screening list on `day` (YYYY-MM-DD)?

    By the rule of kg.in_force; the day enters as a typed literal.
    """
    date = f'"{dt.date.fromisoformat(day).isoformat()}"^^xsd:date'
    return (
        PREFIXES
        + f"""
ASK {{
  BIND ({date} AS ?day)
  ?entity elkg:publishedName ?name .
  ?listing elkg:listedEntity ?entity .
  {PATTERN}
}}"""
    )


@functools.cache
def example_texts(base: str) -> frozenset[str]:
    """The examples' queries, their whitespace folded (a form's line ends are CRLF)."""
    return frozenset(folded(e.query) for e in examples(base))


def is_example(query: str, base: str) -> bool:
    """Whether the query is one of ours, as the query page offers it: never condemned by
    a SPARQL server's restart met while it ran (trial 35; kg.web.workers.FatalQueries)."""
    return folded(query) in example_texts(base)


def examples(base: str) -> tuple[Example, ...]:
    """The examples for a dataset published under `base` (KG_BASE_IRI).

    >>> examples("https://example.org/kg/")[2].query.count("https://example.org/kg/id/")
    1
    """
    return tuple(Example(e.id, e.title, e.query.replace(iris.DEFAULT_BASE, base)) for e in EXAMPLES)
