"""create_app(): the SPARQL endpoint, Linked Data, search and pages over one query pool."""

import asyncio
import logging
import stat
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from kg import __version__
from kg.config import Settings
from kg.errors import KgError
from kg.publish.files import DUMPS, SITE
from kg.remote_store import RemoteStoreError
from kg.site.render import NO_PAGE, SITE_DIR, environment
from kg.web import (
    docs_routes,
    dumps_routes,
    endpoint,
    linked_data,
    match_routes,
    openapi_doc,
    reconcile_routes,
    remote,
    screen_routes,
    search_routes,
)
from kg.web.admission import Admission
from kg.web.answer_models import Health
from kg.web.connections import BodyBounds
from kg.web.endpoint import LIMIT_HEADER, TRUNCATED_HEADER
from kg.web.folders import nearest, under, words_of
from kg.web.headers import SecurityHeaders
from kg.web.protocol import best_match
from kg.web.served import ServedBuild, Switchable, checked, follow, load
from kg.web.state import AppState

log = logging.getLogger(__name__)

#: The route of arbitrary queries: bounded per client (kg.web.admission). Every route that
#: needs a worker waits in the pool's bounded queue (kg.web.workers).
QUERY_PATHS = ("/sparql",)


def create_app(settings: Settings) -> FastAPI:
    build = ServedBuild.pin(settings.out_dir)
    try:
        parts = checked(
            build, settings.cache_dir
        )  # a damaged build is refused before the server starts
    except KgError:
        build.release()
        raise
    app_state = AppState(
        settings=settings,
        templates=environment(settings.base_iri),
        site=Switchable(_site, build),
        dumps=Switchable(_dumps, build),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            if settings.store_url:  # queries answered by a SPARQL server (kg publish loaded it)
                app_state.switch(await remote.load(build, settings, starting=True))
                following = remote.follow(settings, app_state.current, app_state.switch)
            else:
                app_state.switch(await load(build, settings, parts))
                following = follow(settings.out_dir, settings, app_state.current, app_state.switch)
        except KgError as error:
            app_state.failure = error
            app_state.stop_serving()
            yield
            return
        watch = asyncio.get_running_loop().create_task(following)
        yield
        watch.cancel()
        await app_state.current().pool.stop()

    app = FastAPI(
        title="Entity List Knowledge Graph",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # kg.web.docs_routes serves /docs from the package, not a CDN
        redoc_url=None,
        # No OpenTelemetry here: off, FastAPI no longer asks three providers per request
        # whether anyone listens (a tenth of the server's own time on a cheap query).
        telemetry={"tracing": False, "metrics": False, "logs": False},
        description="The SPARQL 1.1 endpoint, Linked Data, the name search, screening "
        "(yente's `/match`, and the page `/screen`) and the W3C Reconciliation API "
        "(`/reconcile`, for OpenRefine) of the Entity List Knowledge Graph. Read-only; "
        "[the site](/), [the query page](/sparql), [the downloads](/downloads/).",
    )
    app.state.kg = app_state
    # Innermost first: admission sees only requests that passed the outer layers.
    app.add_middleware(QueryLane)
    app.add_middleware(Admission, paths=QUERY_PATHS, per_client=settings.per_client)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=[LIMIT_HEADER, TRUNCATED_HEADER],
    )
    app.add_middleware(BodyBounds, seconds=settings.body_timeout, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    _errors(app, app_state)
    app.include_router(endpoint.router)
    app.include_router(linked_data.router)
    app.include_router(search_routes.router)
    app.include_router(match_routes.router)
    app.include_router(reconcile_routes.router)
    app.include_router(screen_routes.router)
    app.include_router(docs_routes.router)
    app.mount(docs_routes.ASSETS, docs_routes.assets(), name="docs-assets")
    _service_links(app)
    app.mount("/static", StaticFiles(directory=SITE_DIR / "static"), name="static")
    app.include_router(dumps_routes.router)
    app.mount("/dumps", app_state.dumps, name="dumps")
    _misc(app, app_state)
    openapi_doc.install(app)
    return app


class QueryLane:
    """Queries straight to their route, past FastAPI's router and request handling.

    FastAPI's routing (matching every route in turn, solving dependencies, two exit stacks
    per request) took half of the server's own Python time on a cheap query. The route
    reads its own parameters (kg.web.endpoint), so it needs none of it: only its errors
    answered as every route's are (`error_response`). The route stays registered with
    FastAPI for the API documentation and for the methods this lane leaves to it; every
    middleware outside this one (security headers, body bounds, CORS, admission) still
    applies.
    """

    METHODS = frozenset(("GET", "POST", "HEAD"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] not in QUERY_PATHS
            or scope["method"] not in self.METHODS
        ):
            await self.app(scope, receive, send)
            return
        try:
            response = await endpoint.sparql(Request(scope, receive, send))
        except KgError as error:
            response = error_response(error)
        await response(scope, receive, send)


def error_response(error: KgError) -> Response:
    """Our errors as every route answers them: the status they carry, the message in words.
    The SPARQL server's are the operator's to act on: its URL and what to run stay in the
    log, and a client reads what failed (they showed an internal address, trial 33)."""
    headers = None if error.retry_after is None else {"Retry-After": str(error.retry_after)}
    said = error.what if isinstance(error, RemoteStoreError) else str(error)
    return PlainTextResponse(said, status_code=error.status, headers=headers)


#: What a body that is not JSON is told (a form's body read as no object at all), in our
#: words: pydantic's "Input should be a valid dictionary or object to extract fields from"
#: said nothing of JSON (trial 23), and began the message still once we added this (trial 24).
SEND_JSON = (
    "send the parties as JSON, with Content-Type: application/json (see /docs for its shape)"
)
NOT_JSON = f"the body is not a JSON object: {SEND_JSON}"
#: pydantic's words for a body that is no object: empty, a form's, or JSON of another kind.
NOT_AN_OBJECT = frozenset(("missing", "model_attributes_type", "dict_type"))


#: What to send where a request lacks a field.
MISSING = {
    ("body", "queries"): 'give the parties to screen: {"queries": {"a": {"schema": "Company", '
    '"properties": {"name": ["..."]}}}} (see /docs)',
    ("query", "prefix"): "give prefix, the start of a name to suggest (prefix=hik)",
}


def _said(problem: Mapping[str, Any], json_sent: bool) -> str:
    """A problem with a request's body in our words, where FastAPI's say nothing of what to
    do ("JSON decode error", "Field required"); the rest as the route's model says them."""
    kind, where = problem.get("type"), tuple(problem.get("loc", ()))
    # Only pydantic's: a JSON object sent to /reconcile, which takes a form, was said to be
    # "JSON but not an object" (trial 39).
    if json_sent and where == ("body",) and kind in NOT_AN_OBJECT - {"missing"}:
        return "the body is JSON but not an object: send the parties in one (see /docs)"
    if kind == "json_invalid" and len(where) == 2:
        reason = (problem.get("ctx") or {}).get("error", "")
        return f"the body is not valid JSON ({reason}, at character {where[1]}): {SEND_JSON}"
    if where == ("body",) and kind in NOT_AN_OBJECT:
        return NOT_JSON
    if kind == "missing":  # pydantic's "Field required" said neither what nor how (trial 27)
        return MISSING.get(where, f"give {where[-1] if where else 'it'}: it is required")
    if where == ("body", "queries") and kind == "too_long":
        # pydantic's "Dictionary should have at most 100 items after validation" (trial 25)
        most = (problem.get("ctx") or {}).get("max_length")
        return f"at most {most} queries in one request: send the others in more requests"
    return str(problem.get("msg", ""))


def _errors(app: FastAPI, app_state: AppState) -> None:
    """One map from error to response; anything else is a logged 500 (FastAPI's default)."""

    @app.exception_handler(KgError)
    async def ours(_: Request, error: KgError) -> Response:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        # Where and what, without the input: a 20 MB body was echoed back in full.
        json_sent = "json" in request.headers.get("content-type", "")
        detail = [
            {
                "loc": problem.get("loc"),
                "msg": _said(problem, json_sent),
                "type": problem.get("type"),
            }
            for problem in error.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, error: StarletteHTTPException) -> Response:
        wants = best_match(
            request.headers.get("accept"), [("text/plain", "text"), ("text/html", "html")]
        )
        if error.status_code == 405:
            return _not_allowed(request)
        if error.status_code == 404:
            base = app_state.settings.base_iri
            if (meant := linked_data.without_base_path(base, request.url.path)) is not None:
                query = f"?{request.url.query}" if request.url.query else ""
                return RedirectResponse(meant + query, status_code=308)
        if error.status_code == 404 and wants == "html":
            found = await asyncio.to_thread(under, app_state.site_dir, request.url.path)
            near = await asyncio.to_thread(nearest, app_state.site_dir, request.url.path)
            page = app_state.templates.get_template("404.html").render(
                root="/",
                message=error.detail,
                under=found.found,
                under_count=found.total,
                party=found.party,
                near=near,
                words=words_of(request.url.path),
            )
            return HTMLResponse(page, status_code=404)
        return PlainTextResponse(
            str(error.detail),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )


#: What a request with a method an address does not take is told to do instead.
INSTEAD = {
    "/screen": "to screen parties from a program, send them as JSON with POST to /match "
    "(see /docs)",
    "/search": "give the words in the address, /search?q=huawei",
}


def _not_allowed(request: Request) -> Response:
    """A 405 that says what the address takes and, where there is one, what to do instead.
    FastAPI's said "Method Not Allowed" alone, and the site's pages gave no Allow header,
    which a 405 must carry (RFC 9110, 15.5.6)."""
    path = request.url.path
    allowed = ", ".join(_methods_of(request)) or "GET, HEAD"  # the site's pages: none routed
    said = f"{path} takes {allowed}, not {request.method}: this server is read-only"
    if path in INSTEAD:
        said = f"{path} takes {allowed}, not {request.method}: {INSTEAD[path]}"
    return PlainTextResponse(said, status_code=405, headers={"Allow": allowed})


#: The methods a 405 may name, in the order it names them.
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def _methods_of(request: Request) -> list[str]:
    """Every method a route of the request's path takes, found by asking each route (FastAPI
    wraps an included router's routes): Starlette's 405 names those of the first route it
    tried alone, and DELETE /sparql was told GET and HEAD, not POST. The site's pages, a
    mount that takes any path, are left out; /match answers GET only to say it takes POST."""
    if request.url.path == "/match" or request.url.path.startswith("/match/"):
        return ["POST"]
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]


#: What `kg serve` answers for the static site's static/service.js, which adds nothing on
#: a site hosted alone: here /search, /screen and /sparql answer, and this one links them.
SERVICE_LINKS = SITE_DIR / "served" / "service.js"


def _service_links(app: FastAPI) -> None:
    @app.head("/static/service.js", include_in_schema=False)
    @app.get("/static/service.js", include_in_schema=False)
    async def service_links() -> FileResponse:
        return FileResponse(SERVICE_LINKS, media_type="text/javascript")


def _misc(app: FastAPI, app_state: AppState) -> None:
    @app.head("/health", include_in_schema=False)
    @app.get(
        "/health",
        tags=["Service"],
        summary="Liveness and size",
        responses={
            200: {"model": Health, "description": "answering"},
            503: {"model": Health, "description": "no query worker alive"},
        },
    )
    async def health() -> JSONResponse:
        """Whether the server answers queries (503 when no query worker is alive), how much
        it serves, and which build: for a load balancer's health check and for monitoring.
        Under --store, 200 while the replica serves its pages, search and screening: every
        replica shares the SPARQL server, so its outage would take the whole site out of a
        load balancer (trial 33); `status` and `queries` say whether it answers."""
        alive, size = app_state.pool.alive(), app_state.pool.size
        report: dict[str, object] = {
            "workers": alive,
            "capacity": f"{alive}/{size}",
            "quads": app_state.pool.quads,
            "names": len(app_state.index),
            "build": app_state.current().digest,
            "version": __version__,
        }
        report["queries"] = bool(alive)
        if isinstance(app_state.pool, remote.RemotePool):
            # No workers of ours: what matters is whether the server answered last time.
            # The server's URL stays in the log: it is internal to the institution.
            status = app_state.pool.status
            return JSONResponse({"status": status, **report})
        status = "ok" if alive == size else "degraded" if alive else "no query worker"
        return JSONResponse({"status": status, **report}, status_code=200 if alive else 503)

    # Last: every other path of the built site (home, entities, timeline, downloads...).
    app.mount("/", app_state.site, name="site")


def _dumps(build: ServedBuild) -> ASGIApp:
    return dumps_routes.DumpFiles(directory=build.root / DUMPS)


def _site(build: ServedBuild) -> ASGIApp:
    """The build's static site, or a 404 for every path of a build without one."""
    folder = build.root / SITE
    if folder.is_dir():
        return SitePages(directory=folder, html=True)
    return PlainTextResponse("this build has no site", status_code=404)


class SitePages(StaticFiles):
    """The built site. The address of a page in builds before the flat layout, a folder
    `x/`, is moved permanently to the page `x.html` where the folder has no page of its own
    (`/dataset/`, whose folder now holds the releases, is `/dataset.html`)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
            if response.status_code != 404:
                return response
        except StarletteHTTPException as error:
            if error.status_code != 404:
                raise
        if scope["path"].endswith("/") and path not in ("", "."):
            page = f"{path.rstrip('/')}.html"
            _, found = await asyncio.to_thread(self.lookup_path, page)
            if found is not None and stat.S_ISREG(found.st_mode):
                return RedirectResponse(f"{scope['path'].rstrip('/')}.html", status_code=301)
        # Not the site's own 404.html: its links are relative, right only at the top of the
        # site (at /changes/ its style sheet was /changes/static/style.css). The server's
        # page links from the root, whatever the path asked.
        raise StarletteHTTPException(404, NO_PAGE)
