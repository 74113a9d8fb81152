"""/reconcile: the W3C Reconciliation Service API 0.2, what OpenRefine speaks: the manifest,
query batches, data extension, entity suggest and preview.

`as_of` and `lists` may be added to the service URL. A value that cannot be read is answered
422 with its location, as FastAPI answers a body that does not validate.
"""

import asyncio
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kg import __version__
from kg.in_force import UNDATED
from kg.match import answers, model, normalise, queries
from kg.match.index import MatchIndex, in_force
from kg.match.model import SCHEMAS, Entity, Listing, Release, Screening
from kg.match.queries import FieldError, Location
from kg.vocab import ONTOLOGY_IRI
from kg.web.answer_models import ReconcileAnswer, ReconcileProperties, Suggestions
from kg.web.screening_request import (
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    AsOfParam,
    ListsParam,
    did_you_mean,
    index_of,
    invalid,
    unknown_field,
)
from kg.web.state import state

router = APIRouter(tags=["Screening"])


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


#: The fields /reconcile takes, in the service's URL or its form-encoded body.
FIELDS = ("queries", "extend", "as_of", "lists")


#: What /reconcile answers, described (the route writes plain JSON).
ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"model": ReconcileAnswer, "description": "the manifest, candidates or extension"}
}


@router.get(
    "/reconcile", summary="Reconciliation API 0.2", operation_id="reconcile_get", responses=ANSWER
)
@router.head("/reconcile", include_in_schema=False)
@router.post(
    "/reconcile", summary="Reconciliation API 0.2", operation_id="reconcile_post", responses=ANSWER
)
async def reconcile(request: Request) -> Response:
    """The manifest; or a batch of queries (`queries`, JSON); or a data extension (`extend`,
    JSON). Form-encoded POST or GET; `as_of` and `lists` may be added to the service URL."""
    index = index_of(request)
    params = await _params(request)
    # "as_off" screened as of today, unsaid; "querie" answered the manifest (trial 28).
    unknown = [key for key in params if key not in FIELDS]
    if unknown:
        raise invalid(unknown_field(unknown[0], FIELDS, "/reconcile"))
    try:
        day, wanted = _scope(index, _one(params, "as_of"), params.get("lists"))
        if "queries" in params:
            batch = _read_batch(_one(params, "queries") or "", index.release.iri)
            return JSONResponse(
                await asyncio.to_thread(_reconcile_batch, index, batch, day, wanted, request)
            )
        if "extend" in params:
            return JSONResponse(_extend(index, _one(params, "extend") or "", day, wanted, request))
    except FieldError as error:
        raise invalid(error) from error
    return JSONResponse(_manifest(index, request, params, _chosen(index, params, day, wanted)))


#: What a body not form-encoded is told: the Reconciliation API takes no JSON body.
FORM_ONLY = (
    "send the fields form-encoded (queries=..., its value the queries as JSON), as OpenRefine "
    "does: the Reconciliation API takes no JSON body"
)


async def _params(request: Request) -> dict[str, list[str]]:
    """URL parameters, and a form-encoded body's fields after them."""
    found: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise invalid(FieldError(("body",), FORM_ONLY))
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


def _chosen(
    index: MatchIndex, params: Mapping[str, Sequence[str]], day: dt.date, wanted: Sequence[str]
) -> str:
    """The day and lists the service's URL chose, for its name: three services added with
    other days and lists had one name in OpenRefine (trial 31). Without a day, each request
    screens as of its own day: said, where "lists as of 2022-05-06" read as the day screened,
    beside answers "screened as of" today (trial 35)."""
    day_said = f" as of {day}" if _one(params, "as_of") else " as of the day of each request"
    lists_said = f" on {', '.join(index.lists[iri][1] or index.lists[iri][0] for iri in wanted)}"
    return f"; screening{day_said}{lists_said * bool(wanted)}"


def _manifest(
    index: MatchIndex, request: Request, params: Mapping[str, Sequence[str]], chosen: str
) -> dict[str, Any]:
    root = _root(request)
    # The service URL's day and lists, for the suggestions and previews it offers.
    scope = urlencode([(key, value) for key in ("as_of", "lists") for value in params.get(key, [])])
    base = state(request).settings.base_iri
    return {
        "versions": ["0.2"],
        "name": f"Entity List KG screening (US Consolidated Screening List, release "
        f"{index.release.date}{_known_to(index.release)}{chosen})",
        "identifierSpace": f"{base}id/",
        "schemaSpace": ONTOLOGY_IRI,
        "documentation": f"{root}/docs",
        "serviceVersion": __version__,
        # A party's page where the client reached us, as the preview: the IRI (under
        # identifierSpace) is the same path under the base, but only resolves where the base
        # is served, not on a server of one's own.
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "defaultTypes": [{"id": kind, "name": kind} for kind in RECONCILE_TYPES],
        "preview": {
            "url": f"{root}/reconcile/preview?id={{{{id}}}}{'&' * bool(scope)}{scope}",
            "width": 430,
            "height": 300,
        },
        # OpenRefine adds prefix=... to this path's own query (jQuery, as the suggest widget
        # sends it), so the service URL's day and lists reach the suggestions.
        "suggest": {
            "entity": {
                "service_url": root,
                "service_path": f"/reconcile/suggest/entity{'?' * bool(scope)}{scope}",
            }
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/reconcile/properties"},
            "property_settings": [],
        },
    }


def _known_to(release: Release) -> str:
    """The days the lists are known to, for the service's name: OpenRefine shows the name,
    not the answers' fields. The history's entity pages gave their status on its last,
    partial, snapshot, and the name only the whole lists' day (trial 30).

    >>> _known_to(Release("r", "d", "0", last_complete_snapshot="2022-05-06",
    ...                   last_snapshot="2025-06-25"))
    ', lists as of 2022-05-06, added entries as partial snapshots show them to 2025-06-25'
    """
    last, latest = release.last_complete_snapshot, release.last_snapshot
    if not last:
        return ""
    partial = f", added entries as partial snapshots show them to {latest}" * (latest > last)
    return f", lists as of {last}{partial}"


def _root(request: Request) -> str:
    """The address the client reached us by: OpenRefine fetches previews and suggestions
    there, and opens a party's page there."""
    return str(request.base_url).rstrip("/")


def _parsed(text: str, field: str) -> Any:
    """A parameter's JSON; bad JSON, or JSON nested deeper than Python's stack (1,000 "["),
    is the client's to fix (422), never a 500."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FieldError(("body", field), f"not JSON: {error.msg}") from error
    except RecursionError as error:
        raise FieldError(("body", field), "nested too deeply: give plain JSON") from error


def _read_batch(text: str, release: str) -> dict[str, dict[str, Any]]:
    batch = _parsed(text, "queries")
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
        _known_fields(item, location)
        if not str(item.get("query") or "").strip() and not item.get("properties"):
            # A blank cell: nothing to screen, said; a 422 lost the batch's other rows.
            answer[key] = {"result": [], "warnings": ["the query is blank: nothing to screen"]}
            continue
        query = queries.build(_type(item, location), _values(item, location), location)
        limit = _limit(item.get("limit"), (*location, "limit"))
        found = index.screen(query, as_of=day, lists=wanted, limit=limit, cutoff=0.3)
        answer[key] = {"result": _results(index, found, base)}
        warnings = _warnings(index, found, str(item.get("query") or ""))
        if warnings:
            answer[key]["warnings"] = warnings
    return answer


#: The fields of a reconciliation query; the specification's schema allows no other.
QUERY_FIELDS = ("query", "type", "limit", "properties", "type_strict")


def _known_fields(item: Mapping[str, Any], location: Location) -> None:
    """A field that is none of QUERY_FIELDS is the client's to fix: "typ" screened without
    the type asked, unsaid (trial 37)."""
    for field in item:
        if field not in QUERY_FIELDS:
            where = (*location, field)
            raise unknown_field(field, QUERY_FIELDS, "a query", location=where, noun="field")


def _results(index: MatchIndex, found: Screening, base: str) -> list[dict[str, Any]]:
    """The candidates, best first (answers.in_force_first); with a party that may have been
    in force that day among them, none is taken without review."""
    results = answers.reconcile_results(
        found.candidates, base, DEFAULT_THRESHOLD, index.distinctive
    )
    results = answers.doubt_removed(results, found.candidates, found.as_of)
    unknown = answers.reconcile_not_known(found, base, DEFAULT_THRESHOLD)
    if unknown:
        results = [result | {"match": False} for result in results]
    return answers.in_force_first(results, unknown, DEFAULT_THRESHOLD)


def _warnings(index: MatchIndex, found: Screening, asked: str) -> list[str]:
    """What /match says beside its results, said beside this query's `result` (the W3C schema
    allows more fields): حزب الله answered [] unsaid (trial 29), and "Nicolas Maduro" as of
    2020-01-01 answered neither MADURO MOROS, whose entry was first observed in 2022, nor
    why (trial 31)."""
    said = [normalise.letter_for_letter(asked), index.release.caveat(found.as_of)]
    said += answers.not_in_force_warnings(found, DEFAULT_THRESHOLD)
    said += answers.removal_warnings(found, DEFAULT_THRESHOLD)
    return [warning for warning in said if warning]


def _type(item: Mapping[str, Any], location: Location) -> str | None:
    kind = item.get("type")
    if isinstance(kind, list):
        kind = kind[0] if len(kind) == 1 else "LegalEntity" if kind else None
    if kind == "":  # no type chosen, as some clients write it: a 422 failed the batch (trial 42)
        kind = None
    if kind is not None and kind not in SCHEMAS:
        raise FieldError((*location, "type"), f"type is one of {', '.join(RECONCILE_TYPES)}")
    return kind if isinstance(kind, str) else None


def _values(item: Mapping[str, Any], location: Location) -> dict[str, list[object]]:
    values: dict[str, list[object]] = {"name": [item["query"]] if item.get("query") else []}
    for i, prop in enumerate(item.get("properties") or []):
        pid = prop.get("pid") if isinstance(prop, dict) else None
        if pid not in RECONCILE_PROPERTIES:
            # "countyr" was not told which was meant (trial 38).
            hint = did_you_mean(pid, tuple(RECONCILE_PROPERTIES)) if isinstance(pid, str) else ""
            known = ", ".join(RECONCILE_PROPERTIES)
            raise FieldError((*location, "properties", i, "pid"), f"{hint}pid is one of {known}")
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
    asked = _parsed(text, "extend")
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


@router.get(
    "/reconcile/properties",
    summary="Properties a data extension offers",
    responses={200: {"model": ReconcileProperties, "description": "the properties"}},
)
@router.head("/reconcile/properties", include_in_schema=False)
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


@router.get(
    "/reconcile/suggest/entity",
    summary="Parties whose names begin so (autocomplete)",
    responses={200: {"model": Suggestions, "description": "ten parties at most, from cursor"}},
)
@router.head("/reconcile/suggest/entity", include_in_schema=False)
async def reconcile_suggest(
    request: Request,
    prefix: Annotated[str, Query(max_length=200)],
    cursor: Annotated[int, Query(ge=0, le=1000)] = 0,
    as_of: AsOfParam = None,
    lists: ListsParam = None,
) -> JSONResponse:
    """Parties in force on `as_of` on `lists`, as `/reconcile` screens them: the manifest's
    suggest address carries the service URL's `as_of` and `lists` (trial 30: it dropped
    them, and suggested parties the service's answers never name). Other parameters that
    OpenRefine's autocomplete sends (`type`, `spell`...) are not read."""
    index = index_of(request)
    base = state(request).settings.base_iri
    day, listed = _scope(index, as_of, lists)
    wanted = frozenset(listed)
    found = index.suggest(
        prefix, limit=cursor + 10, keep=lambda entity: bool(in_force(entity.listings, day, wanted))
    )
    if len(found) < cursor + 10:
        found += _screened(index, prefix, day, wanted, found)
    found = found[cursor : cursor + 10]
    return JSONResponse(
        {"result": [answers.suggestion(entity, base, day, wanted) for entity in found]}
    )


def _screened(
    index: MatchIndex, prefix: str, day: dt.date, wanted: frozenset[str], found: list[Entity]
) -> list[Entity]:
    """After the names that begin so, the parties the words typed screen to: an acronym or
    another spacing ("xinjiang psb", "Hik-Vision") began no name, and suggested nothing where
    /reconcile and /search find them (trial 31)."""
    if not prefix.strip():
        return []
    screened = index.screen(model.Query((prefix,)), as_of=day, lists=wanted, limit=10, cutoff=0.5)
    known = {entity.iri for entity in found}
    return [c.entity for c in screened.candidates if c.entity.iri not in known]


def _scope(
    index: MatchIndex, as_of: str | None, lists: Sequence[str] | None
) -> tuple[dt.date, tuple[str, ...]]:
    """The day and the lists screened, as the service's URL gives them (the manifest passes
    them on to its suggestions and previews)."""
    try:
        day = queries.as_of(as_of, ("query", "as_of"), dt.date.today())
        return day, queries.list_iris(lists or [], index.lists, ("query", "lists"))
    except FieldError as error:
        raise invalid(error) from error


#: The preview is shown by OpenRefine in a frame of its own page: this one response may be
#: framed by any site. It holds no script and no form, so framing it can trick no one.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)


@router.get(
    "/reconcile/preview",
    summary="A party's preview (HTML, for OpenRefine)",
    response_class=HTMLResponse,
    responses={404: {"description": "No party has this id: a page that says so"}},
)
@router.head("/reconcile/preview", include_in_schema=False)
async def reconcile_preview(
    request: Request,
    id: Annotated[str, Query(max_length=2000)],
    as_of: AsOfParam = None,
    lists: ListsParam = None,
) -> HTMLResponse:
    """The party's listings, those in force on `as_of` on `lists` said so."""
    index = index_of(request)
    base = state(request).settings.base_iri
    day, listed = _scope(index, as_of, lists)
    wanted = frozenset(listed)
    entity = index.entity(answers.full_iri(id, base))
    if entity is None:
        # A page, as OpenRefine frames it: a 422's JSON showed raw in the frame (trial 31).
        page = f"<!DOCTYPE html><title>Not found</title><p>“{escape(id)}” is no party on a list"
        headers = {"Content-Security-Policy": PREVIEW_POLICY}
        return HTMLResponse(f"{page} of this release.</p>", status_code=404, headers=headers)
    # Its page where the client reached us, as the manifest's view: the IRI resolves only
    # where the base is served (trial 28 followed it to w3id.org from a server of its own).
    asked = answers.full_iri(id, base)  # the record the answer named, of the party's records
    served = f"{_root(request)}/id/{answers.short_id(asked, base)}"
    page = _preview(entity, index.release, served if asked.startswith(base) else asked, day, wanted)
    return HTMLResponse(page, headers={"Content-Security-Policy": PREVIEW_POLICY})


def _status(listing: Listing, day: dt.date, wanted: frozenset[str], known_to: str) -> str:
    """A listing's standing on the day screened, as the answers count it (trial 31: only "in
    force" was said, and a rule published after the day was not). `known_to` is the day of
    the last snapshot of the whole lists (Listing.why_unknown)."""
    if wanted and listing.list_iri not in wanted:
        return " · not on the lists screened"
    if in_force((listing,), day, wanted):
        later = "; ".join(f"{r.citation} {said}" for r in listing.rules if (said := r.later(day)))
        return f" · <strong>in force on {day}</strong>{escape(f' ({later})' if later else '')}"
    why = listing.why_unknown(day, known_to)
    if why:
        return escape(f" · not known to be in force on {day}: {why}")
    return f" · not in force on {day}"


def _preview(
    entity: Entity, release: Release, page: str, day: dt.date, wanted: frozenset[str]
) -> str:
    """A bare page (OpenRefine frames it at 430 x 300): the party, linked to its `page`, its
    listings and their standing on the day, the release."""
    rows = "".join(
        f"<li>{escape(listing.list_name)}"
        f"{escape(answers.since(listing))}"
        f"{escape(' (' + ', '.join(r.citation for r in listing.rules) + ')') * bool(listing.rules)}"
        f"{_status(listing, day, wanted, release.last_complete_snapshot)}"
        "</li>"
        for listing in entity.listings
    )
    facts = answers.description((), entity)
    undated = any(listing.window.observed_since for listing in entity.listings)
    # "In force on 2026-12-06" needs what the release knows of that day (trial 32).
    caveat = release.caveat(day)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(entity.caption)}</title></head><body>"
        f'<p><strong><a href="{escape(page)}" target="_blank" rel="noopener">'
        f"{escape(entity.caption)}</a></strong> ({escape(entity.schema)})"
        f"{'<br>' + escape(facts) if facts else ''}</p><ul>{rows}</ul>"
        f"{'<p><small>' + escape(UNDATED) + '</small></p>' if undated else ''}"
        f"{'<p><small>' + escape(caveat) + '</small></p>' if caveat else ''}"
        f"<p><small>Screened against release {escape(release.date)} "
        f"({escape(release.iri)}), N-Quads SHA-256 {escape(release.nquads_sha256)}</small></p>"
        "</body></html>"
    )
