"""Each resource's RDF beside its page: Turtle, JSON-LD and N-Triples of the same triples.

The whole CSL has tens of thousands of these, so each says only what it needs: Turtle
declares only the prefixes it uses, and JSON-LD is compacted against a context of those
prefixes (Oxigraph writes expanded JSON-LD, with every IRI in full).
"""

import json
from typing import Any

import pyoxigraph as ox

from kg.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def turtle(triples: list[ox.Triple], prefixes: dict[str, str] = PREFIXES) -> bytes:
    """Turtle with only the @prefix lines it uses.

    >>> t = ox.Triple(ox.NamedNode("https://schema.org/x"), ox.NamedNode("https://schema.org/name"),
    ...               ox.Literal("X"))
    >>> turtle([t]).decode().splitlines()
    ['@prefix schema: <https://schema.org/> .', 'schema:x schema:name "X" .']
    """
    # Not `id:`: a local name with slashes needs escapes ("id:org\/x"), which no one reads.
    named = {name: iri for name, iri in prefixes.items() if name in PREFIXES}
    text = (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=named) or b"").decode()
    declared: list[str] = []
    body: list[str] = []
    for line in text.splitlines(keepends=True):
        (declared if line.startswith("@prefix ") else body).append(line)
    rest = "".join(body)
    used = [line for line in declared if f"{line.split()[1]}" in rest]
    return ("".join(used) + rest).encode()


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


FORMATS = ((".ttl", turtle), (".jsonld", json_ld), (".nt", n_triples))
