"""/search: names and aliases, as JSON for programs and as a page for people."""

import asyncio
from collections.abc import Mapping
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kg.match import normalise
from kg.match.index import MatchIndex
from kg.match.labels import code_of
from kg.match.model import Entity
from kg.match.name_index import Hit, NameIndex
from kg.match.queries import FieldError, Problems, list_iris, whole_number
from kg.site.codes import country
from kg.site.render import local_path
from kg.web.protocol import best_match
from kg.web.screening_request import (
    form_errors,
    in_form_order,
    invalid,
    unknown_parameters,
)
from kg.web.search_filters import Filters, entries_of, kind_named, read_filters
from kg.web.state import state

router = APIRouter(tags=["Search"])

#: The longest query: four names of the 2022 CSL are longer than 200 characters, which was
#: the bound, the longest 383.
MOST_WORDS = 500
#: The deepest page: a name shared by more is narrowed by a word or a filter.
MAX_OFFSET = 10_000
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
PARAMETERS = ("q", "list", "kind", "country", "limit", "offset")


@router.head("/search", include_in_schema=False)
@router.get(
    "/search",
    summary="Search names and aliases",
    description="Tolerant of case, diacritics, punctuation, word order, transliteration "
    "variants (Kashgar/Kashi, Urumqi/Wulumuqi), spellings of a name (Muhammad/Mohammed) and "
    "Chinese script. JSON by default; HTML for browsers.",
    response_class=Response,
)
async def search(
    request: Request,
    # Bounded by MOST_WORDS, read below with the filters: a query past a bound here was
    # FastAPI's JSON, even for a browser (trials 25 and 27).
    q: Annotated[str, Query(description="words of a name or alias")] = "",
    # Numbers read with the filters (`_paging`), so that every bad value is said at once, and
    # on the page for a browser ("abc" was FastAPI's JSON alone, the bad filters unsaid).
    limit: Annotated[
        str, Query(max_length=20, description="most results: a whole number, 1 to 100")
    ] = str(DEFAULT_LIMIT),
    list_: Annotated[
        str, Query(alias="list", max_length=100, description="a list: EL, or entity-list")
    ] = "",
    kind: Annotated[
        str,
        Query(
            max_length=100,
            description="a kind, as the site's search menu has it: person, organisation, "
            "company, government-body, vessel, aircraft...",
        ),
    ] = "",
    country: Annotated[str, Query(max_length=100, description="a country: code or name")] = "",
    offset: Annotated[
        str, Query(max_length=20, description="results to skip, 0 to 10,000: the next page")
    ] = "0",
) -> Response:
    app = state(request)
    lists = app.screening.lists if app.screening is not None else {}
    chosen = best_match(
        request.headers.get("accept"), [("application/json", "json"), ("text/html", "html")]
    )
    asked = {"q": q, "list": list_, "kind": kind, "country": country}
    problems = Problems()
    kinds = app.index.kinds()
    filters = problems.read(lambda: read_filters(list_, kind, country, lists, kinds)) or Filters()
    paging = problems.read(lambda: _paging(limit, offset))
    size, start = paging or (DEFAULT_LIMIT, 0)
    if len(q) > MOST_WORDS:
        said = f"at most {MOST_WORDS} characters, not {len(q)}: search by a name's telling words"
        problems.found.append(FieldError(("q",), said))
    problems.found += unknown_parameters(request, PARAMETERS, "/search")
    if not q.strip() and (list_.strip() or kind.strip() or country.strip()):
        # Not an empty answer, which read as "none on that list" (the site's search lists
        # every party a filter keeps; this one searches names).
        problems.found.append(FieldError(("q",), NO_WORDS))
    try:
        problems.raise_any()
    except FieldError as error:
        if chosen != "html":
            raise invalid(error) from error
        # A browser is shown the form again with what to fix, not FastAPI's JSON.
        errors = in_form_order(form_errors(error.each), tuple(asked))
        page = _page(request, asked, lists, errors=errors)
        return HTMLResponse(page, status_code=422, headers={"Vary": "Accept"})
    # In a thread: a search over 34,000 names must not hold up /health and other requests.
    hits, told, total = await asyncio.to_thread(
        _found, app.index, app.screening, q, filters, start, size
    )
    more = total > start + len(hits)
    if chosen == "html":
        shown = [
            (hit, local_path(hit.iri, app.settings.base_iri), _in_words(apart))
            for hit, apart in zip(hits, told, strict=True)
        ]
        applied = _applied(filters, lists)
        page = _page(
            request,
            asked,
            lists,
            hits=shown,
            total=total,
            offset=start,
            limit=size,
            applied=applied,
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    results = [asdict(hit) | apart for hit, apart in zip(hits, told, strict=True)]
    body = {"query": q, "results": results, "total": total, "offset": start, "more": more}
    body["filters"] = _read_as(filters, lists)
    # As screening says it: حزب الله answered "total": 0 and nothing more (trial 30).
    lettered = normalise.letter_for_letter(q)
    body["warnings"] = [lettered] if lettered else []
    return JSONResponse(body, headers={"Vary": "Accept"})


#: What an empty query with filters is told.
NO_WORDS = (
    "give words of a name: the filters narrow a search of names (to list every party a "
    "filter keeps, use the site's search, /entities/)"
)


def _paging(limit: str, offset: str) -> tuple[int, int]:
    """A page's numbers, or every one that is no whole number within its bounds."""
    problems = Problems()
    size = problems.read(
        lambda: whole_number(limit or str(DEFAULT_LIMIT), ("limit",), 1, MAX_LIMIT)
    )
    hint = ": narrow the search with a word or filter"
    start = problems.read(lambda: whole_number(offset or "0", ("offset",), 0, MAX_OFFSET, hint))
    problems.raise_any()
    assert size is not None and start is not None  # read, or raised above
    return size, start


def _page(
    request: Request,
    asked: dict[str, str],
    lists: Mapping[str, tuple[str, str]],
    **shown: Any,
) -> str:
    """The page: the form with the filters asked (a list, a kind, a country), what is wrong
    with them, or the results and links to the pages before and after."""
    chosen = _chosen(asked["list"], lists)
    known = [(a, name, a == chosen) for name, a in sorted(lists.values(), key=lambda x: x[1])]
    every_kind = state(request).index.kinds()
    kind = kind_named(asked["kind"], every_kind)
    kinds = [(code_of(label), label, label == kind) for label in every_kind]

    def link(start: int) -> str:
        """The address of the page of results from `start`, with the same query."""
        kept: dict[str, str | int] = {k: v for k, v in asked.items() if v}
        if (limit := shown.get("limit", DEFAULT_LIMIT)) != DEFAULT_LIMIT:
            kept["limit"] = limit
        if start:
            kept["offset"] = start
        return "?" + urlencode(kept)

    return (
        state(request)
        .templates.get_template("search.html")
        .render(
            root="/",
            asked=asked,
            query=asked["q"],
            lists=known,
            kinds=kinds,
            link=link,
            asked_filters=urlencode({k: v for k, v in asked.items() if v and k != "q"}),
            errors=shown.pop("errors", []),
            **shown,
        )
    )


def _read_as(filters: Filters, lists: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """The filters as read, for a program to see what it asked ("china" read as CN): the
    lists by abbreviation, the kinds by their words in an address, the country's code."""
    return {
        "lists": sorted(lists[iri][1] or lists[iri][0] for iri in filters.lists),
        "kinds": sorted(map(code_of, filters.kinds)),
        "country": filters.country,
    }


def _applied(filters: Filters, lists: Mapping[str, tuple[str, str]]) -> list[str]:
    """The filters applied, in words: "Specially Designated Nationals (SDN)", "Organisation",
    "Afghanistan (AF)"."""
    words = [f"{lists[iri][0]} ({lists[iri][1]})" for iri in sorted(filters.lists)]
    words += sorted(filters.kinds)
    words += [country(filters.country)] if filters.country else []
    return words


def _chosen(list_: str, lists: Mapping[str, tuple[str, str]]) -> str:
    """The abbreviation of the one list asked for, to show it chosen in the menu."""
    try:
        found = list_iris([list_], lists, ("list",))
    except FieldError:
        return ""
    return lists[found[0]][1] if len(found) == 1 else ""


def _found(
    index: NameIndex,
    screening: MatchIndex | None,
    q: str,
    filters: Filters,
    offset: int,
    limit: int,
) -> tuple[list[Hit], list[dict[str, list[str]]], int]:
    """The best hits of the query that pass the filters, from `offset`, with what tells
    each apart, and how many pass in all: an answer cut at its limit says of how many. Only
    a filter reads every hit's party (a read of the screening index each)."""
    if not q.strip():
        return [], [], 0
    hits = index.search(q, EVERY)

    def party(hit: Hit) -> Entity | None:
        return screening.entity(hit.iri) if screening is not None else None

    known = index.knows_countries
    if not filters:
        shown = hits[offset : offset + limit]
        return shown, [_telling(party(hit), hit, known) for hit in shown], len(hits)
    kept = [(hit, found) for hit in hits if filters.keep(found := party(hit), hit, known)]
    shown_kept = kept[offset : offset + limit]
    told = [_telling(found, hit, known) for hit, found in shown_kept]
    return [hit for hit, _ in shown_kept], told, len(kept)


#: As many hits as a search can have: the index ranks every name that shares a word.
EVERY = 1_000_000


def _telling(party: Entity | None, hit: Hit, countries_known: bool) -> dict[str, list[str]]:
    """What tells namesakes apart in a list of hits (the SDN's two MINISTRY OF STATE
    SECURITY): the lists of the record's entries and the party's dates of birth, as the
    screening index holds them, and the record's countries, as the site's search shows them
    (the party's, from an index written before it held them)."""
    if countries_known:
        countries = list(hit.countries)
    else:
        countries = sorted(party.countries) if party is not None else []
    if party is None:
        return {"lists": [], "countries": countries, "birth_dates": []}
    entries = entries_of(party, hit.iri)
    return {
        "lists": list(dict.fromkeys(x.abbreviation or x.list_name for x in entries)),
        "countries": countries,
        "birth_dates": sorted(party.birth_dates),
    }


def _in_words(told: dict[str, list[str]]) -> str:
    """Its lists, countries and dates of birth in words: "SDN · North Korea (KP)"."""
    words = [*told["lists"], *map(country, told["countries"])]
    return " · ".join(words + [f"born {day}" for day in told["birth_dates"]])
