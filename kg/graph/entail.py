"""RDFS entailment over our ontology, kept in a graph of its own.

Clients that know schema.org, ORG or PROV but not our terms should find our data: a
transliteration is also a schema:alternateName, a public security bureau is also a
schema:GovernmentOrganization. Those statements follow from rdfs:subClassOf and
rdfs:subPropertyOf in the ontology; the build writes them into graph/entailed, described as
derived from the ontology, so that no source graph holds a fact its source did not state.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator

import pyoxigraph as ox

from kg import iris
from kg.graph import generated
from kg.vocab import ELKG, ONTOLOGY_IRI, RDF, RDFS, named

ENTAILED_GRAPH = iris.ENTAILED_GRAPH
ENTAILED_FROM_OURS_GRAPH = iris.ENTAILED_FROM_OURS_GRAPH
ENTAILMENT = "id/activity/entailment"
ENTAILMENT_METHOD = (
    "RDFS entailment by rdfs:subClassOf and rdfs:subPropertyOf in the ontology, and no other "
    "rule: for each statement a source graph holds, the super-class types and super-property "
    "statements that follow from it, where no source graph or graph/provenance states them "
    "already. Nothing is judged: "
    "what the ontology says of its terms decides (a Company is a schema:Organization)."
)
ENTAILMENT_FROM_OURS = "id/activity/entailment-from-ours"
FROM_OURS_METHOD = (
    "The super-class types and super-property statements that rdfs:subClassOf and "
    "rdfs:subPropertyOf in the ontology entail from the statements of our derived graphs "
    "(kinds we inferred, names and citations we read, ...) and of graph/provenance (our "
    "account of the sources and the build), where no source's statement entails them: as "
    "much ours as what they follow from. What the sources entail is in graph/entailed."
)


def closure(
    ontology: Collection[ox.Triple], relation: str
) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Every term's strict ancestors along `relation` (subClassOf or subPropertyOf)."""
    parents: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for triple in ontology:
        child, parent = triple.subject, triple.object
        # Named terms only: a blank-node class (an OWL restriction) cannot type a statement.
        if (
            triple.predicate == named(relation)
            and child != parent
            and isinstance(child, ox.NamedNode)
            and isinstance(parent, ox.NamedNode)
        ):
            parents[child].add(parent)
    ancestors: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for term in list(parents):
        seen: set[ox.NamedNode] = set()
        stack = list(parents[term])
        while stack:
            current = stack.pop()
            if current not in seen and current != term:
                seen.add(current)
                stack.extend(parents.get(current, ()))
        ancestors[term] = seen
    return ancestors


def add_entailed_graph(store: ox.Store, ontology: Collection[ox.Triple], base: str) -> int:
    """Write the statements that the stored ones entail into their own named graphs, with
    their provenance; return how many were written.

    What the sources state entails into graph/entailed; what only our inferences (the derived
    graphs) state entails into graph/entailed-from-ours, a derived graph too: MAHAN AIRWAYS,
    an organisation by our inference alone, was an org:Organization in graph/entailed, which
    said it came from the ontology (trial 52b).

    The engine writes them, one update per term and ancestor: no Python object per
    statement, and no lookup per statement (each one a read of the database when the build's
    store is on disk).
    """
    name = ox.NamedNode(iris.graph(ENTAILED_GRAPH, base))
    ours = ox.NamedNode(iris.graph(ENTAILED_FROM_OURS_GRAPH, base))
    sources = _typed_graphs(store, ELKG.SourceGraph, base)
    # graph/provenance is our account, not a source's: what it entails is ours (trial 55b:
    # graph/entailed held "graph/history-... a prov:Entity", derived from the ontology).
    derived = [
        *(g for g in _typed_graphs(store, ELKG.DerivedGraph, base) if g != ours),
        _provenance(base),
    ]
    # Every source's first: a statement a source entails is not our inference's, though one
    # of ours states it too (Huawei, a Company by 84 FR 22961, is an Organization by the
    # ontology, not only by our kind inference: trial 54a).
    if sources:
        read = f"FILTER (?g IN ({_listed(*sources)}))"
        stating = f"FILTER (?any IN ({_listed(*sources, _provenance(base))}))"
        for update in _updates(ontology, name, read, stating):
            store.update(update)
    read = f"FILTER (?g IN ({_listed(*derived)}))"
    for update in _updates(ontology, ours, read, ""):
        store.update(update)
    written = {
        graph: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for graph in (name, ours)
    }
    store.extend(_described(name, sources, base))
    if written[ours]:
        store.extend(_described_ours(ours, derived, base))
    return sum(written.values())


def _typed_graphs(store: ox.Store, kind: str, base: str) -> list[ox.NamedNode]:
    """The graphs the provenance graph gives as of `kind`: source or derived."""
    typed = store.quads_for_pattern(None, named(RDF.type), named(kind), _provenance(base))
    return sorted(
        (q.subject for q in typed if isinstance(q.subject, ox.NamedNode)), key=lambda g: g.value
    )


def _provenance(base: str) -> ox.NamedNode:
    return ox.NamedNode(iris.graph("provenance", base))


def _listed(*graphs: ox.NamedNode) -> str:
    return ", ".join(str(graph) for graph in graphs)


def _described(name: ox.NamedNode, sources: list[ox.NamedNode], base: str) -> list[ox.Quad]:
    """graph/entailed with the activity that wrote it and what that read, as a derived graph
    names its own: it named only the ontology (trials 54a, 55b)."""
    # Which statements it reads, in its description: a reader of graph/provenance took it
    # for every entailment (trial 53a), where ours are in graph/entailed-from-ours.
    label = (
        "Statements the sources' own statements entail by rdfs:subClassOf and "
        "rdfs:subPropertyOf in the ontology (those of our inferences alone: "
        "graph/entailed-from-ours)"
    )
    return generated.described(
        {name: label},
        activity=ox.NamedNode(f"{base}{ENTAILMENT}"),
        label="Entailing from the sources",
        method=ENTAILMENT_METHOD,
        used=[ox.NamedNode(ONTOLOGY_IRI), *sources],
        base=base,
        kind=ELKG.EntailedGraph,
    )


def _described_ours(ours: ox.NamedNode, derived: list[ox.NamedNode], base: str) -> list[ox.Quad]:
    """graph/entailed-from-ours: ours, and entailed as graph/entailed is (typed so too, where
    it was a derived graph alone: trial 54a)."""
    return [
        ox.Quad(ours, named(RDF.type), named(ELKG.EntailedGraph), _provenance(base)),
        *generated.described(
            {ours: "Statements the ontology entails from our inferences and provenance alone"},
            activity=ox.NamedNode(f"{base}{ENTAILMENT_FROM_OURS}"),
            label="Entailing from our inferences",
            method=FROM_OURS_METHOD,
            used=[ox.NamedNode(ONTOLOGY_IRI), *derived],
            base=base,
        ),
    ]


def _updates(
    ontology: Collection[ox.Triple], name: ox.NamedNode, read: str, stating: str
) -> Iterator[str]:
    """The super-class types and super-property statements of what the graphs `read` lets
    through state, but only those no graph `stating` lets through states already: a
    source's own schema:Organization stays its own. Entailed statements are not read again:
    the closure gives every ancestor at once."""
    rdf_type = named(RDF.type)
    for child, parents in closure(ontology, RDFS.subClassOf).items():
        for parent in parents:
            stated, entailed = f"?s {rdf_type} {child}", f"?s {rdf_type} {parent}"
            yield _update(name, stated, entailed, read, stating)
    for child, parents in closure(ontology, RDFS.subPropertyOf).items():
        for parent in parents:
            yield _update(name, f"?s {child} ?o", f"?s {parent} ?o", read, stating)


def _update(name: ox.NamedNode, stated: str, entailed: str, read: str, stating: str) -> str:
    return (
        f"INSERT {{ GRAPH {name} {{ {entailed} }} }} WHERE {{ GRAPH ?g {{ {stated} }} "
        f"{read} FILTER NOT EXISTS {{ GRAPH ?any {{ {entailed} }} {stating} }} }}"
    )
