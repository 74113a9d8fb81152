"""create_app(): the SPARQL endpoint, Linked Data, search and pages over one query pool."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg import __version__
from kg.config import Settings
from kg.errors import KgError
from kg.publish import checksums
from kg.publish.files import DESCRIPTION, DUMPS, NQUADS, ONTOLOGY_FILE
from kg.site.ontology_doc import document
from kg.site.render import SITE_DIR, environment
from kg.vocab import ONTOLOGY_IRI, PREFIXES
from kg.web import docs_routes, dumps_routes, endpoint, linked_data, search_routes
from kg.web.admission import Admission
from kg.web.connections import BodyDeadline
from kg.web.endpoint import LIMIT_HEADER, TRUNCATED_HEADER
from kg.web.headers import SecurityHeaders
from kg.web.protocol import best_match
from kg.web.search import Entry, NameIndex, Variants
from kg.web.state import AppState
from kg.web.workers import Job, PoolLimits, QueryPool, Source

log = logging.getLogger(__name__)

NAMES = """
PREFIX schema: <https://schema.org/>
PREFIX elkg: <https://w3id.org/entitylist-kg/ontology#>
SELECT DISTINCT ?entity ?label ?name ?type ?transliteration WHERE {
  VALUES ?type { schema:Organization schema:Person }
  ?entity a ?type ; schema:name ?label .
  { ?entity schema:name|schema:alternateName|elkg:repairedName|elkg:formerName ?name }
  UNION { ?entity elkg:transliteration ?name . BIND (true AS ?transliteration) }
}"""


#: The route of arbitrary queries: bounded per client (kg.web.admission). Every route that
#: needs a worker waits in the pool's bounded queue (kg.web.workers).
QUERY_PATHS = ("/sparql",)


def sources(settings: Settings) -> list[Source]:
    """The files every query worker loads: the data dump, the ontology, the description."""
    dumps = settings.out_dir / DUMPS
    data = dumps / NQUADS
    if not data.is_file():
        raise KgError(
            "no build to serve",
            where=str(dumps),
            hint="run `kg build` first, or point --out at a build folder",
        )
    # A dump cut short at a line boundary still parses: only its checksum tells.
    checksums.verify(dumps, (NQUADS, ONTOLOGY_FILE, DESCRIPTION))
    return [
        Source(str(data), "N_QUADS"),
        Source(str(dumps / ONTOLOGY_FILE), "TURTLE", ONTOLOGY_IRI),
        Source(str(dumps / DESCRIPTION), "TURTLE", settings.base_iri + "dataset"),
    ]


async def name_index(pool: QueryPool) -> NameIndex:
    outcome = await pool.run(Job(NAMES, format="json", limit=1_000_000))
    rows = json.loads(outcome.body)["results"]["bindings"]
    return await asyncio.to_thread(_index_from_rows, rows)


def _index_from_rows(rows: list[dict[str, dict[str, str]]]) -> NameIndex:
    variants = Variants()
    entries = []
    for row in rows:
        label, name = row["label"]["value"], row["name"]["value"]
        if "transliteration" in row:
            variants.learn(label, name)
        entries.append(
            Entry(row["entity"]["value"], label, name, row["type"]["value"].rsplit("/", 1)[-1])
        )
    return NameIndex(sorted(set(entries), key=lambda e: (e.iri, e.name, e.label)), variants)


def create_app(settings: Settings, pool: QueryPool | None = None) -> FastAPI:
    files = sources(settings)
    limits = PoolLimits(
        size=settings.query_workers,
        timeout=settings.query_timeout,
        queue=settings.queue,
        memory_mb=settings.worker_memory_mb,
    )
    pool = pool or QueryPool(files, limits, PREFIXES)
    site_dir = settings.out_dir / "site"
    app_state = AppState(
        settings,
        pool,
        environment(settings.base_iri),
        settings.out_dir / "dumps",
        NameIndex([]),
        site_dir if site_dir.is_dir() else None,
        document(settings.out_dir / "dumps" / ONTOLOGY_FILE),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        app_state.index = await name_index(pool)
        log.info("name index: %d names", len(app_state.index))
        yield
        await pool.stop()

    app = FastAPI(
        title="Entity List Knowledge Graph",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # kg.web.docs_routes serves /docs from the package, not a CDN
        redoc_url=None,
        description="SPARQL 1.1 endpoint, Linked Data and name search over the "
        "Entity List Knowledge Graph. Read-only.",
    )
    app.state.kg = app_state
    # Innermost first: admission sees only requests that passed the outer layers.
    app.add_middleware(Admission, paths=QUERY_PATHS, per_client=settings.per_client)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=[LIMIT_HEADER, TRUNCATED_HEADER],
    )
    app.add_middleware(BodyDeadline, seconds=settings.body_timeout)
    app.add_middleware(SecurityHeaders)
    _errors(app, app_state)
    app.include_router(endpoint.router)
    app.include_router(linked_data.router)
    app.include_router(search_routes.router)
    app.include_router(docs_routes.router)
    app.mount(docs_routes.ASSETS, docs_routes.assets(), name="docs-assets")
    app.mount("/static", StaticFiles(directory=SITE_DIR / "static"), name="static")
    app.include_router(dumps_routes.router)
    app.mount("/dumps", dumps_routes.DumpFiles(directory=app_state.dumps_dir), name="dumps")
    _misc(app, app_state)
    return app


def _errors(app: FastAPI, app_state: AppState) -> None:
    """One map from error to response; anything else is a logged 500 (FastAPI's default)."""

    @app.exception_handler(KgError)
    async def ours(_: Request, error: KgError) -> Response:
        headers = None if error.retry_after is None else {"Retry-After": str(error.retry_after)}
        return PlainTextResponse(str(error), status_code=error.status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, error: StarletteHTTPException) -> Response:
        wants = best_match(
            request.headers.get("accept"), [("text/plain", "text"), ("text/html", "html")]
        )
        if error.status_code == 404 and wants == "html":
            page = app_state.templates.get_template("404.html").render(
                root="/", message=error.detail
            )
            return HTMLResponse(page, status_code=404)
        return PlainTextResponse(
            str(error.detail),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )


def _misc(app: FastAPI, app_state: AppState) -> None:
    @app.head("/health", include_in_schema=False)
    @app.get("/health", tags=["Service"], summary="Liveness and size")
    async def health() -> JSONResponse:
        alive, size = app_state.pool.alive(), app_state.pool.size
        status = "ok" if alive == size else "degraded" if alive else "no query worker"
        return JSONResponse(
            {
                "status": status,
                "workers": alive,
                "capacity": f"{alive}/{size}",
                "quads": app_state.pool.quads,
                "names": len(app_state.index),
                "version": __version__,
            },
            status_code=200 if alive else 503,
        )

    if app_state.site_dir:
        # Last: every other path of the built site (home, entities, timeline, downloads...).
        app.mount("/", StaticFiles(directory=app_state.site_dir, html=True), name="site")
