"""SPARQL over the published dumps answers the questions the data exists for."""

import csv
import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS

from conftest import ARTICLE, OCTOBER_ROWS, PROJECT
from kg.sources.names import split_alt_names
from kg.sources.source_toml import load_toml
from kg.store import select

PREFIXES = """
PREFIX elkg: <https://w3id.org/entitylist-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

ADDED_BY_54002 = (
    PREFIXES
    + """
SELECT DISTINCT ?org ?kind ?effective WHERE {
    ?action a elkg:Addition ; elkg:madeBy ?rule ; elkg:affectsListing ?listing ;
            elkg:effectiveDate ?effective .
    ?rule dcterms:bibliographicCitation "84 FR 54002" .
    ?listing elkg:listedEntity ?org .
    OPTIONAL { ?org a/rdfs:subClassOf* elkg:GovernmentBody . BIND ("government" AS ?government) }
    OPTIONAL { ?org a/rdfs:subClassOf* elkg:Company . BIND ("company" AS ?company) }
    BIND (COALESCE(?government, ?company, "unknown") AS ?kind)
}
"""
)


def values(rows: list[dict[str, object]], name: str) -> list[str]:
    return [row[name].value for row in rows]  # type: ignore[attr-defined]


def test_october_2019_addition_has_28_organisations(store: ox.Store) -> None:
    rows = select(store, ADDED_BY_54002)
    assert len({row["org"] for row in rows}) == 28
    kinds = values(rows, "kind")
    assert kinds.count("government") == 20
    assert kinds.count("company") == 8
    assert set(values(rows, "effective")) == {"2019-10-09"}


def test_hikvision_is_among_them(store: ox.Store) -> None:
    rows = select(store, ADDED_BY_54002)
    names = select(
        store,
        PREFIXES
        + """
        SELECT DISTINCT ?name WHERE { ?org schema:alternateName "Hikvision" ; elkg:publishedName ?name }""",
    )
    assert values(names, "name") == ["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert ox.NamedNode(
        "https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd"
    ) in {row["org"] for row in rows}


RATIONALES = (
    PREFIXES
    + """
SELECT ?name ?rationale WHERE {
    ?listing elkg:listedEntity ?org ; elkg:rationale/skos:notation ?rationale .
    ?org elkg:publishedName ?name .
}
"""
)


def test_huawei_rationale_differs_from_the_october_28(store: ox.Store) -> None:
    rationales: dict[str, set[str]] = {}
    for row in select(store, RATIONALES):
        rationales.setdefault(row["name"].value, set()).add(row["rationale"].value)  # type: ignore[union-attr]
    huawei = rationales.pop("Huawei Technologies Co., Ltd. (Huawei)")
    assert huawei == {"national-security"}
    assert len(rationales) == 28
    for name, given in rationales.items():
        assert given == {"human-rights-xinjiang", "foreign-policy-interests"}, name
        assert not given & huawei


STATEMENT = (
    PREFIXES
    + """
SELECT DISTINCT ?speaker ?statement ?date ?behalf ?source ?role ?stance ?action ?text ?verbatim ?quotedBy WHERE {
    ?statement a elkg:Statement ; elkg:speaker/schema:name ?speaker ; elkg:concerns ?action ;
               elkg:stance ?stance ; dcterms:source ?source ; elkg:text ?text ;
               elkg:verbatim ?verbatim .
    ?action a/rdfs:subClassOf* elkg:ListAction .
    OPTIONAL { ?statement elkg:date ?date }
    OPTIONAL { ?statement elkg:onBehalfOf/schema:name ?behalf }
    OPTIONAL { ?statement elkg:speakerRole/rdfs:label ?role }
    OPTIONAL { ?statement elkg:quotedBy/schema:name ?quotedBy }
}
"""
)


def statements_by(store: ox.Store, speaker: str) -> list[dict[str, str]]:
    rows = select(store, STATEMENT, {"speaker": ox.Literal(speaker)})
    found = [{name: term.value for name, term in row.items()} for row in rows]  # type: ignore[union-attr]
    return sorted(found, key=lambda row: row["statement"])


def statement_by(store: ox.Store, speaker: str) -> dict[str, str]:
    (row,) = statements_by(store, speaker)
    return row


ARTICLE_GRAPH = "https://w3id.org/entitylist-kg/graph/article-2019-10-08"


def test_ross_quotations_are_two_statements_attributed_and_sourced(store: ox.Store) -> None:
    first, second = statements_by(store, "Wilbur Ross")
    assert first["statement"].endswith("/statement/2019-10-07-wilbur-ross")  # the IRI kept
    assert first["text"] == (
        "The US Government and Department of Commerce cannot and will not tolerate the brutal "
        "suppression of ethnic minorities within China"
    )
    assert second["text"].startswith("This action will ensure that our technologies")
    for ross in (first, second):
        assert "date" not in ross  # the article does not say when he said it
        assert ross["verbatim"] == "true"
        assert ross["behalf"] == "United States Department of Commerce"
        assert ross["role"] == "Secretary of Commerce"
        assert ross["source"] == "https://w3id.org/entitylist-kg/id/source/article-2019-10-08"
        assert ross["stance"].endswith("#Supports")


def test_geng_shuang_opposes_the_same_action(store: ox.Store) -> None:
    ross, geng = statements_by(store, "Wilbur Ross")[0], statement_by(store, "Geng Shuang")
    assert geng["action"] == ross["action"]
    assert geng["action"].endswith("/action/84-fr-54002/addition")
    assert geng["stance"].endswith("#Opposes")
    assert geng["quotedBy"] == "Reuters"
    assert "date" not in geng  # the article does not say when the briefing was held
    assert geng["verbatim"] == "false"


def test_verbatim_statements_are_exact_substrings_of_the_article(store: ox.Store) -> None:
    """Nothing is normalised: not whitespace, not quotation marks, not punctuation."""
    article = ARTICLE.read_text(encoding="utf-8")
    rows = select(
        store,
        PREFIXES
        + """
        SELECT ?s ?text WHERE { ?s elkg:text ?text ; elkg:verbatim true }""",
    )
    assert len(rows) == 5
    for row in rows:
        text = row["text"].value  # type: ignore[union-attr]
        assert text in article, row["s"]
        # The whole quotation: what precedes it in the article is an opening quotation mark.
        assert article[article.index(text) - 1] in '\u201c"', row["s"]


def test_the_article_graph_asserts_no_date_or_document_the_article_does_not_state(
    store: ox.Store,
) -> None:
    rows = select(
        store,
        PREFIXES
        + """
        SELECT DISTINCT ?s ?p ?o WHERE {
            GRAPH <"""
        + ARTICLE_GRAPH
        + """> {
                { ?s ?p ?o FILTER (datatype(?o) = xsd:date && str(?o) = "2019-10-07") }
                UNION { ?s a elkg:Statement ; elkg:date ?o BIND (elkg:date AS ?p) }
                UNION { ?s ?p ?o FILTER (?p IN (elkg:originalDocument, elkg:announcementDate)) }
                UNION { ?s ?p ?o FILTER (?p = elkg:venue && ?o = elkg:PressReleaseVenue) }
                UNION { ?s ?p elkg:PressRelease BIND (elkg:PressRelease AS ?o) }
            }
        }""",
        union=False,
    )
    assert rows == []


#: What a rule's note must say its graph holds, by the predicates that state it.
RULE_FACTS = {
    "http://purl.org/dc/terms/title": "citation",
    "http://purl.org/dc/terms/bibliographicCitation": "citation",
    "https://schema.org/url": "citation",
    "https://w3id.org/entitylist-kg/ontology#documentNumber": "document number",
    "https://w3id.org/entitylist-kg/ontology#frVolume": "citation",
    "https://w3id.org/entitylist-kg/ontology#frPage": "citation",
    "https://w3id.org/entitylist-kg/ontology#publicationDate": "dates",
    "https://w3id.org/entitylist-kg/ontology#effectiveDate": "dates",
    "https://w3id.org/entitylist-kg/ontology#startDate": "dates",
    "https://w3id.org/entitylist-kg/ontology#issuedBy": "agency",
    "https://w3id.org/entitylist-kg/ontology#amendsCfrPart": "CFR part",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "kind",
    "http://www.w3.org/2000/01/rdf-schema#label": "entit",
    "https://w3id.org/entitylist-kg/ontology#madeBy": "added",
    "https://w3id.org/entitylist-kg/ontology#affectsListing": "listing",
    "https://w3id.org/entitylist-kg/ontology#listedEntity": "listing",
    "https://w3id.org/entitylist-kg/ontology#onList": "listing",
    "https://w3id.org/entitylist-kg/ontology#createdBy": "listing",
    "https://w3id.org/entitylist-kg/ontology#rationale": "reason",
    "https://w3id.org/entitylist-kg/ontology#subOrganizationOf": "subordinate",
}


@pytest.mark.parametrize("rule", ["fr-2019-22210", "fr-2019-10616"])
def test_a_rules_note_says_every_kind_of_fact_its_graph_holds(store: ox.Store, rule: str) -> None:
    """The rule page said only citation, dates, agency, CFR part and entities were
    transcribed, while its graph held the bureaus' subordination, kinds and the reason given
    (trial 37a): a fact of a kind the note does not name is a fact the reader cannot place."""
    graph = f"https://w3id.org/entitylist-kg/graph/{rule}"
    held = {
        row["p"].value
        for row in select(
            store, f"SELECT DISTINCT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union=False
        )
    }  # type: ignore[union-attr]
    [row] = select(
        store,
        f"""SELECT ?note WHERE {{
            <{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?rule .
            ?rule <http://www.w3.org/2000/01/rdf-schema#comment> ?note }}""",
        union=True,
    )
    note = row["note"].value  # type: ignore[union-attr]
    assert held <= RULE_FACTS.keys(), f"say in {rule}'s note what {held - RULE_FACTS.keys()} state"
    assert [p for p in sorted(held) if RULE_FACTS[p] not in note] == []


def test_only_the_editors_graph_is_said_to_be_theirs(store: ox.Store) -> None:
    """graph/curation and the curators' identity judgements were typed and labelled as any
    source's, "Facts drawn from" (trial 37a)."""
    rows = select(
        store,
        PREFIXES
        + """SELECT ?graph ?label WHERE { ?graph a elkg:CurationGraph ; rdfs:label ?label }""",
        union=True,
    )
    found = sorted((r["graph"].value, r["label"].value) for r in rows)  # type: ignore[union-attr]
    assert found == [
        (
            "https://w3id.org/entitylist-kg/graph/curation",
            "Facts the editors state: Editorial curation by the entitylist-kg contributors",
        ),
        (
            "https://w3id.org/entitylist-kg/graph/identity-judgements",
            "Facts the editors state: Identity judgements by the entitylist-kg curators",
        ),
    ]


def test_every_statement_in_a_graph_drawn_from_its_source(store: ox.Store) -> None:
    rows = select(
        store,
        PREFIXES
        + """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?statement ?graph WHERE {
            GRAPH ?graph { ?statement a elkg:Statement ; dcterms:source ?source }
            ?graph prov:wasDerivedFrom ?source .
        }""",
        union=True,
    )
    assert len(rows) == 8


def test_valuations(store: ox.Store) -> None:
    rows = select(
        store,
        PREFIXES
        + """
        SELECT ?name ?amount ?currency WHERE {
            ?v a elkg:Valuation ; elkg:valuedEntity/elkg:publishedName ?name ;
               elkg:amount ?amount ; elkg:currency ?currency }""",
    )
    got = {row["name"].value: float(row["amount"].value) for row in rows}  # type: ignore[union-attr]
    assert got == {
        "Hangzhou Hikvision Digital Technology Co., Ltd.": 42e9,
        "Beijing Sensetime Technology Development Co., Ltd.": 4.5e9,
        "Megvii Technology": 4e9,
    }


def test_wikidata_links_only_where_known(store: ox.Store) -> None:
    rows = select(store, "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }")
    qids = sorted(row["o"].value.rsplit("/", 1)[1] for row in rows)  # type: ignore[union-attr]
    assert qids == ["Q160120", "Q34800", "Q503577", "Q8000233"]


@pytest.fixture(scope="module")
def csl_rows() -> list[dict[str, str]]:
    with OCTOBER_ROWS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_names_and_aliases_are_those_the_csl_publishes(
    store: ox.Store, csl_rows: list[dict[str, str]]
) -> None:
    query = (
        PREFIXES
        + """
        SELECT ?name ?alias WHERE {
            ?org elkg:publishedName ?name .
            GRAPH <https://w3id.org/entitylist-kg/graph/csl-2022-05> {
                ?org schema:alternateName|elkg:transliteration ?alias
            }
        }"""
    )
    for row in csl_rows:
        aliases = select(store, query, {"name": ox.Literal(row["name"])})
        assert sorted(values(aliases, "alias")) == sorted(split_alt_names(row["alt_names"])), row[
            "name"
        ]


def test_addresses_are_those_the_csl_publishes(
    store: ox.Store, csl_rows: list[dict[str, str]]
) -> None:
    query = (
        PREFIXES
        + """
        SELECT ?name ?full WHERE { ?org elkg:publishedName ?name ; elkg:address/elkg:fullAddress ?full }"""
    )
    for row in csl_rows:
        published = [part.strip() for part in row["addresses"].split(";")]
        found = select(store, query, {"name": ox.Literal(row["name"])})
        assert sorted(values(found, "full")) == sorted(published), row["name"]


def test_damaged_name_kept_with_a_certain_repair(store: ox.Store) -> None:
    rows = select(
        store,
        PREFIXES
        + """
        SELECT ?name ?repaired WHERE { ?org elkg:publishedName ?name ; elkg:repairedName ?repaired }""",
    )
    assert [(row["name"].value, row["repaired"].value) for row in rows] == [  # type: ignore[union-attr]
        (
            "Xinjiang Uighur Autonomous Region (XUAR) People?s Government Public Security Bureau",
            "Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau",
        )
    ]


def test_psbs_sit_under_the_xuar_psb(store: ox.Store) -> None:
    rows = select(
        store,
        PREFIXES
        + """
        SELECT ?org WHERE { ?org elkg:subOrganizationOf ?parent . ?parent elkg:repairedName ?n }""",
    )
    assert len(rows) == 18


def test_nothing_bundled_is_dated_after_its_source_or_the_release() -> None:
    """Curators' judgements of 2026-12-01 and 2026-12-06 were published in a release of
    2026-11-24 (trial 35): a release is issued on or after everything it holds."""
    data = PROJECT / "data"
    released = dt.date.fromisoformat(str(load_toml(data / "dataset.toml", "")["issued"]))
    for folder in sorted((data / "sources").iterdir()):
        issued = load_toml(folder / "source.toml", "")["document"]["issued"]
        assert issued <= released, folder.name
        facts = Graph().parse(folder / "facts.ttl", publicID="https://x.test/id/")
        for day in facts.objects(None, DCTERMS.date):
            assert day.toPython() <= issued, (folder.name, day)
