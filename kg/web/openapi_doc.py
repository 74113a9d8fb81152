"""The OpenAPI description: what FastAPI derives from the routes, and what it cannot know.

The SPARQL endpoint, Linked Data and the dump files read their requests themselves and
answer in many media types, chosen by Accept: FastAPI saw a 200 of no type, no dataset
parameters, no POST body and no error, and no dump file at all (a mounted folder has no
route). A client generated from the description could not ask for Turtle or read a 503.
Each is completed here, from the same tables the routes answer by, with the errors as they
come: plain text that says what is wrong (SECURITY.md lists the limits behind them).
"""

import re
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kg.web.endpoint import LIMIT_HEADER, TRUNCATED_HEADER
from kg.web.linked_data import OFFERS, RESOURCE_OFFERS
from kg.web.match_routes import MAX_CANDIDATES
from kg.web.protocol import DIRECT, FORM, FORMATS
from kg.web.screening_request import DEFAULT_CUTOFF, DEFAULT_LIMIT, DEFAULT_THRESHOLD

TEXT = {"text/plain": {"schema": {"type": "string"}}}
#: Why each error is given, as the server says it in the body.
ERRORS = {
    400: "The request cannot be read: the query's syntax (line and column), a parameter or "
    "an IRI; the body says which and what to do.",
    404: "Nothing is known about this IRI, or no such file; the body says which.",
    406: "No media type in Accept is offered here; the body lists those that are.",
    413: "The query is longer or more deeply nested than the server takes, or the body "
    "larger (--max-query-length, --max-query-depth, --max-body-bytes).",
    415: "A POST body of a type the SPARQL Protocol does not define for queries.",
    429: "This client already has a query running (--per-client); Retry-After says when "
    "to ask again.",
    500: "The query engine failed on a valid query (a fault of the engine, Oxigraph, which "
    "the SPARQL Protocol answers 500); sent again as written it fails again: the body says "
    "how to rephrase it.",
    503: "The query ran past the time limit or the memory limit, every worker is busy and "
    "the queue full, or the SPARQL server behind us is unreachable; the body says which.",
}
SPARQL_ERRORS = (400, 406, 413, 429, 500, 503)
#: The documents of our IRIs, by whether the quad formats are offered (a resource's: which
#: graph states each fact) or not (one graph's).
DOCUMENTS = {
    "/id/{rest}": True,
    "/graph/{rest}": True,
    "/dataset": True,
    "/.well-known/void": False,
    "/ontology": False,
}
DUMP_TYPES = (
    "application/n-quads",
    "application/n-triples",
    "application/trig",
    "text/turtle",
    "application/ld+json",
    "application/json",  # the ingest report, the validation report
    "application/atom+xml",  # the changes' feed
    "application/gzip",
    "text/plain",
)


def install(app: FastAPI) -> None:
    """Serve the completed description at /openapi.json (made once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            complete(schema["paths"])
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(paths: dict[str, Any]) -> None:
    """Add to FastAPI's paths what the routes that read their own requests answer."""
    for method, operation in paths.get("/sparql", {}).items():
        _sparql(operation, post=method == "post")
    for path, quads in DOCUMENTS.items():
        for operation in paths.get(path, {}).values():
            offers = RESOURCE_OFFERS if quads else OFFERS
            operation["responses"] = _documents(operation["responses"], offers)
    paths["/dumps/{name}"] = {"get": _dump_file()}
    if "post" in paths.get("/reconcile", {}):
        paths["/reconcile"]["post"]["requestBody"] = _reconcile_body()
    _reconcile_parameters(paths)
    _match_options(paths)
    _pages_and_refusals(paths)
    _unique_operation_ids(paths)


def _pages_and_refusals(paths: dict[str, Any]) -> None:
    """What trial 28 found described otherwise than answered: /search answers JSON or a page
    (its 200 had no type), and /screen refuses bad fields on its page (described as JSON)."""
    for operation in paths.get("/search", {}).values():
        operation["responses"]["200"]["content"] = {"application/json": {}, "text/html": {}}
    for operation in paths.get("/screen", {}).values():
        operation["responses"]["422"] = {
            "description": "The form again, with each bad field said",
            "content": {"text/html": {}},
        }


#: /match's options as they are read: the route takes them as text, to say what is wrong
#: with each itself, so FastAPI described a number as a string (trial 29).
MATCH_OPTIONS = {
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_CANDIDATES, "default": DEFAULT_LIMIT},
    "threshold": {"type": "number", "minimum": 0, "maximum": 1, "default": DEFAULT_THRESHOLD},
    "cutoff": {"type": "number", "minimum": 0, "maximum": 1, "default": DEFAULT_CUTOFF},
    "as_of": {"type": "string", "format": "date"},
}


def _match_options(paths: dict[str, Any]) -> None:
    for path in ("/match", "/match/{dataset}"):
        for operation in paths.get(path, {}).values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in MATCH_OPTIONS:
                    parameter["schema"] = MATCH_OPTIONS[parameter["name"]]


def _reconcile_parameters(paths: dict[str, Any]) -> None:
    """The fields /reconcile reads itself: in the URL for GET, the day and the lists in the
    service's URL for POST too. GET /reconcile listed none (trial 29)."""
    day = _parameter("as_of", "entries in force that day (YYYY-MM-DD); default today")
    lists = _parameter("lists", "only these lists: abbreviations (EL, SDN, ...)", many=True)
    for method, operation in paths.get("/reconcile", {}).items():
        fields = [day, lists]
        if method == "get":
            body = _reconcile_body()["content"][FORM]["schema"]["properties"]
            fields = [_parameter(name, said["description"]) for name, said in body.items()]
            fields += [day, lists]
        operation["parameters"] = fields
        operation["responses"]["422"] = {
            "description": "A field misspelt or unreadable, each said with where it is",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
            },
        }


def _reconcile_body() -> dict[str, Any]:
    """The Reconciliation API's form fields, each a JSON text (read by the route itself)."""
    fields = {
        "queries": "a batch: a JSON object of queries, each {query, type, properties, limit}",
        "extend": "a data extension: a JSON object {ids, properties}",
    }
    schema = {
        "type": "object",
        "properties": {
            name: {"type": "string", "description": said} for name, said in fields.items()
        },
    }
    return {"required": True, "content": {FORM: {"schema": schema}}}


def _unique_operation_ids(paths: dict[str, Any]) -> None:
    """Each operation an id of its own: a route of two methods gave both the first one's
    ("sparql_sparql_get" for GET and POST /sparql), which code generators refuse (trial 27).

    >>> paths = {"/s": {"get": {"operationId": "s_get"}, "post": {"operationId": "s_get"}}}
    >>> _unique_operation_ids(paths); [op["operationId"] for op in paths["/s"].values()]
    ['s_get', 's_post']
    """
    ids = [op.get("operationId") for item in paths.values() for op in item.values()]
    for item in paths.values():
        for method, operation in item.items():
            known = operation.get("operationId")
            if known and ids.count(known) > 1:
                operation["operationId"] = re.sub(r"_(get|post|head)$", "", known) + f"_{method}"


def _sparql(operation: dict[str, Any], *, post: bool) -> None:
    results: dict[str, Any] = {
        media: {} for f in FORMATS.values() for media in (f.media_type, *f.aliases)
    }
    operation["parameters"] = [
        _parameter("query", "the SPARQL query" + (" (or in the body)" if post else "")),
        _parameter("default-graph-uri", "a graph of the default graph (repeatable)", many=True),
        _parameter("named-graph-uri", "a named graph the query may use (repeatable)", many=True),
        _parameter("format", "a result format, overriding Accept: " + ", ".join(FORMATS)),
    ]
    operation["responses"] = {
        "200": {
            "description": "SELECT and ASK: SPARQL results; CONSTRUCT and DESCRIBE: RDF; "
            "without a query, the Service Description (RDF) or, for a browser, the query page.",
            "headers": {
                LIMIT_HEADER: _header("the most rows or triples an answer holds"),
                TRUNCATED_HEADER: _header("true where the answer was cut at that limit"),
            },
            "content": {**results, "text/html": {}},
        },
        **_errors(SPARQL_ERRORS + ((415,) if post else ())),
    }
    if post:
        form = {
            "type": "object",
            "required": ["query"],
            "properties": {
                "query": {"type": "string"},
                "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            },
        }
        operation["requestBody"] = {
            "required": True,
            "content": {FORM: {"schema": form}, DIRECT: {"schema": {"type": "string"}}},
        }


def _documents(responses: dict[str, Any], offers: list[tuple[str, str]]) -> dict[str, Any]:
    ok = {
        "description": "The resource's description as RDF, or its page, by Accept; a browser "
        "is sent to the page (303), an IRI an earlier release published to its new one (301).",
        "content": {media: {} for media, _ in offers},
    }
    kept = {code: answer for code, answer in responses.items() if code != "200"}
    return {"200": ok, "301": {"description": "Moved"}, "303": {"description": "See Other"}} | {
        **kept,
        **_errors((400, 404, 406, 503)),
    }


def _dump_file() -> dict[str, Any]:
    return {
        "tags": ["Dumps"],
        "summary": "A dump file of this build (/dumps/ lists them with their SHA-256)",
        "operationId": "dump_file",
        "parameters": [
            {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {
            "200": {
                "description": "The file; a .gz file as application/gzip, SHA256SUMS as text",
                "content": {media: {} for media in DUMP_TYPES},
            },
            **_errors((404,)),
        },
    }


def _errors(codes: Iterable[int]) -> dict[str, Any]:
    return {str(code): {"description": ERRORS[code], "content": TEXT} for code in codes}


def _parameter(name: str, description: str, *, many: bool = False) -> dict[str, Any]:
    schema = {"type": "array", "items": {"type": "string"}} if many else {"type": "string"}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        **({"explode": True} if many else {}),
    }


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}
