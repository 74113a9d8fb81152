"""Linked Data: every IRI under our base dereferences, by content negotiation or suffix."""

import asyncio
import json
from dataclasses import replace
from functools import partial
from pathlib import Path as FilePath
from typing import Annotated
from urllib.parse import urlsplit

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from rdflib import Graph

from kg import iris
from kg.errors import UnavailableError
from kg.site.pages import describe_quads_query, describe_query
from kg.site.render import PAGE, local_path
from kg.vocab import ONTOLOGY_IRI, prefixes
from kg.web import results
from kg.web.protocol import FORMATS, best_match
from kg.web.state import AppState, state
from kg.web.worker_process import Job, Outcome

router = APIRouter(tags=["Linked Data"])

#: Suffix -> (media type, result format name of kg.web.protocol)
#: JSON-LD is compacted against our prefixes, with its @context, as the site's .jsonld files
#: are, for application/ld+json and plain JSON alike: Oxigraph's JSON-LD writer writes every
#: IRI in full and no context, what a client asking for the expanded profile gets.
COMPACT_JSONLD = "compact-jsonld"
EXPANDED_PROFILE = "http://www.w3.org/ns/json-ld#expanded"
TRIPLE_SUFFIXES = {
    ".ttl": ("text/turtle", "turtle"),
    ".jsonld": ("application/ld+json", COMPACT_JSONLD),
    ".nt": ("application/n-triples", "ntriples"),
    ".rdf": ("application/rdf+xml", "rdfxml"),
}
#: A resource's description with the graph that states each fact: the triple formats merge
#: the graphs, so that a kind only our inference gives reads there as a source's.
QUAD_SUFFIXES = {
    ".trig": ("application/trig", "trig"),
    ".nq": ("application/n-quads", "nquads"),
}
SUFFIXES = TRIPLE_SUFFIXES | QUAD_SUFFIXES
OFFERS = [
    ("text/html", "html"),
    *((media, name) for media, name in TRIPLE_SUFFIXES.values()),
    ("application/json", COMPACT_JSONLD),
    # After the RDF types: application/* picked it, a page for a client that asked for data
    # (trial 54a).
    ("application/xhtml+xml", "html"),
]
#: What an IRI of ours is offered as: OFFERS, and the quad formats last, so that no
#: wildcard picks them; under their older names too, which clients still send (54a).
RESOURCE_OFFERS = [
    *OFFERS,
    *QUAD_SUFFIXES.values(),
    ("application/x-trig", "trig"),
    ("text/x-nquads", "nquads"),
]
RDF_OFFERS = [offer for offer in OFFERS if offer[1] != "html"]
#: The RDF types, then a page: a wildcard picks Turtle (/.well-known/void).
RDF_THEN_PAGE = [*RDF_OFFERS, *(offer for offer in OFFERS if offer[1] == "html")]


def not_acceptable(request: Request, offers: list[tuple[str, str]]) -> HTTPException:
    """A 406 that says what was asked and what is offered, by media type, as an Accept
    header names them (the names alone, "Turtle", were no value to send; what was asked went
    unsaid: trial 25)."""
    offered = ", ".join(dict.fromkeys(media for media, _ in offers))
    asked = request.headers.get("accept", "")
    return HTTPException(
        406,
        f"nothing in Accept: {asked} is offered here; offered: {offered}",
        headers={"Vary": "Accept"},
    )


def links(path: str) -> str:
    return ", ".join(
        f'<{path}{suffix}>; rel="alternate"; type="{media}"'
        for suffix, (media, _) in SUFFIXES.items()
    )


async def dereference(request: Request, path: str) -> Response:
    app = state(request)
    # IRI/ is the page's address in earlier builds (a folder); it is IRI.html now.
    old_page = path.endswith("/")
    path = path.rstrip("/")
    page_request = old_page or path.endswith(PAGE)
    suffix = next((s for s in SUFFIXES if path.endswith(s)), None)
    if page_request:
        path, chosen = path.removesuffix(PAGE), "html"
    elif suffix:
        path, chosen = path[: -len(suffix)], SUFFIXES[suffix][1]
    else:
        found = best_match(request.headers.get("accept"), RESOURCE_OFFERS)
        if found is None:
            raise not_acceptable(request, RESOURCE_OFFERS)
        chosen = _profile(found, request.headers.get("accept"))
    iri = our_iri(app.settings.base_iri, path)
    moved = await _replacement(app, iri, path, chosen)
    if moved is not None:  # an IRI an earlier release published: permanently elsewhere
        target = local_path(moved, app.settings.base_iri)
        target += PAGE if page_request else (suffix or "")
        return RedirectResponse(target, status_code=301, headers={"Vary": "Accept"})
    headers = {"Vary": "Accept", "Link": links("/" + path)}
    if chosen == "html":
        return await _page(app, iri, path, headers, page_request, old_page)
    limit = app.settings.result_limit
    if chosen in QUAD_FORMATS:
        outcome = await _quads_result(app, describe_quads_query(iri), chosen, limit)
    else:
        outcome = await _graph_result(app, describe_query(iri), chosen, limit)
    if outcome.rows == 0:
        raise HTTPException(404, f"nothing is known about {iri}")
    return _response(outcome, headers)


# Sorted here, not by the engine: a query that sorts runs in its worker's forked copy
# (kg.web.worker_process.answer), a trip that every entity lookup need not make.
REPLACED_BY = "SELECT ?new WHERE { RESOURCE <http://purl.org/dc/terms/isReplacedBy> ?new }"


async def replacement(app: AppState, iri: str) -> str | None:
    """The IRI that replaces `iri` (dcterms:isReplacedBy, kg.graph.redirects), if any: of
    several, the first sorted, as the site's redirect page does."""
    query = REPLACED_BY.replace("RESOURCE", str(ox.NamedNode(iri)))
    outcome = await app.pool.run(Job(query, format="tsv", limit=1000, ours=True))
    if outcome.status != 200:
        return None
    lines = outcome.body.decode().splitlines()[1:]
    return min((line.strip()[1:-1] for line in lines if line.startswith("<")), default=None)


async def _replacement(app: AppState, iri: str, path: str, chosen: str) -> str | None:
    """replacement(), for our resources; when the store cannot answer (a SPARQL server
    away), None for a page the site holds, which is served from its file (a replaced
    IRI's page refreshes to its replacement), so that pages outlive the server's outage."""
    if not path.startswith("id/"):
        return None
    page = chosen == "html" and _static_page(app.site_dir, path)
    if page and not app.pool.alive():
        return None  # not asked: a paused SPARQL server held every page 10 s (trial 34)
    try:
        return await replacement(app, iri)
    except UnavailableError:
        if page:
            return None
        raise


def without_base_path(base_iri: str, path: str) -> str | None:
    """The path a request means that pastes our IRI's own path after the server's address
    ("/entitylist-kg/graph/all" for https://w3id.org/entitylist-kg/graph/all, a 404: trial
    46b), or None where it does not.

    >>> without_base_path("https://w3id.org/entitylist-kg/", "/entitylist-kg/graph/all")
    '/graph/all'
    >>> without_base_path("https://w3id.org/entitylist-kg/", "/graph/all") is None
    True
    >>> without_base_path("https://example.org/", "/id/a") is None  # a base with no path
    True

    So is the whole IRI pasted there, its "//" kept or made one (trial 47a):

    >>> without_base_path("https://w3id.org/entitylist-kg/", "/https:/w3id.org/entitylist-kg/id/a")
    '/id/a'
    """
    for pasted in ("/" + base_iri, "/" + base_iri.replace("://", ":/", 1)):
        if path.startswith(pasted):
            return "/" + path.removeprefix(pasted)
    prefix = urlsplit(base_iri).path
    if len(prefix) <= 1 or not path.startswith(prefix):
        return None
    return "/" + path.removeprefix(prefix)


def our_iri(base_iri: str, path: str) -> str:
    r"""The IRI a request path names under our base: 400 if none, 404 if never one of ours.

    The path arrives percent-decoded, so a space, a NUL, or bytes that are not UTF-8 (decoded
    to U+FFFD) reach here as characters no IRI may hold: the engine would refuse them later.

    >>> our_iri("https://example.org/", "id/a")
    'https://example.org/id/a'
    >>> for odd in ("id/a b", "id/\x00", "id/../site"):
    ...     try:
    ...         our_iri("https://example.org/", odd)
    ...     except HTTPException as error:
    ...         print(error.status_code, error.detail)
    400 not an IRI: 'https://example.org/id/a b' (Invalid IRI code point ' ')
    400 not an IRI: 'https://example.org/id/\x00' (Invalid IRI code point '\x00')
    404 nothing is known about https://example.org/id/../site
    """
    iri = base_iri + path
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        shown = ascii(iri if len(iri) <= 300 else iri[:300] + "...")
        raise HTTPException(400, f"not an IRI: {shown} ({ascii(str(error))[1:-1]})") from None
    # Dot and empty segments are well-formed but never in an IRI we mint; they must not reach
    # the file system either, where .. would climb out of the site and // would collapse.
    if any(segment in ("", ".", "..") for segment in path.split("/")):
        raise HTTPException(404, f"nothing is known about {iri}")
    return iri


def _profile(chosen: str, accept: str | None) -> str:
    """JSON-LD in the form its profile asks for (JSON-LD 1.1 section 9.1): expanded, else
    compacted."""
    expanded = chosen == COMPACT_JSONLD and EXPANDED_PROFILE in (accept or "")
    return "jsonld" if expanded else chosen


async def _graph_result(app: AppState, query: str, chosen: str, limit: int) -> Outcome:
    """A CONSTRUCT or DESCRIBE result in a result format, or as JSON-LD with a context."""
    if chosen != COMPACT_JSONLD:
        return await app.pool.run(Job(query, format=chosen, limit=limit, ours=True))
    outcome = await app.pool.run(Job(query, format="ntriples", limit=limit, ours=True))
    if outcome.status != 200:
        return outcome
    body = await asyncio.to_thread(compact_jsonld, outcome.body, app.settings.base_iri)
    return replace(outcome, body=body, media_type="application/ld+json")


QUAD_FORMATS = {name for _, name in QUAD_SUFFIXES.values()}


async def _quads_result(app: AppState, query: str, chosen: str, limit: int) -> Outcome:
    """A SELECT of ?g ?s ?p ?o written as quads, in the graph each row names: CONSTRUCT has
    no graphs, and the release's graphs keep their names on a SPARQL server too
    (kg.publish.pointer), so the same query serves both."""
    outcome = await app.pool.run(Job(query, format="json", limit=limit, ours=True))
    if outcome.status != 200:
        return outcome
    written = partial(_written_quads, chosen, limit, outcome.truncated, app.settings.base_iri)
    body = await asyncio.to_thread(written, outcome.body)
    return replace(outcome, body=body, media_type=FORMATS[chosen].media_type)


def _written_quads(chosen: str, limit: int, truncated: bool, base_iri: str, body: bytes) -> bytes:
    # Our writer's note of a cut follows the bindings, where the engine's reader takes none.
    document = json.loads(body)
    document.pop("truncated", None)
    rows = ox.parse_query_results(json.dumps(document), format=ox.QueryResultsFormat.JSON)
    assert isinstance(rows, ox.QuerySolutions), "a SELECT answers with solutions"
    quads = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]
    # Sorted, so that the same build gives the same document: the engine's order is its own.
    quads.sort(key=lambda quad: (str(quad.graph_name), str(quad)))
    return results.written(chosen, quads, truncated, limit, prefixes(base_iri))


def _response(outcome: Outcome, headers: dict[str, str]) -> Response:
    return Response(
        outcome.body, status_code=outcome.status, media_type=outcome.media_type, headers=headers
    )


def compact_jsonld(ntriples: bytes, base_iri: str) -> bytes:
    """N-Triples as JSON-LD compacted against our prefixes: short keys, with their @context."""
    graph = Graph().parse(data=ntriples, format="nt")
    return graph.serialize(
        format="json-ld", context=prefixes(base_iri), auto_compact=True, encoding="utf-8"
    )


async def _page(
    app: AppState, iri: str, path: str, headers: dict[str, str], page_request: bool, old: bool
) -> Response:
    static_page = _static_page(app.site_dir, path)
    if static_page:
        if old:
            return RedirectResponse(f"/{path}{PAGE}", status_code=301, headers=headers)
        if not page_request:
            # The IRI names the thing; its page is the document IRI.html, as on a static host.
            return RedirectResponse(f"/{path}{PAGE}", status_code=303, headers=headers)
        return FileResponse(static_page, media_type="text/html", headers=headers)
    outcome = await _graph_result(app, describe_query(iri), "ntriples", app.settings.result_limit)
    if outcome.rows == 0:
        raise HTTPException(404, f"nothing is known about {iri}")
    page = await asyncio.to_thread(render_resource, app, iri, outcome.body)
    return HTMLResponse(page, headers=headers)


def _static_page(site_dir: FilePath | None, path: str) -> FilePath | None:
    """The built page of a path, if there is one."""
    if site_dir is None:
        return None
    page = site_dir / f"{path}{PAGE}"
    try:
        return page if page.is_file() else None
    except OSError:
        # A segment longer than a file name may be (ENAMETOOLONG): no page was built for it.
        return None


def render_resource(app: AppState, iri: str, ntriples: bytes) -> str:
    """A generic page for a resource: its label, its properties, and what links to it."""
    triples = [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    labels: dict[str, str] = {}
    for triple in triples:
        if triple.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1] in (
            "name",
            "label",
            "prefLabel",
        ):
            labels.setdefault(triple.subject.value, triple.object.value)
    outgoing = sorted(
        (
            t.predicate.value,
            t.object.value,
            isinstance(t.object, ox.NamedNode),
            t.object.language if isinstance(t.object, ox.Literal) else None,
        )
        for t in triples
        if t.subject.value == iri
    )
    incoming = sorted(
        (t.predicate.value, t.subject.value)
        for t in triples
        if isinstance(t.object, ox.NamedNode) and t.object.value == iri and t.subject.value != iri
    )
    return app.templates.get_template("described.html").render(
        root="/",
        iri=iri,
        title=labels.get(iri, iri),
        labels=labels,
        outgoing=outgoing,
        incoming=incoming,
        alternates=[(suffix, media) for suffix, (media, _) in SUFFIXES.items()],
        path=local_path(iri, app.settings.base_iri),
    )


ResourcePath = Annotated[str, Path(description="the rest of the IRI after the kind")]


# HEAD answers as GET does (uvicorn sends no body): FastAPI routes take only the methods
# they are given, and a HEAD they refuse falls through to the static site's mount.
@router.get(
    "/id/{rest:path}",
    summary="An entity, listing, rule, statement... of the graph",
    response_class=Response,
)
@router.head("/id/{rest:path}", include_in_schema=False)
async def resource(request: Request, rest: ResourcePath) -> Response:
    return await dereference(request, f"id/{rest}")


@router.get(
    "/graph/{rest:path}",
    summary="A named graph's description: the source of its facts and their number (the "
    "facts themselves are in the dumps, and in /sparql with GRAPH)",
    response_class=Response,
)
@router.head("/graph/{rest:path}", include_in_schema=False)
async def named_graph(request: Request, rest: ResourcePath) -> Response:
    return await dereference(request, f"graph/{rest}")


@router.get("/dataset", summary="The dataset (VoID and DCAT)", response_class=Response)
@router.head("/dataset", include_in_schema=False)
async def dataset(request: Request) -> Response:
    return await dereference(request, "dataset")


# The dataset's description by the suffixes its Link header names that the site has no file
# for (its Turtle, N-Triples and JSON-LD are files, served by the static mount): /dataset.rdf
# was a 404 (trial 54a).
@router.get("/dataset.rdf", include_in_schema=False)
@router.head("/dataset.rdf", include_in_schema=False)
@router.get("/dataset.trig", include_in_schema=False)
@router.head("/dataset.trig", include_in_schema=False)
@router.get("/dataset.nq", include_in_schema=False)
@router.head("/dataset.nq", include_in_schema=False)
async def dataset_by_suffix(request: Request) -> Response:
    return await dereference(request, request.url.path.lstrip("/"))


@router.get("/.well-known/void", summary="VoID description of the dataset", response_class=Response)
@router.head("/.well-known/void", include_in_schema=False)
async def void(request: Request) -> Response:
    app = state(request)
    # A browser is sent to the dataset's page, as /dataset sends it (it was a 406); any other
    # client, */* too, gets the description.
    if best_match(request.headers.get("accept"), RDF_THEN_PAGE) == "html":
        return await dataset(request)
    found = best_match(request.headers.get("accept"), RDF_OFFERS)
    if found is None:
        raise not_acceptable(request, RDF_OFFERS)
    found = _profile(found, request.headers.get("accept"))
    graph = f"<{iris.dataset(app.settings.base_iri)}>"
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    # Whole, as /ontology: the description is ours and bounded by the number of graphs; cut
    # at the client limit, which triples it kept depended on the store's order.
    outcome = await _graph_result(app, query, found, 1_000_000)
    return _response(outcome, {"Vary": "Accept"})


@router.get("/ontology", summary="The ontology: HTML documentation or RDF", response_class=Response)
@router.head("/ontology", include_in_schema=False)
async def ontology(request: Request) -> Response:
    app = state(request)
    found = best_match(request.headers.get("accept"), OFFERS)
    if found is None:
        raise not_acceptable(request, OFFERS)
    headers = {"Vary": "Accept"}
    if found == "html":
        built = app.site_dir / "ontology" / "index.html" if app.site_dir else None
        if built and built.is_file():
            return RedirectResponse("/ontology/", status_code=303, headers=headers)
        page = app.templates.get_template("ontology.html").render(
            root="/", terms=app.ontology_terms, shapes=""
        )
        return HTMLResponse(page, headers=headers)
    graph = str(ox.NamedNode(ONTOLOGY_IRI))
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    chosen = _profile(found, request.headers.get("accept"))
    return _response(await _graph_result(app, query, chosen, 1_000_000), headers)
