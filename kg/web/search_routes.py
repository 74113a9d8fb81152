"""/search: names and aliases, as JSON for programs and as a page for people."""

import asyncio
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kg.match.index import MatchIndex
from kg.match.model import Entity
from kg.match.name_index import Hit, NameIndex
from kg.match.queries import FieldError
from kg.site.codes import country
from kg.site.render import local_path
from kg.web.protocol import best_match
from kg.web.screening_request import invalid
from kg.web.search_filters import Filters, read_filters
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
    list_: Annotated[
        str, Query(alias="list", max_length=100, description="a list: EL, or entity-list")
    ] = "",
    kind: Annotated[
        str, Query(max_length=20, description="person, organisation, company, vessel, aircraft")
    ] = "",
    country: Annotated[str, Query(max_length=100, description="a country: code or name")] = "",
) -> Response:
    app = state(request)
    lists = app.screening.lists if app.screening is not None else {}
    try:
        filters = read_filters(list_, kind, country, lists)
    except FieldError as error:
        raise invalid(error) from error
    # In a thread: a search over 34,000 names must not hold up /health and other requests.
    hits, told, total = await asyncio.to_thread(_found, app.index, app.screening, q, filters, limit)
    chosen = best_match(
        request.headers.get("accept"), [("application/json", "json"), ("text/html", "html")]
    )
    if chosen == "html":
        page = app.templates.get_template("search.html").render(
            root="/",
            query=q,
            total=total,
            hits=[
                (hit, local_path(hit.iri, app.settings.base_iri), _in_words(apart))
                for hit, apart in zip(hits, told, strict=True)
            ],
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    results = [asdict(hit) | apart for hit, apart in zip(hits, told, strict=True)]
    body = {"query": q, "results": results, "total": total, "more": total > len(hits)}
    return JSONResponse(body, headers={"Vary": "Accept"})


def _found(
    index: NameIndex, screening: MatchIndex | None, q: str, filters: Filters, limit: int
) -> tuple[list[Hit], list[dict[str, list[str]]], int]:
    """The best hits of the query that pass the filters, with what tells each apart, and
    how many pass in all: an answer cut at its limit says of how many. Only a filter reads
    every hit's party (a read of the screening index each)."""
    if not q.strip():
        return [], [], 0
    hits = index.search(q, EVERY)

    def party(hit: Hit) -> Entity | None:
        return screening.entity(hit.iri) if screening is not None else None

    if not filters:
        shown = hits[:limit]
        return shown, [_telling(party(hit)) for hit in shown], len(hits)
    kept = [(hit, found) for hit in hits if filters.keep(found := party(hit))]
    shown_kept = kept[:limit]
    return [hit for hit, _ in shown_kept], [_telling(p) for _, p in shown_kept], len(kept)


#: As many hits as a search can have: the index ranks every name that shares a word.
EVERY = 1_000_000


def _telling(party: Entity | None) -> dict[str, list[str]]:
    """What tells namesakes apart in a list of hits (the SDN's two MINISTRY OF STATE
    SECURITY): the lists of the party's entries, its countries and dates of birth, as the
    screening index holds them."""
    if party is None:
        return {"lists": [], "countries": [], "birth_dates": []}
    return {
        "lists": list(dict.fromkeys(x.abbreviation or x.list_name for x in party.listings)),
        "countries": sorted(party.countries),
        "birth_dates": sorted(party.birth_dates),
    }


def _in_words(told: dict[str, list[str]]) -> str:
    """Its lists, countries and dates of birth in words: "SDN · North Korea (KP)"."""
    words = [*told["lists"], *map(country, told["countries"])]
    return " · ".join(words + [f"born {day}" for day in told["birth_dates"]])
