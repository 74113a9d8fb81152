"""The query page's examples: every "as of" one asks by the one rule, under any base IRI."""

import pyoxigraph as ox

from kg.in_force import EVERY_ENTRY_PATTERN, PATTERN
from kg.web.examples import EXAMPLES, as_of_query, examples, is_example

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


def answer(store: ox.Store, example_id: str) -> list[dict[str, str]]:
    (query,) = (e.query for e in EXAMPLES if e.id == example_id)
    found = store.query(query, use_default_graph_as_union=True)
    if isinstance(found, ox.QueryTriples):
        return [{"s": t.subject.value, "p": t.predicate.value} for t in found]
    assert isinstance(found, ox.QuerySolutions)
    names = [v.value for v in found.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in found]


def test_an_entity_is_one_row_however_many_lists_spell_it(store: ox.Store) -> None:
    """The whole CSL spells Hikvision in the Entity List's way and in the CMIC list's: one
    row, not one per name (the bundled build, with the CMIC spelling added)."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    hikvision = "https://w3id.org/entitylist-kg/id/org/hangzhou-hikvision-digital-technology-co-ltd"
    spelt = ox.Literal("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
    copy.add(ox.Quad(ox.NamedNode(hikvision), ox.NamedNode("https://schema.org/name"), spelt))
    # And a second Entity List entry, as the whole CSL has for a few (Gunther Migeotte: 4).
    second = ox.NamedNode("https://w3id.org/entitylist-kg/id/listing/entity-list/hik/2019-10-01")
    for predicate, value in (
        ("listedEntity", ox.NamedNode(hikvision)),
        ("onList", ox.NamedNode("https://w3id.org/entitylist-kg/id/list/entity-list")),
        ("startDate", ox.Literal("2019-10-01", datatype=XSD_DATE)),
    ):
        copy.add(ox.Quad(second, ox.NamedNode(f"{ELKG}{predicate}"), value))
    store = copy
    added = answer(store, "added-by-rule")
    assert len(added) == len({row["entity"] for row in added}) == 28
    assert [row["name"] for row in added] == sorted(row["name"] for row in added)
    held = answer(store, "in-force-on")
    assert len(held) == len({row["entity"] for row in held})
    (hik,) = (row for row in held if row["entity"] == hikvision)
    assert (hik["entries"], hik["since"]) == ("2", "2019-10-01")
    rights = answer(store, "human-rights")
    assert len(rights) == len({(row["entity"], row["rationale"]) for row in rights})


def test_everything_about_hikvision_holds_its_listings(store: ox.Store) -> None:
    triples = answer(store, "describe")
    listings = {t["s"] for t in triples if "/id/listing/" in t["s"]}
    assert any("/entity-list/hangzhou-hikvision" in listing for listing in listings)
    assert any(t["p"].endswith("#startDate") for t in triples if t["s"] in listings)


def test_lists_on_gives_each_list_the_count_it_read(store: ox.Store) -> None:
    rows = answer(store, "lists-on")
    assert rows
    for row in rows:
        assert row["count"].startswith("https://w3id.org/entitylist-kg/id/list-count/")
        counted = f"ASK {{ <{row['count']}> <{ELKG}countedList> <{row['list']}> }}"
        assert store.query(counted, use_default_graph_as_union=True)


def test_statements_are_dated_by_the_source_that_reports_them(store: ox.Store) -> None:
    # The article of 2019-10-08 does not date the statements it reports: their own date
    # stays empty, and the day they were reported is the article's.
    rows = answer(store, "statements")
    assert len(rows) == 8
    assert {row.get("reported") for row in rows} == {"2019-10-08"}
    assert not any(row.get("date") for row in rows)


def test_an_example_is_known_as_ours_as_a_form_sends_it() -> None:
    """An example met by the SPARQL server's restart was refused to every reader until kg
    serve restarted (trial 35): an example is ours, and never condemned."""
    base = "https://example.org/kg/"
    for example in examples(base):
        assert is_example(example.query.replace("\n", "\r\n"), base)
        assert not is_example(example.query + " LIMIT 1", base)
