"""`graph/all` under `kg serve`: the name a published release gives the merge of its graphs
(kg.publish.pointer), read as the embedded store's default graph, which holds that merge
(kg.store). A query written for a SPARQL server we published to (`FROM <.../graph/all>`, as
README advises for Virtuoso, or `default-graph-uri=.../graph/all`) answers the same here,
where the store holds no graph of that name and the query found nothing.

The query's own FROM is read only where its text can name the merge (FROM, and "graph/"
in an IRI or a prefix); its parse is rdflib's, which the query's engine then never sees.
"""

import re

from kg.remote_store import from_clauses

#: The store's default graph, in a dataset given as graph names.
DEFAULT = None

_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)

Graphs = tuple[str | None, ...]


def dataset(
    query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...], merge: str
) -> tuple[Graphs, tuple[str, ...]]:
    """The dataset to run `query` on, the merge read as the default graph (DEFAULT): the
    protocol's where it gives one (it replaces the query's FROM), else the query's own
    where it names the merge, else none (empty: the query's FROM, or the default graph).

    >>> merge = "https://x.test/graph/all"
    >>> dataset("SELECT * WHERE { ?s ?p ?o }", (merge,), (), merge)
    ((None,), ())
    >>> dataset("SELECT * FROM <https://x.test/graph/all> FROM NAMED <https://x.test/graph/a> "
    ...         "WHERE { ?s ?p ?o }", (), (), merge)
    ((None,), ('https://x.test/graph/a',))
    >>> dataset("SELECT * FROM <https://x.test/graph/a> WHERE { ?s ?p ?o }", (), (), merge)
    ((), ())
    """
    if default_graphs or named_graphs:
        return tuple(_graph(g, merge) for g in default_graphs), named_graphs
    if not (_FROM.search(query) and "graph/" in query):
        return (), ()
    # rdflib's reading; none where it cannot read the query (the engine then says what is
    # wrong, or runs what rdflib does not know).
    defaults, named = from_clauses(query)
    if merge not in defaults:
        return (), ()
    return tuple(_graph(g, merge) for g in defaults), tuple(named)


def _graph(name: str, merge: str) -> str | None:
    return DEFAULT if name == merge else name
