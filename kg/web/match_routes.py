"""Screening over HTTP: POST /match (yente's shape), /reconcile (W3C Reconciliation API 0.2,
what OpenRefine speaks) and the /screen page.

Matching runs in this process against the index built at start-up (`load_index`); no query
worker is involved, so screening does not queue behind SPARQL queries. Every answer names the
release screened against and the day screened ("as of"). A value that cannot be read is
answered 422 with its location, as FastAPI answers a body that does not validate.
"""

import asyncio
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kg import __version__
from kg.errors import UnavailableError
from kg.match import answers, queries
from kg.match.index import MatchIndex, in_force
from kg.match.model import SCHEMAS, Entity, Release, Screening
from kg.match.queries import FieldError, Location
from kg.site.render import local_path
from kg.vocab import ONTOLOGY_IRI
from kg.web.state import state

router = APIRouter(tags=["Screening"])

DEFAULT_THRESHOLD, DEFAULT_CUTOFF, DEFAULT_LIMIT = 0.70, 0.5, 5


def index_of(request: Request) -> MatchIndex:
    """The index on the app state (the field `screening`), or 503 while it is being built."""
    found = getattr(state(request), "screening", None)
    if not isinstance(found, MatchIndex):
        raise UnavailableError(
            "the screening index is not loaded", hint="try again once the server has started"
        )
    return found


def invalid(error: FieldError) -> RequestValidationError:
    """A FieldError as FastAPI's own 422: {"detail": [{"loc", "msg", "type"}]}."""
    return RequestValidationError(
        [{"loc": error.location, "msg": error.what, "type": "value_error", "input": None}]
    )


# --- POST /match ---------------------------------------------------------------------------


class Example(BaseModel):
    """An example entity, as yente takes it: a schema and FollowTheMoney properties."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    schema_: str = Field(default="LegalEntity", alias="schema", description=" | ".join(SCHEMAS))
    properties: dict[str, list[Annotated[str, Field(max_length=500)]]] = Field(
        description="name (required), alias, country, nationality, birthDate, idNumber, "
        "passportNumber, imoNumber, registrationNumber, ..."
    )


class MatchRequest(BaseModel):
    queries: dict[str, Example] = Field(min_length=1, max_length=queries.MAX_BATCH)


ListsParam = Annotated[
    list[str] | None,
    Query(
        description="only these lists: abbreviations (EL, SDN, ...), repeated or comma-separated"
    ),
]


@dataclass(frozen=True)
class MatchOptions:
    limit: int
    threshold: float
    cutoff: float
    as_of: str | None
    lists: tuple[str, ...]


def match_options(
    limit: Annotated[int, Query(ge=1, le=100)] = DEFAULT_LIMIT,
    threshold: Annotated[float, Query(ge=0, le=1)] = DEFAULT_THRESHOLD,
    cutoff: Annotated[float, Query(ge=0, le=1)] = DEFAULT_CUTOFF,
    as_of: Annotated[str | None, Query(description="YYYY-MM-DD; default today")] = None,
    lists: ListsParam = None,
) -> MatchOptions:
    """The query parameters both /match routes take, as yente names them."""
    return MatchOptions(limit, threshold, cutoff, as_of, tuple(lists or ()))


Options = Annotated[MatchOptions, Depends(match_options)]


@router.post("/match", summary="Screen parties (yente's request and response)")
async def match(
    request: Request, body: Annotated[MatchRequest, Body()], options: Options
) -> JSONResponse:
    """Each query names a party; each answer gives scored candidates with explanations and
    the listings in force on the day screened, and names the release screened against."""
    return await _match(index_of(request), body, options)


@router.post("/match/{dataset}", summary="Screen parties (yente's path)")
async def match_dataset(
    request: Request,
    dataset: Annotated[str, Path(description="default (every list) or one list: EL, SDN, ...")],
    body: Annotated[MatchRequest, Body()],
    options: Options,
) -> JSONResponse:
    """As POST /match, for clients written for yente's /match/{dataset}."""
    lists = (*options.lists, *_dataset(dataset))
    return await _match(index_of(request), body, replace(options, lists=lists))


async def _match(index: MatchIndex, body: MatchRequest, options: MatchOptions) -> JSONResponse:
    try:
        day = queries.as_of(options.as_of, ("query", "as_of"), dt.date.today())
        wanted = queries.list_iris(options.lists, index.lists, ("query", "lists"))
        asked = {
            key: queries.build(
                example.schema_, example.properties, ("body", "queries", key, "properties")
            )
            for key, example in body.queries.items()
        }
    except FieldError as error:
        raise invalid(error) from error

    def run() -> dict[str, Screening]:
        return {
            key: index.screen(
                query, as_of=day, lists=wanted, limit=options.limit, cutoff=options.cutoff
            )
            for key, query in asked.items()
        }

    # A batch in a thread, so that /health answers meanwhile; one query is quicker inline.
    screenings = await asyncio.to_thread(run) if len(asked) > 1 else run()
    responses = {
        key: {
            "status": 200,
            "results": [answers.match_result(c, options.threshold) for c in found.candidates],
            "total": {"value": found.total, "relation": "eq"},
            "query": body.queries[key].model_dump(by_alias=True),
        }
        for key, found in screenings.items()
    }
    return JSONResponse(
        {
            "responses": responses,
            "matcher": {"name": "entitylist-kg", "version": __version__},
            "limit": options.limit,
            "threshold": options.threshold,
            "cutoff": options.cutoff,
            "as_of": day.isoformat(),
            "lists": list(wanted),
            "screened_against": index.release.as_json(),
        }
    )


def _dataset(dataset: str) -> list[str]:
    """yente's dataset path: "default" (every list) or one list."""
    return [] if dataset in ("default", "entitylist-kg", "all") else [dataset]


# --- /reconcile: the W3C Reconciliation Service API 0.2 -----------------------------------


#: Types offered to OpenRefine: the schemas a query may name.
RECONCILE_TYPES = ("Organization", "Person", "Vessel", "Airplane", "LegalEntity")
#: Property ids a reconciliation query may give, as the FollowTheMoney property they are.
RECONCILE_PROPERTIES = {
    "country": "country",
    "nationality": "nationality",
    "birthDate": "birthDate",
    "idNumber": "idNumber",
    "imoNumber": "imoNumber",
    "alias": "alias",
}


@router.get("/reconcile", summary="Reconciliation API 0.2", operation_id="reconcile_get")
@router.post("/reconcile", summary="Reconciliation API 0.2", operation_id="reconcile_post")
async def reconcile(request: Request) -> Response:
    """The manifest; or a batch of queries (`queries`, JSON); or a data extension (`extend`,
    JSON). Form-encoded POST or GET; `as_of` and `lists` may be added to the service URL."""
    index = index_of(request)
    params = await _params(request)
    try:
        day = queries.as_of(_one(params, "as_of"), ("query", "as_of"), dt.date.today())
        wanted = queries.list_iris(params.get("lists", []), index.lists, ("query", "lists"))
        if "queries" in params:
            batch = _read_batch(_one(params, "queries") or "", index.release.iri)
            return JSONResponse(
                await asyncio.to_thread(_reconcile_batch, index, batch, day, wanted, request)
            )
        if "extend" in params:
            return JSONResponse(_extend(index, _one(params, "extend") or "", day, wanted, request))
    except FieldError as error:
        raise invalid(error) from error
    return JSONResponse(_manifest(index, request))


async def _params(request: Request) -> dict[str, list[str]]:
    """URL parameters, and a form-encoded body's fields after them."""
    found: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise invalid(FieldError(("body",), "send the fields form-encoded (queries=...)"))
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError as error:
            raise invalid(FieldError(("body",), "the body is not UTF-8")) from error
        for key, values in parse_qs(text, keep_blank_values=True).items():
            found.setdefault(key, []).extend(values)
    return found


def _one(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = params.get(key, [])
    if len(values) > 1:
        raise FieldError(("query", key), f"give {key} once")
    return values[0] if values else None


def _manifest(index: MatchIndex, request: Request) -> dict[str, Any]:
    # The address the client reached us by: OpenRefine fetches previews and suggestions there.
    root = str(request.base_url).rstrip("/")
    base = state(request).settings.base_iri
    return {
        "versions": ["0.2"],
        "name": f"Entity List KG screening (US Consolidated Screening List, release "
        f"{index.release.date})",
        "identifierSpace": f"{base}id/",
        "schemaSpace": ONTOLOGY_IRI,
        "documentation": f"{root}/docs",
        "serviceVersion": __version__,
        "view": {"url": f"{base}id/{{{{id}}}}"},
        "defaultTypes": [{"id": kind, "name": kind} for kind in RECONCILE_TYPES],
        "preview": {"url": f"{root}/reconcile/preview?id={{{{id}}}}", "width": 430, "height": 300},
        "suggest": {"entity": {"service_url": root, "service_path": "/reconcile/suggest/entity"}},
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/reconcile/properties"},
            "property_settings": [],
        },
    }


def _read_batch(text: str, release: str) -> dict[str, dict[str, Any]]:
    try:
        batch = json.loads(text)
    except json.JSONDecodeError as error:
        raise FieldError(("body", "queries"), f"not JSON: {error.msg}") from error
    if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
        raise FieldError(("body", "queries"), "give an object of queries, each an object")
    if not 1 <= len(batch) <= queries.MAX_BATCH:
        raise FieldError(
            ("body", "queries"), f"give 1 to {queries.MAX_BATCH} queries, not {len(batch)}"
        )
    return batch


def _reconcile_batch(
    index: MatchIndex,
    batch: Mapping[str, Mapping[str, Any]],
    day: dt.date,
    wanted: tuple[str, ...],
    request: Request,
) -> dict[str, Any]:
    base = state(request).settings.base_iri
    answer: dict[str, Any] = {}
    for key, item in batch.items():
        location: Location = ("body", "queries", key)
        query = queries.build(_type(item, location), _values(item, location), location)
        limit = _limit(item.get("limit"), (*location, "limit"))
        found = index.screen(query, as_of=day, lists=wanted, limit=limit, cutoff=0.3)
        answer[key] = {
            "result": answers.reconcile_results(found.candidates, base, DEFAULT_THRESHOLD)
        }
    return answer


def _type(item: Mapping[str, Any], location: Location) -> str | None:
    kind = item.get("type")
    if isinstance(kind, list):
        kind = kind[0] if len(kind) == 1 else "LegalEntity" if kind else None
    if kind is not None and kind not in SCHEMAS:
        raise FieldError((*location, "type"), f"type is one of {', '.join(RECONCILE_TYPES)}")
    return kind if isinstance(kind, str) else None


def _values(item: Mapping[str, Any], location: Location) -> dict[str, list[object]]:
    values: dict[str, list[object]] = {"name": [item["query"]] if item.get("query") else []}
    for i, prop in enumerate(item.get("properties") or []):
        pid = prop.get("pid") if isinstance(prop, dict) else None
        if pid not in RECONCILE_PROPERTIES:
            known = ", ".join(RECONCILE_PROPERTIES)
            raise FieldError((*location, "properties", i, "pid"), f"pid is one of {known}")
        given = prop.get("v")
        for value in given if isinstance(given, list) else [given]:
            text = value.get("name") or value.get("id") if isinstance(value, dict) else value
            if text not in (None, ""):
                values.setdefault(RECONCILE_PROPERTIES[pid], []).append(str(text))
    return values


def _limit(value: object, location: Location) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 100:
        raise FieldError(location, "limit is a number from 1 to 100")
    return int(value)


def _extend(
    index: MatchIndex, text: str, day: dt.date, wanted: tuple[str, ...], request: Request
) -> dict[str, Any]:
    base = state(request).settings.base_iri
    try:
        asked = json.loads(text)
    except json.JSONDecodeError as error:
        raise FieldError(("body", "extend"), f"not JSON: {error.msg}") from error
    if not isinstance(asked, dict) or not isinstance(asked.get("ids"), list):
        raise FieldError(("body", "extend", "ids"), "give ids, a list of entity ids")
    if len(asked["ids"]) > queries.MAX_BATCH:
        raise FieldError(("body", "extend", "ids"), f"give at most {queries.MAX_BATCH} ids")
    props = _extension_properties(asked.get("properties"))
    rows: dict[str, dict[str, list[Any]]] = {}
    for identifier in map(str, asked["ids"]):
        entity = index.entity(answers.full_iri(identifier, base))
        listings = in_force(entity.listings, day, frozenset(wanted)) if entity else ()
        rows[identifier] = {
            prop: answers.extension_values(entity, listings, prop) if entity else []
            for prop in props
        }
    meta = [{"id": prop, "name": answers.EXTENSION_PROPERTIES[prop]} for prop in props]
    return {"meta": meta, "rows": rows}


def _extension_properties(given: object) -> list[str]:
    if not isinstance(given, list) or not given:
        raise FieldError(("body", "extend", "properties"), "give properties, a list of {id}")
    props = []
    for i, prop in enumerate(given):
        pid = prop.get("id") if isinstance(prop, dict) else None
        if pid not in answers.EXTENSION_PROPERTIES:
            known = ", ".join(answers.EXTENSION_PROPERTIES)
            raise FieldError(("body", "extend", "properties", i, "id"), f"id is one of {known}")
        props.append(pid)
    return props


@router.get("/reconcile/properties", summary="Properties a data extension offers")
async def reconcile_properties(
    type: Annotated[str | None, Query()] = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> JSONResponse:
    offered = [{"id": k, "name": v} for k, v in answers.EXTENSION_PROPERTIES.items()]
    body: dict[str, Any] = {"properties": offered[:limit] if limit else offered}
    if type:
        body["type"] = type
    if limit:
        body["limit"] = limit
    return JSONResponse(body)


@router.get("/reconcile/suggest/entity", summary="Parties whose names begin so (autocomplete)")
async def reconcile_suggest(
    request: Request,
    prefix: Annotated[str, Query(max_length=200)],
    cursor: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> JSONResponse:
    index = index_of(request)
    base = state(request).settings.base_iri
    found = index.suggest(prefix, limit=cursor + 10)[cursor:]
    return JSONResponse(
        {
            "result": [
                {
                    "id": answers.short_id(entity.iri, base),
                    "name": entity.caption,
                    "description": answers.description(entity.listings, entity),
                    "notable": [{"id": entity.schema, "name": entity.schema}],
                }
                for entity in found
            ]
        }
    )


#: The preview is shown by OpenRefine in a frame of its own page: this one response may be
#: framed by any site. It holds no script and no form, so framing it can trick no one.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)


@router.get("/reconcile/preview", summary="A party's preview (HTML, for OpenRefine)")
async def reconcile_preview(
    request: Request, id: Annotated[str, Query(max_length=2000)]
) -> HTMLResponse:
    index = index_of(request)
    base = state(request).settings.base_iri
    entity = index.entity(answers.full_iri(id, base))
    if entity is None:
        raise invalid(FieldError(("query", "id"), f"{id!r} is not a party on a list"))
    page = _preview(entity, index.release, base)
    return HTMLResponse(page, headers={"Content-Security-Policy": PREVIEW_POLICY})


def _preview(entity: Entity, release: Release, base: str) -> str:
    """A bare page (OpenRefine frames it at 430 x 300): the party, its listings, the release."""
    rows = "".join(
        f"<li>{escape(listing.list_name)}"
        f"{escape(f' since {listing.start}') if listing.start else ''}"
        f"{escape(f' until {listing.end}') if listing.end else ''}"
        f"{escape(' (' + ', '.join(r.citation for r in listing.rules) + ')') * bool(listing.rules)}"
        "</li>"
        for listing in entity.listings
    )
    facts = answers.description((), entity)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(entity.caption)}</title></head><body>"
        f'<p><strong><a href="{escape(entity.iri)}" target="_blank" rel="noopener">'
        f"{escape(entity.caption)}</a></strong> ({escape(entity.schema)})"
        f"{'<br>' + escape(facts) if facts else ''}</p><ul>{rows}</ul>"
        f"<p><small>Screened against release {escape(release.date)} "
        f"({escape(release.iri)}), N-Quads SHA-256 {escape(release.nquads_sha256)}</small></p>"
        "</body></html>"
    )


# --- /screen: the screening page -----------------------------------------------------------


@router.get("/screen", summary="Screening page (HTML)", response_class=HTMLResponse)
async def screen_page(
    request: Request,
    name: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[str, Query(max_length=100)] = "",
    birth_date: Annotated[str, Query(max_length=10)] = "",
    as_of: Annotated[str, Query(max_length=10)] = "",
    lists: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """A form (name, country, date of birth, day, lists) and, once a name is given, the scored
    candidates with their explanations and a printable "screened against" line."""
    index = index_of(request)
    form = {"name": name, "country": country, "birth_date": birth_date, "as_of": as_of}
    form["lists"] = lists
    context: dict[str, Any] = {"form": form, "error": None, "screening": None}
    status = 200
    if name.strip():
        try:
            context["screening"] = _screen_one(index, form)
        except FieldError as error:
            field = next((part for part in error.location if isinstance(part, str)), "")
            context["error"] = f"{field}: {error.what}"
            status = 422
    page = (
        state(request)
        .templates.get_template("screen.html")
        .render(
            root="/",
            release=index.release,
            threshold=DEFAULT_THRESHOLD,
            lists=sorted(index.lists.values(), key=lambda item: item[1] or item[0]),
            local=lambda iri: local_path(iri, state(request).settings.base_iri),
            **context,
        )
    )
    return HTMLResponse(page, status_code=status)


def _screen_one(index: MatchIndex, form: Mapping[str, str]) -> Screening:
    values = {"name": [form["name"]]}
    if form["country"].strip():
        values["country"] = [form["country"]]
    if form["birth_date"].strip():
        values["birthDate"] = [form["birth_date"]]
    query = queries.build("LegalEntity", values, ())
    day = queries.as_of(form["as_of"], ("as_of",), dt.date.today())
    wanted = queries.list_iris([form["lists"]], index.lists, ("lists",))
    return index.screen(query, as_of=day, lists=wanted, limit=10, cutoff=DEFAULT_CUTOFF)
