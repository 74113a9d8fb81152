"""SELECT results written by the engine's own serialisers, when they fit the bounds.

Oxigraph writes a whole result 5-40 times faster than Python writers, but it cannot stop
after N rows. So a result is written whole by the engine into a buffer that refuses to grow
past the byte bound, and its rows are counted in the written bytes; a result past either
bound is left to the capped writers (kg.web.results), which cut it by rows and say so. Most
results fit, and take the fast way.

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


class _OverflowError(Exception):
    """The result passed the byte bound while the engine wrote it."""


class _BoundedBuffer(io.BytesIO):
    """A binary output that refuses to hold more than `max_bytes` (0: no bound)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__()
        self.max_bytes = max_bytes

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        if self.max_bytes and self.tell() + len(chunk) > self.max_bytes:
            raise _OverflowError
        return super().write(chunk)


def written(
    answer: ox.QuerySolutions, format_name: str, *, limit: int, max_bytes: int
) -> tuple[bytes, int] | None:
    """The result as the engine writes it, and its rows; None when it passes a bound (the
    answer is then spent: run the query again for the capped writers).

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1")))
    >>> query = "SELECT ?s WHERE { ?s ?p ?o }"
    >>> written(store.query(query), "tsv", limit=10, max_bytes=0)
    (b'?s\\n<http://x/a>\\n', 1)
    >>> written(store.query(query), "json", limit=0, max_bytes=0) is None
    True
    """
    buffer = _BoundedBuffer(max_bytes)
    try:
        answer.serialize(buffer, format=ENGINE_FORMATS[format_name])
    except _OverflowError:
        return None
    body = buffer.getvalue()
    rows = count_rows(body, format_name)
    return (body, rows) if rows <= limit else None


def count_rows(body: bytes, format_name: str) -> int:
    """The solutions in a result the engine wrote, read from its bytes.

    TSV escapes line breaks inside terms and XML escapes `<` inside them, so lines and
    `<result>` tags count rows exactly; JSON and CSV are read by the standard library's C
    parsers.
    """
    if format_name == "tsv":
        return max(body.count(b"\n") - 1, 0)
    if format_name == "xml":
        return body.count(b"<result>")
    if format_name == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode(), newline=""))) - 1
    return len(json.loads(body)["results"]["bindings"])
