"""SELECT results, and graphs in N-Triples, written by the engine's own serialisers, when
they fit the bounds.

Oxigraph writes results faster than Python writers (a 9,000-row result of the whole CSL in
half the time, query included), but it cannot stop after N rows. So the engine writes into
a buffer that refuses to grow past the byte bound, or past what the row bound can hold
(counted by marks of rows as they are written); the rows are then counted exactly. A result
past either bound is left to the capped writers (kg.web.results), which cut it by rows and
say so. Most results fit, and take the fast way. A graph in N-Triples is a triple a line;
written straight from the answer, it is not first made a Python list of triples for the
capped writer (the entity lookup of serve_bench: 62 triples, about 90 µs of 2 ms).

For `SELECT *` the engine orders the columns its own way, where the capped writers order
them as the query names them: such results are left to the capped writers too, so that a
client sees the same columns whatever the size of its result.
"""

import csv
import io
import json

import pyoxigraph as ox

ENGINE_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: Graphs too, where a triple is a line: the capped writers give the same bytes.
ENGINE_GRAPH_FORMATS = {"ntriples": ox.RdfFormat.N_TRIPLES}


class _OverflowError(Exception):
    """The result passed a bound while the engine wrote it."""


#: What marks a row in each format's bytes, and how many such marks come before the rows
#: (less one: JSON marks the gap between two rows). In TSV and XML a mark is a row (line
#: breaks and `<` in terms are escaped); in CSV (line breaks inside quoted terms) and JSON
#: (`},{`, which the engine writes only between rows and a literal may hold) the marks bound
#: rows from above. So that a result of millions of rows stops past the row bound, as it is
#: written, not at the byte bound. A brace per row and per term, as JSON was once counted,
#: sent results of 2,500 rows of four columns to the slower writers, the query run twice.
ROW_MARKS = {
    "tsv": (b"\n", 1),
    "xml": (b"<result>", 0),
    "csv": (b"\n", 1),
    "json": (b"},{", -1),
    "ntriples": (b"\n", 0),  # a triple a line: N-Triples escapes line breaks in literals
}


class _BoundedBuffer(io.BytesIO):
    """A binary output that refuses more than `max_bytes` (0: no bound), or more marks of a
    row than `limit` rows can hold."""

    def __init__(self, max_bytes: int, format_name: str, limit: int) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.mark, before = ROW_MARKS[format_name]
        self.marks_allowed = limit + before
        self.marks = 0
        self.tail = b""  # a mark may straddle two writes

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        if self.max_bytes and self.tell() + len(chunk) > self.max_bytes:
            raise _OverflowError
        seen = self.tail + bytes(chunk)
        self.marks += seen.count(self.mark) - self.tail.count(self.mark)
        if self.marks > self.marks_allowed:
            raise _OverflowError
        self.tail = seen[-(len(self.mark) - 1) :] if len(self.mark) > 1 else b""
        return super().write(chunk)


def written(
    answer: ox.QuerySolutions | ox.QueryTriples, format_name: str, *, limit: int, max_bytes: int
) -> tuple[bytes, int] | None:
    """The result as the engine writes it, and its rows (triples of a graph); None when it
    passes a bound (the answer is then spent: run the query again for the capped writers).

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1")))
    >>> query = "SELECT ?s WHERE { ?s ?p ?o }"
    >>> written(store.query(query), "tsv", limit=10, max_bytes=0)
    (b'?s\\n<http://x/a>\\n', 1)
    >>> written(store.query(query), "json", limit=0, max_bytes=0) is None
    True
    """
    buffer = _BoundedBuffer(max_bytes, format_name, limit)
    try:
        if isinstance(answer, ox.QueryTriples):
            answer.serialize(buffer, format=ENGINE_GRAPH_FORMATS[format_name])
        else:
            answer.serialize(buffer, format=ENGINE_FORMATS[format_name])
    except _OverflowError:
        return None
    body = buffer.getvalue()
    rows = count_rows(body, format_name)
    return (body, rows) if rows <= limit else None


def count_rows(body: bytes, format_name: str) -> int:
    """The solutions (or triples) in a result the engine wrote, read from its bytes.

    TSV and N-Triples escape line breaks inside terms and XML escapes `<` inside them, so lines and
    `<result>` tags count rows exactly; JSON and CSV are read by the standard library's C
    parsers.
    """
    if format_name == "tsv":
        return max(body.count(b"\n") - 1, 0)
    if format_name == "ntriples":
        return body.count(b"\n")
    if format_name == "xml":
        return body.count(b"<result>")
    if format_name == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode(), newline=""))) - 1
    return len(json.loads(body)["results"]["bindings"])
