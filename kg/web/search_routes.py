"""/search: names and aliases, as JSON for programs and as a page for people."""

import asyncio
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kg.site.render import local_path
from kg.web.protocol import best_match
from kg.web.state import state

router = APIRouter(tags=["Search"])


@router.head("/search", include_in_schema=False)
@router.get(
    "/search",
    summary="Search names and aliases",
    description="Tolerant of case, diacritics, punctuation, word order, transliteration "
    "variants (Kashgar/Kashi, Urumqi/Wulumuqi) and Chinese script. JSON by default; "
    "HTML for browsers.",
    response_class=Response,
)
async def search(
    request: Request,
    q: Annotated[str, Query(description="words of a name or alias", max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=100, description="most results")] = 20,
) -> Response:
    app = state(request)
    # In a thread: a search over 34,000 names must not hold up /health and other requests.
    hits = await asyncio.to_thread(app.index.search, q, limit) if q.strip() else []
    found = best_match(
        request.headers.get("accept"), [("application/json", "json"), ("text/html", "html")]
    )
    if found == "html":
        page = app.templates.get_template("search.html").render(
            root="/",
            query=q,
            hits=[(hit, local_path(hit.iri, app.settings.base_iri)) for hit in hits],
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    body: dict[str, Any] = {"query": q, "results": [asdict(hit) for hit in hits]}
    return JSONResponse(body, headers={"Vary": "Accept"})
