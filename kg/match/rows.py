"""The queries that feed the index, and their rows turned into parties with their listings.

The server runs these queries in its query workers, `kg screen` in a store of its own; both
hand the rows here as plain strings (variable -> value), so that the index is the same
whichever ran them. Only parties with at least one listing are screened against, and the
entities a curator judged to be one party (`owl:sameAs`, kg.graph.identity) are screened as
one, with every name and listing of each: a screener sees Huawei once, with its EL and CMIC
entries, not two namesakes to tell apart.
"""

from collections import defaultdict
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, replace

import pyoxigraph as ox

from kg.iris import local_name
from kg.match.evidence import countries_of, ids_of
from kg.match.inferred import ONLY_INFERRED
from kg.match.labels import NAME, OTHER, REPAIRED_NAME, best
from kg.match.model import CandidateMatch, Entity, Listing, Release, Rule
from kg.match.normalise import WITHOUT_PLACE, fold, parts, without_place
from kg.store import select
from kg.vocab import ELKG, OWL, SCHEMA

Rows = Sequence[Mapping[str, str]]

_PREFIXES = f"""PREFIX schema: <{SCHEMA}>
PREFIX elkg: <{ELKG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX owl: <{OWL}>
"""

#: Name -> SELECT query. Each is a simple join: the whole CSL answers each in under 0.5 s.
QUERIES: dict[str, str] = {
    name: _PREFIXES + text
    for name, text in {
        # With the kind of each source that states the name: a name only a news article or
        # our curation gives is said so (trial 35).
        "names": """SELECT DISTINCT ?entity ?property ?name ?source WHERE {
  ?listing elkg:listedEntity ?entity .
  VALUES ?property { schema:name schema:alternateName elkg:repairedName elkg:formerName
                     elkg:transliteration elkg:publishedName }
  GRAPH ?graph { ?entity ?property ?name }
  OPTIONAL {
    ?graph dcterms:source ?document . ?document a ?source .
    FILTER (?source IN (elkg:NewsArticle, elkg:EditorialCuration))
  }
}""",
        # Where listed parties are: a name may end with its place ("..., Tsim Sha Tsui").
        "places": """SELECT DISTINCT ?place WHERE {
  ?listing elkg:listedEntity ?entity . ?entity elkg:address ?address .
  VALUES ?property { schema:addressLocality schema:addressRegion }
  ?address ?property ?place .
}""",
        "facts": """SELECT DISTINCT ?entity ?property ?value WHERE {
  ?listing elkg:listedEntity ?entity .
  VALUES ?property { elkg:country elkg:citizenship elkg:nationality elkg:vesselFlag
                     elkg:dateOfBirth elkg:identifierText elkg:callSign }
  ?entity ?property ?value .
}""",
        "inferred": f"""SELECT DISTINCT ?entity WHERE {{
  ?listing elkg:listedEntity ?entity . {ONLY_INFERRED}
}}""",
        "types": """SELECT DISTINCT ?entity ?type WHERE {
  ?listing elkg:listedEntity ?entity . ?entity a ?type .
  VALUES ?type { elkg:Person elkg:Vessel elkg:Aircraft elkg:Company elkg:Organization elkg:Party }
}""",
        "listings": """SELECT DISTINCT ?listing ?entity ?list ?start ?end ?observed WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:onList ?list .
  OPTIONAL { ?listing elkg:startDate ?start } OPTIONAL { ?listing elkg:endDate ?end }
  OPTIONAL { ?listing elkg:firstObservedIn/dcterms:issued ?observed }
}""",
        # Apart from "listings": a listing printed under two spellings is one listing.
        "entry_names": """SELECT DISTINCT ?listing ?name WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:entryName ?name .
}""",
        # The number the list gives the entry (the SDN's uid): what an analyst records, and
        # what tells namesakes apart (trial 51d: MINISTRY OF STATE SECURITY 20129 or 25437).
        "entry_numbers": """SELECT DISTINCT ?listing ?number WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:entityNumber ?number .
}""",
        "lists": """SELECT DISTINCT ?list ?name ?abbreviation WHERE {
  ?list a elkg:ScreeningList ; schema:name ?name .
  OPTIONAL { ?list elkg:abbreviation ?abbreviation }
}""",
        # Two queries, not a UNION: the engine takes 13 s over the whole CSL for the union.
        "rules": """SELECT DISTINCT ?listing ?rule ?citation ?published ?year WHERE {
  ?listing elkg:listedEntity ?entity ; elkg:citesInstrument ?rule .
  ?rule dcterms:bibliographicCitation ?citation .
  OPTIONAL { ?rule elkg:publicationDate ?published }
  OPTIONAL { ?rule elkg:frYear ?year }
}""",
        "actions": """SELECT DISTINCT ?listing ?rule ?citation ?published ?year WHERE {
  ?action elkg:affectsListing ?listing ; elkg:madeBy ?rule .
  ?rule dcterms:bibliographicCitation ?citation .
  OPTIONAL { ?rule elkg:publicationDate ?published }
  OPTIONAL { ?rule elkg:frYear ?year }
}""",
        "removals": """SELECT DISTINCT ?listing ?seen ?before WHERE {
  ?removal a elkg:Removal ; elkg:affectsListing ?listing ;
           elkg:observedIn/dcterms:issued ?seen .
  OPTIONAL { ?removal elkg:notObservedIn ?before }
}""",
        # Our reading of the snapshots: a later entry of the party on the list renews it.
        "renewals": """SELECT DISTINCT ?listing ?renewing ?later WHERE {
  ?renewing elkg:renews ?listing ; elkg:startDate ?later .
}""",
        # Ours, unsettled: a curator's judgement either way settles one (elkg:resolvedBy).
        "candidate_matches": """SELECT DISTINCT ?match ?entity ?score ?evidence WHERE {
  ?match a elkg:CandidateMatch ; elkg:candidate ?entity .
  FILTER NOT EXISTS { ?match elkg:resolvedBy ?judgement }
  OPTIONAL { ?match elkg:matchScore ?score } OPTIONAL { ?match elkg:evidence ?evidence }
}""",
        "same": """SELECT DISTINCT ?entity ?other WHERE {
  ?entity owl:sameAs ?other .
  ?listing elkg:listedEntity ?entity . ?otherListing elkg:listedEntity ?other .
}""",
        # The snapshots of the whole lists (a partial one, a sample, shows no removal), and
        # the first and last of any.
        "release": """SELECT ?release ?issued ?first ?last ?earliest ?latest WHERE {
  ?release dcat:inSeries ?series ; dcterms:issued ?issued .
  OPTIONAL {
    SELECT (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
      ?snapshot a elkg:ListSnapshot ; dcterms:issued ?day .
      FILTER NOT EXISTS { ?snapshot elkg:completeSnapshot false }
    }
  }
  OPTIONAL {
    SELECT (MIN(?shown) AS ?earliest) (MAX(?shown) AS ?latest) WHERE {
      ?any a elkg:ListSnapshot ; dcterms:issued ?shown
    }
  }
} ORDER BY DESC(?issued) LIMIT 1""",
    }.items()
}

#: How each naming property is shown in an explanation.
NAME_KINDS = {
    str(SCHEMA.name): "name",
    str(ELKG.publishedName): "name",
    str(SCHEMA.alternateName): "alias",
    str(ELKG.transliteration): "transliteration",
    str(ELKG.repairedName): "repaired name",
    str(ELKG.formerName): "former name",
}
# A party of unknown kind is a LegalEntity, yente's schema for "person or organisation":
# calling it an Organization would state what no source says.
_SCHEMA_OF_TYPE = {
    "Person": "Person",
    "Vessel": "Vessel",
    "Aircraft": "Airplane",
    "Party": "LegalEntity",
}


@dataclass(frozen=True)
class Parties:
    entities: list[Entity]
    names: list[tuple[int, str, str]]  # entity position, name as written, kind
    lists: dict[str, tuple[str, str]]  # list IRI -> (name, abbreviation)
    places: frozenset[str] = frozenset()  # localities and regions of listed addresses, folded


def run_queries(store: ox.Store) -> dict[str, list[dict[str, str]]]:
    """Every query of QUERIES over a local store, as plain-string rows (for `kg screen`)."""
    return {
        name: [{k: v.value for k, v in row.items()} for row in select(store, query)]  # type: ignore[union-attr]
        for name, query in QUERIES.items()
    }


def release_of(rows: Rows, nquads_sha256: str) -> Release:
    if not rows:
        return Release("", "", nquads_sha256)
    row = rows[0]
    return Release(
        row["release"],
        row["issued"],
        nquads_sha256,
        first_complete_snapshot=row.get("first", ""),
        last_complete_snapshot=row.get("last", ""),
        last_snapshot=row.get("latest", ""),
        first_snapshot=row.get("earliest", ""),
    )


def parties(rows: Mapping[str, Rows]) -> Parties:
    lists = _lists(rows["lists"])
    party_of = _parties_of(rows.get("same", ()))

    def party(iri: str) -> str:
        return party_of.get(iri, iri)

    listings: dict[str, list[Listing]] = defaultdict(list)
    for iri, found in _listings(rows, lists).items():
        listings[party(iri)].extend(found)
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows["facts"]:
        facts[party(row["entity"])][local_name(row["property"])].append(row["value"])
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows["types"]:
        types[party(row["entity"])].add(local_name(row["type"]))
    places = {" ".join(fold(row["place"])) for row in rows.get("places", ())}
    named = _names(rows["names"], party, places)
    inferred = {party(row["entity"]) for row in rows.get("inferred", ())}
    referents: dict[str, list[str]] = defaultdict(list)
    for iri, one in sorted(party_of.items()):
        referents[one].append(iri)
    entities: list[Entity] = []
    names: list[tuple[int, str, str]] = []
    for iri in sorted(set(named) & set(listings)):
        found = tuple(sorted(listings[iri], key=lambda listing: (listing.start or "", listing.iri)))
        entity = _entity(iri, named[iri], facts[iri], types[iri], found)
        names.extend((len(entities), text, kind) for text, kind in sorted(named[iri].items()))
        entities.append(
            replace(entity, referents=tuple(referents[iri]), kind_inferred=iri in inferred)
        )
    matched = _candidate_matches(rows.get("candidate_matches", ()), party, entities)
    entities = [replace(e, candidate_matches=matched.get(e.iri, ())) for e in entities]
    return Parties(entities, names, lists, frozenset(places))


def _candidate_matches(
    rows: Rows, party: Callable[[str], str], entities: Sequence[Entity]
) -> dict[str, tuple[CandidateMatch, ...]]:
    """Party IRI -> our candidate matches of it with other parties screened, best first;
    none of a party with itself (a curator judged the two one) or with one not screened."""
    by_iri = {entity.iri: entity for entity in entities}
    parties: dict[str, set[str]] = defaultdict(set)
    evidence: dict[str, set[str]] = defaultdict(set)
    scores: dict[str, float] = {}
    for row in rows:
        parties[row["match"]].add(party(row["entity"]))
        if row.get("evidence"):
            evidence[row["match"]].add(row["evidence"])
        if row.get("score"):
            scores[row["match"]] = float(row["score"])
    found: dict[str, list[CandidateMatch]] = defaultdict(list)
    for match, pair in sorted(parties.items()):
        if len(pair) != 2 or not pair <= by_iri.keys():
            continue
        said = tuple(sorted(evidence[match], key=_evidence_order))
        for one, other in (sorted(pair), sorted(pair, reverse=True)):
            found[one].append(_match(match, by_iri[other], scores.get(match), said))
    for iri, through in _namesakes_through(found).items():
        found[iri] += [
            _match("", by_iri[other], None, (_reached(by_iri[via], said),))
            for other, said, via in through
        ]
    return {iri: _best_per_party(matches) for iri, matches in found.items()}


def _match(iri: str, theirs: Entity, score: float | None, said: tuple[str, ...]) -> CandidateMatch:
    abbreviations = tuple(sorted({x.abbreviation for x in theirs.listings if x.abbreviation}))
    entries = tuple(dict.fromkeys(x.entry for x in theirs.listings if x.number))
    countries = tuple(sorted(theirs.countries))
    return CandidateMatch(
        iri, theirs.iri, theirs.caption, abbreviations, score, said, entries, countries
    )


Reached = tuple[str, tuple[str, ...], str]  # a namesake, the evidence, the one between


def _namesakes_through(found: Mapping[str, list[CandidateMatch]]) -> dict[str, list[Reached]]:
    """Party IRI -> (party, evidence, through) for each namesake the list tells apart from it
    that no match of its own names: the ingest pairs each AL-AQSA FOUNDATION of the SDN with
    the first of the name only, and a screener of 7645 saw 7637 named, not 7643 or 7644
    (51d). The evidence is that of the match that pairs it with the namesake it is reached
    through ("entries 7637 and 7643"), which `through` names."""
    namesakes = {
        iri: {m.other: m.evidence for m in matches if m.namesake} for iri, matches in found.items()
    }
    through: dict[str, list[Reached]] = {}
    for start in sorted(namesakes):
        seen: dict[str, tuple[tuple[str, ...], str]] = {start: ((), start)}
        todo = [start]
        while todo:
            node = todo.pop(0)
            for other, said in sorted(namesakes.get(node, {}).items()):
                if other not in seen:
                    seen[other] = (said, node)
                    todo.append(other)
        direct = namesakes[start].keys() | {start}
        through[start] = [(o, *reached) for o, reached in sorted(seen.items()) if o not in direct]
    return through


def _reached(via: Entity, said: tuple[str, ...]) -> str:
    """The evidence of a namesake reached through another, which it names: card 7643's
    namesake 7644 said "entries 7637 and 7644 of the SDN", 7637 unexplained (54c P4)."""
    entries = [x.entry for x in via.listings if x.number]
    named = f"{via.caption} ({', '.join(entries)})" if entries else via.caption
    return f"through {named}, a namesake of both: {'; '.join(said)}"


def _evidence_order(said: str) -> tuple[int, str]:
    """The names first, the lists last: the graph keeps no order, and read alphabetically
    "entered on one list ..." and "lists: ..." came before why the names agree (51b).

    >>> sorted(["lists: both on DPL", "same address: X", "one name is the other but ..."],
    ...        key=_evidence_order)
    ['one name is the other but ...', 'same address: X', 'lists: both on DPL']
    """
    names = ("same name", "names alike", "one name")
    return (0 if said.startswith(names) else 2 if said.startswith("lists:") else 1, said)


def _best_per_party(matches: list[CandidateMatch]) -> tuple[CandidateMatch, ...]:
    """The best match with each other party, best first: records a curator judged one party
    may each have been paired with the same other (Huawei's EL and CMIC records)."""
    best: dict[str, CandidateMatch] = {}
    # A namesake a match of its own pairs first, then those paired through it.
    for match in sorted(matches, key=lambda m: (-(m.score or 0), not m.iri, m.caption, m.iri)):
        best.setdefault(match.other, match)
    return tuple(best.values())


#: What a name's kind says of a name no list gives ("alias given only by a news article").
GIVEN_ONLY = " given only by "
#: The sources whose names are not a list's, by their document's class, as an explanation
#: says them: "SenseTime Group Ltd" (alias) read as the Entity List's (trial 35).
UNOFFICIAL = {
    str(ELKG.NewsArticle): "a news article",
    str(ELKG.EditorialCuration): "our curation",
}
#: What the kind of a name only the news article gives ends with.
ARTICLE_ONLY = GIVEN_ONLY + UNOFFICIAL[str(ELKG.NewsArticle)]


def _names(
    rows: Rows, party: Callable[[str], str], places: Container[str] = ()
) -> dict[str, dict[str, str]]:
    """Party IRI -> its names (as written, and their parts, and without a place `places`
    holds that ends them) with their kinds; a name that no list, rule or graph of ours
    states but a news article or our curation is said so."""
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        sources[row["entity"], row["name"]].add(row.get("source", ""))
    named: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        names, kind = named[party(row["entity"])], NAME_KINDS[row["property"]]
        given, only = sources[row["entity"], row["name"]], ""
        if given <= UNOFFICIAL.keys():
            only = GIVEN_ONLY + " and ".join(sorted(UNOFFICIAL[s] for s in given))
        _add_name(names, row["name"], kind + only)
        for text, how in parts(row["name"], places):
            _add_name(names, text, f"{kind}, {how}{only}")
        if plain := without_place(row["name"], places):
            _add_name(names, plain, f"{kind}, {WITHOUT_PLACE}{only}")
    return named


def _parties_of(rows: Rows) -> dict[str, str]:
    """Entity IRI -> the IRI of the party it was judged one with (the first in IRI order),
    for every entity a curator linked with `owl:sameAs`, transitively."""
    linked: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        linked[row["entity"]].add(row["other"])
        linked[row["other"]].add(row["entity"])
    party_of: dict[str, str] = {}
    for start in sorted(linked):
        if start in party_of:
            continue
        group, todo = {start}, [start]
        while todo:
            for other in linked[todo.pop()] - group:
                group.add(other)
                todo.append(other)
        party_of.update((iri, start) for iri in group if iri != start)
    return party_of


def _add_name(names: dict[str, str], text: str, kind: str) -> None:
    """A name once, under its strongest kind: a name also given as an alias is a name, and
    a repaired name also given as an alias is a repaired name (the caption's first choice:
    "People's", where the list printed "People?s")."""
    known = names.get(text)
    stronger = kind == "name" or (kind == "repaired name" and known != "name")
    if known is None or stronger or (known != "name" and "," in known and "," not in kind):
        names[text] = kind


def _lists(rows: Rows) -> dict[str, tuple[str, str]]:
    """List IRI -> (shortest name, abbreviation): a list carries its title and its name as
    published ("Entity List (EL) - Bureau of Industry and Security")."""
    found: dict[str, tuple[str, str]] = {}
    for row in rows:
        name, abbreviation = row["name"], row.get("abbreviation", "")
        known = found.get(row["list"])
        if known is None or (len(name), name) < (len(known[0]), known[0]):
            found[row["list"]] = (name, abbreviation or (known[1] if known else ""))
    return found


def _listings(
    rows: Mapping[str, Rows], lists: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[Listing, ...]]:
    rules: dict[str, set[Rule]] = defaultdict(set)
    for row in (*rows["rules"], *rows.get("actions", ())):
        published = row.get("published") or row.get("year")
        rules[row["listing"]].add(Rule(row["rule"], row["citation"], published))
    removed: dict[str, set[str]] = defaultdict(set)
    before: dict[str, tuple[str, str]] = {}  # the first removal seen: (seen, still shown)
    for row in rows["removals"]:
        removed[row["listing"]].add(row["seen"])
        first = (row["seen"], row.get("before") or "")
        before[row["listing"]] = min(first, before.get(row["listing"], first))
    renewed: dict[str, tuple[str, str]] = {}
    renewing: set[str] = set()
    for row in rows.get("renewals", ()):
        later = (row["later"], row.get("renewing", ""))
        renewed[row["listing"]] = min(later, renewed.get(row["listing"], later))
        renewing.add(row.get("renewing", ""))
    printed: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in rows.get("entry_names", ()):  # none from a store built before they were
        printed[row["listing"]].append((NAME, row["name"]))
    numbers: dict[str, str] = {}
    for row in rows.get("entry_numbers", ()):  # none from a store built before they were
        numbers[row["listing"]] = min(row["number"], numbers.get(row["listing"], row["number"]))
    by_entity: dict[str, list[Listing]] = defaultdict(list)
    for row in rows["listings"]:
        name, abbreviation = lists.get(row["list"], (row["list"].rsplit("/", 1)[-1], ""))
        listing = Listing(
            row["listing"],
            row["list"],
            name,
            abbreviation,
            row.get("start"),
            row.get("end"),
            tuple(sorted(rules[row["listing"]], key=lambda rule: rule.citation)),
            tuple(sorted(removed[row["listing"]])),
            row.get("observed"),
            row["entity"],
            *_renewal(renewed.get(row["listing"]), row.get("end"), rules),
            before.get(row["listing"], ("", ""))[1] or None,
            best(printed[row["listing"]]) or None,
            row["listing"] in renewing,
            numbers.get(row["listing"]),
        )
        by_entity[row["entity"]].append(listing)
    return {entity: tuple(found) for entity, found in by_entity.items()}


def _renewal(
    renewal: tuple[str, str] | None, end: str | None, rules: Mapping[str, set[Rule]]
) -> tuple[str | None, tuple[Rule, ...]]:
    """The start of the entry that renews one, and the rules it cites that were published
    between the two (87 FR 30173 of 2022-05-18 and 87 FR 68123 of 2022-11-14, MAHMOUD
    AMINI's renewals between his orders of 2021 and 2023: trial 43b)."""
    if renewal is None:
        return None, ()
    later, renewing = renewal
    between = (rule for rule in rules.get(renewing, ()) if (end or "") < (rule.day or "") < later)
    return later, tuple(sorted(between, key=lambda rule: (rule.day or "", rule.citation)))


def _entity(
    iri: str,
    names: Mapping[str, str],
    facts: Mapping[str, list[str]],
    types: set[str],
    listings: tuple[Listing, ...],
) -> Entity:
    countries = [
        value
        for key in ("country", "citizenship", "nationality", "vesselFlag")
        for value in facts.get(key, [])
    ]
    return Entity(
        iri,
        _caption(names),
        _schema(types),
        countries_of(countries),
        tuple(sorted(set(facts.get("dateOfBirth", [])))),
        ids_of([*facts.get("identifierText", []), *facts.get("callSign", [])]),
        listings,
    )


def _caption(names: Mapping[str, str]) -> str:
    """The name to show, as the site's pages and search show it (kg.match.labels): a name,
    not an alias, repaired where the list damaged it, in mixed case where there is one."""
    ranks = {"repaired name": REPAIRED_NAME, "name": NAME}
    return best((ranks.get(kind, OTHER), text) for text, kind in names.items())


def _schema(types: set[str]) -> str:
    for ours, theirs in _SCHEMA_OF_TYPE.items():
        if ours in types:
            return theirs
    return "Company" if "Company" in types else "Organization"
