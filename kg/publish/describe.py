"""The dataset's description of itself: VoID and DCAT, with every dump's size and checksum."""

import datetime as dt
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from kg import iris
from kg.publish.dumps import DumpFile, published
from kg.sources.catalog import DatasetSpec
from kg.store import select
from kg.vocab import DCAT_VERSION, ELKG, ONTOLOGY_IRI, SCHEMA, SPDX, VOID

IANA = "https://www.iana.org/assignments/media-types/"

GRAPH_STATISTICS = """
SELECT ?graph (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) WHERE {
    GRAPH ?graph { ?s ?p ?o }
} GROUP BY ?graph ORDER BY ?graph
"""

DATASET_STATISTICS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }
"""

CLASS_COUNT = "SELECT (COUNT(DISTINCT ?class) AS ?classes) WHERE { GRAPH ?g { ?s a ?class } }"


def dataset_iri(base: str) -> URIRef:
    return URIRef(iris.dataset(base))


def describe(
    spec: DatasetSpec, store: ox.Store, dumps: Sequence[DumpFile], base: str, release_date: dt.date
) -> Graph:
    graph = Graph()
    dataset = dataset_iri(base)
    _about(graph, dataset, spec, base, release_date)
    _statistics(graph, dataset, store, base)
    for dump in published(dumps):
        _distribution(graph, dataset, dump, base)
    return graph


def _about(
    graph: Graph, dataset: URIRef, spec: DatasetSpec, base: str, release_date: dt.date
) -> None:
    publisher = URIRef(f"{base}id/agent/{iris.slug(spec.publisher)}")
    endpoint = URIRef(f"{base}sparql")
    facts = [
        (RDF.type, VOID.Dataset),
        (RDF.type, DCAT.Dataset),
        (DCTERMS.title, Literal(spec.title, lang="en")),
        (DCTERMS.description, Literal(spec.description, lang="en")),
        (DCTERMS.license, URIRef(spec.licence)),
        (DCTERMS.publisher, publisher),
        (DCAT_VERSION, Literal(spec.version)),
        (OWL.versionInfo, Literal(spec.version)),
        (DCTERMS.issued, Literal(spec.issued.isoformat(), datatype=XSD.date)),
        (DCTERMS.modified, Literal(release_date.isoformat(), datatype=XSD.date)),
        (FOAF.homepage, URIRef(spec.homepage)),
        (DCAT.landingPage, URIRef(spec.homepage)),
        (VOID.uriSpace, Literal(f"{base}id/")),
        (VOID.sparqlEndpoint, endpoint),
        (DCAT.accessService, endpoint),
        (VOID.vocabulary, URIRef(str(ELKG))),
        (VOID.vocabulary, URIRef(str(SCHEMA))),
        (DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)),
    ]
    facts += [(DCAT.keyword, Literal(keyword, lang="en")) for keyword in spec.keywords]
    for predicate, value in facts:
        graph.add((dataset, predicate, value))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(spec.publisher)))
    graph.add((endpoint, RDF.type, DCAT.DataService))
    graph.add((endpoint, DCAT.endpointURL, endpoint))
    graph.add((endpoint, DCAT.servesDataset, dataset))


def _statistics(graph: Graph, dataset: URIRef, store: ox.Store, base: str) -> None:
    (totals,) = select(store, DATASET_STATISTICS)
    (classes,) = select(store, CLASS_COUNT)
    totals.update(classes)
    for name, predicate in (
        ("triples", VOID.triples),
        ("subjects", VOID.distinctSubjects),
        ("properties", VOID.properties),
        ("classes", VOID.classes),
    ):
        graph.add((dataset, predicate, Literal(_integer(totals[name]))))
    for row in select(store, GRAPH_STATISTICS, union=False):
        name = _iri(row["graph"])
        subset = URIRef(f"{base}dataset/{name.removeprefix(base)}")
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, SCHEMA.name, URIRef(name)))
        graph.add((subset, VOID.triples, Literal(_integer(row["triples"]))))
        graph.add((subset, VOID.distinctSubjects, Literal(_integer(row["subjects"]))))


def _integer(term: object) -> int:
    assert isinstance(term, ox.Literal), f"expected a count, got {term!r}"
    return int(term.value)


def _iri(term: object) -> str:
    assert isinstance(term, ox.NamedNode), f"expected an IRI, got {term!r}"
    return term.value


def _distribution(graph: Graph, dataset: URIRef, dump: DumpFile, base: str) -> None:
    url = URIRef(f"{base}dumps/{dump.name}")
    distribution = URIRef(f"{base}dataset/distribution/{dump.name}")
    checksum = URIRef(f"{distribution}#sha256")
    graph.add((dataset, DCAT.distribution, distribution))
    if dump.name != "context.jsonld":
        graph.add((dataset, VOID.dataDump, url))
    media = dump.media_type
    for predicate, value in (
        (RDF.type, DCAT.Distribution),
        (DCTERMS.title, Literal(dump.title, lang="en")),
        (DCAT.downloadURL, url),
        (DCAT.accessURL, url),
        (DCAT.mediaType, URIRef(IANA + media)),
        (DCTERMS.format, Literal(media)),
        (DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)),
        (SPDX.checksum, checksum),
    ):
        graph.add((distribution, predicate, value))
    if dump.compressed:
        graph.add((distribution, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
