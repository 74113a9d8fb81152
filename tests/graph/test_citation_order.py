"""Federal Register documents the lists date out of order are recorded in a graph of ours,
with what they disagree with and what they likely misprint, so that a researcher finds them
by SPARQL and not only on the site (trial 52b)."""

import pyoxigraph as ox

from kg.graph.citation_order import add_citation_order
from kg.iris import DEFAULT_BASE
from kg.store import select, value
from kg.vocab import ELKG, PROV, RDF, XSD, named

RULE = f"{DEFAULT_BASE}id/rule/"
GRAPH = ox.NamedNode(f"{DEFAULT_BASE}graph/csl-2022-05")


def _store(documents: list[tuple[int, int, str]]) -> ox.Store:
    """Documents (volume, page, day) as a list's graph states them."""
    store = ox.Store()
    for volume, page, day in documents:
        rule = ox.NamedNode(f"{RULE}{volume}-fr-{page}")
        store.extend(
            ox.Quad(rule, named(p), o, GRAPH)
            for p, o in (
                (ELKG.frVolume, ox.Literal(str(volume), datatype=named(XSD.integer))),
                (ELKG.frPage, ox.Literal(str(page), datatype=named(XSD.integer))),
                (ELKG.publicationDate, ox.Literal(day, datatype=named(XSD.date))),
            )
        )
    return store


def _found(store: ox.Store, predicate: str) -> set[tuple[str, str, str]]:
    rows = select(store, f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} }}")
    return {(value(r["s"])[len(RULE) :], value(r["o"])[len(RULE) :], value(r["g"])) for r in rows}


def test_a_page_after_later_days_is_recorded_with_those_it_disagrees_with() -> None:
    store = _store(
        [
            (84, 43789, "2019-08-22"),
            (84, 437789, "2019-08-22"),
            (84, 47241, "2019-09-09"),
            (84, 53404, "2019-10-07"),
            (85, 100, "2020-01-02"),
        ]
    )
    assert add_citation_order(store, DEFAULT_BASE) == 1
    ours = f"{DEFAULT_BASE}graph/citation-order"
    assert _found(store, ELKG.outOfOrderWith) == {
        ("84-fr-437789", "84-fr-47241", ours),
        ("84-fr-437789", "84-fr-53404", ours),
    }
    # 43789, of its day, is one digit from 437789 (one too many).
    assert _found(store, ELKG.likelyMisprintOf) == {("84-fr-437789", "84-fr-43789", ours)}
    method = select(
        store,
        f"SELECT ?method WHERE {{ <{ours}> <{PROV.wasGeneratedBy}> ?a . "
        "?a <http://www.w3.org/2000/01/rdf-schema#comment> ?method }",
    )
    assert "No Federal Register volume reaches a six-digit page" in value(method[0]["method"])


def test_the_check_names_the_documents_it_read_not_every_source() -> None:
    """graph/citation-order claimed derivation from the article and the curation, which
    date no Federal Register page (trial 53a)."""
    store = _store([(86, 29236, "2021-06-01"), (86, 29540, "2021-05-27")])
    provenance = ox.NamedNode(f"{DEFAULT_BASE}graph/provenance")
    article = ox.NamedNode(f"{DEFAULT_BASE}graph/article")
    for graph, document in ((GRAPH, "id/source/csl-2022-05"), (article, "id/source/article")):
        store.extend(
            ox.Quad(graph, named(p), o, provenance)
            for p, o in (
                (RDF.type, named(ELKG.SourceGraph)),
                (PROV.wasDerivedFrom, ox.NamedNode(f"{DEFAULT_BASE}{document}")),
            )
        )
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), named(RDF.type), named(ELKG.Statement), article))
    add_citation_order(store, DEFAULT_BASE)
    used = select(
        store, f"SELECT ?d WHERE {{ <{DEFAULT_BASE}id/activity/citation-order> <{PROV.used}> ?d }}"
    )
    assert [value(row["d"]) for row in used] == [f"{DEFAULT_BASE}id/source/csl-2022-05"]


def test_a_page_one_digit_from_a_page_of_its_day_is_a_likely_misprint() -> None:
    """ "86 F.R. 29540 5/27/2021" crosses 86 FR 29236 of 2021-06-01; 86 FR 28540 is of its
    day, so 29540 is blamed, not 29236."""
    store = _store([(86, 29236, "2021-06-01"), (86, 29540, "2021-05-27")])
    store.extend(_store([(86, 28540, "2021-05-27")]))
    add_citation_order(store, DEFAULT_BASE)
    ours = f"{DEFAULT_BASE}graph/citation-order"
    assert _found(store, ELKG.outOfOrderWith) == {("86-fr-29540", "86-fr-29236", ours)}
    assert _found(store, ELKG.likelyMisprintOf) == {("86-fr-29540", "86-fr-28540", ours)}


def test_documents_in_order_make_no_graph() -> None:
    store = _store([(84, 100, "2019-01-02"), (84, 200, "2019-01-03")])
    assert add_citation_order(store, DEFAULT_BASE) == 0
    assert _found(store, ELKG.outOfOrderWith) == set()
    assert len(store) == 6
