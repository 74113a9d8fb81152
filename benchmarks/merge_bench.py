"""Each fact counted once: what the merge in the default graph costs, and what it changes.

    .venv/bin/python benchmarks/merge_bench.py --out /tmp/csl    # a build of the whole CSL

Loads the build's N-Quads dump into an in-memory store, as the build holds it before the
site is rendered, then writes the RDF merge of its graphs into the default graph
(kg.store.merge) and prints the time, the triples and the memory (peak RSS) it took. Then
runs COUNT and non-DISTINCT queries over the engine's union of graphs (what the site and
the SHACL engine read before) and over the merge (what they read now), beside the number of
distinct answers, which the merge must give.
"""

import argparse
import resource
import time
from pathlib import Path

import pyoxigraph as ox

from kg.publish.files import DUMPS, NQUADS
from kg.store import merge, select

ID = "https://w3id.org/entitylist-kg/id/"
ELKG = "https://w3id.org/entitylist-kg/ontology#"
HIKVISION = f"<{ID}org/hangzhou-hikvision-digital-technology-co-ltd>"
QUERIES = {
    "Entity List listings of parties in China": f"""
        SELECT ?listing WHERE {{
          ?listing <{ELKG}onList> <{ID}list/entity-list> ; <{ELKG}listedEntity> ?party .
          ?party <{ELKG}country> "CN" }}""",
    "Hikvision's lookup (its statements)": f"SELECT ?p ?o WHERE {{ {HIKVISION} ?p ?o }}",
    "Hikvision's card (statements, and theirs)": f"""
        SELECT ?p ?o ?p2 ?o2 WHERE {{ {HIKVISION} ?p ?o . OPTIONAL {{ ?o ?p2 ?o2 }} }}""",
    "every triple": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
}


def rss_mib() -> float:
    """The resident memory of this process now."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def rows(store: ox.Store, query: str, *, union: bool) -> tuple[int, int, float]:
    """Rows, distinct rows and seconds of a query over the engine's union (or, through
    kg.store.select, over the merge)."""
    started = time.perf_counter()
    found = _union(store, query) if union else select(store, query)
    elapsed = time.perf_counter() - started
    return len(found), len({tuple(sorted(row.items())) for row in found}), elapsed


def _union(store: ox.Store, query: str) -> list[dict[str, object]]:
    answer = store.query(query, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    return [{n: v for n, v in zip(names, row, strict=True) if v is not None} for row in answer]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="a build folder")
    args = parser.parse_args()
    store = ox.Store()
    store.bulk_load(path=str(args.out / DUMPS / NQUADS), format=ox.RdfFormat.N_QUADS)
    print(f"loaded {len(store)} quads")
    before = rss_mib()
    started = time.perf_counter()
    size = merge(store)
    elapsed = time.perf_counter() - started
    print(f"merge: {size} triples in the default graph in {elapsed:.2f} s")
    print(f"resident memory: {before:.0f} MiB before, {rss_mib():.0f} MiB after")
    store.clear_graph(ox.DefaultGraph())
    figures = {name: rows(store, q, union=True) for name, q in QUERIES.items()}
    merge(store)
    print(
        f"\n{'query':<44} {'union':>8} {'merge':>8} {'distinct':>9} {'union s':>8} {'merge s':>8}"
    )
    for name, query in QUERIES.items():
        union_rows, _, union_s = figures[name]
        merge_rows, distinct, merge_s = rows(store, query, union=False)
        print(
            f"{name:<44} {union_rows:>8} {merge_rows:>8} {distinct:>9} "
            f"{union_s:>8.2f} {merge_s:>8.2f}"
        )


if __name__ == "__main__":
    main()
