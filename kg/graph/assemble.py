"""Sources -> one RDF dataset: a named graph per source, and a graph of their provenance."""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg import iris
from kg.errors import SourceError
from kg.graph.ingest_report import IngestReport
from kg.sources.source_toml import SourceSpec
from kg.sources.turtle import parse_turtle
from kg.store import node, rdflib_graph
from kg.vocab import DCTERMS, ELKG, PREFIXES, PROV, RDF, RDFS, SCHEMA, XSD, named

log = logging.getLogger(__name__)

PROVENANCE_GRAPH = "provenance"

#: Named graphs of Oxigraph triples: the one term model from the sources to the store.
Graphs = dict[ox.NamedNode, set[ox.Triple]]


@dataclass(frozen=True)
class Origin:
    """Where the facts of one named graph were read from."""

    graph: str
    path: Path
    base: str


@dataclass(frozen=True, kw_only=True)
class Ingested:
    """What the list snapshots add to the curated sources: the entries' graphs, written into
    `store` as they were mapped (kg.graph.streamed), and `described`, the snapshots'
    provenance and the list actions observed between them."""

    report: IngestReport
    described: Graphs
    #: the store the snapshots' graphs were written into; the build's store (kg.graph.load)
    store: ox.Store | None
    #: subject IRI -> the file and row of the ingested row that first stated it
    rows: dict[str, tuple[str, int]]
    #: each ingested triple whose typed literal the store rewrote, with the form it gave
    rewritten: tuple[tuple[ox.Triple, ox.Literal], ...] = ()

    def loaded(self) -> "Ingested":
        """The same without its triples and store, once they are in the build's store."""
        return replace(self, described={}, store=None)


@dataclass(frozen=True, kw_only=True)
class Assembly:
    """The curated sources a build works on, a named graph each and their provenance
    (`graphs`), where each graph came from, and what the list snapshots added, if any."""

    graphs: Graphs
    origins: dict[str, Origin]
    ingested: Ingested | None = None

    @property
    def rows(self) -> dict[str, tuple[str, int]]:
        return self.ingested.rows if self.ingested else {}

    @cached_property
    def dataset(self) -> Dataset:
        """The curated graphs as an rdflib dataset, made when first asked for: the edge
        where kg.validate.run, which reads rdflib terms, finds the file a violation's
        statement was read from and writes its value as Turtle (with our prefixes)."""
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, replace=True)
        for name, triples in self.graphs.items():
            rdflib_graph(triples, dataset.graph(node(name)))
        return dataset


def assemble(sources: Sequence[SourceSpec], base: str) -> Assembly:
    """Read every source into its own named graph and describe where each came from."""
    graphs: Graphs = {}
    origins: dict[str, Origin] = {}
    provenance_iri = ox.NamedNode(iris.graph(PROVENANCE_GRAPH, base))
    label = "Provenance of the source graphs: where each one's facts come from"
    provenance = {
        ox.Triple(provenance_iri, named(RDF.type), named(PROV.Bundle)),
        ox.Triple(provenance_iri, named(RDFS.label), ox.Literal(label, language="en")),
    }
    for spec in sources:
        graph_iri = iris.graph(spec.id, base)
        triples = parse_turtle(spec.facts, f"{base}id/")
        check_expectations(spec, triples)
        graphs[ox.NamedNode(graph_iri)] = triples
        provenance.update(describe_source(spec, graph_iri, base))
        origins[graph_iri] = Origin(graph_iri, spec.facts, f"{base}id/")
        log.info("source %s: %d triples", spec.id, len(triples))
    graphs[provenance_iri] = provenance
    return Assembly(graphs=graphs, origins=origins)


def document_iri(spec: SourceSpec, base: str) -> str:
    return f"{base}{spec.document_iri}" if spec.document_iri else iris.source(spec.id, base)


def describe_source(spec: SourceSpec, graph_iri: str, base: str) -> list[ox.Triple]:
    """PROV metadata on the named graph, and the source document it was derived from."""
    graph, document = ox.NamedNode(graph_iri), ox.NamedNode(document_iri(spec, base))

    def dated(day: dt.date | None) -> ox.Literal | None:
        return ox.Literal(day.isoformat(), datatype=named(XSD.date)) if day else None

    optional = (
        (DCTERMS.issued, dated(spec.issued)),
        (ELKG.retrieved, dated(spec.retrieved)),
        (SCHEMA.url, spec.url and ox.NamedNode(spec.url)),
        (DCTERMS.publisher, spec.publisher and ox.NamedNode(f"{base}{spec.publisher}")),
        (DCTERMS.license, spec.licence and ox.NamedNode(spec.licence)),
        (ELKG.localCopy, spec.local_copy and ox.Literal(spec.local_copy)),
        (RDFS.comment, spec.note and ox.Literal(spec.note, language="en")),
    )
    # The editors' own statements are said to be theirs, not a document's (trial 37a).
    ours = spec.document_type == "EditorialCuration"
    said = "Facts the editors state" if ours else "Facts drawn from"
    label = ox.Literal(f"{said}: {spec.title}", language="en")
    stated: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal | None]] = [
        (graph, RDF.type, named(ELKG.SourceGraph)),
        (graph, RDF.type, named(ELKG.CurationGraph) if ours else None),
        (graph, RDFS.label, label),
        (graph, PROV.wasDerivedFrom, document),
        (graph, DCTERMS.source, document),
        (document, RDF.type, named(ELKG[spec.document_type])),
        (document, DCTERMS.title, ox.Literal(spec.title)),
        *((document, predicate, value or None) for predicate, value in optional),
    ]
    return [ox.Triple(s, named(p), o) for s, p, o in stated if o is not None]


def check_expectations(spec: SourceSpec, triples: Iterable[ox.Triple]) -> None:
    """Fail on a source whose size or contents are not what its source.toml expects."""
    where = str(spec.folder / "source.toml")
    expect = spec.expect
    triples = set(triples)
    size = len(triples)
    if size < expect.min_triples or (expect.max_triples is not None and size > expect.max_triples):
        raise SourceError(
            f"{spec.facts.name} holds {size} triples; expected between {expect.min_triples} "
            f"and {expect.max_triples if expect.max_triples is not None else 'any number'}",
            where=where,
            hint="check that the file is complete, or update [expect] on purpose",
        )
    counts = Counter(t.object for t in triples if t.predicate == named(RDF.type))
    for curie, wanted in sorted(expect.instances.items()):
        prefix, _, local = curie.partition(":")
        found = counts[ox.NamedNode(PREFIXES[prefix] + local)]
        if found != wanted:
            raise SourceError(
                f"{found} instances of {curie} are typed in {spec.facts.name}; expected {wanted}",
                where=where,
                hint="check the facts file, or update [expect] on purpose",
            )
