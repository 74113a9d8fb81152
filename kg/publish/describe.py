"""The dataset's description of itself: VoID and DCAT, with every dump's size and checksum."""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, XSD

from kg import iris
from kg.publish.dumps import DumpFile, published
from kg.publish.files import STEM
from kg.publish.pointer import merged_graph
from kg.sources.catalog import DatasetSpec
from kg.store import select
from kg.vocab import DCAT_VERSION, ELKG, ONTOLOGY_IRI, SCHEMA, SD, SPDX, VOID, named

IANA = "https://www.iana.org/assignments/media-types/"

GRAPH_STATISTICS = """
SELECT ?graph (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) WHERE {
    GRAPH ?graph { ?s ?p ?o }
} GROUP BY ?graph ORDER BY ?graph
"""

CLASS_COUNT = "SELECT (COUNT(DISTINCT ?class) AS ?classes) WHERE { GRAPH ?g { ?s a ?class } }"


#: (subject, predicate IRI, object): statements before they are made Oxigraph triples.
Stated = list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]]


def dataset_iri(base: str) -> ox.NamedNode:
    return ox.NamedNode(iris.dataset(base))


def describe(
    spec: DatasetSpec,
    store: ox.Store,
    dumps: Sequence[DumpFile],
    base: str,
    release_date: dt.date,
    merge: Path,
) -> set[ox.Triple]:
    """The description of the store's data, whose merge `merge` is (the sorted N-Triples
    dump), and of the dumps."""
    dataset = dataset_iri(base)
    stated = _about(dataset, spec, base, release_date) + _statistics(dataset, store, base, merge)
    for dump in published(dumps):
        stated += _distribution(dataset, dump, base)
    return {ox.Triple(s, named(p), o) for s, p, o in stated}


def _english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _typed(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=named(datatype))


def _about(dataset: ox.NamedNode, spec: DatasetSpec, base: str, release_date: dt.date) -> Stated:
    publisher = ox.NamedNode(f"{base}id/agent/{iris.slug(spec.publisher)}")
    endpoint = ox.NamedNode(f"{base}sparql")
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF.type, named(VOID.Dataset)),
        (RDF.type, named(DCAT.Dataset)),
        (DCTERMS.title, _english(spec.title)),
        (DCTERMS.description, _english(spec.description)),
        (DCTERMS.license, ox.NamedNode(spec.licence)),
        (DCTERMS.publisher, publisher),
        (DCAT_VERSION, ox.Literal(spec.version)),
        (OWL.versionInfo, ox.Literal(spec.version)),
        (DCTERMS.issued, _typed(spec.issued.isoformat(), XSD.date)),
        (DCTERMS.modified, _typed(release_date.isoformat(), XSD.date)),
        (FOAF.homepage, ox.NamedNode(spec.homepage)),
        (DCAT.landingPage, ox.NamedNode(spec.homepage)),
        (VOID.uriSpace, ox.Literal(f"{base}id/")),
        (VOID.sparqlEndpoint, endpoint),
        (DCAT.accessService, endpoint),
        (VOID.vocabulary, named(ELKG)),
        (VOID.vocabulary, named(SCHEMA)),
        (DCTERMS.conformsTo, ox.NamedNode(ONTOLOGY_IRI)),
    ]
    facts += [(DCAT.keyword, _english(keyword)) for keyword in spec.keywords]
    return [(dataset, predicate, value) for predicate, value in facts] + [
        (publisher, RDF.type, named(FOAF.Agent)),
        (publisher, FOAF.name, ox.Literal(spec.publisher)),
        (endpoint, RDF.type, named(DCAT.DataService)),
        (endpoint, DCAT.endpointURL, endpoint),
        (endpoint, DCAT.servesDataset, dataset),
    ]


def _statistics(dataset: ox.NamedNode, store: ox.Store, base: str, merge: Path) -> Stated:
    totals = merge_statistics(merge)
    (classes,) = select(store, CLASS_COUNT)
    totals["classes"] = _number(classes["classes"])
    stated: Stated = [
        (dataset, predicate, _typed(str(totals[name]), XSD.integer))
        for name, predicate in (
            ("triples", VOID.triples),
            ("subjects", VOID.distinctSubjects),
            ("properties", VOID.properties),
            ("classes", VOID.classes),
        )
    ]
    merge_graph = ox.NamedNode(merged_graph(base))
    stated += _merge_graph(merge_graph, dataset, totals)
    for row in select(store, GRAPH_STATISTICS, union=False):
        name = _iri(row["graph"])
        subset = ox.NamedNode(f"{base}dataset/{name.removeprefix(base)}")
        stated += [
            (merge_graph, PROV.wasDerivedFrom, ox.NamedNode(name)),
            (dataset, VOID.subset, subset),
            (subset, RDF.type, named(VOID.Dataset)),
            # The graph's name, an IRI: SPARQL Service Description's sd:name (schema:name
            # is a text, and an IRI there sorted before every dataset's title).
            (subset, SD.name, ox.NamedNode(name)),
            (subset, VOID.triples, _count(row["triples"])),
            (subset, VOID.distinctSubjects, _count(row["subjects"])),
        ]
    return stated


def _merge_graph(graph: ox.NamedNode, dataset: ox.NamedNode, totals: dict[str, int]) -> Stated:
    """`graph/all`, the name queries give the merge of every graph (kg.web.merge_graph, and a
    server we publish to), described where it is dereferenced: it was a 404."""
    return [
        (graph, RDF.type, named(SD.Graph)),
        (graph, RDFS.label, _english("Every graph of the dataset, merged")),
        (
            graph,
            RDFS.comment,
            _english(
                "The RDF merge of the graphs named below, as the N-Triples dump holds it: a"
                " fact that several of them state is one triple here. The SPARQL endpoint's"
                " default graph is this merge with the ontology and the dataset's"
                " description, and a query may name it so (FROM <" + graph.value + ">)."
            ),
        ),
        (graph, DCTERMS.isPartOf, dataset),
        (graph, VOID.triples, _typed(str(totals["triples"]), XSD.integer)),
        (graph, VOID.distinctSubjects, _typed(str(totals["subjects"]), XSD.integer)),
    ]


def merge_statistics(merge: Path) -> dict[str, int]:
    """Triples, distinct subjects and properties of the merge, read from its sorted N-Triples
    file: a line per triple, and a subject's lines together (sorted as bytes, a subject ends
    at its first space; the dumps hold no RDF-star triple, whose subject could have spaces).

    A DISTINCT query over the store's graphs held every triple in a hash table: 2.3 GB at
    24 times the 2022 CSL, the build's largest step before the site."""
    triples = subjects = 0
    properties: set[bytes] = set()
    last = b""
    with merge.open("rb") as lines:
        for line in lines:
            subject, predicate, _ = line.split(b" ", 2)
            triples += 1
            if subject != last:
                subjects, last = subjects + 1, subject
            properties.add(predicate)
    return {"triples": triples, "subjects": subjects, "properties": len(properties)}


def _number(term: object) -> int:
    assert isinstance(term, ox.Literal), f"expected a count, got {term!r}"
    return int(term.value)


def _count(term: object) -> ox.Literal:
    """A count as an xsd:integer in its canonical form."""
    return _typed(str(_number(term)), XSD.integer)


def _iri(term: object) -> str:
    assert isinstance(term, ox.NamedNode), f"expected an IRI, got {term!r}"
    return term.value


def _distribution(dataset: ox.NamedNode, dump: DumpFile, base: str) -> Stated:
    url = ox.NamedNode(f"{base}dumps/{dump.name}")
    distribution = ox.NamedNode(f"{base}dataset/distribution/{dump.name}")
    checksum = ox.NamedNode(f"{distribution.value}#sha256")
    media = dump.media_type
    stated: Stated = [(dataset, DCAT.distribution, distribution)]
    if dump.name.startswith(f"{STEM}."):  # VoID's "RDF dump of the dataset": the data itself,
        stated.append((dataset, VOID.dataDump, url))  # not the feed, reports, shapes, context
    stated += [
        (distribution, RDF.type, named(DCAT.Distribution)),
        (distribution, DCTERMS.title, _english(dump.title)),
        (distribution, DCAT.downloadURL, url),
        (distribution, DCAT.accessURL, url),
        (distribution, DCAT.mediaType, ox.NamedNode(IANA + media)),
        (distribution, DCTERMS.format, ox.Literal(media)),
        (distribution, DCAT.byteSize, _typed(str(dump.size), XSD.nonNegativeInteger)),
        (distribution, SPDX.checksum, checksum),
    ]
    if dump.compressed:
        stated.append((distribution, DCAT.compressFormat, ox.NamedNode(IANA + "application/gzip")))
    stated += [
        (checksum, RDF.type, named(SPDX.Checksum)),
        (checksum, SPDX.algorithm, named(SPDX.checksumAlgorithm_sha256)),
        (checksum, SPDX.checksumValue, _typed(dump.sha256, XSD.hexBinary)),
    ]
    return stated
