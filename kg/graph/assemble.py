"""Sources -> one RDF dataset: a named graph per source, and a graph of their provenance."""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg import iris
from kg.errors import SourceError
from kg.graph.ingest_report import IngestReport
from kg.sources.source_toml import SourceSpec
from kg.sources.turtle import read_turtle
from kg.vocab import ELKG, PREFIXES, SCHEMA

log = logging.getLogger(__name__)

PROVENANCE_GRAPH = "provenance"


@dataclass(frozen=True)
class Origin:
    """Where the facts of one named graph were read from."""

    graph: URIRef
    path: Path
    base: str


@dataclass(frozen=True, kw_only=True)
class Ingested:
    """What the list snapshots add to the curated sources.

    The entries themselves are Oxigraph triples per named graph rather than rdflib: a whole
    Consolidated Screening List is hundreds of thousands of statements, which rdflib takes
    seconds to add and again to give back. `described` holds the snapshots' provenance and
    the list actions observed between them.
    """

    report: IngestReport
    described: Dataset
    graphs: dict[URIRef, set[ox.Triple]]
    #: subject IRI -> the file and row of the ingested row that first stated it
    rows: dict[str, tuple[str, int]]

    def loaded(self) -> "Ingested":
        """The same without the entries' triples, once they are in the store: the whole
        CSL's are 100 MB."""
        return replace(self, graphs={})


@dataclass(frozen=True, kw_only=True)
class Assembly:
    """The dataset a build works on, where each of its graphs came from, and what the list
    snapshots added, if any."""

    dataset: Dataset
    origins: dict[URIRef, Origin]
    ingested: Ingested | None = None

    @property
    def rows(self) -> dict[str, tuple[str, int]]:
        return self.ingested.rows if self.ingested else {}


def new_dataset() -> Dataset:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset


def assemble(sources: Sequence[SourceSpec], base: str) -> Assembly:
    """Read every source into its own named graph and describe where each came from."""
    dataset = new_dataset()
    origins: dict[URIRef, Origin] = {}
    provenance_iri = URIRef(iris.graph(PROVENANCE_GRAPH, base))
    provenance = dataset.graph(provenance_iri)
    provenance.add((provenance_iri, RDF.type, PROV.Bundle))
    provenance.add(
        (
            provenance_iri,
            RDFS.label,
            Literal("Provenance of the source graphs: where each one's facts come from", lang="en"),
        )
    )
    for spec in sources:
        graph_iri = URIRef(iris.graph(spec.id, base))
        graph = dataset.graph(graph_iri)
        read_turtle(spec.facts, graph, f"{base}id/")
        check_expectations(spec, graph)
        describe_source(provenance, spec, graph_iri, base)
        origins[graph_iri] = Origin(graph_iri, spec.facts, f"{base}id/")
        log.info("source %s: %d triples", spec.id, len(graph))
    return Assembly(dataset=dataset, origins=origins)


def document_iri(spec: SourceSpec, base: str) -> URIRef:
    return URIRef(f"{base}{spec.document_iri}" if spec.document_iri else iris.source(spec.id, base))


def describe_source(provenance: Graph, spec: SourceSpec, graph_iri: URIRef, base: str) -> None:
    """PROV metadata on the named graph, and the source document it was derived from."""
    document = document_iri(spec, base)
    provenance.add((graph_iri, RDF.type, ELKG.SourceGraph))
    provenance.add((graph_iri, RDFS.label, Literal(f"Facts drawn from: {spec.title}", lang="en")))
    provenance.add((graph_iri, PROV.wasDerivedFrom, document))
    provenance.add((graph_iri, DCTERMS.source, document))
    provenance.add((document, RDF.type, ELKG[spec.document_type]))
    provenance.add((document, DCTERMS.title, Literal(spec.title)))
    optional = (
        (DCTERMS.issued, spec.issued and Literal(spec.issued.isoformat(), datatype=XSD.date)),
        (ELKG.retrieved, spec.retrieved and Literal(spec.retrieved.isoformat(), datatype=XSD.date)),
        (SCHEMA.url, spec.url and URIRef(spec.url)),
        (DCTERMS.publisher, spec.publisher and URIRef(f"{base}{spec.publisher}")),
        (DCTERMS.license, spec.licence and URIRef(spec.licence)),
        (ELKG.localCopy, spec.local_copy and Literal(spec.local_copy)),
        (RDFS.comment, spec.note and Literal(spec.note, lang="en")),
    )
    for predicate, value in optional:
        if value:
            provenance.add((document, predicate, value))


def check_expectations(spec: SourceSpec, graph: Graph) -> None:
    """Fail on a source whose size or contents are not what its source.toml expects."""
    where = str(spec.folder / "source.toml")
    expect = spec.expect
    size = len(graph)
    if size < expect.min_triples or (expect.max_triples is not None and size > expect.max_triples):
        raise SourceError(
            f"{spec.facts.name} holds {size} triples; expected between {expect.min_triples} "
            f"and {expect.max_triples if expect.max_triples is not None else 'any number'}",
            where=where,
            hint="check that the file is complete, or update [expect] on purpose",
        )
    counts = Counter(graph.objects(None, RDF.type))
    for curie, wanted in sorted(expect.instances.items()):
        prefix, _, local = curie.partition(":")
        found = counts[URIRef(PREFIXES[prefix] + local)]
        if found != wanted:
            raise SourceError(
                f"{found} instances of {curie} are typed in {spec.facts.name}; expected {wanted}",
                where=where,
                hint="check the facts file, or update [expect] on purpose",
            )
