"""POST /match and /match/{dataset}: screening in the shape of OpenSanctions' yente.

Every answer names the release screened against and the day screened ("as of"). A value that
cannot be read is answered 422 with its location, as FastAPI answers a body that does not
validate.
"""

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kg import __version__
from kg.errors import UnavailableError
from kg.in_force import UNDATED
from kg.match import answers, normalise, queries
from kg.match.index import MatchIndex
from kg.match.model import SCHEMAS, Screening
from kg.match.queries import FieldError
from kg.web.answer_models import MatchAnswer
from kg.web.screening_request import (
    DEFAULT_CUTOFF,
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    AsOfParam,
    ListsParam,
    index_of,
    invalid,
    invalid_items,
    meant,
    unknown_parameters,
)


class _EveryProblem(APIRoute):
    """A body FastAPI refuses (a value of the wrong type or bounds) is answered with what is
    wrong in the query string and path too, which the handler reads only once the body is
    read: else a client fixed the body only to learn of its other bad values."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def every_problem(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError as error:
                said = error.errors()
                more = _query_problems(request, {tuple(each["loc"]) for each in said})
                if not more:
                    raise
                raise RequestValidationError([*said, *more]) from error

        return every_problem


router = APIRouter(tags=["Screening"], route_class=_EveryProblem)

#: Most candidates a query asks for (`limit`).
MAX_CANDIDATES = 100


_Value = Annotated[str, Field(max_length=500)]


class Example(BaseModel):
    """An example entity, as yente takes it: a schema and FollowTheMoney properties."""

    # Other fields are let through, as yente does, and said not to be read (`_read_as`).
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    schema_: str = Field(default="LegalEntity", alias="schema", description=" | ".join(SCHEMAS))
    properties: dict[str, list[_Value]] = Field(
        description="name (required), alias, country, nationality, birthDate, idNumber, "
        "passportNumber, imoNumber, registrationNumber, ...: each a list of strings, or one "
        "string"
    )

    @field_validator(
        "properties", mode="before", json_schema_input_type=dict[str, list[_Value] | _Value]
    )
    @classmethod
    def one_value_as_a_list(cls, given: object) -> object:
        """yente takes {"name": "Hikvision"} for {"name": ["Hikvision"]}; its clients sent
        it here and were refused (trial 28)."""
        if not isinstance(given, dict):
            return given
        return {key: [value] if isinstance(value, str) else value for key, value in given.items()}


#: Options of /match, which yente and we take in the query string, not the body.
QUERY_OPTIONS = ("as_of", "lists", "limit", "threshold", "cutoff")


class MatchRequest(BaseModel):
    # Other fields are let through, as yente does; an option sent in the body is not: it
    # would be ignored, and as_of there screened today unawares.
    model_config = ConfigDict(extra="allow")
    queries: dict[str, Example] = Field(min_length=1, max_length=queries.MAX_BATCH)

    @model_validator(mode="after")
    def options_in_the_query_string(self) -> "MatchRequest":
        misplaced = [key for key in QUERY_OPTIONS if key in (self.model_extra or {})]
        if misplaced:
            raise PydanticCustomError(
                "misplaced_option",
                "{key} goes in the query string (/match?{key}=...), not in the body",
                {"key": misplaced[0]},
            )
        return self


@dataclass(frozen=True)
class MatchOptions:
    """The query string's options, as sent: read with the body's values (`_read_options`),
    so that every bad value of a request is said at once."""

    limit: str
    threshold: str
    cutoff: str
    as_of: str | None
    lists: tuple[str, ...]
    #: Query parameters that are no option: "as_off" screened as of today, unsaid (trial 27).
    unknown: tuple[FieldError, ...] = ()
    #: yente's options given, which are taken and not applied (YENTE_OPTIONS).
    not_applied: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadOptions:
    limit: int
    threshold: float
    cutoff: float
    as_of: dt.date
    lists: tuple[str, ...]


def match_options(
    limit: Annotated[
        str, Query(max_length=20, description="most candidates per query: 1 to 100")
    ] = str(DEFAULT_LIMIT),
    threshold: Annotated[
        str, Query(max_length=20, description="score from which a candidate is a match, 0-1")
    ] = str(DEFAULT_THRESHOLD),
    cutoff: Annotated[
        str, Query(max_length=20, description="lowest score a candidate is given at, 0-1")
    ] = str(DEFAULT_CUTOFF),
    as_of: AsOfParam = None,
    lists: ListsParam = None,
) -> MatchOptions:
    """The query parameters both /match routes take, as yente names them."""
    return MatchOptions(limit, threshold, cutoff, as_of, tuple(lists or ()))


def request_options(
    request: Request, options: Annotated[MatchOptions, Depends(match_options)]
) -> MatchOptions:
    """The options, with the query string's parameters that are none of them."""
    given = [key for key in dict.fromkeys(request.query_params) if key in YENTE_OPTIONS]
    return replace(options, unknown=_unknown(request), not_applied=tuple(given))


#: yente's other options, which clients written for it send ("algorithm=logic-v1"): taken,
#: and not applied (README), so that such a client is not refused.
YENTE_OPTIONS = (
    "algorithm",
    "include_dataset",
    "exclude_dataset",
    "exclude_schema",
    "exclude_entity_ids",
    "topics",
    "changed_since",
)


def _unknown(request: Request) -> tuple[FieldError, ...]:
    found = unknown_parameters(request, QUERY_OPTIONS, "/match")
    return tuple(
        _a_property(e) if e.location[-1] in queries.READ_PROPERTIES else e
        for e in found
        if e.location[-1] not in YENTE_OPTIONS
    )


def _a_property(error: FieldError) -> FieldError:
    """A property of the party sent as an option: "?country=ir" was refused as no
    parameter, unsaid where it goes (trial 49a)."""
    key = error.location[-1]
    return FieldError(
        error.location,
        f"{key} is a property of the party screened, not an option of /match: send it in "
        f'the body, in each query\'s properties ({{"queries": {{"q1": {{"schema": "Thing", '
        f'"properties": {{"name": ["..."], "{key}": ["..."]}}}}}}}}); the query string takes '
        f"{', '.join(QUERY_OPTIONS)}",
    )


Options = Annotated[MatchOptions, Depends(request_options)]


def _read_options(
    options: MatchOptions,
    index: MatchIndex,
    problems: queries.Problems,
    dataset: str | None = None,
) -> ReadOptions:
    """The options read, with the list yente's path names (/match/{dataset}), if any; each
    bad one is kept in `problems`, and its default read meanwhile."""
    today = dt.date.today()
    limit = problems.read(
        lambda: queries.whole_number(options.limit, ("query", "limit"), 1, MAX_CANDIDATES)
    )
    threshold = problems.read(lambda: queries.score(options.threshold, ("query", "threshold")))
    cutoff = problems.read(lambda: queries.score(options.cutoff, ("query", "cutoff")))
    day = problems.read(lambda: queries.as_of(options.as_of, ("query", "as_of"), today))
    wanted = problems.read(
        lambda: queries.list_iris(options.lists, index.lists, ("query", "lists"))
    )
    problems.found += options.unknown
    # A list the path names is the path's to fix, not the query string's.
    named = problems.read(
        lambda: queries.list_iris(_dataset(dataset or "default"), index.lists, ("path", "dataset"))
    )
    return ReadOptions(
        limit=DEFAULT_LIMIT if limit is None else limit,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        cutoff=DEFAULT_CUTOFF if cutoff is None else cutoff,
        as_of=day or today,
        lists=tuple(dict.fromkeys((*(wanted or ()), *(named or ())))),
    )


@router.get("/match", include_in_schema=False)
@router.get("/match/{dataset}", include_in_schema=False)
async def match_by_get() -> Response:
    """405, not the static site's 404 ("no page at this address"), which the address
    would otherwise reach: /match is there, for POST."""
    return PlainTextResponse(
        "/match screens the parties of a JSON body sent with POST (see /docs); "
        "to screen a name in a browser, use /screen",
        status_code=405,
        headers={"Allow": "POST"},
    )


#: What a screening answers, described (the route writes plain JSON).
ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"model": MatchAnswer, "description": "each query's candidates, and the release"}
}


@router.post("/match", summary="Screen parties (yente's request and response)", responses=ANSWER)
async def match(
    request: Request, body: Annotated[MatchRequest, Body()], options: Options
) -> JSONResponse:
    """Each query names a party; each answer gives scored candidates with explanations and
    the listings in force on the day screened, and names the release screened against."""
    return await _match(index_of(request), body, options)


@router.post("/match/{dataset}", summary="Screen parties (yente's path)", responses=ANSWER)
async def match_dataset(
    request: Request,
    dataset: Annotated[
        str, Path(description="default or sanctions (every list), or one list: EL, SDN, ...")
    ],
    body: Annotated[MatchRequest, Body()],
    options: Options,
) -> JSONResponse:
    """As POST /match, for clients written for yente's /match/{dataset}."""
    return await _match(index_of(request), body, options, dataset)


def _query_problems(request: Request, said: set[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """What is wrong in the query string and path (/match/{dataset}'s list) that is not said."""
    try:
        index = index_of(request)
    except UnavailableError:
        return []
    asked = request.query_params
    given = {key: asked[key] for key in ("limit", "threshold", "cutoff", "as_of") if key in asked}
    options = request_options(request, match_options(**given, lists=asked.getlist("lists")))
    problems = queries.Problems()
    _read_options(options, index, problems, request.path_params.get("dataset"))
    return [e for e in invalid_items(problems.found) if tuple(e["loc"]) not in said]


async def _match(
    index: MatchIndex, body: MatchRequest, options: MatchOptions, dataset: str | None = None
) -> JSONResponse:
    problems = queries.Problems()
    read = _read_options(options, index, problems, dataset)
    day, wanted = read.as_of, read.lists
    asked = {
        key: problems.read(
            partial(
                queries.build,
                example.schema_,
                example.properties,
                ("body", "queries", key, "properties"),
                schema_at=("body", "queries", key, "schema"),
            )
        )
        for key, example in body.queries.items()
    }
    try:  # every bad value of the request, not only the first
        problems.raise_any()
    except FieldError as error:
        raise invalid(error) from error
    ready = {key: query for key, query in asked.items() if query is not None}

    def run() -> dict[str, Screening]:
        return {
            key: index.screen(query, as_of=day, lists=wanted, limit=read.limit, cutoff=read.cutoff)
            for key, query in ready.items()
        }

    # A batch in a thread, so that /health answers meanwhile; one query is quicker inline.
    screenings = await asyncio.to_thread(run) if len(asked) > 1 else run()
    responses = {
        key: {
            "status": 200,
            "results": (results := answers.match_results(found, read.threshold)),
            "total": {
                "value": found.total + len(results) - len(found.candidates),
                "relation": "eq",
            },
            "not_in_force": [
                {
                    "id": o.iri,
                    "caption": o.caption,
                    "score": o.score,
                    "name_score": o.name_score,
                    "in_force": o.window,
                }
                | answers.unknown_json(o.why)
                for o in found.outside
            ],
            "query": body.queries[key].model_dump(by_alias=True),
            "warnings": _read_as(body.queries[key])
            + answers.not_in_force_warnings(found, read.threshold)
            + answers.removal_warnings(found, read.threshold),
        }
        for key, found in screenings.items()
    }
    caveat = index.release.caveat(day)
    warnings = [caveat] if caveat else []
    # Said in the answer, not only in the README: a client of yente's that sent
    # topics=sanction believed it was applied.
    if options.not_applied:
        warnings.append(
            f"not applied: {', '.join(options.not_applied)} (yente's options, taken so that "
            "its clients are not refused; this server has one matcher, and screens the lists "
            "that lists= or the path names)"
        )
    return JSONResponse(
        {
            "responses": responses,
            "matcher": {"name": "entitylist-kg", "version": __version__},
            "limit": read.limit,
            "threshold": read.threshold,
            "cutoff": read.cutoff,
            "as_of": day.isoformat(),
            "undated_entries": UNDATED,
            "warnings": warnings,
            "lists": list(wanted),
            "screened_against": index.release.as_json(),
        }
    )


def _read_as(example: Example) -> list[str]:
    """What a screener must know of how the query was read: a name in a script without
    vowels found nothing, unsaid, where /screen and kg screen say so (trial 28); and a
    property or a field not read, which screened the query without it, unsaid ("countyr":
    trial 37). They are let through, as yente lets them."""
    names = [*example.properties.get("name", []), *example.properties.get("alias", [])]
    said = [said for said in map(normalise.letter_for_letter, names) if said]
    said += [
        _not_read("property", key, queries.READ_PROPERTIES)
        for key in example.properties
        if key not in queries.READ_PROPERTIES
    ]
    # yente's example may carry an id; it names the query, no more.
    said += [
        _not_read("field", key, ("schema", "properties"))
        for key in example.model_extra or {}
        if key != "id"
    ]
    return said


def _not_read(noun: str, key: str, known: tuple[str, ...]) -> str:
    """A warning that a property or field of a query is not read, with the one meant."""
    near = meant(key, known)
    hint = f" (did you mean {near}?)" * bool(near)
    return f"the {noun} {key!r} is not read{hint}: screened without it"


#: yente's datasets that hold every list we have: its default, and "sanctions", the
#: collection in which OpenSanctions publishes the Consolidated Screening List.
EVERY_LIST = ("default", "sanctions", "entitylist-kg", "all")


def _dataset(dataset: str) -> list[str]:
    """yente's dataset path: every list (EVERY_LIST) or one list."""
    return [] if dataset in EVERY_LIST else [dataset]
