"""A party's facts as its page shows them (kg.site.pages.Facts.facts_of)."""

import pyoxigraph as ox

from kg.site.edges import Value
from kg.site.pages import gather
from kg.vocab import ELKG

BASE = "https://example.org/"
IDENTIFIER = ox.NamedNode(ELKG.identifierText)


def test_a_date_printed_two_ways_is_one_date_cited_to_both_printings() -> None:
    """GAZPROMBANK's "Effective Date (EO 14024 Directive 3)" read "2022-03-26 [1] 2022-03-26
    [1]" on the history build: one row printed "26 Mar 2022" (trial 54a)."""
    party = ox.NamedNode(f"{BASE}id/org/x")
    one, two = (ox.NamedNode(f"{BASE}graph/{name}") for name in ("one", "two"))
    store = ox.Store()
    store.extend(
        [
            ox.Quad(party, IDENTIFIER, ox.Literal("Effective Date (X):, 2022-03-26"), one),
            ox.Quad(party, IDENTIFIER, ox.Literal("Effective Date (X):, 26 Mar 2022"), two),
            ox.Quad(party, IDENTIFIER, ox.Literal("Listing Date (X):, 24 Feb 2022"), two),
        ]
    )
    facts = {
        title: [(v.text, v.sources) for v in values]
        for title, values, _ in gather(store, BASE).facts_of(party.value)
    }
    assert facts == {
        "Effective Date (X)": [("2022-03-26", (one.value, two.value))],
        "Listing Date (X)": [("2022-02-24", (two.value,))],
    }


def test_names_in_two_cases_are_grouped_first_as_sorted() -> None:
    values = [Value(text) for text in ("AG TERMINAL OOO", "AG Terminal OOO", "LLC AG TERMINAL")]
    assert gather(ox.Store(), BASE).spellings(values) == [
        (values[0], [values[1]]),
        (values[2], []),
    ]
