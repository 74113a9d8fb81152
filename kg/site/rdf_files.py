"""Each resource's RDF beside its page: N-Triples, Turtle and JSON-LD of the same triples.

The whole CSL has tens of thousands of these, so none is written twice: N-Triples is a subset
of Turtle (every line of it is a Turtle statement, which every Turtle reader reads), so the
Turtle file is the N-Triples file under a second name, a hard link (42 MB of the whole-CSL
site when it was written apart, with its prefixes). JSON-LD is compacted against the
prefixes it uses (Oxigraph writes expanded JSON-LD, with every IRI in full).
"""

import json
from typing import Any

import pyoxigraph as ox

from kg.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _compact(iri: str, used: dict[str, str], namespaces: list[tuple[str, str]]) -> str:
    for name, namespace in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            used[name] = namespace
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def _object(term: Term, used: dict[str, str], namespaces: list[tuple[str, str]]) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": _compact(term.value, used, namespaces)}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": _compact(term.datatype.value, used, namespaces)}
    return {"@id": str(term)}


def json_ld(triples: list[ox.Triple], prefixes: dict[str, str] = PREFIXES) -> bytes:
    """Compacted JSON-LD: one node object per subject, its keys and IRIs as prefixed names
    declared in its @context; the same triples as the Turtle and N-Triples files.

    >>> t = ox.Triple(ox.NamedNode("https://schema.org/x"), ox.NamedNode("https://schema.org/name"),
    ...               ox.Literal("X"))
    >>> json_ld([t]).decode()
    '{"@context":{"schema":"https://schema.org/"},"@graph":[{"@id":"schema:x","schema:name":"X"}]}'
    """
    # Longest first, so that a namespace inside another gets the longer.
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    used: dict[str, str] = {}
    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples:
        subject = _text(triple.subject)
        node = nodes.setdefault(subject, {"@id": _compact(subject, used, namespaces)})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            key, value = "@type", _compact(triple.object.value, used, namespaces)
        else:
            key = _compact(triple.predicate.value, used, namespaces)
            value = _object(triple.object, used, namespaces)
        if key in node:
            existing = node[key]
            node[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            node[key] = value
    document = {"@context": dict(sorted(used.items())), "@graph": list(nodes.values())}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _text(term: Term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def n_triples(triples: list[ox.Triple], prefixes: dict[str, str] = PREFIXES) -> bytes:
    """N-Triples, which has no prefixes."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


FORMATS = ((".nt", n_triples), (".jsonld", json_ld))
#: A file that is another under a second name: Turtle is the N-Triples, written once.
TWINS = {".ttl": ".nt"}
