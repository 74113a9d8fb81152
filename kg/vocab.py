"""Namespaces and prefixes: the only place vocabulary IRIs are spelled."""

import functools

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

ELKG = Namespace("https://w3id.org/entitylist-kg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/entitylist-kg/ontology"
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
WD = Namespace("http://www.wikidata.org/entity/")
VANN = Namespace("http://purl.org/vocab/vann/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: DCAT 3 term that rdflib's closed DCAT namespace does not list yet.
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
# DCAT 3 terms that rdflib's DCAT namespace does not know yet.
DCAT_DATASET_SERIES = URIRef("http://www.w3.org/ns/dcat#DatasetSeries")
DCAT_IN_SERIES = URIRef("http://www.w3.org/ns/dcat#inSeries")
DCAT_LAST = URIRef("http://www.w3.org/ns/dcat#last")
DCAT_PREV = URIRef("http://www.w3.org/ns/dcat#prev")

#: Prefixes bound in every serialisation we write, in a fixed order (output is deterministic).
PREFIXES: dict[str, str] = {
    "elkg": str(ELKG),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "spdx": str(SPDX),
    "wd": str(WD),
}


def sparql_prefixes(*names: str) -> str:
    r"""PREFIX lines for a SPARQL query: the named prefixes of PREFIXES, or all of them.

    >>> sparql_prefixes("schema")
    'PREFIX schema: <https://schema.org/>\n'
    """
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names or PREFIXES)


@functools.cache
def named(iri: str) -> ox.NamedNode:
    """An IRI used over and over (our vocabulary, lists, agencies, rules) as an Oxigraph node,
    made once: a whole snapshot names each of them thousands of times."""
    return ox.NamedNode(iri)


def prefixes(base: str) -> dict[str, str]:
    """PREFIXES plus `id:` for the IRIs we mint under `base`."""
    return {**PREFIXES, "id": f"{base}id/"}


__all__ = [
    "DCAT",
    "DCAT_DATASET_SERIES",
    "DCAT_IN_SERIES",
    "DCAT_LAST",
    "DCAT_PREV",
    "DCAT_VERSION",
    "DCTERMS",
    "ELKG",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "SPDX",
    "VANN",
    "VOID",
    "WD",
    "XSD",
    "named",
    "prefixes",
]
