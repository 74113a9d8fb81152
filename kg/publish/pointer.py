"""Which release a SPARQL server holds now: a small pointer graph, rewritten in the switch.

On a server, a published release is:

- its graphs under the names they have in the dumps (one per source, `graph/entailed`, the
  ontology, the dataset description), so that `GRAPH ?g` answers as on the embedded store;
- `<base>graph/all`, the RDF merge of those graphs: the default graph readers query, as the
  embedded store's default graph is (a fact stated in two graphs is counted once);
- `<base>graph/published`, the pointer: an `sd:Dataset` naming that default graph (with its
  triples), the named graphs, the release (the start of the SHA-256 of its SHA256SUMS), its
  quads, and the SHA-256 of its N-Quads dump (what /match reports as screened against).

Readers (`kg serve --store`) read the pointer and send every query with that dataset
(`default-graph-uri`, `named-graph-uri`), unless the query or the request names its own, so
what `kg publish` stages (`<base>graph/staging/...`) is never seen.
"""

from dataclasses import dataclass

import pyoxigraph as ox

from kg.remote_store import Dataset, RemoteStore
from kg.vocab import DCTERMS, RDF, SD, SPDX, VOID, XSD, named


@dataclass(frozen=True, kw_only=True)
class Published:
    """A release as the pointer names it."""

    digest: str
    dataset: Dataset
    quads: int
    #: The SHA-256 of the release's N-Quads dump; "" in a pointer of an older kg publish.
    nquads_sha256: str = ""
    #: The triples of the default graph (the merge); None in a pointer of an older kg publish.
    triples: int | None = None


def pointer_graph(base: str) -> str:
    return f"{base}graph/published"


def merged_graph(base: str) -> str:
    return f"{base}graph/all"


def staging_prefix(base: str) -> str:
    return f"{base}graph/staging/"


def read(store: RemoteStore, base: str, timeout: float | None = None) -> Published | None:
    """The release the server holds now, or None where nothing was published; the request
    given up after `timeout` seconds (the store's own limit if None)."""
    pointer = f"<{pointer_graph(base)}>"
    query = f"""SELECT ?digest ?default ?quads ?named ?sha256 ?triples FROM {pointer} WHERE {{
  {pointer} <{DCTERMS.identifier}> ?digest ; <{SD.defaultGraph}> ?default ;
            <{VOID.triples}> ?quads .
  OPTIONAL {{ ?default <{VOID.triples}> ?triples }}
  OPTIONAL {{ {pointer} <{SD.namedGraph}> ?named }}
  OPTIONAL {{ {pointer} <{SPDX.checksum}>/<{SPDX.checksumValue}> ?sha256 }}
}}"""
    answer = store.query(query, timeout=timeout)
    assert isinstance(answer, ox.QuerySolutions), "a SELECT query answers with solutions"
    rows = list(answer)
    if not rows:
        return None
    first = rows[0]
    named = sorted({row["named"].value for row in rows if row["named"] is not None})
    return Published(
        digest=first["digest"].value,
        dataset=Dataset(first["default"].value, tuple(named)),
        quads=int(first["quads"].value),
        nquads_sha256=first["sha256"].value if first["sha256"] is not None else "",
        triples=int(first["triples"].value) if first["triples"] is not None else None,
    )


def write(published: Published, base: str) -> str:
    """The update operations that make the pointer name `published` (inside the switch)."""
    pointer = ox.NamedNode(pointer_graph(base))
    quads = ox.Literal(str(published.quads), datatype=ox.NamedNode(str(XSD.integer)))
    facts = [
        (RDF.type, ox.NamedNode(str(SD.Dataset))),
        (DCTERMS.identifier, ox.Literal(published.digest)),
        (SD.defaultGraph, ox.NamedNode(published.dataset.default_graph)),
        (VOID.triples, quads),
        *((SD.namedGraph, ox.NamedNode(g)) for g in published.dataset.named_graphs),
    ]
    triples = [(pointer, ox.NamedNode(str(p)), o) for p, o in facts]
    if published.triples is not None:
        merged = ox.Literal(str(published.triples), datatype=ox.NamedNode(str(XSD.integer)))
        default = ox.NamedNode(published.dataset.default_graph)
        triples.append((default, ox.NamedNode(str(VOID.triples)), merged))
    if published.nquads_sha256:  # as the dataset description states a dump's checksum
        checksum = ox.NamedNode(f"{pointer.value}#nquads-sha256")
        triples += [
            (pointer, ox.NamedNode(str(SPDX.checksum)), checksum),
            (checksum, ox.NamedNode(str(SPDX.algorithm)), named(SPDX.checksumAlgorithm_sha256)),
            # A plain string: a server may keep a hexBinary in another case than written.
            (checksum, ox.NamedNode(str(SPDX.checksumValue)), ox.Literal(published.nquads_sha256)),
        ]
    lines = "\n".join(f"  {s} {p} {o} ." for s, p, o in triples)
    return f"DROP SILENT GRAPH {pointer} ;\nINSERT DATA {{ GRAPH {pointer} {{\n{lines}\n}} }}"
