"""Actions on every listing of an entry the list prints as several.

The list may print one party's entry on one list from one start date in rows with other
licence terms or end dates (MAHMOUD AMINI's Denied Persons order of 2023-10-31: one row
ends 2024-10-20, two 2024-10-30). The mapping mints a listing for each (kg.sources.csl,
`variant`); the snapshot comparison keys the entry by list, party and start, as one
(kg.sources.history), so its addition or removal named only the plain listing, and the
others had no action: no History row, and a removed entry's other listings stood as in
force. Each action that adds or removes such an entry is stated for each of its listings.
An amendment stays with the plain listing: it says which values changed, not which row.
"""

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.sources.csl import plain_listing
from kg.vocab import ELKG, RDF, named

#: The actions that say an entry came or went, as a whole.
WHOLE_ENTRY = (named(ELKG.Addition), named(ELKG.Removal))


def variants(listings: Iterable[str]) -> dict[str, list[str]]:
    """The variant listings among `listings` (IRIs), by their plain listing's IRI, sorted."""
    found: dict[str, list[str]] = defaultdict(list)
    for listing in listings:
        if (plain := plain_listing(listing)) is not None:
            found[plain].append(listing)
    return {plain: sorted(each) for plain, each in found.items()}


def on_each_variant(graph: set[ox.Triple], found: dict[str, list[str]]) -> None:
    """Add to a history graph, for each addition or removal of a plain listing with variants
    (`found`), the same action for each variant (an IRI under the variant's), with what the
    graph says of the plain listing; and a renewal (`elkg:renews`) judged of an entry, of
    each of its listings: MAHMOUD AMINI's order of 2023-10-31 renews his of 2021-11-17 in
    both the listings it is printed as."""
    affects = named(ELKG.affectsListing)
    whole = {t.subject for t in graph if t.predicate == named(RDF.type) and t.object in WHOLE_ENTRY}
    actions = {
        t.subject: t.object.value
        for t in graph
        if t.predicate == affects
        and t.subject in whole
        and isinstance(t.object, ox.NamedNode)
        and t.object.value in found
    }
    by_subject: dict[ox.NamedNode | ox.BlankNode | ox.Triple, list[ox.Triple]] = defaultdict(list)
    for triple in graph:
        by_subject[triple.subject].append(triple)
    added: set[ox.Triple] = set()
    for action, plain in actions.items():
        assert isinstance(action, ox.NamedNode)  # minted under the listing (kg.sources.history)
        for listing in found[plain]:
            copy = ox.NamedNode(listing + action.value.removeprefix(plain))
            node = ox.NamedNode(listing)
            for t in by_subject[action]:
                added.add(
                    ox.Triple(copy, t.predicate, node if t.predicate == affects else t.object)
                )
            added.update(
                ox.Triple(node, t.predicate, t.object) for t in by_subject[ox.NamedNode(plain)]
            )
    graph |= added | _renewals(graph, found)


def _renewals(graph: set[ox.Triple], found: dict[str, list[str]]) -> set[ox.Triple]:
    """Each renewal of the graph between every listing of the later entry and every one of
    the earlier."""
    renews = named(ELKG.renews)

    def each(node: ox.NamedNode) -> list[ox.NamedNode]:
        return [node, *map(ox.NamedNode, found.get(node.value, ()))]

    return {
        ox.Triple(later, renews, earlier)
        for t in graph
        if t.predicate == renews
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.NamedNode)
        for later in each(t.subject)
        for earlier in each(t.object)
    }
