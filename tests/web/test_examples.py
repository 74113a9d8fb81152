"""The query page's examples: every "as of" one asks by the one rule, under any base IRI."""

import pyoxigraph as ox

from kg.in_force import EVERY_ENTRY_PATTERN, PATTERN
from kg.web.examples import EXAMPLES, as_of_query, examples

FORMS = {"lookups": PATTERN, "whole": EVERY_ENTRY_PATTERN}
ELKG = "https://w3id.org/entitylist-kg/ontology#"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def test_every_as_of_example_uses_the_rule() -> None:
    dated = [e for e in EXAMPLES if "?day" in e.query]
    forms = {
        e.id: [name for name, form in FORMS.items() if form in e.query] for e in dated
    }  # one entity's question looks it up; a question of every entry reads them whole; the
    # count of every list reads the counts the build made by the rule (kg.graph.census)
    assert forms == {"on-list-on": ["lookups"], "in-force-on": ["whole"], "lists-on": []}
    assert "elkg:countSince" in next(e.query for e in EXAMPLES if e.id == "lists-on")
    assert PATTERN in as_of_query("2020-01-01")


def test_the_examples_follow_the_base_iri() -> None:
    moved = examples("https://example.org/kg/")
    assert all("https://w3id.org/entitylist-kg/id/" not in e.query for e in moved)
    assert "<https://example.org/kg/id/list/entity-list>" in moved[3].query


def test_an_undated_entry_counts_from_its_first_snapshot(store: ox.Store) -> None:
    """On the bundled build, with one snapshot's observation added to an undated listing."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    base = "https://w3id.org/entitylist-kg/"
    listing = ox.NamedNode(f"{base}id/listing/capta-list/acme/undated")
    snapshot = ox.NamedNode(f"{base}id/source/csl-2022-05-06")
    for s, p, o in (
        (listing, "listedEntity", ox.NamedNode(f"{base}id/org/acme")),
        (listing, "onList", ox.NamedNode(f"{base}id/list/capta-list")),
        (listing, "firstObservedIn", snapshot),
    ):
        copy.add(ox.Quad(s, ox.NamedNode(f"{base}ontology#{p}"), o))
    copy.add(
        ox.Quad(
            ox.NamedNode(f"{base}id/org/acme"),
            ox.NamedNode(f"{base}ontology#publishedName"),
            ox.Literal("Acme"),
        )
    )
    copy.add(
        ox.Quad(
            snapshot,
            ox.NamedNode("http://purl.org/dc/terms/issued"),
            ox.Literal(
                "2022-05-06", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        )
    )
    name = {ox.Variable("name"): ox.Literal("Acme")}
    before = copy.query(
        as_of_query("2022-05-05"), substitutions=name, use_default_graph_as_union=True
    )
    after = copy.query(
        as_of_query("2022-05-06"), substitutions=name, use_default_graph_as_union=True
    )
    assert not before and after
