"""Oxigraph helpers: terms at the rdflib edge, named SELECT queries as rows, and the data
as one graph.

A store of ours holds its data in named graphs, one per source, and a triple may be stated
by several (a curated source and the CSL, a source and `graph/entailed`). The engine's union
of graphs (`use_default_graph_as_union`) repeats such a triple once per graph, so a COUNT or
a non-DISTINCT query over it counts one fact several times. A store's default graph is
therefore either empty or the RDF merge of its named graphs (`merge`: each triple once), as
the persistent store writes it; `query` and `select` read the data as one graph from the
merge where there is one, and from the engine's union otherwise (a store still being built).
A query that names graphs (GRAPH ?g) sees each graph's own triples either way.
"""

import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg import processes

log = logging.getLogger(__name__)

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term for an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype else None
        return ox.Literal(str(node), datatype=datatype)
    raise TypeError(f"not an RDF term: {node!r}")


def node(value: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """The rdflib term for an Oxigraph term."""
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if value.language:
        return Literal(value.value, lang=value.language)
    if value.datatype.value == str(XSD.string):  # a simple literal, as rdflib reads one
        return Literal(value.value)
    return Literal(value.value, datatype=URIRef(value.datatype.value))


def rdflib_graph(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """The triples in an rdflib graph (a new one, or `graph`): for what reads rdflib terms,
    kg.validate and pyshacl."""
    graph = Graph() if graph is None else graph
    for triple in triples:
        graph.add((node(triple.subject), node(triple.predicate), node(triple.object)))  # type: ignore[arg-type]
    return graph


def has_merge(store: ox.Store) -> bool:
    """Whether the store's default graph holds data: by our rule, the merge of its graphs."""
    if not isinstance(store, ox.Store):  # a SPARQL server of someone else's: its own rule
        return False
    return (
        next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
    )


def merge(store: ox.Store) -> int:
    """Write the RDF merge of the named graphs into the default graph (each triple once;
    what the default graph holds already stays); return its size.

    Copied MERGE_CHUNK triples at a time by the bulk loader, which writes them to the
    database's files directly. One SPARQL INSERT per graph held the whole graph's copy in
    flight and then in the write buffers: on the whole 2022 CSL the validation's peak was
    300 MiB above the store, and it grew with the data (24x: 7 GB); in chunks, 80 MiB.
    """
    for name in list(store.named_graphs()):
        quads = store.quads_for_pattern(None, None, None, name)
        triples = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        while chunk := list(itertools.islice(triples, MERGE_CHUNK)):
            store.bulk_extend(chunk)
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # type: ignore[misc]
    size = int(row["n"].value)
    log.info("default graph: the merge of the named graphs, %d triples", size)
    return size


#: Triples the merge copies at a time: a few MiB in flight whatever the size of a graph.
MERGE_CHUNK = 100_000


@contextmanager
def merged(store: ox.Store) -> Iterator[ox.Store]:
    """The store with the merge in its default graph for the time of the block, then with
    an empty default graph again, as the dumps must find it. A store whose default graph
    holds data already is left as it is."""
    if has_merge(store):
        yield store
        return
    merge(store)
    try:
        yield store
    finally:
        store.clear_graph(ox.DefaultGraph())
        # On disk the removals stay in RocksDB's memory table until flushed, and every later
        # read steps over them: the whole CSL's entailment took minutes instead of seconds.
        store.flush()


def settle(store: ox.Store) -> None:
    """Write what the store buffers in memory to its files, and give that memory back.

    After SPARQL updates, an on-disk store holds their writes in RocksDB's memory tables
    until it flushes them, and glibc keeps the freed pages: on the whole 2022 CSL the
    entailment left the build at 397 MiB resident, 288 MiB once flushed and trimmed."""
    store.flush()
    processes.give_back_memory()


def query(
    store: ox.Store,
    text: str,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    *,
    union: bool = True,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query; with `union`, its default graph is the data as one graph: the store's
    merge if it holds one, else the engine's union of graphs."""
    return store.query(
        text,
        use_default_graph_as_union=union and not has_merge(store),
        substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()},
    )


def select(
    store: ox.Store,
    text: str,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    *,
    union: bool = True,
) -> list[Row]:
    """Run a SELECT (as `query`); `bindings` substitute variables safely (never by string
    formatting).

    Oxigraph substitutes only variables of the projection, so a bound variable must be
    selected too.
    """
    solutions = query(store, text, bindings, union=union)
    assert isinstance(solutions, ox.QuerySolutions), "select() runs SELECT queries only"
    names = [variable.value for variable in solutions.variables]
    # By position: looking a value up by name costs twice the whole query on big results.
    return [
        {name: value for name, value in zip(names, row, strict=True) if value is not None}
        for row in solutions
    ]


#: Literals no store rewrites: text and tagged text.
PLAIN = frozenset({str(XSD.string), str(RDF.langString)})


def typed(term: object) -> bool:
    """Whether a term is a literal with a datatype a store may rewrite (not text)."""
    return isinstance(term, ox.Literal) and term.datatype.value not in PLAIN


def as_stored(literals: Iterable[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """What an Oxigraph store holds for each literal: each is stored and read back."""
    distinct = list(set(literals))
    store = ox.Store()
    predicate = ox.NamedNode("urn:x-kg:literal")
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"urn:x-kg:literal:{n}"), predicate, literal, ox.DefaultGraph())
        for n, literal in enumerate(distinct)
    )
    found: dict[ox.Literal, ox.Literal] = {}
    for quad in store:
        assert isinstance(quad.object, ox.Literal) and isinstance(quad.subject, ox.NamedNode)
        found[distinct[int(quad.subject.value.rsplit(":", 1)[1])]] = quad.object
    return found


def value(found: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The text of a term of a result row: an IRI, a literal's lexical form, a blank node's id."""
    return str(found) if isinstance(found, ox.Triple) else found.value


def text_rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as text, without their unbound variables (nor blank nodes)."""
    return [
        {
            name: term.value
            for name, term in row.items()
            if isinstance(term, ox.NamedNode | ox.Literal)
        }
        for row in select(store, query)
    ]
