"""Query results written in the SPARQL results formats and RDF formats, with a row cap.

Oxigraph's own writers consume the whole result; a capped result needs writers that take
rows, so these follow the W3C formats exactly (checked by the W3C suites in the tests).
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TRUNCATION_NOTE = "results truncated at {limit} rows by this endpoint's result limit"


def solutions(
    format_name: str, variables: Sequence[str], rows: Sequence[Row], truncated: bool, limit: int
) -> bytes:
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[format_name]
    return writer(variables, rows, truncated, limit)


def boolean(format_name: str, value: bool) -> bytes:
    if format_name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if format_name == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    # CSV and TSV have no boolean form; the SPARQL 1.1 spec leaves it open, we write the word.
    return b"true\n" if value else b"false\n"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    result: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        result["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        result["datatype"] = term.datatype.value
    return result


def _json(variables: Sequence[str], rows: Sequence[Row], truncated: bool, limit: int) -> bytes:
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    document: dict[str, object] = {
        "head": {"vars": list(variables)},
        "results": {"bindings": bindings},
    }
    if truncated:
        document["truncated"] = {"limit": limit, "note": TRUNCATION_NOTE.format(limit=limit)}
    return json.dumps(document, ensure_ascii=False).encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = zip(
            ("subject", "predicate", "object"),
            (term.subject, term.predicate, term.object),
            strict=True,
        )
        return "<triple>" + "".join(f"<{n}>{_xml_term(t)}</{n}>" for n, t in parts) + "</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(variables: Sequence[str], rows: Sequence[Row], truncated: bool, limit: int) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in variables]
    out.append("</head>")
    if truncated:
        out.append(f"<!-- {TRUNCATION_NOTE.format(limit=limit)} -->")
    out.append("<results>")
    for row in rows:
        out.append("<result>")
        out += [
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term is not None
        ]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv(variables: Sequence[str], rows: Sequence[Row], truncated: bool, limit: int) -> bytes:
    # The W3C SPARQL CSV format: each value as it is. A cell such as =1+2 is not neutralised
    # (no leading '): programs read this format, and a changed value would be a wrong answer.
    # Guarding spreadsheets is the business of the files made for them.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return buffer.getvalue().encode()


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and _short_number(term):
        return term.value
    return str(term)


_SHORT_NUMBER = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"^[+-]?[0-9]+$"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"^(true|false)$"),
    "http://www.w3.org/2001/XMLSchema#double": re.compile(
        r"^[+-]?([0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+$"
    ),
}


def _short_number(literal: ox.Literal) -> bool:
    """Numbers and booleans are written in Turtle's short form (4, 5.5, 1.0E6, true)."""
    pattern = _SHORT_NUMBER.get(literal.datatype.value)
    return bool(pattern and pattern.match(literal.value))


def _tsv(variables: Sequence[str], rows: Sequence[Row], truncated: bool, limit: int) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join(_tsv_value(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


GRAPH_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_COMMENTS = {"turtle", "ntriples", "nquads", "trig"}


def graph(
    format_name: str,
    triples: Iterable[ox.Triple],
    truncated: bool,
    limit: int,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Triples in an RDF format; the quad formats put them in the default graph."""
    if GRAPH_RDF_FORMATS[format_name].supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return written(format_name, quads, truncated, limit, prefixes)
    return written(format_name, triples, truncated, limit, prefixes)


def written(
    format_name: str,
    items: Iterable[ox.Triple] | Iterable[ox.Quad],
    truncated: bool,
    limit: int,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Triples in a triple format, or quads (each in its graph) in a quad format."""
    rdf_format = GRAPH_RDF_FORMATS[format_name]
    payload = ox.serialize(
        items, format=rdf_format, prefixes=prefixes if format_name in ("turtle", "trig") else None
    )
    assert payload is not None
    if truncated and format_name in _COMMENTS:
        payload = f"# {TRUNCATION_NOTE.format(limit=limit)}\n".encode() + payload
    return payload
