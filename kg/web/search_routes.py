"""/search: names and aliases, as JSON for programs and as a page for people."""

import asyncio
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kg.match.index import MatchIndex
from kg.match.name_index import Hit
from kg.site.codes import country
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
    # One more than asked: whether the answer was cut, which a reader is told.
    hits = await asyncio.to_thread(app.index.search, q, limit + 1) if q.strip() else []
    more, hits = len(hits) > limit, hits[:limit]
    found = best_match(
        request.headers.get("accept"), [("application/json", "json"), ("text/html", "html")]
    )
    told = [_telling(hit, app.screening) for hit in hits]
    if found == "html":
        page = app.templates.get_template("search.html").render(
            root="/",
            query=q,
            more=more,
            hits=[
                (hit, local_path(hit.iri, app.settings.base_iri), _in_words(apart))
                for hit, apart in zip(hits, told, strict=True)
            ],
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    results = [asdict(hit) | apart for hit, apart in zip(hits, told, strict=True)]
    body = {"query": q, "results": results, "more": more}
    return JSONResponse(body, headers={"Vary": "Accept"})


def _telling(hit: Hit, screening: MatchIndex | None) -> dict[str, list[str]]:
    """What tells namesakes apart in a list of hits (the SDN's two MINISTRY OF STATE
    SECURITY): the lists of the party's entries, its countries and dates of birth, as the
    screening index holds them."""
    entity = screening.entity(hit.iri) if screening is not None else None
    if entity is None:
        return {"lists": [], "countries": [], "birth_dates": []}
    return {
        "lists": list(dict.fromkeys(x.abbreviation or x.list_name for x in entity.listings)),
        "countries": sorted(entity.countries),
        "birth_dates": sorted(entity.birth_dates),
    }


def _in_words(told: dict[str, list[str]]) -> str:
    """Its lists, countries and dates of birth in words: "SDN · North Korea (KP)"."""
    words = [*told["lists"], *map(country, told["countries"])]
    return " · ".join(words + [f"born {day}" for day in told["birth_dates"]])
