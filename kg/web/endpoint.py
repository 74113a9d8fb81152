"""The SPARQL 1.1 Protocol query operation at /sparql, and its Service Description."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD, Namespace

from kg import iris
from kg.config import Settings
from kg.publish.pointer import merged_graph
from kg.web.examples import examples, is_example
from kg.web.protocol import (
    FORMATS,
    RESULT_OFFERS,
    ProtocolError,
    best_match,
    check_size,
    parse_request,
    wants_page,
)
from kg.web.state import state
from kg.web.worker_process import Job

router = APIRouter(tags=["SPARQL"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULT_FORMATS = "http://www.w3.org/ns/formats/"
DESCRIPTION_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
#: Addresses that mean "every interface": no one address a client could be given.
LIMIT_HEADER = "KG-Result-Limit"
TRUNCATED_HEADER = "KG-Results-Truncated"


@router.api_route(
    "/sparql",
    methods=["GET", "POST"],
    response_class=Response,
    summary="SPARQL 1.1 query endpoint",
    description="GET with ?query=, POST form-encoded, or POST "
    "application/sparql-query. Without a query, GET returns the Service "
    "Description (RDF) or, for browsers, the query page.",
)
@router.head("/sparql", include_in_schema=False)
async def sparql(request: Request) -> Response:
    app = state(request)
    body = await request.body()  # bounded in size and time by kg.web.connections.BodyBounds
    # HEAD is GET without the body (uvicorn drops it): the same answer, the same headers.
    method = "GET" if request.method == "HEAD" else request.method
    accept = request.headers.get("accept")
    if method == "GET" and not request.query_params:
        return describe_service(request)
    if method == "GET" and set(request.query_params) == {"query"} and wants_page(accept):
        # A link to a query, opened in a browser: the query page, which runs it (the results
        # were a file to save, and Accept: text/html alone a 406).
        return query_page(request, request.query_params["query"])
    protocol = parse_request(method, request.headers.get("content-type"), _multi(request), body)
    check_size(protocol.query, app.settings.max_query_length, app.settings.max_query_depth)
    job = Job(
        protocol.query,
        default_graphs=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        accept=accept,
        format=protocol.format,
        limit=app.settings.result_limit,
        max_bytes=app.settings.max_result_bytes,
        # Relative IRIs in a query without BASE resolve against the endpoint's IRI, as
        # configured: the Host header is the client's to write.
        base_iri=public_endpoint(app.settings),
        merge=merged_graph(app.settings.base_iri),
        # An example is ours: an operator's restart of the SPARQL server it met while it
        # ran refused it to every reader until kg serve restarted (trial 35).
        ours=is_example(protocol.query, app.settings.base_iri),
    )
    outcome = await app.pool.run(job)
    headers = {"Vary": "Accept", LIMIT_HEADER: str(app.settings.result_limit)}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
    return Response(
        outcome.body, status_code=outcome.status, media_type=outcome.media_type, headers=headers
    )


def _multi(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


def describe_service(request: Request) -> Response:
    """The Service Description, or the query page for a browser."""
    app = state(request)
    offers = [("text/html", "html"), *DESCRIPTION_FORMATS.items()]
    chosen = best_match(request.headers.get("accept"), [(m, m) for m, _ in offers])
    if chosen is None:
        if best_match(request.headers.get("accept"), RESULT_OFFERS) is not None:
            # Results asked for, and no query: that is what is wrong, not the type (trial 26).
            raise ProtocolError(
                400,
                "no query: send one as query=... (GET or a form POST) or as the body "
                "(application/sparql-query); without one, /sparql answers its service "
                "description, in HTML, Turtle, JSON-LD, N-Triples or RDF/XML",
            )
        raise ProtocolError(
            406, "the service description is offered as HTML, Turtle, JSON-LD, N-Triples or RDF/XML"
        )
    if chosen == "text/html":
        return query_page(request)
    graph = service_description(
        public_endpoint(app.settings), app.settings.base_iri, app.pool.triples
    )
    payload = graph.serialize(format=DESCRIPTION_FORMATS[chosen], encoding="utf-8")
    return Response(payload, media_type=chosen, headers={"Vary": "Accept"})


def query_page(request: Request, asked: str = "") -> HTMLResponse:
    """The query page, with the first example, or the query asked, which its script runs."""
    app = state(request)
    page = app.templates.get_template("query.html").render(
        root="/",
        examples=examples(app.settings.base_iri),
        formats=[f for f in FORMATS.values()],
        limit=app.settings.result_limit,
        timeout=app.settings.query_timeout,
        asked=asked,
    )
    return HTMLResponse(page, headers={"Vary": "Accept"})


def public_endpoint(settings: Settings) -> str:
    """The endpoint's IRI under the configured base, where the public reaches it."""
    return settings.base_iri + "sparql"


def service_description(endpoint: str, base_iri: str, triples: int | None) -> Graph:
    """The Service Description of the endpoint, published at `endpoint`, with the triples of
    its default graph where the store or the server's pointer records them."""
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(f"{endpoint}#service")
    dataset, default_graph = URIRef(f"{endpoint}#dataset"), URIRef(f"{endpoint}#default-graph")
    facts: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (service, RDF.type, SD.Service),
        (service, SD.endpoint, URIRef(endpoint)),
        (service, SD.supportedLanguage, SD.SPARQL11Query),
        (service, SD.feature, SD.UnionDefaultGraph),
        (service, SD.defaultDataset, dataset),
        (dataset, RDF.type, SD.Dataset),
        (dataset, SD.defaultGraph, default_graph),
        (default_graph, RDF.type, SD.Graph),
        (dataset, URIRef("http://purl.org/dc/terms/source"), URIRef(iris.dataset(base_iri))),
    ]
    if triples is not None:  # not the quads: the merge holds a triple of two graphs once
        facts.append((default_graph, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for fact in facts:
        graph.add(fact)
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
        "N-Quads",
        "TriG",
    ):
        graph.add((service, SD.resultFormat, URIRef(RESULT_FORMATS + name)))
    return graph
